// SPDX-License-Identifier: GPL-2.0
/*
 * Helper, not a test: install one LDT entry with modify_ldt() (on a PTI
 * kernel this maps the LDT into the process's own kernel-half slot), print
 * the pid, and sleep until killed. The demo uses it to show a real
 * process-specific kernel-half entry.
 */
#define PT_NO_MODULE	/* started by guest-init.sh in demo and record modes */
#include "ptshare_test.h"

#include <sys/syscall.h>
#if defined(__x86_64__)
#include <asm/ldt.h>
#endif

int main(void)
{
#if defined(__x86_64__)
	struct user_desc desc = {
		.limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1, .useable = 1,
	};

	if (syscall(SYS_modify_ldt, 1, &desc, sizeof(desc))) {
		perror("modify_ldt");
		return 1;
	}
#endif
	printf("%d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
}

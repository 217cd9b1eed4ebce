// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 with PTI: modify_ldt() maps the process's LDT into the LDT remap
 * slot of its own pgd and of its user-mode copy, a kernel-half entry that the
 * master does not have. A process that never called modify_ldt() has no such
 * entry. The user-mode pgd copy is reported for every process.
 */
#include "ptshare_test.h"

#include <sys/syscall.h>
#if defined(__x86_64__)
#include <asm/ldt.h>
#endif


#if defined(__x86_64__)
struct ldt_seen {
	int kernel_slot, user_slot;	/* non-SHARED pgd entries in ldt-remap */
	int any_ldt;			/* any entry line in ldt-remap */
	int user_lines;			/* entry lines for the user-mode copy */
	int deeper;			/* lower-level lines under ldt-remap */
	int kernel_tables;		/* process tables met in the kernel pgd's LDT slot */
};

static void scan(const char *text, pid_t pid, struct ldt_seen *s)
{
	char *dump = strdup(text), *line;
	size_t pos = 0;
	int tgid = 0;
	struct pt_entry e;

	memset(s, 0, sizeof(*s));
	while ((line = pt_next_line(dump, &pos))) {
		if (!strncmp(line, "task ", 5))
			tgid = atoi(line + 5);
		if (tgid != pid || strncmp(line, "entry ", 6) || pt_parse_entry(line, tgid, &e))
			continue;
		if (!strcmp(e.which, "user"))
			s->user_lines++;
		if (strcmp(e.region, "ldt-remap"))
			continue;
		s->any_ldt++;
		if (!strcmp(e.which, "kernel") && !strcmp(e.pkind, "table"))
			s->kernel_tables++;
		if (strcmp(e.level, "pgd")) {
			s->deeper++;
			continue;
		}
		if (!strcmp(e.cls, "SHARED"))
			continue;
		if (!strcmp(e.which, "kernel"))
			s->kernel_slot++;
		else
			s->user_slot++;
	}
	free(dump);
}
#endif

int main(void)
{
#if defined(__x86_64__)
	struct user_desc desc = {
		.entry_number = 0, .base_addr = 0, .limit = 0xfffff,
		.seg_32bit = 1, .contents = 0, .read_exec_only = 0,
		.limit_in_pages = 1, .seg_not_present = 0, .useable = 1,
	};
	struct pt_row *rows, *ra, *rb;
	struct ldt_seen a, b;
	char *summary, *dump, sel[64];
	pid_t with, without;
	int sync[2], nrows;
	char c;

	if (strcmp(pt_fact_arch(), "x86_64"))
		ksft_skip("not x86_64 (uname): modify_ldt and PTI are x86 matters");
	summary = pt_read(pt_path("summary"));
	if (!summary)
		ksft_bail("read summary: %s", strerror(errno));
	/* The branch is chosen by uname and the kernel's meltdown file; the report must agree. */
	pt_agree_arch(summary);
	if (!pt_agree_isolation(summary))
		ksft_skip("PTI is off (meltdown: not 'Mitigation: PTI'): the LDT is not remapped "
			  "into the kernel half");
	ksft_plan(7);

	if (pipe(sync))
		ksft_bail("pipe: %s", strerror(errno));
	with = fork();
	if (with == 0) {
		c = syscall(SYS_modify_ldt, 1, &desc, sizeof(desc)) ? 'E' : 'K';
		write(sync[1], &c, 1);
		for (;;)
			pause();
	}
	if (read(sync[0], &c, 1) != 1 || c != 'K')
		ksft_bail("modify_ldt in the child failed");
	without = pt_spawn_sleeper();
	if (pt_wait_asleep(without, 120) || pt_wait_asleep(with, 120))
		ksft_bail("a child never slept");

	snprintf(sel, sizeof(sel), "pid %d,%d\n", with, without);
	if (pt_select(sel))
		ksft_bail("select %s: %s", sel, strerror(errno));
	dump = pt_read(pt_path("dump"));
	if (!dump || !pt_complete(dump))
		ksft_bail("read dump: %s", dump ? "truncated" : strerror(errno));
	scan(dump, with, &a);
	scan(dump, without, &b);

	ksft_result(a.kernel_slot == 1, "modify_ldt process: non-SHARED ldt-remap slot in its pgd (%d)",
		    a.kernel_slot);
	ksft_result(a.user_slot == 1,
		    "modify_ldt process: non-SHARED ldt-remap slot in its user-mode copy (%d)",
		    a.user_slot);
	ksft_result(a.deeper > 0, "modify_ldt process: the LDT tables below are listed (%d lines)",
		    a.deeper);
	ksft_result(b.any_ldt == 0, "other process: nothing in the ldt-remap slot (%d lines)",
		    b.any_ldt);
	ksft_result(a.user_lines > 0 && b.user_lines > 0,
		    "user-mode pgd copy reported for both (%d, %d lines)", a.user_lines,
		    b.user_lines);

	free(summary);
	summary = pt_read(pt_path("summary"));
	nrows = pt_summary_rows(summary, &rows);
	ra = pt_find_row(rows, nrows, with);
	rb = pt_find_row(rows, nrows, without);
	ksft_result(ra && rb && ra->v[PT_EXTRA] == 1 && ra->v[PT_U_EXTRA] == 1 &&
		    rb->v[PT_EXTRA] == 0 && rb->v[PT_U_EXTRA] == 0,
		    "summary: EXTRA 1/1 (kernel/user) with an LDT, 0/0 without");
	ksft_result(ra && rb && ra->v[PT_KPRIV] == a.kernel_tables && rb->v[PT_KPRIV] == 0 &&
		    rb->v[PT_U_PRESENT] > 0 && rb->v[PT_U_SHARED] == rb->v[PT_U_PRESENT],
		    "summary: private kernel tables %ld (dump shows %d) with an LDT, %ld without;"
		    " user copy shared %ld/%ld", ra ? ra->v[PT_KPRIV] : -1, a.kernel_tables, rb ? rb->v[PT_KPRIV] : -1,
		    rb ? rb->v[PT_U_SHARED] : -1, rb ? rb->v[PT_U_PRESENT] : -1);
	pt_select("all");
	pt_reap(with);
	pt_reap(without);
	ksft_finish();
#else
	if (strcmp(pt_fact_arch(), "x86_64"))
		ksft_skip("not x86_64 (uname): modify_ldt and PTI are x86 matters");
	ksft_bail("uname says x86_64, but this binary was built for another architecture");
#endif
}

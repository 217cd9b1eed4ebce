// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit ARM LPAE: a descriptor is 64 bits, and copy_from_kernel_nofault()
 * reads it as two 32-bit loads, which a concurrent 64-bit store can fall
 * between. A helper module (vmtest/ptshare_tear.ko) rewrites one vmalloc
 * page's descriptor in a loop with single 64-bit stores, alternating A (its
 * page, XN) and B (another page, executable); the test reads master over and
 * over and looks at that page's line. Every value shown must be one that was
 * stored: (page A, XN) or (page B, executable). A's page with B's
 * permissions, or B's page with A's, was never in memory: a torn read.
 * Needs LPAE (the kernel release names the flavour).
 */
#include "ptshare_test.h"

#include <sys/syscall.h>
#include <time.h>

static unsigned long long param(const char *name)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/module/ptshare_tear/parameters/%s", name);
	return pt_file_line(path, buf, sizeof(buf)) ? strtoull(buf, NULL, 0) : 0;
}

int main(void)
{
	unsigned long long va, pa_a, pa_b, start, last, size, pa;
	int seen_a = 0, seen_b = 0, torn = 0, other = 0, reads = 0, xn;
	char *text, *line, level[8], flags[64], want[32];
	time_t end;
	size_t pos;

	if (strcmp(pt_fact_arch(), "arm-lpae"))
		ksft_skip("not a 32-bit ARM LPAE kernel (no 64-bit descriptors read as two words)");
	if (access(pt_path("master"), R_OK))
		ksft_skip("ptshare is not loaded");
	pt_insmod("PTSHARE_TEAR_KO", "/ptshare/ptshare_tear.ko", "");
	va = param("va");
	pa_a = param("pa_a");
	pa_b = param("pa_b");
	ksft_plan(2);
	snprintf(want, sizeof(want), "0x%llx ", va);

	/*
	 * 30 s, longer (up to 120 s) until both values were seen: about 6,500
	 * reads on Debian 6.1 armmp-lpae, 95 on the KASAN kernel. A module
	 * that read the descriptor as two words showed 4 torn values in 10,979
	 * reads there; one LDREXD, 0 in 19,318.
	 */
	end = time(NULL) + 30;
	while (time(NULL) < end || ((!seen_a || !seen_b) && time(NULL) < end + 90)) {
		text = pt_read(pt_path("master"));
		if (!text || !pt_complete(text))
			ksft_bail("read master");
		reads++;
		for (pos = 0; (line = pt_next_line(text, &pos));) {
			if (strncmp(line, "range ", 6) || strncmp(line + 6, want, strlen(want)))
				continue;
			if (sscanf(line, "range %llx %llx %llx %7s %63s %llx", &start, &last, &size,
				   level, flags, &pa) != 6)
				continue;
			xn = pt_has_flag(flags, "XN");
			if (pa == pa_a && xn) {
				seen_a++;
			} else if (pa == pa_b && !xn) {
				seen_b++;
			} else if ((pa == pa_a && !xn) || (pa == pa_b && xn)) {
				ksft_info("torn: %s", line);
				torn++;
			} else {
				ksft_info("neither: %s", line);
				other++;
			}
		}
		free(text);
	}
	ksft_info("%d reads of master in %ld s: A %d, B %d, torn %d, other %d; %llu stores",
		  reads, (long)(time(NULL) - end + 30), seen_a, seen_b, torn, other,
		  param("stores"));
	if (syscall(SYS_delete_module, "ptshare_tear", O_NONBLOCK))
		ksft_bail("rmmod ptshare_tear: %s", strerror(errno));
	ksft_result(seen_a > 0 && seen_b > 0 && !other,
		    "the descriptor of 0x%llx was seen holding both stored values (A %d, B %d)",
		    va, seen_a, seen_b);
	ksft_result(!torn, "no value that was never stored (%d torn in %d reads)", torn, reads);
	ksft_finish();
}

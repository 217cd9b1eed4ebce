// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 without PTI: pgd_alloc() copies the kernel-half slots from the
 * master and their lower tables are preallocated, so every present
 * kernel-half slot of every process must be SHARED, and no process may
 * have a slot the master lacks or lack one it has.
 */
#include "ptshare_test.h"

int main(void)
{
	char *summary, *dump, *line;
	int nrows, i, bad = 0, tasks = 0, slots = 0, deeper = 0, notshared = 0, tgid = 0;
	struct pt_row *rows = NULL, *master = NULL;
	struct pt_entry e;
	size_t pos = 0;
	pid_t child;

	summary = pt_read(pt_path("summary"));
	if (!summary)
		ksft_bail("read summary: %s", strerror(errno));
	/* The branch is chosen by uname and the kernel's meltdown file; the report must agree. */
	if (strcmp(pt_agree_arch(summary), "x86_64"))
		ksft_skip("not x86_64 (uname)");
	if (pt_agree_isolation(summary))
		ksft_skip("PTI is on (meltdown: Mitigation: PTI): the user-mode copy and the LDT "
			  "slot differ by design");

	ksft_plan(5);
	child = pt_spawn_sleeper();
	if (pt_wait_asleep(child, 120))
		ksft_bail("child %d never slept", child);
	free(summary);
	summary = pt_read(pt_path("summary"));
	nrows = pt_summary_rows(summary, &rows);
	for (i = 0; i < nrows; i++)
		if (rows[i].master)
			master = &rows[i];
	ksft_result(master && master->v[PT_PRESENT] > 0, "master has %ld present kernel-half slots",
		    master ? master->v[PT_PRESENT] : -1);
	if (!master)
		ksft_finish();

	for (i = 0; i < nrows; i++) {
		long *c = rows[i].v;

		if (rows[i].master)
			continue;
		if (c[PT_PRESENT] != master->v[PT_PRESENT] || c[PT_SHARED] != c[PT_PRESENT] ||
		    c[PT_SAME] || c[PT_COPY] || c[PT_DIFF] || c[PT_MISSING] || c[PT_EXTRA] ||
		    c[PT_KPRIV]) {
			ksft_info("pid %d (%s): present %ld shared %ld same %ld copy %ld diff %ld"
				  " missing %ld extra %ld kpriv %ld", rows[i].tgid, rows[i].comm,
				  c[PT_PRESENT], c[PT_SHARED], c[PT_SAME], c[PT_COPY], c[PT_DIFF],
				  c[PT_MISSING], c[PT_EXTRA], c[PT_KPRIV]);
			bad++;
		}
	}
	ksft_result(nrows > 2 && !bad, "summary: all %d processes share every slot (%d do not)",
		    nrows - 1, bad);

	if (pt_select("all"))
		ksft_bail("select all: %s", strerror(errno));
	dump = pt_read(pt_path("dump"));
	if (!dump)
		ksft_bail("read dump: %s", strerror(errno));
	ksft_result(pt_complete(dump), "dump ends with its end line");
	while ((line = pt_next_line(dump, &pos))) {
		if (!strncmp(line, "task ", 5)) {
			tgid = atoi(line + 5);
			tasks++;
			continue;
		}
		if (strncmp(line, "entry ", 6))
			continue;
		if (pt_parse_entry(line, tgid, &e)) {
			ksft_info("bad entry line: %s", line);
			notshared++;
			continue;
		}
		if (strcmp(e.level, "pgd")) {
			deeper++;
			continue;
		}
		slots++;
		if (strcmp(e.cls, "SHARED") || strcmp(e.which, "kernel") || e.praw != e.mraw) {
			ksft_info("pid %d: %s", tgid, line);
			notshared++;
		}
	}
	ksft_result(tasks == nrows - 1 && slots == tasks * master->v[PT_PRESENT],
		    "dump covers %d tasks with %d slot lines (expected %d x %ld)", tasks, slots,
		    nrows - 1, master->v[PT_PRESENT]);
	ksft_result(!notshared && !deeper,
		    "dump: every slot SHARED with equal raw values (%d not, %d lower lines)",
		    notshared, deeper);
	pt_reap(child);
	ksft_finish();
}

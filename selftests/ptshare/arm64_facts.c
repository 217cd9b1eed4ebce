// SPDX-License-Identifier: GPL-2.0
/*
 * arm64: process tables (TTBR0) hold no kernel half; the kernel half is one
 * table, behind TTBR1_EL1, for everybody. Checked against the hardware
 * register on every CPU, and against what the reports say of processes.
 */
#include "ptshare_test.h"

#include <sched.h>

static int on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

int main(void)
{
	unsigned long long mva, mpa, uva, upa, ttbr, kernel_lo, start, last, pa;
	int cpus = 0, agree = 0, cpu, n, i, rows_ok = 0, mm_rows = 0, entries = 0;
	int uslots = 0, above = 0, kernel_pa = 0, tramp_slots = 0, in_user = 0, kpti;
	char *text, *line, kind[8], which[8];
	const char *v;
	struct pt_row *rows;
	size_t pos = 0;
	cpu_set_t all;

	text = pt_read(pt_path("summary"));
	if (!text)
		ksft_bail("read summary: %s", strerror(errno));
	/* The branches are chosen by uname and the boot log; the report must agree. */
	if (strcmp(pt_agree_arch(text), "arm64"))
		ksft_skip("not arm64 (uname)");
	kpti = pt_agree_isolation(text);
	v = pt_header(text, "master_pgd");
	if (!v || sscanf(v, "%llx %llx", &mva, &mpa) != 2)
		ksft_bail("no master_pgd line");
	v = pt_header(text, "kernel_half");
	if (!v || sscanf(v, "%llx", &kernel_lo) != 1)
		ksft_bail("no kernel_half line");
	ksft_plan(7);

	ksft_result(strstr(pt_header(text, "master_pgd"), " ttbr1") != NULL,
		    "the master was found through TTBR1 (%s)", pt_header(text, "master_pgd"));

	/* Each CPU reports the table its own TTBR1_EL1 points to. */
	if (sched_getaffinity(0, sizeof(all), &all))
		ksft_bail("sched_getaffinity: %s", strerror(errno));
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		char *t;

		if (!CPU_ISSET(cpu, &all) || on_cpu(cpu))
			continue;
		cpus++;
		t = pt_read(pt_path("summary"));
		v = t ? pt_header(t, "kernel_table") : NULL;
		if (v && sscanf(v, "ttbr1 %llx", &ttbr) == 1 && ttbr == mpa)
			agree++;
		else
			ksft_info("cpu %d: kernel_table %s", cpu, v ? v : "(none)");
		free(t);
	}
	sched_setaffinity(0, sizeof(all), &all);
	ksft_result(cpus > 0 && agree == cpus,
		    "TTBR1_EL1 points at the walked master (PA %#llx) on %d of %d CPUs", mpa, agree,
		    cpus);

	n = pt_summary_rows(text, &rows);
	if (n < 0)
		ksft_bail("summary rows do not parse");
	for (i = 0; i < n; i++) {
		int k, dash = 1;

		if (rows[i].master)
			continue;
		mm_rows++;
		for (k = PT_PRESENT; k <= PT_U_EXTRA; k++)
			dash &= rows[i].v[k] == -1;
		rows_ok += dash && rows[i].v[PT_KPRIV] == -1 && rows[i].v[PT_PT_PAGES] > 0 &&
			   rows[i].v[PT_USER_SLOTS] > 0;
	}
	ksft_result(mm_rows > 0 && rows_ok == mm_rows,
		    "all %d processes: '-' for every kernel-half count (nothing to compare), "
		    "page tables and user slots counted (%d)", mm_rows, rows_ok);
	free(rows);
	free(text);

	/* Every process's table: user slots only, none of them a master table. */
	if (pt_select("all"))
		ksft_bail("select all: %s", strerror(errno));
	text = pt_read(pt_path("dump"));
	if (!text || !pt_complete(text))
		ksft_bail("read dump: %s", text ? "truncated" : strerror(errno));
	while ((line = pt_next_line(text, &pos))) {
		if (!strncmp(line, "entry ", 6))
			entries++;
		if (sscanf(line, "uslot %*u %llx %llx %7s %*s %llx", &start, &last, kind, &pa) == 4) {
			uslots++;
			above += last >= kernel_lo || last > ~kernel_lo;
			kernel_pa += pa == mpa;
		}
	}
	free(text);
	ksft_result(entries == 0 && uslots > 0,
		    "dump of every process: %d user-half top-level entries, %d kernel-half ones",
		    uslots, entries);
	ksft_result(above == 0 && kernel_pa == 0,
		    "no process table entry maps above the user range (last user address %#llx) "
		    "or points at the master (%d, %d)", ~kernel_lo, above, kernel_pa);

	/* KPTI: the trampoline table maps only the trampoline, at the top. */
	text = pt_read(pt_path("master"));
	if (!text || !pt_complete(text))
		ksft_bail("read master: %s", text ? "truncated" : strerror(errno));
	v = pt_header(text, "master_user_pgd");
	if (!v)
		ksft_bail("no master_user_pgd line");
	pos = 0;
	while ((line = pt_next_line(text, &pos))) {
		if (sscanf(line, "pgd %7s", which) == 1)
			in_user = !strcmp(which, "user");
		else if (in_user && !strncmp(line, "slot ", 5))
			tramp_slots++;
	}
	if (kpti) {
		n = sscanf(v, "%llx %llx", &uva, &upa) == 2;
		ksft_result(n && upa + 2 * 4096 == mpa,
			    "kpti on: the trampoline table is 2 pages below swapper_pg_dir (%s)", v);
		ksft_result(tramp_slots == 1,
			    "kpti on: its walk has exactly 1 top-level slot (%d)", tramp_slots);
	} else {
		ksft_result(!strcmp(v, "- -"), "kpti off: no trampoline table (%s)", v);
		ksft_result(tramp_slots == 0, "kpti off: no user section in master (%d slots)",
			    tramp_slots);
	}
	free(text);
	pt_select("all");
	ksft_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * An independent check of the values ptshare prints: read the master pgd,
 * and this process's own pgd, through /proc/kcore (the kernel's ELF view of
 * its memory, not ptshare's walker) and compare them entry by entry with the
 * "slot" lines of master and the "entry ... pgd" and "uslot" lines of dump.
 * Also checks that the physical addresses printed for both pgds hold the same
 * bytes. x86-64, arm64 and riscv64 (Debian's armhf kernels have no
 * /proc/kcore). On riscv64 the linear map's offset comes from kcore itself:
 * the physical address each RAM segment's program header carries.
 */
#include "ptshare_test.h"

#include "pt_kcore.h"

/*
 * By the MMU's rules and through kcore alone: the distinct table pages
 * reachable from the kernel-half slots of @pgds (the master's kernel pgd
 * and, with PTI, its user copy). x86-64: an entry is present with bit 0;
 * above the pte level it maps a page with PS (bit 7) at pud and pmd level,
 * and is a table otherwise. riscv64: present with V (bit 0), a leaf at any
 * level when one of R, W, X (bits 1-3) is set, a table otherwise; its frame
 * number is bits 10-53. A table page is counted once however many entries
 * point to it (KASAN's early shadow, espfix) and walked once.
 */
#define X86_PA_MASK	0x000ffffffffff000ULL
static int riscv;

/* The next table's physical address in a present entry that is a table. */
static unsigned long long table_pa(unsigned long long e)
{
	return riscv ? ((e >> 10) & ((1ULL << 44) - 1)) << 12 : e & X86_PA_MASK;
}

/* Is present entry @e, @level tables above the leaves, a table? */
static int is_table(unsigned long long e, int level)
{
	if (!(e & 1) || level == 0)
		return 0;
	if (riscv)
		return !(e & 0xe);
	return !((level == 1 || level == 2) && (e & 0x80));
}
#define SEEN_SLOTS	(1 << 16)
static unsigned long long seen[SEEN_SLOTS];
static long nseen;

static int seen_add(unsigned long long pa)
{
	unsigned long long h = (pa >> 12) * 0x9e3779b97f4a7c15ULL;
	unsigned int i = h >> 48;

	while (seen[i]) {
		if (seen[i] == pa)
			return 0;
		i = (i + 1) & (SEEN_SLOTS - 1);
	}
	if (nseen >= SEEN_SLOTS - 1)
		return -1;
	seen[i] = pa;
	nseen++;
	return 1;
}

/* Walk the table at @pa, @level tables above the leaves (pte: 0); -1 on error. */
static int walk_tables(unsigned long long lin, unsigned long long pa, int level)
{
	unsigned long long t[512];
	int i, r;

	r = seen_add(pa);
	if (r <= 0)
		return r;
	if (level == 0)
		return 0;
	if (kcore_read(lin + pa, t, sizeof(t)))
		return -1;
	for (i = 0; i < 512; i++) {
		if (!is_table(t[i], level))
			continue;
		if (walk_tables(lin, table_pa(t[i]), level - 1))
			return -1;
	}
	return 0;
}

/* @lin: the linear map's offset (x86-64: the direct map's start, which maps pa 0). */
static long count_tables(unsigned long long lin, const unsigned long long *pgd,
			 const unsigned long long *upgd, int first, int last, int levels)
{
	int i;

	memset(seen, 0, sizeof(seen));
	nseen = 0;
	for (i = first; i <= last; i++) {
		if (is_table(pgd[i], levels - 1) &&
		    walk_tables(lin, table_pa(pgd[i]), levels - 2))
			return -1;
		if (upgd && is_table(upgd[i], levels - 1) &&
		    walk_tables(lin, table_pa(upgd[i]), levels - 2))
			return -1;
	}
	return nseen;
}

int main(void)
{
	unsigned long long mva, mpa, muva = 0, mupa, direct = 0, start, last, raw, ppa = 0, upa = 0;
	static unsigned long long kmaster[512], kuser[512], kself[512], kselfu[512], bypa[512];
	char *master, *dump, *line, name[64], sel[32], pa_s[24], upa_s[24];
	int first, lastslot, slot, section = 0, lines = 0, bad = 0, nonzero = 0, i, pti;
	int checked = 0, ubad = 0, uchecked = 0, tgid = 0, shift = 0, ptrs = 0, arm64;
	int us_lines = 0, us_bad = 0, us_nonzero = 0, tlines = 0, tbad = 0, tnonzero = 0;
	unsigned long long image_pgd = 0, ttbr = 0, lin, init_top = 0;
	char *first_read, *second_read;
	unsigned int uidx;
	char kind[8];
	struct pt_entry e;
	const char *v, *arch = pt_fact_arch();
	size_t pos = 0;
	int levels = 4;

	master = pt_read(pt_path("master"));
	if (!master)
		ksft_bail("read master: %s", strerror(errno));
	/* Skips and branches follow uname, /proc/kcore and the kernel's own flags. */
	pt_agree_arch(master);
	if (access("/proc/kcore", F_OK))
		ksft_skip("no /proc/kcore in this kernel (Debian's armhf kernels have none)");
	if (strcmp(arch, "x86_64") && strcmp(arch, "arm64") && strcmp(arch, "riscv64"))
		ksft_skip("no /proc/kcore reader for this architecture (x86_64, arm64, riscv64)");
	arm64 = !strcmp(arch, "arm64");
	riscv = !strcmp(arch, "riscv64");
	pti = pt_agree_isolation(master);
	v = pt_header(master, "master_user_pgd");
	pt_agree(pti == (v && sscanf(v, "%llx %llx", &muva, &mupa) == 2),
		 "module master_user_pgd '%s' agrees: %s", v ? v : "(none)",
		 pti ? "a user copy / trampoline" : "none");
	v = pt_header(master, "level");
	if (!v || sscanf(v, "pgd %d %d", &shift, &ptrs) != 2 || ptrs > 512)
		ksft_bail("no level pgd header");
	if (!arm64) {
		levels = riscv ? pt_fact_riscv_levels() : pt_fact_x86_levels();
		v = pt_header(master, "levels");
		pt_agree(v && atoi(v) == levels && shift == 12 + 9 * (levels - 1),
			 "module levels %s, pgd shift %d agree with cpuinfo/cmdline (%d levels)",
			 v ? v : "(none)", shift, levels);
	}
	if (kcore_open()) {
		/* lockdown=confidentiality: open_kcore() refuses (LOCKDOWN_KCORE) */
		if (errno == EPERM)
			ksft_skip("/proc/kcore refused (EPERM): the kernel is locked down for confidentiality");
		ksft_bail("/proc/kcore is not readable as ELF64: %s", strerror(errno));
	}
	ksft_plan(arm64 ? 8 : 10);

	v = pt_header(master, "master_pgd");
	if (!v || sscanf(v, "%llx %llx", &mva, &mpa) != 2)
		ksft_bail("no master_pgd header");
	v = pt_header(master, "kernel_slots");
	if (!v || sscanf(v, "%d %d", &first, &lastslot) != 2 || lastslot > 511)
		ksft_bail("no kernel_slots header");
	v = pt_header(master, "kernel_table");
	if (arm64 && (!v || sscanf(v, "ttbr1 %llx", &ttbr) != 1))
		ksft_bail("no kernel_table ttbr1 header");
	first_read = strdup(master);
	if (!first_read)
		ksft_bail("out of memory");
	for (pos = 0; (line = pt_next_line(master, &pos));) {
		if (sscanf(line, "region %llx %llx %63s", &start, &last, name) == 3 &&
		    pt_is_linear(name))
			direct = start;
		if (!strcmp(line, "end"))
			break;
	}
	free(master);

	/*
	 * Read whole and in small pieces, the master walk is resumed inside
	 * slots many times (each record holds at most 32 ranges): the two texts
	 * must agree line for line outside vmalloc, modules and fixmap, which
	 * live kernel activity may change between the reads. The whole read is
	 * the one the headers came from: on a debug kernel one read of master
	 * takes seconds (arm64 with KASAN: 15 s for 2.7 MB), so this test reads
	 * it whole twice, not five times.
	 */
	{
		char *a = first_read;
		/*
		 * 7-byte pieces split every record many times; a KASAN kernel's
		 * master (arm64: 2.7 MB, its shadow pages are not contiguous) is
		 * read in 1021-byte pieces, which still split every record: 390,000
		 * reads took 240 s of the 300 a debug guest gives a test.
		 */
		size_t piece = a && strlen(a) > (512 << 10) ? 1021 : 7;
		char *b = pt_read_chunked(pt_path("master"), piece);
		int lines_a = 0, differ = 0, pagealloc;

		pagealloc = a && b && (pt_unmaps_free_pages(a) || pt_unmaps_free_pages(b));
		differ = !a || !b || pt_stable_lines(a, &lines_a, pagealloc) !=
				     pt_stable_lines(b, NULL, pagealloc) || strcmp(a, b);
		/* arm64's master has few stable lines: the linear map is large blocks. */
		ksft_result(!differ && lines_a > (arm64 ? 40 : 100),
			    "master read whole and in %zu-byte pieces: %d stable lines%s, %s",
			    piece, lines_a, pagealloc ? " (not the linear map's pte lines: free pages "
			    "are unmapped)" : "", differ ? "different" : "identical");
		if (differ && a && b) {
			size_t at = 0;

			while (a[at] && a[at] == b[at])
				at++;
			while (at && a[at - 1] != '\n')
				at--;
			ksft_info("first difference: '%.90s' vs '%.90s'", a + at, b + at);
		}
		free(a);
		free(b);
	}
	second_read = pt_read(pt_path("master"));
	if (!second_read || !pt_complete(second_read))
		ksft_bail("read master: %s", second_read ? "truncated" : strerror(errno));
	master = strdup(second_read);
	if (!master)
		ksft_bail("out of memory");

	if (kcore_read(mva, kmaster, 4096) || (pti && kcore_read(muva, kuser, 4096)))
		ksft_bail("cannot read the master pgd through /proc/kcore: %s", strerror(errno));
	/*
	 * Where physical addresses are in the kernel's view: x86-64's direct
	 * map starts at 0; arm64's linear map at PHYS_OFFSET, so the master's
	 * own pair fixes the offset and a second view is needed to check its
	 * PA: the kernel image's swapper_pg_dir, when kallsyms names it.
	 */
	lin = arm64 ? mva - mpa : riscv ? kcore_linear_offset(direct) : direct;
	if (riscv) {
		/* swapper_pg_dir by its image address; its pa through the linear map */
		image_pgd = kallsyms("swapper_pg_dir");
		ksft_result(lin && image_pgd == mva && !kcore_read(lin + mpa, bypa, 4096) &&
			    !memcmp(bypa, kmaster, 4096),
			    "master pgd va 0x%llx is swapper_pg_dir in kallsyms (0x%llx), its pa "
			    "0x%llx holds the bytes at that va (linear map: va - 0x%llx)", mva,
			    image_pgd, mpa, lin);
	} else if (arm64) {
		image_pgd = kallsyms("swapper_pg_dir");
		if (image_pgd)
			ksft_result(!kcore_read(image_pgd, bypa, 4096) &&
				    !memcmp(bypa, kmaster, 4096) && ttbr == mpa,
				    "master pgd pa 0x%llx (TTBR1) holds the bytes of swapper_pg_dir "
				    "at its image address 0x%llx", mpa, image_pgd);
		else
			ksft_result(ttbr == mpa && direct && mva >= direct,
				    "master pgd pa 0x%llx is TTBR1's (0x%llx) and its va in the "
				    "linear map (no swapper_pg_dir in kallsyms)", mpa, ttbr);
	} else {
		/* With PTI the user-mode copy is the second half of an 8 KiB pgd. */
		init_top = kallsyms("init_top_pgt");
		ksft_result(direct && !kcore_read(direct + mpa, bypa, 4096) &&
			    !memcmp(bypa, kmaster, 4096) && init_top && mva == init_top &&
			    (!pti || muva == mva + 4096),
			    "master pgd va 0x%llx is init_top_pgt in kallsyms (0x%llx)%s, its pa "
			    "0x%llx holds the bytes at that va", mva, init_top,
			    pti ? ", the user copy 4 KiB above it" : "", mpa);
	}

	/* master: the slot lines of each section against kcore */
	for (pos = 0; (line = pt_next_line(master, &pos));) {
		if (!strncmp(line, "pgd ", 4)) {
			section = !strncmp(line, "pgd kernel", 10) ? 1 : 2;
			continue;
		}
		if (!section || sscanf(line, "slot %d %llx %llx %*s %llx", &slot, &start, &last,
				       &raw) != 4)
			continue;
		if (section == 2) {
			tlines++;
			if (slot < first || slot > lastslot || kuser[slot] != raw) {
				ksft_info("user copy slot %d: master says 0x%llx, kcore 0x%llx",
					  slot, raw, slot <= 511 ? kuser[slot] : 0);
				tbad++;
			}
			continue;
		}
		lines++;
		if (slot < first || slot > lastslot || kmaster[slot] != raw) {
			ksft_info("slot %d: master says 0x%llx, kcore 0x%llx", slot, raw,
				  slot <= 511 ? kmaster[slot] : 0);
			bad++;
		}
	}
	for (i = first; i <= lastslot; i++)
		nonzero += kmaster[i] != 0;
	ksft_result(!bad && lines == nonzero && lines > 0,
		    "master: %d slot lines, %d non-zero slots in kcore, %d differ", lines, nonzero,
		    bad);

	/*
	 * The linear (direct) map maps every page at one offset from its
	 * physical address, the offset the master pgd's own va/pa pair shows:
	 * each range line in it must say so, also for entries that are not
	 * present (DEBUG_PAGEALLOC unmaps free pages there; x86 keeps their
	 * frame inverted, for L1TF), and no frame is aliased there.
	 */
	{
		unsigned long long size, pa;
		int in_lin = 0, rlines = 0, np = 0, wrong = 0;
		char lvl[16], flags[64], rname[64];
		char *text = strdup(second_read);

		if (!text)
			ksft_bail("out of memory");
		for (pos = 0; (line = pt_next_line(text, &pos));) {
			if (sscanf(line, "marker %llx %llx %63s", &start, &last, rname) == 3) {
				in_lin = pt_is_linear(rname);
				continue;
			}
			if (!in_lin || (strncmp(line, "range ", 6) && strncmp(line, "alias ", 6) &&
					strncmp(line, "descend ", 8)))
				continue;
			/* an alias or descend line there is wrong whatever its pa */
			if (sscanf(line, "%*s %llx %llx %llx %15s %63s %llx", &start, &last, &size,
				   lvl, flags, &pa) != 6 || line[0] != 'r' || pa != start - lin) {
				if (wrong++ < 5)
					ksft_info("linear map: '%s': pa should be 0x%llx", line,
						  start - lin);
			}
			rlines++;
			np += pt_has_flag(flags, "NP");
		}
		free(text);
		ksft_result(rlines > 0 && !wrong,
			    "master: %d range lines in the linear map (%d of them not present) "
			    "map va - 0x%llx; %d do not", rlines, np, lin, wrong);
	}

	if (!arm64) {
		/*
		 * The MMU walks every present non-leaf entry as a table (espfix's
		 * read-only NX pud and pmd entries included): a "bad" line whose
		 * table kcore can read as memory is a table the walk skipped.
		 */
		unsigned long long t[512], pages_pa;
		long kc = -1, before, after;
		int badlines = 0, wrong = 0, tries, in_espfix = 0, espfix_lines = 0;
		char *text = strdup(second_read);

		if (!text)
			ksft_bail("out of memory");
		for (pos = 0; (line = pt_next_line(text, &pos));) {
			/* espfix: 4 pud entries -> one pmd table -> one pte table of 32 pages */
			if (!strncmp(line, "marker ", 7))
				in_espfix = !!strstr(line, " espfix");
			else if (in_espfix && strncmp(line, "slot ", 5))
				espfix_lines++;
			if (sscanf(line, "bad %llx %llx %*s %llx", &start, &last, &raw) != 3)
				continue;
			badlines++;
			pages_pa = table_pa(raw);
			if (is_table(raw, 1) && !kcore_read(lin + pages_pa, t, sizeof(t))) {
				ksft_info("bad 0x%llx: raw 0x%llx is a present table at 0x%llx",
					  start, raw, pages_pa);
				wrong++;
			}
		}
		free(text);
		ksft_result(!wrong && espfix_lines <= 2 * (32 + 4),
			    "master: %d bad lines, %d of them tables the MMU walks; espfix in %d "
			    "lines (its one pte table walked once per section)", badlines, wrong,
			    espfix_lines);

		/* Distinct table pages, against the master row (retried: vmalloc moves). */
		for (tries = 0; tries < 3; tries++) {
			before = pt_master_pt_pages();
			if (kcore_read(mva, kmaster, 4096) || (pti && kcore_read(muva, kuser, 4096)))
				ksft_bail("cannot read the master pgd through /proc/kcore");
			kc = count_tables(lin, kmaster, pti ? kuser : NULL, first, lastslot,
					  levels);
			after = pt_master_pt_pages();
			if (kc >= 0 && (before == kc + 1 + pti || after == kc + 1 + pti))
				break;
			ksft_info("try %d: master row pt_pages %ld/%ld, kcore %ld + %d pgd pages",
				  tries + 1, before, after, kc, 1 + pti);
		}
		ksft_result(kc > 0 && (before == kc + 1 + pti || after == kc + 1 + pti),
			    "master row pt_pages %ld = %d pgd pages + %ld distinct table pages "
			    "walked through kcore", after, 1 + pti, kc);
	}

	/* dump of this process against kcore: both raw values of each pgd entry */
	snprintf(sel, sizeof(sel), "pid %d", getpid());
	if (pt_select(sel))
		ksft_bail("select: %s", strerror(errno));
	dump = pt_read(pt_path("dump"));
	if (!dump || !pt_complete(dump))
		ksft_bail("read dump: %s", dump ? "truncated" : strerror(errno));
	bad = 0;
	for (pos = 0; (line = pt_next_line(dump, &pos));) {
		if (sscanf(line, "task %d %*s %*s %23s %23s", &tgid, pa_s, upa_s) == 3) {
			ppa = strtoull(pa_s, NULL, 16);
			upa = strcmp(upa_s, "-") ? strtoull(upa_s, NULL, 16) : 0;
			if (kcore_read(lin + ppa, kself, 4096) ||
			    (upa && kcore_read(lin + upa, kselfu, 4096)))
				ksft_bail("cannot read own pgd at pa 0x%llx", ppa);
			continue;
		}
		if (sscanf(line, "uslot %u %llx %llx %7s %llx", &uidx, &start, &last, kind,
			   &raw) == 5) {
			us_lines++;
			if (uidx >= (unsigned int)ptrs || kself[uidx] != raw) {
				ksft_info("uslot %u: dump 0x%llx, kcore 0x%llx", uidx, raw,
					  uidx < 512 ? kself[uidx] : 0);
				us_bad++;
			}
			continue;
		}
		if (strncmp(line, "entry ", 6) || pt_parse_entry(line, tgid, &e) ||
		    strcmp(e.level, "pgd"))
			continue;
		slot = (e.start >> shift) & (ptrs - 1);
		if (!strcmp(e.which, "kernel")) {
			checked++;
			if (e.mraw != kmaster[slot] || e.praw != kself[slot]) {
				ksft_info("kernel slot %d: dump 0x%llx/0x%llx, kcore 0x%llx/0x%llx",
					  slot, e.praw, e.mraw, kself[slot], kmaster[slot]);
				bad++;
			}
		} else {
			uchecked++;
			if (!pti || e.mraw != kuser[slot] || e.praw != kselfu[slot])
				ubad++;
		}
	}
	ksft_result(ppa && (arm64 || checked > 0) && !bad,
		    "dump: %d kernel-pgd entries match kcore for process and master (%d differ)",
		    checked, bad);
	if (arm64) {
		/* KPTI's trampoline table is the master's alone: no process copies it. */
		for (i = first; pti && i <= lastslot; i++)
			tnonzero += kuser[i] != 0;
		ksft_result(uchecked == 0 && (pti ? tlines > 0 && tlines == tnonzero && !tbad :
					    tlines == 0),
			    "kpti %s: trampoline table: %d slot lines, %d non-zero slots in kcore, "
			    "%d differ; no process entries (%d)", pti ? "on" : "off", tlines,
			    tnonzero, tbad, uchecked);
	} else {
		/* PTI: the master's user-mode copy, slot by slot, and the process's. */
		for (i = first; pti && i <= lastslot; i++)
			tnonzero += kuser[i] != 0;
		ksft_result(pti ? tlines > 0 && tlines == tnonzero && !tbad && uchecked > 0 &&
				  !ubad : tlines == 0 && uchecked == 0,
			    "pti %s: master user copy: %d slot lines, %d non-zero slots in kcore, %d "
			    "differ; dump: %d user-copy entries match kcore (%d differ)",
			    pti ? "on" : "off", tlines, tnonzero, tbad, uchecked, ubad);
	}
	for (i = first, nonzero = 0; i <= lastslot; i++)
		nonzero += kmaster[i] || kself[i];
	if (arm64)
		ksft_result(checked == 0 && nonzero > 0,
			    "arm64: no kernel-half entries in the dump; kcore shows %d non-zero "
			    "master slots", nonzero);
	else
		ksft_result(checked == nonzero,
			    "dump lists every slot present on either side (%d of %d)", checked,
			    nonzero);
	/* The user half: all slots of TTBR0's table on arm64, below first elsewhere. */
	for (i = 0; i < (arm64 ? ptrs : first); i++)
		us_nonzero += kself[i] != 0;
	ksft_result(ppa && us_lines > 0 && us_lines == us_nonzero && !us_bad,
		    "dump: %d uslot lines, %d non-zero user-half slots in kcore, %d differ",
		    us_lines, us_nonzero, us_bad);
	pt_select("all");
	ksft_finish();
}

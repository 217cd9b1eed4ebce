// SPDX-License-Identifier: GPL-2.0
/*
 * riscv64: how the kernel half reaches a process, read through /proc/kcore
 * (the kernel's ELF view of its memory) by the MMU's rules, not through
 * ptshare's walker:
 *
 *   - the mode satp holds (the "mmu" line of /proc/cpuinfo: sv39, sv48,
 *     sv57) is the number of levels the module walks;
 *   - pgd_alloc() copies the kernel half: a sleeping child's pgd holds the
 *     upper 256 slots of swapper_pg_dir (named by kallsyms) byte for byte;
 *   - what those slots are: tables only, in every mode. The linear map takes
 *     a 1 GiB leaf for each aligned GiB of RAM that holds no part of the
 *     kernel image (/proc/iomem says which: the kernel breaks up the first
 *     GiB) or KFENCE's pool (mapped with 4 KiB pages) with Sv48 and Sv57, one level below the top; with Sv39, where a
 *     top-level entry maps 1 GiB, never (best_map_size() takes PUD_SIZE only
 *     when pgtable_l4_enabled): its linear map is 2 MiB leaves, so no
 *     top-level slot is a leaf to copy. The module must call a copied table
 *     SHARED (the same table page) and would call a copied leaf SAME, slot
 *     by slot as kcore shows them;
 *   - every top-level slot of the vmalloc and modules areas is present in the
 *     master (pgtable_cache_init() preallocates them since 6.5): a helper
 *     module loaded while the child sleeps, with a new 32 MiB vmalloc area,
 *     translates through the child's unchanged pgd to the frames the master
 *     maps it to, with no fault and no copy.
 *
 * The child's pgd is found by the physical address the module's dump gives;
 * kcore must then show there a page whose user half holds the child's own
 * entries (the dump's uslot lines) and whose kernel half is the master's.
 */
#include "pt_kcore.h"

#include <sys/syscall.h>

static int levels;
static unsigned long long lin;

/* The frame of entry @e, a leaf @lvl levels above the ptes (Svnapot: the run's first). */
static unsigned long long leaf_base(unsigned long long e, int lvl)
{
	unsigned long long pfn = (e >> 10) & ((1ULL << 44) - 1);

	if (lvl == 0 && (e >> 63))
		pfn &= pfn - 1;
	return pfn << 12;
}

/* 1 GiB leaves below table @pa, whose entries map 2^@shift bytes each. */
static int gib_leaves(unsigned long long pa, int shift)
{
	unsigned long long t[512];
	int i, n = 0;

	if (shift < 30 || kcore_read(lin + pa, t, sizeof(t)))
		return 0;
	for (i = 0; i < 512; i++) {
		if (!(t[i] & 1))
			continue;
		if ((t[i] & 0xe) && shift == 30) {
			ksft_info("1 GiB leaf of the linear map: pa 0x%llx",
				  ((t[i] >> 10) & ((1ULL << 44) - 1)) << 12);
			n++;
		} else if (t[i] & 0xe)
			continue;
		else
			n += gib_leaves(((t[i] >> 10) & ((1ULL << 44) - 1)) << 12, shift - 9);
	}
	return n;
}

/* Translate @va through the top-level table @top by the MMU's rules; 0 on success. */
static int translate(const unsigned long long *top, unsigned long long va,
		     unsigned long long *pa)
{
	unsigned long long e, t[512];
	int lvl, shift;

	memcpy(t, top, sizeof(t));
	for (lvl = levels - 1; lvl >= 0; lvl--) {
		shift = 12 + 9 * lvl;
		e = t[(va >> shift) & 511];
		if (!(e & 1))
			return -1;
		if (e & 0xe) {
			*pa = (leaf_base(e, lvl) & ~((1ULL << shift) - 1)) |
			      (va & ((1ULL << shift) - 1));
			return 0;
		}
		if (lvl == 0 ||
		    kcore_read(lin + (((e >> 10) & ((1ULL << 44) - 1)) << 12), t, sizeof(t)))
			return -1;
	}
	return -1;
}

/*
 * Aligned GiBs of RAM the linear map can map with one leaf: inside one
 * "System RAM" range of /proc/iomem (memory the kernel must not map,
 * OpenSBI's, is not System RAM), overlapping no part of the kernel image
 * ("Kernel code", "Kernel rodata", ...: with STRICT_KERNEL_RWX they are
 * mapped apart, with their own permissions), and not KFENCE's pool (in
 * __kfence_pool, read through kcore). Memory merely reserved
 * (swiotlb, the initrd: "Reserved" children) is mapped as any other.
 */
static int clean_gibs(void)
{
	unsigned long long ram[16][2], busy[64][2], s, e, g, pool, pool_va = 0;
	int nram = 0, nbusy = 0, i, j, n = 0, off;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		ksft_bail("open /proc/iomem: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		off = strspn(line, " ");
		if (sscanf(line + off, "%llx-%llx", &s, &e) != 2)
			continue;
		if (!off && strstr(line, ": System RAM") && nram < 16) {
			ram[nram][0] = s;
			ram[nram++][1] = e;
		} else if (off && strstr(line, ": Kernel") && nbusy < 64) {
			busy[nbusy][0] = s;
			busy[nbusy++][1] = e;
		}
	}
	fclose(f);
	if (!nram || !ram[0][1])
		ksft_bail("no System RAM in /proc/iomem (addresses hidden?)");
	/*
	 * KFENCE maps its pool with 4 KiB pages (arch_kfence_init_pool() splits
	 * the linear map there): the pool's address is in __kfence_pool.
	 */
	pool = kallsyms("__kfence_pool");
	if (pool && !kcore_read(pool, &pool_va, sizeof(pool_va)) && pool_va && nbusy < 64) {
		busy[nbusy][0] = pool_va - lin;
		busy[nbusy++][1] = pool_va - lin;
		ksft_info("KFENCE pool at pa 0x%llx", pool_va - lin);
	}
	for (i = 0; i < nram; i++)
		for (g = (ram[i][0] + (1ULL << 30) - 1) & ~((1ULL << 30) - 1);
		     g + (1ULL << 30) - 1 <= ram[i][1]; g += 1ULL << 30) {
			for (j = 0; j < nbusy; j++)
				if (busy[j][0] < g + (1ULL << 30) && busy[j][1] >= g)
					break;
			n += j == nbusy;
			ksft_info("RAM GiB at 0x%llx: %s", g, j == nbusy ? "clean" :
				  "holds part of the kernel image or the KFENCE pool");

		}
	return n;
}

static unsigned long long sysfs_hex(const char *path)
{
	char buf[64];

	return strtoull(pt_file_line(path, buf, sizeof(buf)), NULL, 16);
}

int main(void)
{
	static unsigned long long kmaster[512], kchild[512], kchild2[512];
	unsigned long long area[3][2] = { { 0 } }, old[64], now[64], mva, direct = 0, cpa = 0, start, last, va, mpa_v, cpa_v, text_va;
	int shift, ptrs, i, leaves = 0, tables = 0, classed = 0, wrong = 0, uslots = 0;
	int gibs, gleaves = 0, nold, nnow, ubad = 0, missing = 0, leaf_areas = 0, area_slots = 0, fd, tgid = 0, r;
	char restrict_s[16], *master, *dump, *line, name[64], pa_s[24], upa_s[24], kind[8];
	const char *ko = getenv("PTSHARE_VMTEST_KO"), *v;
	unsigned int uidx;
	unsigned long long raw;
	struct pt_entry e;
	size_t pos = 0;
	pid_t child;

	if (strcmp(pt_fact_arch(), "riscv64"))
		ksft_skip("not riscv64 (uname)");
	if (!ko)
		ksft_skip("PTSHARE_VMTEST_KO is not set");
	master = pt_read(pt_path("master"));
	if (!master || !pt_complete(master))
		ksft_bail("read master: %s", master ? "truncated" : strerror(errno));
	pt_agree_arch(master);
	if (kcore_open())
		ksft_bail("/proc/kcore is not readable as ELF64: %s", strerror(errno));
	ksft_plan(5);

	/* 1. satp's mode, as the kernel prints it, against the module's geometry */
	levels = pt_fact_riscv_levels();
	v = pt_header(master, "level");
	if (!v || sscanf(v, "pgd %d %d", &shift, &ptrs) != 2)
		ksft_bail("no level pgd header");
	v = pt_header(master, "levels");
	ksft_result(v && atoi(v) == levels && shift == 12 + 9 * (levels - 1) && ptrs == 512,
		    "mmu sv%d (cpuinfo): the module walks %s levels, pgd entries of 2^%d bytes",
		    levels == 3 ? 39 : levels == 4 ? 48 : 57, v ? v : "(none)", shift);

	for (pos = 0; (line = pt_next_line(master, &pos));) {
		if (sscanf(line, "region %llx %llx %63s", &start, &last, name) != 3)
			continue;
		if (pt_is_linear(name)) {
			direct = start;
			area[2][0] = start;
			area[2][1] = last;
		}
		for (r = 0; r < 2; r++)
			if (!strcmp(name, r ? "modules" : "vmalloc")) {
				area[r][0] = start;
				area[r][1] = last;
			}
	}
	mva = kallsyms("swapper_pg_dir");
	lin = kcore_linear_offset(direct);
	if (!mva || !lin || kcore_read(mva, kmaster, sizeof(kmaster)))
		ksft_bail("swapper_pg_dir (kallsyms 0x%llx) not readable through kcore (linear "
			  "offset 0x%llx)", mva, lin);

	/* 2. a child's pgd, as kcore shows it, against the master's */
	child = pt_spawn_sleeper();
	if (child < 0 || pt_wait_asleep(child, 10))
		ksft_bail("sleeping child: %s", strerror(errno));
	dump = pt_dump_of(child);
	for (pos = 0; (line = pt_next_line(dump, &pos));) {
		if (sscanf(line, "task %d %*s %*s %23s %23s", &tgid, pa_s, upa_s) == 3) {
			cpa = strtoull(pa_s, NULL, 16);
			if (kcore_read(lin + cpa, kchild, sizeof(kchild)))
				ksft_bail("cannot read the child's pgd at pa 0x%llx", cpa);
			continue;
		}
		if (sscanf(line, "uslot %u %llx %llx %7s %llx", &uidx, &start, &last, kind,
			   &raw) == 5) {
			uslots++;
			ubad += uidx >= 256 || kchild[uidx] != raw;
			continue;
		}
		if (strncmp(line, "entry ", 6) || pt_parse_entry(line, tgid, &e) ||
		    strcmp(e.level, "pgd") || strcmp(e.which, "kernel"))
			continue;
		/* 3. the class of each copied slot against what kcore says it is */
		i = (e.start >> shift) & 511;
		classed++;
		if (kmaster[i] & 0xe) {
			if (strcmp(e.cls, "SAME"))
				wrong++;
		} else if (strcmp(e.cls, "SHARED")) {
			wrong++;
		}
		if (wrong && wrong <= 3 && strcmp(e.cls, kmaster[i] & 0xe ? "SAME" : "SHARED"))
			ksft_info("slot %d: kcore 0x%llx (%s), module %s", i, kmaster[i],
				  kmaster[i] & 0xe ? "leaf" : "table", e.cls);
	}
	free(dump);
	for (i = 256; i < 512; i++) {
		if (!(kmaster[i] & 1))
			continue;
		if (kmaster[i] & 0xe) {
			leaves++;
		} else {
			tables++;
		}
	}
	ksft_result(cpa && uslots > 0 && !ubad && !memcmp(kchild + 256, kmaster + 256, 256 * 8),
		    "the child's pgd at pa 0x%llx: %d user slots as its dump says them, the 256 "
		    "kernel slots byte for byte swapper_pg_dir's (pgd_alloc() copies)", cpa, uslots);
	gibs = clean_gibs();
	for (i = 256; i < 512; i++)
		if ((kmaster[i] & 1) && !(kmaster[i] & 0xe) &&
		    (~0ULL << (shift + 9) | (unsigned long long)i << shift) >= area[2][0] &&
		    (~0ULL << (shift + 9) | (unsigned long long)i << shift) <= area[2][1])
			gleaves += gib_leaves(((kmaster[i] >> 10) & ((1ULL << 44) - 1)) << 12,
					      shift - 9);
	ksft_result(classed == leaves + tables && !wrong && leaves == 0 &&
		    gleaves == (levels == 3 ? 0 : gibs),
		    "sv%d: %d top-level leaves (SAME) and %d tables (SHARED) in the master's kernel "
		    "half, the module classes the child's %d slots so (%d differ); the linear map "
		    "has %d 1 GiB leaves below the top for the %d GiBs of RAM without the kernel",
		    levels == 3 ? 39 : levels == 4 ? 48 : 57, leaves, tables, classed, wrong, gleaves,
		    gibs);

	/* 4. the vmalloc and modules areas: every top-level slot present in the master */
	for (r = 0; r < 2; r++) {
		if (!area[r][1])
			ksft_bail("no %s region line", r ? "modules" : "vmalloc");
		for (i = (area[r][0] >> shift) & 511; i <= (int)((area[r][1] >> shift) & 511); i++) {
			missing += !(kmaster[i] & 1);
			leaf_areas += !!(kmaster[i] & 0xe);
			area_slots++;
		}
	}
	free(master);

	/* 5. a helper loaded now reaches the sleeping child through its unchanged pgd */
	kptr_unrestrict(restrict_s, sizeof(restrict_s));
	big_areas(32, old, 64, &nold, NULL, 0);
	fd = open(ko, O_RDONLY);
	if (fd < 0 || syscall(SYS_finit_module, fd, "vmalloc_mb=32", 0))
		ksft_bail("load %s: %s", ko, strerror(errno));
	close(fd);
	va = big_areas(32, now, 64, &nnow, old, nold);
	kptr_restore(restrict_s);
	text_va = sysfs_hex("/sys/module/ptshare_vmtest/sections/.text");
	if (kcore_read(lin + cpa, kchild2, sizeof(kchild2)))
		ksft_bail("cannot read the child's pgd again");
	ksft_result(area_slots > 0 && !missing && !leaf_areas,
		    "all %d top-level slots of the vmalloc and modules areas are tables in the "
		    "master before the helper maps anything there (%d absent, %d leaves)",
		    area_slots, missing, leaf_areas);
	{
		int ok = va && text_va && !memcmp(kchild2, kchild, sizeof(kchild));
		int t;

		for (t = 0; ok && t < 2; t++) {
			unsigned long long at = t ? text_va : va + (16ULL << 20);

			ok = !translate(kchild2, at, &cpa_v) && !translate(kmaster, at, &mpa_v) &&
			     cpa_v == mpa_v;
			if (!ok)
				ksft_info("0x%llx (%s) does not translate alike through the child's pgd",
					  at, t ? "helper text" : "helper vmalloc");
		}
		ksft_result(ok, "the helper's vmalloc area (0x%llx) and text (0x%llx) translate "
			    "through the sleeping child's pgd, unchanged since, to the master's "
			    "frames", va, text_va);
	}
	if (syscall(SYS_delete_module, "ptshare_vmtest", O_NONBLOCK))
		ksft_bail("rmmod ptshare_vmtest: %s", strerror(errno));
	pt_reap(child);
	ksft_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * i386: how the kernel half reaches a process, read through /proc/kcore (an
 * ELF32 file on a 32-bit kernel) by the MMU's rules, not through ptshare's
 * walker:
 *
 *   - the master the module names (found through CR3 on init_mm: Debian's
 *     i386 kallsyms has no data symbols) is a kernel page table: walked
 *     through kcore it maps _stext (a text symbol) to _stext - PAGE_OFFSET;
 *   - without PAE, a sleeping child's pgd holds the master's 256 kernel
 *     entries byte for byte; a helper module loaded while it sleeps may need
 *     new top-level entries in the master (4 MiB each, none preallocated;
 *     earlier tests' areas left some), and its pgd still holds the master's
 *     entries, new ones included, before it runs again
 *     (arch_sync_kernel_mappings() walks pgd_list): the helper's new
 *     vmalloc area (/proc/vmallocinfo) translates through it;
 *   - with PAE and no PTI, the child's kernel slot is the master's: the same
 *     pmd table, before and after the helper;
 *   - with PAE and PTI (SHARED_KERNEL_PMD is 0), the child's kernel slot
 *     points to a pmd table of its own, and so does its user-mode copy's;
 *     each holds the master's (or the master user copy's) 512 entries byte
 *     for byte, before the helper and after it, when the master's has new
 *     entries.
 */
#include "pt_kcore.h"

#include <sys/syscall.h>

static int pae;
static unsigned long long page_offset;

/* The table at physical @pa, in lowmem: @n entries of 4 or 8 bytes. */
static void read_table(unsigned long long pa, unsigned long long *t, int n)
{
	unsigned int w[1024];
	int i;

	if (pae) {
		if (kcore_read(page_offset + pa, t, n * 8))
			ksft_bail("kcore: no table at pa 0x%llx: %s", pa, strerror(errno));
		return;
	}
	if (kcore_read(page_offset + pa, w, n * 4))
		ksft_bail("kcore: no table at pa 0x%llx: %s", pa, strerror(errno));
	for (i = 0; i < n; i++)
		t[i] = w[i];
}

#define PAE_PA(e)	((e) & 0x000ffffffffff000ULL)

/* @va through the top level @top by the MMU's rules; 0 on success. */
static int translate(const unsigned long long *top, unsigned long long va,
		     unsigned long long *pa)
{
	static unsigned long long t[1024];
	unsigned long long e;

	if (!pae) {
		e = top[va >> 22];
		if (!(e & 1))
			return -1;
		if (e & 0x80) {
			*pa = (e & 0xffc00000ULL) | (va & 0x3fffff);
			return 0;
		}
		read_table(e & 0xfffff000ULL, t, 1024);
		e = t[(va >> 12) & 1023];
		*pa = (e & 0xfffff000ULL) | (va & 0xfff);
		return (e & 1) ? 0 : -1;
	}
	e = top[va >> 30];
	if (!(e & 1))
		return -1;
	read_table(PAE_PA(e), t, 512);
	e = t[(va >> 21) & 511];
	if (!(e & 1))
		return -1;
	if (e & 0x80) {
		*pa = (PAE_PA(e) & ~0x1fffffULL) | (va & 0x1fffff);
		return 0;
	}
	read_table(PAE_PA(e), t, 512);
	e = t[(va >> 12) & 511];
	*pa = PAE_PA(e) | (va & 0xfff);
	return (e & 1) ? 0 : -1;
}

/* The pgd (and with PTI its user copy, 4 KiB above) at virtual @va. */
static void read_pgd(unsigned long long va, unsigned long long *pgd, unsigned long long *user,
		     int pti)
{
	if (pae) {
		if (kcore_read(va, pgd, 32) || (pti && kcore_read(va + 4096, user, 32)))
			ksft_bail("kcore: no pgd at 0x%llx", va);
		return;
	}
	read_table(va - page_offset, pgd, 1024);
}

static int load_helper(const char *ko)
{
	int fd = open(ko, O_RDONLY), ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "vmalloc_mb=32", 0);
	close(fd);
	return ret;
}

int main(void)
{
	static unsigned long long m[1024], mu[4], c[1024], cu[4], m2[1024], mu2[4], c2[1024];
	static unsigned long long cu2[4], mp[512], cp[512], mup[512], cup[512];
	unsigned long long mva, mpa, cpa = 0, stext, pa = 0, pa2 = 0, last, area, old[64], now[64];
	const char *ko = getenv("PTSHARE_VMTEST_KO"), *arch = pt_fact_arch(), *v;
	char *master, *dump, *line, meltdown[128], pa_s[24], restrict_s[16];
	int pti, i, first, n, newslots = 0, same, same2, nold, nnow;
	size_t pos;
	pid_t child;

	if (strcmp(arch, "x86") && strcmp(arch, "x86-pae"))
		ksft_skip("not i386 (uname)");
	if (!ko)
		ksft_skip("PTSHARE_VMTEST_KO is not set");
	pae = !strcmp(arch, "x86-pae");
	master = pt_read(pt_path("master"));
	if (!master || !pt_complete(master))
		ksft_bail("read master: %s", master ? "truncated" : strerror(errno));
	pt_agree_arch(master);
	pti = pt_fact_x86_pti(meltdown, sizeof(meltdown));
	if (pti < 0)
		ksft_bail("meltdown says '%s': PTI on or off?", meltdown);
	v = pt_header(master, "kernel_half");
	if (!v || sscanf(v, "%llx %llx", &page_offset, &last) != 2)
		ksft_bail("no kernel_half header");
	v = pt_header(master, "master_pgd");
	if (!v || sscanf(v, "%llx %llx", &mva, &mpa) != 2)
		ksft_bail("no master_pgd header");
	free(master);
	if (kcore_open())
		ksft_bail("/proc/kcore is not readable as ELF: %s", strerror(errno));
	ksft_plan(3);

	n = pae ? 4 : 1024;
	first = page_offset >> (pae ? 30 : 22);
	read_pgd(mva, m, mu, pti);
	stext = kallsyms("_stext");
	i = stext && !translate(m, stext, &pa);
	ksft_result(i && mva - page_offset == mpa && pa == stext - page_offset,
		    "the master pgd (va 0x%llx, pa 0x%llx, from CR3) maps _stext 0x%llx to pa 0x%llx "
		    "through kcore", mva, mpa, stext, pa);

	child = pt_spawn_sleeper();
	if (child < 0 || pt_wait_asleep(child, 10))
		ksft_bail("sleeping child: %s", strerror(errno));
	dump = pt_dump_of(child);
	for (pos = 0; (line = pt_next_line(dump, &pos));)
		if (sscanf(line, "task %*d %*s %*s %23s", pa_s) == 1)
			cpa = strtoull(pa_s, NULL, 16);
	free(dump);
	if (!cpa)
		ksft_bail("no task line for the child");
	read_pgd(page_offset + cpa, c, cu, pti);

	if (!pae) {
		same = !memcmp(c + first, m + first, (n - first) * sizeof(m[0]));
		ksft_result(same, "no PAE: the child's pgd (pa 0x%llx) holds the master's %d kernel "
			    "entries byte for byte", cpa, n - first);
	} else if (!pti) {
		ksft_result(c[3] == m[3] && (m[3] & 1),
			    "PAE: the child's kernel slot is the master's, the same pmd table at "
			    "pa 0x%llx", PAE_PA(m[3]));
	} else {
		read_table(PAE_PA(m[3]), mp, 512);
		read_table(PAE_PA(c[3]), cp, 512);
		read_table(PAE_PA(mu[3]), mup, 512);
		read_table(PAE_PA(cu[3]), cup, 512);
		ksft_result(PAE_PA(c[3]) != PAE_PA(m[3]) && PAE_PA(cu[3]) != PAE_PA(mu[3]) &&
			    !memcmp(cp, mp, sizeof(mp)) && !memcmp(cup, mup, sizeof(mup)),
			    "PAE and PTI: the child's kernel pmd table (pa 0x%llx) and its user copy's "
			    "(0x%llx) are its own, each with the master's 512 entries (0x%llx, 0x%llx)",
			    PAE_PA(c[3]), PAE_PA(cu[3]), PAE_PA(m[3]), PAE_PA(mu[3]));
	}

	kptr_unrestrict(restrict_s, sizeof(restrict_s));
	big_areas(32, old, 64, &nold, NULL, 0);
	if (load_helper(ko))
		ksft_bail("load %s: %s", ko, strerror(errno));
	area = big_areas(32, now, 64, &nnow, old, nold);
	kptr_restore(restrict_s);
	read_pgd(mva, m2, mu2, pti);
	read_pgd(page_offset + cpa, c2, cu2, pti);
	if (!pae) {
		for (i = first; i < n; i++)
			newslots += !m[i] && m2[i];
		same2 = !memcmp(c2 + first, m2 + first, (n - first) * sizeof(m[0]));
		ksft_result(same2 && area && !translate(c2, area + (16 << 20), &pa) &&
			    !translate(m2, area + (16 << 20), &pa2) && pa == pa2,
			    "no PAE: after the helper (%d new top-level entries in the master) the "
			    "sleeping child's kernel entries are still the master's, and its new "
			    "vmalloc area (0x%llx) translates through them", newslots, area);
	} else {
		static unsigned long long mp2[512], cp2[512];

		read_table(PAE_PA(m2[3]), mp2, 512);
		read_table(PAE_PA(c2[3]), cp2, 512);
		for (i = 0; i < 512; i++)
			newslots += pti ? mp2[i] != mp[i] : 0;
		if (!pti)
			ksft_result(c2[3] == m2[3] && m2[3] == m[3] && area &&
				    !translate(c2, area + (16 << 20), &pa),
				    "PAE: after the helper the child's kernel slot is still the "
				    "master's (the one shared pmd table took its new entries)");
		else
			ksft_result(c2[3] == c[3] && !memcmp(cp2, mp2, sizeof(mp2)) && area &&
				    !translate(c2, area + (16 << 20), &pa) &&
				    !translate(m2, area + (16 << 20), &pa2) && pa == pa2,
				    "PAE and PTI: after the helper (%d entries of the master's kernel "
				    "pmd table changed) the sleeping child's own copy holds the "
				    "master's entries byte for byte, and the new vmalloc area "
				    "(0x%llx) translates through it", newslots, area);
	}
	if (syscall(SYS_delete_module, "ptshare_vmtest", O_NONBLOCK))
		ksft_bail("rmmod ptshare_vmtest: %s", strerror(errno));
	pt_reap(child);
	ksft_finish();
}

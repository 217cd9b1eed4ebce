/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the kernel's memory through /proc/kcore, its ELF view of itself
 * (not ptshare's walker): an oracle for the selftests that compare what
 * ptshare reports with the bytes of the tables themselves. ELF64, and the
 * ELF32 of 32-bit kernels (i386).
 */
#ifndef PT_KCORE_H
#define PT_KCORE_H

#include "ptshare_test.h"

#include <elf.h>

static int kcore = -1;
static Elf64_Phdr phdrs[512];
static int nphdrs;

/* A 32-bit kernel's kcore is ELF32: its program headers, widened. */
static inline int kcore_open32(void)
{
	static Elf32_Phdr p32[512];
	Elf32_Ehdr eh;
	int i;

	if (pread(kcore, &eh, sizeof(eh), 0) != sizeof(eh))
		return -1;
	nphdrs = eh.e_phnum < 512 ? eh.e_phnum : 512;
	if (pread(kcore, p32, nphdrs * sizeof(Elf32_Phdr), eh.e_phoff) !=
	    (ssize_t)(nphdrs * sizeof(Elf32_Phdr)))
		return -1;
	for (i = 0; i < nphdrs; i++) {
		phdrs[i].p_type = p32[i].p_type;
		phdrs[i].p_offset = p32[i].p_offset;
		phdrs[i].p_vaddr = p32[i].p_vaddr;
		phdrs[i].p_paddr = p32[i].p_paddr == (Elf32_Addr)-1 ? (Elf64_Addr)-1 : p32[i].p_paddr;
		phdrs[i].p_memsz = p32[i].p_memsz;
	}
	return 0;
}

static inline int kcore_open(void)
{
	Elf64_Ehdr eh;

	kcore = open("/proc/kcore", O_RDONLY);
	if (kcore < 0 || pread(kcore, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return -1;
	if (eh.e_ident[EI_CLASS] == ELFCLASS32)
		return kcore_open32();
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return -1;
	nphdrs = eh.e_phnum < 512 ? eh.e_phnum : 512;
	return pread(kcore, phdrs, nphdrs * sizeof(Elf64_Phdr), eh.e_phoff) ==
	       (ssize_t)(nphdrs * sizeof(Elf64_Phdr)) ? 0 : -1;
}

/* Read @len bytes at kernel virtual address @va; 0 on success. */
static inline int kcore_read(unsigned long long va, void *buf, size_t len)
{
	int i;

	for (i = 0; i < nphdrs; i++) {
		Elf64_Phdr *p = &phdrs[i];

		if (p->p_type == PT_LOAD && va >= p->p_vaddr && va + len <= p->p_vaddr + p->p_memsz)
			return pread(kcore, buf, len, p->p_offset + (va - p->p_vaddr)) ==
			       (ssize_t)len ? 0 : -1;
	}
	errno = ENXIO;
	return -1;
}

/*
 * Address of kernel symbol @name from /proc/kallsyms, 0 if not there. With
 * kptr_restrict (2, or 1 without CAP_SYSLOG) every address reads as 0: that
 * bails out rather than pass for "not there".
 */
static inline unsigned long long kallsyms(const char *name)
{
	char line[256], sym[128], type, restrict_s[16];
	unsigned long long addr;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &addr, &type, sym) == 3 && !strcmp(sym, name)) {
			fclose(f);
			if (!addr)
				ksft_bail("/proc/kallsyms hides addresses (kptr_restrict %s)",
					  pt_file_line("/proc/sys/kernel/kptr_restrict", restrict_s,
						       sizeof(restrict_s)));
			return addr;
		}
	fclose(f);
	return 0;
}

/*
 * riscv64: va - pa of the linear map, from the first RAM segment of kcore at
 * or above @direct (KCORE_RAM segments carry their physical address; vmalloc
 * and vmemmap ones carry -1, the kernel text's lies above the linear map).
 */
static inline unsigned long long kcore_linear_offset(unsigned long long direct)
{
	unsigned long long best = 0, off = 0;
	int i;

	for (i = 0; i < nphdrs; i++) {
		Elf64_Phdr *p = &phdrs[i];

		if (p->p_type != PT_LOAD || p->p_paddr == (Elf64_Addr)-1 || p->p_vaddr < direct ||
		    (best && p->p_vaddr >= best))
			continue;
		best = p->p_vaddr;
		off = p->p_vaddr - p->p_paddr;
	}
	return off;
}

/*
 * Vmalloc areas of at least @mb MiB in /proc/vmallocinfo: their starts go
 * to @starts (up to @max); returns the first one not in @old (@nold of
 * them), 0 if none. The helper allocates its area in its init function,
 * whose text is freed once it ran: the area's caller has no name then, so
 * it is told by being new. The file prints addresses with %pK: hashed
 * unless kptr_restrict is 1 (the reader has CAP_SYSLOG): see
 * kptr_unrestrict().
 */
static inline unsigned long long big_areas(unsigned long long mb, unsigned long long *starts, int max,
				    int *n, const unsigned long long *old, int nold)
{
	unsigned long long start, end, found = 0;
	char line[512];
	FILE *f = fopen("/proc/vmallocinfo", "r");
	int i;

	if (!f)
		ksft_bail("open /proc/vmallocinfo: %s", strerror(errno));
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "0x%llx-0x%llx", &start, &end) != 2 || end - start < (mb << 20) ||
		    !strstr(line, " vmalloc"))
			continue;
		if (*n < max)
			starts[(*n)++] = start;
		for (i = 0; i < nold && old[i] != start; i++)
			;
		if (i == nold && !found)
			found = start;
	}
	fclose(f);
	return found;
}

/* kptr_restrict 1 (root sees addresses), its old value kept in @old for kptr_restore(). */
static inline void kptr_unrestrict(char *old, size_t size)
{
	pt_file_line("/proc/sys/kernel/kptr_restrict", old, size);
	if (pt_write("/proc/sys/kernel/kptr_restrict", "1", 1))
		ksft_bail("kptr_restrict: %s", strerror(errno));
}

static inline void kptr_restore(const char *old)
{
	pt_write("/proc/sys/kernel/kptr_restrict", old, strlen(old));
}

#endif /* PT_KCORE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the kernel's memory through /proc/kcore, its ELF view of itself
 * (not ptshare's walker): an oracle for the selftests that compare what
 * ptshare reports with the bytes of the tables themselves. ELF64 only.
 */
#ifndef PT_KCORE_H
#define PT_KCORE_H

#include "ptshare_test.h"

#include <elf.h>

static int kcore = -1;
static Elf64_Phdr phdrs[512];
static int nphdrs;

static inline int kcore_open(void)
{
	Elf64_Ehdr eh;

	kcore = open("/proc/kcore", O_RDONLY);
	if (kcore < 0 || pread(kcore, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64)
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

#endif /* PT_KCORE_H */

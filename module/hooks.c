// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: defaults for the architecture hooks that only some architectures
 * need. An arch/ file that has something to say defines the hook itself;
 * the linker then takes its definition over these weak ones.
 */
#include <linux/compiler.h>
#include <linux/mm_types.h>

#include "ptshare.h"

/* Where each process pgd holds the kernel half, there is no table of its own. */
bool __weak ptshare_arch_kernel_table(phys_addr_t *pa)
{
	return false;
}

/*
 * A present entry that is not a leaf and that Linux's p?d_bad() rejects: the
 * kernel's accessors match the hardware's encoding here (ARM: reserved
 * descriptor types), so it is bad.
 */
bool __weak ptshare_arch_hw_table(enum ptshare_level level, u64 raw)
{
	return false;
}

/* The master's user-mode copy (if any) is found as any process's. */
pgd_t * __weak ptshare_arch_master_user_pgd(pgd_t *pgd)
{
	return ptshare_arch_user_pgd(pgd);
}

/* A function's address is what a call goes to. */
unsigned long __weak ptshare_arch_call_address(unsigned long addr)
{
	return addr;
}

/* A leaf maps its whole range with one set of attributes. */
unsigned int __weak ptshare_arch_leaf_parts(const struct ptshare_entry *e,
					    struct ptshare_entry parts[2])
{
	return 0;
}

/* No load reads an entry wider than a word at once: compare two reads. */
bool __weak ptshare_arch_read_wide(const void *src, void *dst)
{
	return false;
}

/* Nothing to learn from kallsyms beyond the master. */
void __weak ptshare_arch_symbols(ptshare_lookup_fn lookup)
{
}

/* The geometry the kernel was built with is the one in use. */
void __weak ptshare_arch_levels(struct ptshare_level_info *levels)
{
}

/* No lock beyond the mmap lock protects what the walker reads of an mm. */
void __weak ptshare_arch_lock_mm(struct mm_struct *mm)
{
}

void __weak ptshare_arch_unlock_mm(struct mm_struct *mm)
{
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for the leaf_pa selftest, never loaded outside a test guest:
 * what the kernel's own page-table accessors say a kernel address maps. The
 * test writes an address to /sys/module/ptshare_leafpa/parameters/va and
 * reads .../result: "VA LEVEL PA P" for a present leaf (PA: that of the byte
 * at VA), "VA LEVEL PA NP" for a leaf that is not present but names a frame,
 * or "VA none"; then " T" where the kernel unmaps and maps the page on its
 * own as it is freed and allocated (the linear map with DEBUG_PAGEALLOC in
 * effect, the KFENCE pool), " -" elsewhere.
 *
 * The walk is the kernel's, not ptshare's: init_mm (found through a kprobe's
 * symbol lookup, as ptshare_tear does, so kallsyms must list it), then
 * pgd_offset(), p4d_offset(), pud_offset(), pmd_offset() and
 * pte_offset_kernel() with p?d_leaf() and p?d_pfn(), under init_mm's mmap
 * lock taken for write, as the kernel's ptdump takes it. riscv64's
 * p4d_offset() and pud_offset() are functions the kernel does not export:
 * they are called at the addresses kallsyms gives them (a kprobe's lookup).
 */
#include <linux/kfence.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>

static struct mm_struct *leafpa_mm;

#ifdef CONFIG_RISCV
static p4d_t *(*leafpa_p4d_offset)(pgd_t *pgd, unsigned long address);
static pud_t *(*leafpa_pud_offset)(p4d_t *p4d, unsigned long address);
#undef p4d_offset
#undef pud_offset
#define p4d_offset(pgd, address)	leafpa_p4d_offset(pgd, address)
#define pud_offset(p4d, address)	leafpa_pud_offset(p4d, address)

/* The address of kernel function @name, as a kprobe's lookup gives it. */
static void *leafpa_function(const char *name)
{
	struct kprobe kp = { .symbol_name = name, .flags = KPROBE_FLAG_DISABLED };

	/* Refused on the ftrace patch site (no KPROBES_ON_FTRACE), but looked up. */
	if (!register_kprobe(&kp))
		unregister_kprobe(&kp);
	return kp.addr;
}
#endif
static unsigned long va;
static char result[80];
module_param_string(result, result, sizeof(result), 0444);

static void leafpa_set(const char *level, u64 frame, unsigned long size, bool present)
{
	snprintf(result, sizeof(result), "0x%lx %s 0x%llx %s", va, level,
		 (unsigned long long)(frame + (va & (size - 1))), present ? "P" : "NP");
}

static void leafpa_lookup(void)
{
	pgd_t *pgdp = pgd_offset(leafpa_mm, va);
	p4d_t *p4dp;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;

	snprintf(result, sizeof(result), "0x%lx none", va);
	if (pgd_none(*pgdp))
		return;
	p4dp = p4d_offset(pgdp, va);
	if (p4d_none(*p4dp))
		return;
	pudp = pud_offset(p4dp, va);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		return;
#ifdef CONFIG_64BIT
	/* (32-bit ARM has no pud leaves, and 6.1 no pud_pfn() there) */
	if (pud_leaf(pud)) {
		leafpa_set("pud", (u64)pud_pfn(pud) << PAGE_SHIFT, PUD_SIZE, pud_present(pud));
		return;
	}
#endif
	pmdp = pmd_offset(pudp, va);
	pmd = READ_ONCE(*pmdp);
	if (pmd_none(pmd))
		return;
	if (pmd_leaf(pmd)) {
#if defined(CONFIG_ARM) && !defined(CONFIG_ARM_LPAE)
		/* A pgd entry is a pair of 1 MiB sections; pmd_offset() gives the first. */
		if (va & SECTION_SIZE)
			pmd = READ_ONCE(pmdp[1]);
		leafpa_set("pgd", pmd_val(pmd) & SECTION_MASK, SECTION_SIZE, true);
#else
		leafpa_set("pmd", (u64)pmd_pfn(pmd) << PAGE_SHIFT, PMD_SIZE, pmd_present(pmd));
#endif
		return;
	}
	ptep = pte_offset_kernel(pmdp, va);
	pte = READ_ONCE(*ptep);
	if (pte_none(pte))
		return;
	leafpa_set("pte", (u64)pte_pfn(pte) << PAGE_SHIFT, PAGE_SIZE, pte_present(pte));
}

/* Does the kernel map and unmap the page at va as it is allocated and freed? */
static bool leafpa_toggles(void)
{
	if (is_kfence_address((void *)va))
		return true;
	return debug_pagealloc_enabled() && virt_addr_valid((void *)va);
}

static int leafpa_set_va(const char *val, const struct kernel_param *kp)
{
	int ret = kstrtoul(val, 0, &va);

	if (ret)
		return ret;
	if (mmap_write_lock_killable(leafpa_mm))
		return -EINTR;
	leafpa_lookup();
	mmap_write_unlock(leafpa_mm);
	strlcat(result, leafpa_toggles() ? " T" : " -", sizeof(result));
	return 0;
}

static const struct kernel_param_ops leafpa_va_ops = {
	.set = leafpa_set_va,
	.get = param_get_ulong,
};
module_param_cb(va, &leafpa_va_ops, &va, 0644);

static int __init leafpa_init(void)
{
	struct kprobe kp = { .symbol_name = "init_mm", .flags = KPROBE_FLAG_DISABLED };

	/* A kprobe on data is refused, after the lookup filled in its address. */
	if (!register_kprobe(&kp)) {
		unregister_kprobe(&kp);
		return -ENOENT;
	}
	if (!kp.addr)
		return -ENOENT;
	leafpa_mm = (struct mm_struct *)kp.addr;
#ifdef CONFIG_RISCV
	leafpa_p4d_offset = leafpa_function("p4d_offset");
	leafpa_pud_offset = leafpa_function("pud_offset");
	if (!leafpa_p4d_offset || !leafpa_pud_offset)
		return -ENOENT;
#endif
	return 0;
}

static void __exit leafpa_exit(void)
{
}

module_init(leafpa_init);
module_exit(leafpa_exit);
MODULE_DESCRIPTION("ptshare selftest helper: what a kernel address maps, by the kernel's accessors");
MODULE_LICENSE("GPL");

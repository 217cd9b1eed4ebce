// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for the tear_read selftest, never loaded outside a test guest
 * (32-bit ARM LPAE): a kernel thread rewrites the
 * LPAE descriptor of one vmalloc page, with single 64-bit stores (strexd), in
 * a loop: A (its own page, XN) and B (another page, executable). A and B
 * differ in both 32-bit halves, so a reader that loads the descriptor as
 * two words can see a value that was never stored: A's low word (page A)
 * with B's high word (no XN), or the reverse. The page is never accessed
 * while B is in place; A is restored, and the TLB flushed, before it is freed.
 * va, pa_a and pa_b are read-only parameters for the test. The descriptor
 * is found through the loading process's own pgd: LPAE's pgd_alloc() copies
 * the kernel's top-level entries, which point to the tables init_mm uses
 * (no kallsyms lookup of init_mm, which Debian's armmp kernels lack).
 */
#include <linux/atomic.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>

static unsigned long va;
module_param(va, ulong, 0444);
static unsigned long long pa_a, pa_b, stores;
module_param(pa_a, ullong, 0444);
module_param(pa_b, ullong, 0444);
module_param(stores, ullong, 0444);

#ifdef CONFIG_ARM_LPAE
static void *ptshare_tear_area;
static struct page *ptshare_tear_page;
static pte_t *ptshare_tear_ptep;
static u64 ptshare_tear_a, ptshare_tear_b;
static struct task_struct *ptshare_tear_thread;

/*
 * One single-copy-atomic 64-bit store. Not STRD: LPAE hardware makes it
 * atomic, but QEMU 7.2's TCG makes it two 32-bit stores, and memory then
 * holds B's low word with A's high word for a moment (seen: "torn" lines
 * with the fixed module). LDREXD/STREXD are one 64-bit access there too.
 */
static void ptshare_tear_store(u64 v)
{
	atomic64_xchg((atomic64_t *)ptshare_tear_ptep, v);
}

static int ptshare_tear_fn(void *unused)
{
	unsigned long n = 0;

	while (!kthread_should_stop()) {
		ptshare_tear_store(ptshare_tear_b);
		ptshare_tear_store(ptshare_tear_a);
		if (!(++n & 0xffff)) {
			WRITE_ONCE(stores, stores + 0x20000);
			cond_resched();
		}
	}
	return 0;
}

static int __init ptshare_tear_init(void)
{
	struct mm_struct *mm = current->mm;
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;

	if (!mm)
		return -ENOENT;
	ptshare_tear_area = vmalloc(PAGE_SIZE);
	ptshare_tear_page = alloc_page(GFP_KERNEL);
	if (!ptshare_tear_area || !ptshare_tear_page)
		goto nomem;
	va = (unsigned long)ptshare_tear_area;
	pgd = pgd_offset(mm, va);
	pud = pud_offset(p4d_offset(pgd, va), va);
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd) || pmd_bad(*pmd))
		goto nomem;
	ptshare_tear_ptep = pte_offset_kernel(pmd, va);
	ptshare_tear_a = pte_val(*ptshare_tear_ptep);
	ptshare_tear_b = pte_val(pfn_pte(page_to_pfn(ptshare_tear_page), PAGE_KERNEL_EXEC));
	pa_a = ptshare_tear_a & PHYS_MASK & PAGE_MASK;
	pa_b = page_to_phys(ptshare_tear_page);
	if ((u32)ptshare_tear_a == (u32)ptshare_tear_b ||
	    (ptshare_tear_a >> 32) == (ptshare_tear_b >> 32))
		goto nomem;
	ptshare_tear_thread = kthread_run(ptshare_tear_fn, NULL, "ptshare_tear");
	if (IS_ERR(ptshare_tear_thread))
		goto nomem;
	return 0;
nomem:
	vfree(ptshare_tear_area);
	if (ptshare_tear_page)
		__free_page(ptshare_tear_page);
	return -ENOMEM;
}

/*
 * A back, then vfree(); vm_unmap_aliases() (exported, unlike
 * flush_tlb_kernel_range() on ARM) purges the lazily freed area with a TLB
 * flush, so no stale entry for B is left when B's page is freed.
 */
static void __exit ptshare_tear_exit(void)
{
	kthread_stop(ptshare_tear_thread);
	ptshare_tear_store(ptshare_tear_a);
	vfree(ptshare_tear_area);
	vm_unmap_aliases();
	__free_page(ptshare_tear_page);
}
#else
static int __init ptshare_tear_init(void)
{
	return -EOPNOTSUPP;
}

static void __exit ptshare_tear_exit(void)
{
}
#endif

module_init(ptshare_tear_init);
module_exit(ptshare_tear_exit);
MODULE_DESCRIPTION("ptshare selftest helper: an LPAE descriptor rewritten with 64-bit stores");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: what is particular to 32-bit ARM, classic (2-level) and LPAE.
 *
 * Classic: the pgd is 2048 pgd_t, each a pair of 1 MiB hardware words (a
 * section, a pointer to a 256-entry hardware table, or a fault). The pud and
 * pmd levels are folded into it and pgd_none() is constant 0, so a pair is
 * judged here, both halves at once: its raw value shows both words (the
 * second in bits 32-63). A table pair points into one 4 KiB page that holds
 * two hardware tables and their two Linux shadow tables; the walk reads the
 * Linux ptes (pte_offset_kernel()), the kernel's own view of those entries.
 *
 * LPAE: 4 top-level entries of 1 GiB, pmd tables of 2 MiB entries, ptes.
 * pgd_alloc() copies the top-level entries from USER_PTRS_PER_PGD
 * (PAGE_OFFSET / 1 GiB) up and gives each process a private pmd table for the
 * GiB that holds TASK_SIZE, so the modules and pkmap entries a process sees
 * are its own, filled in lazily by do_translation_fault(). Swapper's
 * top-level entries carry L_PGD_SWAPPER (bit 55), which marks ownership, not
 * a mapping difference: it is shown but not compared.
 *
 * On both, pgd_alloc() copies from TASK_SIZE (MODULES_VADDR) up, so the
 * kernel half begins at TASK_SIZE (0xbf000000 on Debian), inside the pmd
 * table of the third GiB with LPAE.
 *
 * The master is found without kallsyms data symbols (Debian's armhf kernels
 * have KALLSYMS_ALL off): TTBR1 holds swapper_pg_dir's physical address
 * (classic: directly; LPAE with the 3G split: that of the pmd table of the
 * top GiB, 4 pages after it). When kallsyms works, _text gives a second
 * means: swapper_pg_dir sits PG_DIR_SIZE below it (arch/arm/kernel/head.S).
 */
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <asm/fixmap.h>
#include <asm/memory.h>
#include <asm/pgtable.h>

#include "../ptshare.h"

#ifdef CONFIG_ARM_LPAE
#define PTSHARE_ARM_PG_DIR_SIZE	0x5000		/* head.S: pgd + 4 pmd tables */
#if defined(CONFIG_VMSPLIT_3G)
#define PTSHARE_ARM_TTBR1_OFFSET	(4096 * (1 + 3))	/* proc-v7-3level.S */
#elif defined(CONFIG_VMSPLIT_2G)
#define PTSHARE_ARM_TTBR1_OFFSET	16
#else
#define PTSHARE_ARM_TTBR1_OFFSET	0
#endif
#else
#define PTSHARE_ARM_PG_DIR_SIZE	0x4000		/* head.S: 16 KiB first-level table */
#define PTSHARE_ARM_TTBR1_OFFSET	0
#endif

#define PTSHARE_ARM_MAX_REGIONS	9

static struct ptshare_region ptshare_arm_regions[PTSHARE_ARM_MAX_REGIONS];
static unsigned int ptshare_arm_nr_regions;

static void ptshare_arm_add(unsigned long start, unsigned long last, const char *name)
{
	if (WARN_ON_ONCE(ptshare_arm_nr_regions >= PTSHARE_ARM_MAX_REGIONS))
		return;
	ptshare_arm_regions[ptshare_arm_nr_regions++] = (struct ptshare_region){
		.start = start, .last = last, .name = name,
	};
}

int ptshare_arch_init(void)
{
	ptshare_arm_nr_regions = 0;
#ifdef CONFIG_KASAN
	/* From TASK_SIZE up to the modules: in the kernel half, filled lazily. */
	ptshare_arm_add(KASAN_SHADOW_START, KASAN_SHADOW_END - 1, "kasan-shadow");
#endif
	ptshare_arm_add(MODULES_VADDR, MODULES_END - 1, "modules");
#ifdef CONFIG_HIGHMEM
	ptshare_arm_add(PKMAP_BASE, PAGE_OFFSET - 1, "pkmap");
#endif
	ptshare_arm_add(PAGE_OFFSET, (unsigned long)high_memory - 1, "lowmem");
	ptshare_arm_add(VMALLOC_START, VMALLOC_END - 1, "vmalloc");
	ptshare_arm_add(PCI_IO_VIRT_BASE, PCI_IO_VIRT_BASE + SZ_2M - 1, "pci-io");
	ptshare_arm_add(FIXADDR_START, FIXADDR_END - 1, "fixmap");
	ptshare_arm_add(0xffff0000UL, 0xffffffffUL, "vectors");
	return 0;
}

const char *ptshare_arch_name(void)
{
	return IS_ENABLED(CONFIG_ARM_LPAE) ? "arm-lpae" : "arm";
}

unsigned long ptshare_arch_kernel_start(void)
{
	return TASK_SIZE;
}

const struct ptshare_region *ptshare_arch_regions(unsigned int *nr)
{
	*nr = ptshare_arm_nr_regions;
	return ptshare_arm_regions;
}

pgd_t *ptshare_arch_user_pgd(pgd_t *pgd)
{
	return NULL;
}

/* Classic: a 16 KiB pgd. LPAE: a 32-byte kmalloc, counted as one page. */
unsigned int ptshare_arch_pgd_pages(void)
{
	return IS_ENABLED(CONFIG_ARM_LPAE) ? 1 : 4;
}

void ptshare_arch_show_isolation(struct seq_file *m)
{
	seq_puts(m, "isolation none off\n");
}

/* No IBT, no sealing on 32-bit ARM. */
bool ptshare_arch_callable(unsigned long addr)
{
	return true;
}

/*
 * A Thumb-2 kernel's functions must be called with bit 0 set: kallsyms (and
 * a kprobe's address) gives the bare address, and a call to it runs the
 * Thumb code in ARM state (an "Unhandled prefetch abort" at insmod, seen on
 * a Thumb-2 6.12 debug build). Debian builds armmp in ARM mode.
 */
static unsigned long arm_call_address(unsigned long addr)
{
	return IS_ENABLED(CONFIG_THUMB2_KERNEL) ? addr | 1 : addr;
}

#ifdef CONFIG_ARM_LPAE

int ptshare_arch_judge_top(struct ptshare_entry *e, const pgd_t *val)
{
	return -ENOENT;
}

/* Access flag and dirty are set by software as the kernel goes; not compared. */
u64 ptshare_arch_compare_mask(enum ptshare_level level)
{
	if (level == PTSHARE_PGD)
		return ~(u64)L_PGD_SWAPPER;
	return ~(u64)(L_PTE_YOUNG | L_PTE_DIRTY);
}

phys_addr_t ptshare_arch_leaf_pa(enum ptshare_level level, u64 raw)
{
	if (level == PTSHARE_PMD)
		return raw & PHYS_MASK & ~(u64)(PMD_SIZE - 1);
	return raw & PHYS_MASK & ~(u64)(PAGE_SIZE - 1);
}

phys_addr_t ptshare_arch_table_pa(enum ptshare_level level, u64 raw)
{
	return raw & PHYS_MASK & ~(u64)(PAGE_SIZE - 1);
}

bool ptshare_arch_leaf_mapped(enum ptshare_level level, u64 raw)
{
	return raw & L_PTE_VALID;
}

u64 ptshare_arch_flags(enum ptshare_level level, u64 raw)
{
	return raw & ~(PHYS_MASK & ~(u64)(PAGE_SIZE - 1)) & ptshare_arch_compare_mask(level);
}

static const struct ptshare_flag_name ptshare_lpae_table_flags[] = {
	{ L_PGD_SWAPPER,	"SWP",	NULL },
};

static const struct ptshare_flag_name ptshare_lpae_leaf_flags[] = {
	{ L_PTE_VALID,		NULL,	"NP" },
	{ L_PTE_RDONLY,		"ro",	"RW" },
	{ L_PTE_USER,		"USR",	NULL },
	{ L_PTE_XN,		"XN",	"x" },
	{ PMD_SECT_PXN,		"PXN",	NULL },
	{ PTE_EXT_NG,		"nG",	NULL },
	{ L_PTE_SHARED,		"S",	NULL },
};

void ptshare_arch_show_flags(struct seq_file *m, enum ptshare_level level, u64 raw,
			     bool leaf)
{
	const char *sep = "";

	if (leaf)
		ptshare_show_flag_names(m, ptshare_lpae_leaf_flags,
					ARRAY_SIZE(ptshare_lpae_leaf_flags), raw, &sep);
	else
		ptshare_show_flag_names(m, ptshare_lpae_table_flags,
					ARRAY_SIZE(ptshare_lpae_table_flags), raw, &sep);
	if (!*sep)
		seq_putc(m, '-');
}

static phys_addr_t ptshare_arm_ttbr1(void)
{
	u64 ttbr1;

	asm volatile("mrrc p15, 1, %Q0, %R0, c2" : "=r" (ttbr1));
	return ttbr1 & PHYS_MASK & ~(u64)0xfff;
}

/*
 * An LPAE descriptor in one single-copy-atomic load, as the kernel's own
 * atomic64_read() makes it on cores without LPAE: LDREXD. (LDRD is atomic
 * on LPAE hardware, but QEMU 7.2's TCG splits it in two 32-bit loads; two
 * reads that agree can both be torn the same way: seen, 1 in 13.) The
 * caller has just read @src with copy_from_kernel_nofault(), under the locks
 * that keep its table.
 */
static bool arm_read_wide(const void *src, void *dst)
{
	u64 v;

	asm volatile("ldrexd	%0, %H0, [%1]\n\tclrex"
		     : "=&r" (v) : "r" (src) : "memory");
	memcpy(dst, &v, sizeof(v));
	return true;
}

#else /* classic */

static u32 ptshare_arm_half(u64 raw, int i)
{
	return i ? raw >> 32 : (u32)raw;
}

int ptshare_arch_judge_top(struct ptshare_entry *e, const pgd_t *val)
{
	const pmdval_t *half = (const pmdval_t *)val;
	u32 t0 = half[0] & PMD_TYPE_MASK, t1 = half[1] & PMD_TYPE_MASK;
	pmd_t table;

	e->raw = (u64)half[1] << 32 | half[0];
	if (!half[0] && !half[1])
		return 0;
	e->present = true;
	if (t0 == PMD_TYPE_TABLE || t1 == PMD_TYPE_TABLE) {
		if (t0 == PMD_TYPE_SECT || t1 == PMD_TYPE_SECT) {
			e->bad = true;
			return 0;
		}
		table = __pmd(t0 == PMD_TYPE_TABLE ? half[0] : half[1]);
		e->next_level = PTSHARE_PTE;
		e->next = pte_offset_kernel(&table, e->start);
		e->pa = pmd_val(table) & PAGE_MASK;
		return 0;
	}
	if (t0 == PMD_TYPE_SECT || t1 == PMD_TYPE_SECT) {
		e->leaf = true;
		e->pa = t0 == PMD_TYPE_SECT ? half[0] & SECTION_MASK :
			(half[1] & SECTION_MASK) - SECTION_SIZE;
		return 0;
	}
	e->bad = true;
	return 0;
}

/* The Linux pte's young and dirty bits change as the kernel goes. */
u64 ptshare_arch_compare_mask(enum ptshare_level level)
{
	if (level == PTSHARE_PTE)
		return ~(u64)(L_PTE_YOUNG | L_PTE_DIRTY);
	return ~(u64)0;
}

phys_addr_t ptshare_arch_leaf_pa(enum ptshare_level level, u64 raw)
{
	return raw & PAGE_MASK;
}

/* Tables below a pair are judged in ptshare_arch_judge_top(); none other exist. */
phys_addr_t ptshare_arch_table_pa(enum ptshare_level level, u64 raw)
{
	return raw & PAGE_MASK;
}

bool ptshare_arch_leaf_mapped(enum ptshare_level level, u64 raw)
{
	return level == PTSHARE_PGD || (raw & L_PTE_PRESENT);
}

/* Flags of one hardware word: all but its address bits. */
static u32 ptshare_arm_word_flags(u32 word)
{
	switch (word & PMD_TYPE_MASK) {
	case PMD_TYPE_SECT:
		return word & ~SECTION_MASK;
	case PMD_TYPE_TABLE:
		return word & 0x3ff;
	default:
		return word;
	}
}

u64 ptshare_arch_flags(enum ptshare_level level, u64 raw)
{
	if (level == PTSHARE_PGD)
		return (u64)ptshare_arm_word_flags(ptshare_arm_half(raw, 1)) << 32 |
		       ptshare_arm_word_flags(ptshare_arm_half(raw, 0));
	return raw & ~(u64)PAGE_MASK & ptshare_arch_compare_mask(level);
}

/*
 * A pair of two sections whose attributes differ (the kernel's text begins
 * 1 MiB into a pair: RW,XN data below it, ro,x text above) is two leaves to
 * the MMU: the master lists each half on its own, with its own word.
 */
static unsigned int arm_leaf_parts(const struct ptshare_entry *e,
				   struct ptshare_entry parts[2])
{
	u32 w0 = ptshare_arm_half(e->raw, 0), w1 = ptshare_arm_half(e->raw, 1);

	if (e->level != PTSHARE_PGD || !e->leaf ||
	    (w0 & PMD_TYPE_MASK) != PMD_TYPE_SECT || (w1 & PMD_TYPE_MASK) != PMD_TYPE_SECT ||
	    ptshare_arm_word_flags(w0) == ptshare_arm_word_flags(w1))
		return 0;
	parts[0] = *e;
	parts[0].last = e->start + SECTION_SIZE - 1;
	parts[0].raw = w0;
	parts[0].pa = w0 & SECTION_MASK;
	parts[1] = *e;
	parts[1].start = e->start + SECTION_SIZE;
	parts[1].raw = (u64)w1 << 32;
	parts[1].pa = w1 & SECTION_MASK;
	return 2;
}

static const struct ptshare_flag_name ptshare_arm_sect_flags[] = {
	{ PMD_SECT_APX,		"ro",	"RW" },
	{ PMD_SECT_AP_READ,	"USR",	NULL },
	{ PMD_SECT_XN,		"XN",	"x" },
	{ PMD_SECT_nG,		"nG",	NULL },
	{ PMD_SECT_S,		"S",	NULL },
};

static const struct ptshare_flag_name ptshare_arm_pte_flags[] = {
	{ L_PTE_PRESENT,	NULL,	"NP" },
	{ L_PTE_RDONLY,		"ro",	"RW" },
	{ L_PTE_USER,		"USR",	NULL },
	{ L_PTE_XN,		"XN",	"x" },
	{ L_PTE_SHARED,		"S",	NULL },
};

void ptshare_arch_show_flags(struct seq_file *m, enum ptshare_level level, u64 raw,
			     bool leaf)
{
	static const char kind[] = "-TS?";
	const char *sep = ",";
	u32 w0, w1, w;

	if (level != PTSHARE_PGD) {
		sep = "";
		ptshare_show_flag_names(m, ptshare_arm_pte_flags,
					ARRAY_SIZE(ptshare_arm_pte_flags), raw, &sep);
		if (!*sep)
			seq_putc(m, '-');
		return;
	}
	/* A pair: the kind of each 1 MiB half (- fault, T table, S section), then flags. */
	w0 = ptshare_arm_half(raw, 0);
	w1 = ptshare_arm_half(raw, 1);
	seq_putc(m, kind[w0 & 3]);
	seq_putc(m, kind[w1 & 3]);
	w = (w0 & 3) ? w0 : w1;
	if ((w & PMD_TYPE_MASK) == PMD_TYPE_SECT)
		ptshare_show_flag_names(m, ptshare_arm_sect_flags,
					ARRAY_SIZE(ptshare_arm_sect_flags), w, &sep);
	else if ((w & PMD_TYPE_MASK) == PMD_TYPE_TABLE)
		seq_put_decimal_ull(m, ",dom", (w >> 5) & 0xf);
}

static phys_addr_t ptshare_arm_ttbr1(void)
{
	u32 ttbr1;

	asm volatile("mrc p15, 0, %0, c2, c0, 1" : "=r" (ttbr1));
	return ttbr1 & ~(u32)0x3fff;
}

#endif /* CONFIG_ARM_LPAE */

/*
 * Where TTBR1 says swapper_pg_dir is: with LPAE and the 3G split, TTBR1 has
 * pointed at the top GiB's pmd table, PTSHARE_ARM_TTBR1_OFFSET after the
 * pgd (6.1), or at the pgd itself (seen on Debian's 6.12). Both are offered;
 * only one passes the translation checks.
 */
static int ptshare_arm_ttbr1_pgds(pgd_t **cand, int max)
{
	phys_addr_t pa = ptshare_arm_ttbr1();
	int n = 0;

	if (PTSHARE_ARM_TTBR1_OFFSET && pa >= PTSHARE_ARM_TTBR1_OFFSET && n < max)
		cand[n++] = phys_to_virt(pa - PTSHARE_ARM_TTBR1_OFFSET);
	if (n < max)
		cand[n++] = phys_to_virt(pa);
	return n;
}

int ptshare_arch_master_candidates(ptshare_lookup_fn lookup, pgd_t **cand, int max,
				   const char **source)
{
	*source = "ttbr1";
	return ptshare_arm_ttbr1_pgds(cand, max);
}

const char *ptshare_arch_check_master(pgd_t *pgd, ptshare_lookup_fn lookup)
{
	pgd_t *cand[2];
	unsigned long text;
	int i, n;

	n = ptshare_arm_ttbr1_pgds(cand, ARRAY_SIZE(cand));
	for (i = 0; i < n && cand[i] != pgd; i++)
		;
	if (i == n)
		return "not the table TTBR1 points to";
	text = lookup ? lookup("_text") : 0;
	if (text && (unsigned long)pgd != text - PTSHARE_ARM_PG_DIR_SIZE)
		return "not PG_DIR_SIZE below _text";
	return NULL;
}

p4d_t *ptshare_arch_p4d_offset(pgd_t *pgd, unsigned long va)
{
	return p4d_offset(pgd, va);
}

pud_t *ptshare_arch_pud_offset(p4d_t *p4d, unsigned long va)
{
	return pud_offset(p4d, va);
}

/* What only some architectures need (ptshare.h): NULL takes the default. */
const struct ptshare_arch_ops ptshare_arch_ops = {
	.call_address = arm_call_address,
#ifdef CONFIG_ARM_LPAE
	.read_wide = arm_read_wide,
#else
	.leaf_parts = arm_leaf_parts,
#endif
};

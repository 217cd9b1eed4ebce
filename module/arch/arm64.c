// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: what is particular to arm64.
 *
 * arm64 splits the address space between two tables: TTBR0_EL1 holds the
 * process's pgd (mm->pgd), which maps user space only, and TTBR1_EL1 holds
 * swapper_pg_dir, which maps the whole kernel half for every process. There
 * is no kernel-half entry in a process table to compare: the kernel half is
 * shared by a hardware register. ptshare_kernel_separate says so to the rest
 * of the module; the master is the table TTBR1_EL1 points to, and its slots
 * are counted from the start of the TTBR1 range, -(1 << vabits_actual).
 *
 * With KPTI (UNMAP_KERNEL_AT_EL0 in use) TTBR1 is switched, on the way to
 * user space, to tramp_pg_dir, which maps only the trampoline vectors at
 * TRAMP_VALIAS. It is reported as the master's user-mode table, as PTI's
 * user copy is on x86-64.
 *
 * Geometry: Debian's 6.1 kernel has 48-bit VAs and 4 levels. 6.12 and later
 * are built for 52-bit VAs with LPA2 and 5 levels; on a CPU without LPA2
 * the kernel folds the top level at boot and the page that holds the pgd
 * becomes a 512-entry level-0 table. arm64_levels() describes the
 * geometry in use, and top-level entries are judged here (the generic
 * pgd/p4d helpers of a folded level would follow a pointer into our local
 * copy of the entry).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <asm/fixmap.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>

#include "../ptshare.h"
#include "../compat.h"

#ifndef CONFIG_ARM64_4K_PAGES
#error "ptshare supports arm64 kernels with 4 KiB pages only"
#endif

#define PTSHARE_ARM64_MAX_REGIONS	8
/* Descriptor bit 1 above the last level: table (set) or block (clear). */
#define PTSHARE_ARM64_DESC_TABLE	BIT_ULL(1)

static struct ptshare_region ptshare_arm64_regions[PTSHARE_ARM64_MAX_REGIONS];
static unsigned int ptshare_arm64_nr_regions;

/* By start; of two with one start, the enclosing (larger) one first. */
static int ptshare_arm64_region_cmp(const void *a, const void *b)
{
	const struct ptshare_region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->last != y->last)
		return x->last > y->last ? -1 : 1;
	return 0;
}

static void ptshare_arm64_add(unsigned long start, unsigned long end, const char *name)
{
	if (WARN_ON_ONCE(ptshare_arm64_nr_regions >= PTSHARE_ARM64_MAX_REGIONS) ||
	    end <= start)
		return;
	ptshare_arm64_regions[ptshare_arm64_nr_regions++] = (struct ptshare_region){
		.start = start, .last = end - 1, .name = name,
	};
	sort(ptshare_arm64_regions, ptshare_arm64_nr_regions,
	     sizeof(ptshare_arm64_regions[0]), ptshare_arm64_region_cmp, NULL);
}

int ptshare_arch_init(void)
{
	ptshare_arm64_nr_regions = 0;
	ptshare_arm64_add(ptshare_arch_kernel_start(), PAGE_END, "linear-map");
	ptshare_arm64_add(MODULES_VADDR, MODULES_END, "modules");
	ptshare_arm64_add(VMALLOC_START, VMALLOC_END, "vmalloc");
	ptshare_arm64_add(VMEMMAP_START, VMEMMAP_END, "vmemmap");
	ptshare_arm64_add(PCI_IO_START, PCI_IO_END, "pci-io");
	ptshare_arm64_add(FIXADDR_START, FIXADDR_TOP, "fixmap");
#if defined(CONFIG_KASAN_GENERIC) || defined(CONFIG_KASAN_SW_TAGS)
	/* From PAGE_END, where the linear map stops, up to the modules. */
	ptshare_arm64_add(KASAN_SHADOW_START, KASAN_SHADOW_END, "kasan-shadow");
#endif
	return 0;
}

/*
 * The kernel's text, inside vmalloc (KASLR moves it). Debian's arm64
 * kernels have KALLSYMS_ALL off: _text and _end are not in kallsyms, so
 * this is _stext to _etext.
 */
static void arm64_symbols(ptshare_lookup_fn lookup)
{
	unsigned long text = lookup("_stext"), etext = lookup("_etext");

	if (text && etext > text && text >= VMALLOC_START && etext <= VMALLOC_END)
		ptshare_arm64_add(text, etext, "kernel-text");
}

/*
 * Without LPA2 in the CPU, a 5-level kernel runs with 4: the pgd level is
 * folded and the top table is the p4d-sized page (512 entries of 512 GiB).
 */
static void arm64_levels(struct ptshare_level_info *levels)
{
#if CONFIG_PGTABLE_LEVELS > 4
	if (!pgtable_l5_enabled()) {
		levels[PTSHARE_PGD].shift = P4D_SHIFT;
		levels[PTSHARE_PGD].ptrs = PTRS_PER_P4D;
		levels[PTSHARE_P4D].ptrs = 1;
		levels[PTSHARE_P4D].folded = true;
	}
#endif
}

const char *ptshare_arch_name(void)
{
	return "arm64";
}

/* The TTBR1 range: from -(1 << vabits_actual) to the top. */
unsigned long ptshare_arch_kernel_start(void)
{
	return -(1UL << vabits_actual);
}

const struct ptshare_region *ptshare_arch_regions(unsigned int *nr)
{
	*nr = ptshare_arm64_nr_regions;
	return ptshare_arm64_regions;
}

/* What TTBR1_EL1 points to on this CPU: ASID (63:48) and CnP (0) masked. */
static phys_addr_t ptshare_arm64_ttbr1(void)
{
	u64 ttbr = read_sysreg(ttbr1_el1);
	phys_addr_t pa = ttbr & GENMASK_ULL(47, 6);

	/* 52-bit output addresses keep bits 51:48 in TTBR bits 5:2. */
	if (IS_ENABLED(CONFIG_ARM64_PA_BITS_52))
		pa |= (ttbr & GENMASK_ULL(5, 2)) << 46;
	return pa;
}

static bool arm64_kernel_table(phys_addr_t *pa)
{
	if (pa)
		*pa = ptshare_arm64_ttbr1();
	return true;
}

/* Process pgds hold no kernel half, so they have no user-mode copy of it. */
pgd_t *ptshare_arch_user_pgd(pgd_t *pgd)
{
	return NULL;
}

/*
 * With KPTI in use: tramp_pg_dir, TRAMP_SWAPPER_OFFSET below swapper_pg_dir
 * (the kernel's entry code switches TTBR1 by that offset). It must map the
 * trampoline text where the master's fixmap does; else it is not reported.
 */
static pgd_t *arm64_master_user_pgd(pgd_t *pgd)
{
	pgd_t *tramp = (pgd_t *)((unsigned long)pgd - TRAMP_SWAPPER_OFFSET);
	phys_addr_t pa, expect;

	if (!arm64_kernel_unmapped_at_el0())
		return NULL;
	if (!ptshare_translate(pgd, TRAMP_VALIAS, &expect) ||
	    !ptshare_translate(tramp, TRAMP_VALIAS, &pa) || pa != expect) {
		pr_warn("ptshare: KPTI is on but the trampoline table was not found\n");
		return NULL;
	}
	return tramp;
}

/* A page for the pgd (or a smaller kmem_cache object with 5 levels). */
unsigned int ptshare_arch_pgd_pages(void)
{
	return 1;
}

void ptshare_arch_show_isolation(struct seq_file *m)
{
	seq_printf(m, "isolation kpti %s\n", arm64_kernel_unmapped_at_el0() ? "on" : "off");
}

/* LPA2 in use: address bits 51:50 in descriptor bits 9:8. */
static bool ptshare_arm64_lpa2(void)
{
#if PTSHARE_HAVE_LPA2
	return lpa2_is_enabled();
#else
	return false;
#endif
}

/* Output-address bits of a descriptor; 9:8 too when LPA2 is in use. */
static u64 ptshare_arm64_addr_bits(void)
{
	return GENMASK_ULL(49, PAGE_SHIFT) | (ptshare_arm64_lpa2() ? GENMASK_ULL(9, 8) : 0);
}

static phys_addr_t ptshare_arm64_pa(u64 raw)
{
	return __pte_to_phys(__pte(raw));
}

/*
 * Top-level entries, judged by the descriptor bits: the generic helpers of a
 * level folded at boot would not work on a local copy.
 */
int ptshare_arch_judge_top(struct ptshare_entry *e, const pgd_t *val)
{
	enum ptshare_level next = PTSHARE_P4D;

	e->raw = pgd_val(*val);
	if (!e->raw)
		return 0;
	e->present = true;
	if (!(e->raw & PTE_VALID)) {
		e->bad = true;
		return 0;
	}
	if (!(e->raw & PTSHARE_ARM64_DESC_TABLE)) {
		e->leaf = true;
		e->pa = ptshare_arch_leaf_pa(PTSHARE_PGD, e->raw);
		return 0;
	}
	while (next < PTSHARE_PTE && ptshare_levels[next].folded)
		next++;
	e->next_level = next;
	e->pa = ptshare_arm64_pa(e->raw);
	e->next = phys_to_virt(e->pa);
	return 0;
}

/* The access flag and the software dirty bit change as the kernel goes. */
u64 ptshare_arch_compare_mask(enum ptshare_level level)
{
	return ~(u64)(PTE_AF | PTE_DIRTY);
}

phys_addr_t ptshare_arch_leaf_pa(enum ptshare_level level, u64 raw)
{
	return ptshare_arm64_pa(raw) & ~(phys_addr_t)(ptshare_entry_size(level) - 1);
}

phys_addr_t ptshare_arch_table_pa(enum ptshare_level level, u64 raw)
{
	return ptshare_arm64_pa(raw);
}

bool ptshare_arch_leaf_mapped(enum ptshare_level level, u64 raw)
{
	return raw & PTE_VALID;
}

u64 ptshare_arch_flags(enum ptshare_level level, u64 raw)
{
	return raw & ~ptshare_arm64_addr_bits() & ptshare_arch_compare_mask(level);
}

static const struct ptshare_flag_name ptshare_arm64_leaf_flags[] = {
	{ PTE_VALID,	NULL,	"NP" },
	{ PTE_RDONLY,	"ro",	"RW" },
	{ PTE_USER,	"USR",	NULL },
	{ PTE_UXN,	"UXN",	NULL },
	{ PTE_PXN,	"PXN",	NULL },
	{ PTE_NG,	"nG",	NULL },
	{ PTE_CONT,	"CONT",	NULL },
};

/* Table descriptors: the hierarchical limits of bits 59-63. */
static const struct ptshare_flag_name ptshare_arm64_table_flags[] = {
	{ BIT_ULL(59),	"PXNT",	NULL },
	{ BIT_ULL(60),	"UXNT",	NULL },
	{ BIT_ULL(61),	"nUSRT", NULL },
	{ BIT_ULL(62),	"roT",	NULL },
	{ BIT_ULL(63),	"NST",	NULL },
};

void ptshare_arch_show_flags(struct seq_file *m, enum ptshare_level level, u64 raw,
			     bool leaf)
{
	const char *sep = "";

	if (!leaf) {
		ptshare_show_flag_names(m, ptshare_arm64_table_flags,
					ARRAY_SIZE(ptshare_arm64_table_flags), raw, &sep);
		if (!*sep)
			seq_putc(m, '-');
		return;
	}
	ptshare_show_flag_names(m, ptshare_arm64_leaf_flags,
				ARRAY_SIZE(ptshare_arm64_leaf_flags), raw, &sep);
	if (!(raw & (PTE_UXN | PTE_PXN))) {
		seq_puts(m, sep);
		seq_putc(m, 'x');
	}
	/* With LPA2 bits 9:8 are address bits, and shareability is in TCR. */
	if (!ptshare_arm64_lpa2() && (raw & PTE_SHARED))
		seq_puts(m, ",S");
	switch ((raw & PTE_ATTRINDX_MASK) >> 2) {
	case MT_NORMAL:
		break;
	case MT_NORMAL_TAGGED:
		seq_puts(m, ",tag");
		break;
	case MT_NORMAL_NC:
		seq_puts(m, ",nc");
		break;
	case MT_DEVICE_nGnRnE:
		seq_puts(m, ",dev-nGnRnE");
		break;
	case MT_DEVICE_nGnRE:
		seq_puts(m, ",dev");
		break;
	default:
		seq_printf(m, ",attr%llu", (raw & PTE_ATTRINDX_MASK) >> 2);
	}
}

/*
 * kallsyms_lookup_name() may be called indirectly only if it begins with a
 * landing pad where the kernel enforces BTI (BTI c/jc, or PACIASP/PACIBSP,
 * which are implicit landing pads).
 */
bool ptshare_arch_callable(unsigned long addr)
{
	u32 insn;

	if (!IS_ENABLED(CONFIG_ARM64_BTI_KERNEL))
		return true;
	if (copy_from_kernel_nofault(&insn, (void *)addr, sizeof(insn)))
		return false;
	insn = le32_to_cpu((__force __le32)insn);
	return insn == 0xd503245f || insn == 0xd50324df ||	/* bti c, bti jc */
	       insn == 0xd503233f || insn == 0xd503237f;	/* paciasp, pacibsp */
}

int ptshare_arch_master_candidates(ptshare_lookup_fn lookup, pgd_t **cand, int max,
				   const char **source)
{
	*source = "ttbr1";
	if (max < 1)
		return 0;
	cand[0] = phys_to_virt(ptshare_arm64_ttbr1());
	return 1;
}

/*
 * The master is the table TTBR1_EL1 points to. reserved_pg_dir, the empty
 * table TTBR0 holds when no user space is mapped, sits just below it
 * (RESERVED_SWAPPER_OFFSET): all zero, or this is not swapper_pg_dir.
 */
const char *ptshare_arch_check_master(pgd_t *pgd, ptshare_lookup_fn lookup)
{
	const char *reserved = (const char *)pgd - RESERVED_SWAPPER_OFFSET;
	u64 word;
	int i;

	if (pgd != phys_to_virt(ptshare_arm64_ttbr1()))
		return "not the table TTBR1 points to";
	for (i = 0; i < PAGE_SIZE; i += sizeof(word)) {
		if (copy_from_kernel_nofault(&word, reserved + i, sizeof(word)))
			return "reserved_pg_dir below it is not readable";
		if (word)
			return "reserved_pg_dir below it is not empty";
	}
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
	.levels = arm64_levels,
	.kernel_table = arm64_kernel_table,
	.symbols = arm64_symbols,
	.master_user_pgd = arm64_master_user_pgd,
};

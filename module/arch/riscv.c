// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: what is particular to riscv64.
 *
 * The MMU mode is chosen at boot: Sv57 (5 levels), Sv48 (4, "no5lvl") or
 * Sv39 (3, "no4lvl"); pgtable_l5_enabled and pgtable_l4_enabled say which,
 * and satp's MODE field says what the CPU really walks. The kernel half is
 * the upper half of the 512-entry pgd: pgd_alloc() copies those slots from
 * swapper_pg_dir (sync_kernel_mappings()), and since 6.5 pgtable_cache_init()
 * preallocates the next-level tables of the vmalloc and modules slots (and,
 * with MEMORY_HOTPLUG, of vmemmap and the linear map), so processes share
 * them. A leaf may sit at any level: gigapages, terapages and petapages in
 * the upper levels, as the linear map uses where it is aligned.
 *
 * An entry is a table when V is set and R, W and X are clear, a leaf
 * otherwise. Bits 61-62 are the Svpbmt memory type (NC, IO), bit 63 Svnapot
 * (a 64 KiB run of 16 ptes, each holding the run's frame number with its
 * low bits 1000b, read as the kernel's pte_pfn() reads it).
 *
 * Satp holds the running process's table, not the master's (the kernel
 * runs on the process's own copy of the kernel half): the master is named
 * by kallsyms (Debian builds KALLSYMS_ALL), and must be swapper_pg_dir at
 * offset 0, with satp's mode agreeing with the levels in use.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <asm/csr.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#ifdef CONFIG_KASAN
#include <asm/kasan.h>
#endif

#include "../ptshare.h"

#ifndef CONFIG_64BIT
#error "ptshare: riscv32 is not supported (Sv32 has no kernel half of its own to compare)"
#endif

#define PTSHARE_RISCV_MAX_REGIONS	10

/* Svpbmt's memory types (the standard extension, not T-Head's). */
#define PTSHARE_RISCV_PBMT_NC	BIT_ULL(61)
#define PTSHARE_RISCV_PBMT_IO	BIT_ULL(62)
#define PTSHARE_RISCV_NAPOT	BIT_ULL(63)
#define PTSHARE_RISCV_PFN_MASK	GENMASK_ULL(53, 10)
#define PTSHARE_RISCV_PFN_SHIFT	10
#define PTSHARE_RISCV_RWX	(_PAGE_READ | _PAGE_WRITE | _PAGE_EXEC)

static struct ptshare_region ptshare_riscv_regions[PTSHARE_RISCV_MAX_REGIONS];
static unsigned int ptshare_riscv_nr_regions;

static void ptshare_riscv_add(unsigned long start, unsigned long last, const char *name)
{
	if (WARN_ON_ONCE(ptshare_riscv_nr_regions >= PTSHARE_RISCV_MAX_REGIONS))
		return;
	ptshare_riscv_regions[ptshare_riscv_nr_regions++] = (struct ptshare_region){
		.start = start, .last = last, .name = name,
	};
}

static int ptshare_region_cmp(const void *a, const void *b)
{
	const struct ptshare_region *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * The bounds of arch/riscv/include/asm/pgtable.h, as its ptdump marks them,
 * from what a module can read: MODULES_VADDR and MODULES_END name _start
 * and _end, which are not exported; kernel_map holds the same addresses.
 */
int ptshare_arch_init(void)
{
	unsigned long image = kernel_map.virt_addr;
	unsigned long image_end = PFN_ALIGN(image + kernel_map.size);
	unsigned long linear_last = PAGE_OFFSET + KERN_VIRT_SIZE - 1;

	ptshare_riscv_nr_regions = 0;
	ptshare_riscv_add(FIXADDR_START, FIXADDR_TOP - 1, "fixmap");
	ptshare_riscv_add(PCI_IO_START, PCI_IO_END - 1, "pci-io");
	ptshare_riscv_add(VMEMMAP_START, VMEMMAP_END - 1, "vmemmap");
	ptshare_riscv_add(VMALLOC_START, VMALLOC_END - 1, "vmalloc");
#ifdef CONFIG_KASAN
	linear_last = min(linear_last, KASAN_SHADOW_START - 1);
	ptshare_riscv_add(KASAN_SHADOW_START, KASAN_SHADOW_END - 1, "kasan-shadow");
#endif
	ptshare_riscv_add(PAGE_OFFSET, linear_last, "linear-map");
	ptshare_riscv_add(image_end - SZ_2G, image - 1, "modules");
	ptshare_riscv_add(image, ULONG_MAX, "kernel-image");
	sort(ptshare_riscv_regions, ptshare_riscv_nr_regions, sizeof(ptshare_riscv_regions[0]),
	     ptshare_region_cmp, NULL);
	return 0;
}

const char *ptshare_arch_name(void)
{
	return "riscv64";
}

/* TASK_SIZE_64: the upper half of the pgd, sign-extended. */
unsigned long ptshare_arch_kernel_start(void)
{
	return ptshare_slot_va(PTRS_PER_PGD / 2);
}

const struct ptshare_region *ptshare_arch_regions(unsigned int *nr)
{
	*nr = ptshare_riscv_nr_regions;
	return ptshare_riscv_regions;
}

pgd_t *ptshare_arch_user_pgd(pgd_t *pgd)
{
	return NULL;
}

unsigned int ptshare_arch_pgd_pages(void)
{
	return 1;
}

void ptshare_arch_show_isolation(struct seq_file *m)
{
	seq_puts(m, "isolation none off\n");
}

/* Accessed and Dirty: the kernel sets them on its own mappings, or the CPU does. */
u64 ptshare_arch_compare_mask(enum ptshare_level level)
{
	return ~(u64)(_PAGE_ACCESSED | _PAGE_DIRTY);
}

u64 ptshare_arch_flags(enum ptshare_level level, u64 raw)
{
	return raw & ~PTSHARE_RISCV_PFN_MASK & ptshare_arch_compare_mask(level);
}

phys_addr_t ptshare_arch_table_pa(enum ptshare_level level, u64 raw)
{
	return PFN_PHYS((raw & PTSHARE_RISCV_PFN_MASK) >> PTSHARE_RISCV_PFN_SHIFT);
}

/* A Svnapot pte's frame number ends in 1000b; the run's first frame is without it. */
phys_addr_t ptshare_arch_leaf_pa(enum ptshare_level level, u64 raw)
{
	u64 pfn = (raw & PTSHARE_RISCV_PFN_MASK) >> PTSHARE_RISCV_PFN_SHIFT;

	if (level == PTSHARE_PTE && (raw & PTSHARE_RISCV_NAPOT))
		pfn &= pfn - 1;
	return PFN_PHYS(pfn);
}

bool ptshare_arch_leaf_mapped(enum ptshare_level level, u64 raw)
{
	return raw & _PAGE_PRESENT;
}

bool ptshare_arch_callable(unsigned long addr)
{
	return true;
}

static const struct ptshare_flag_name ptshare_riscv_flags[] = {
	{ _PAGE_PRESENT,		NULL,	"NP" },
	{ _PAGE_READ,			"R",	NULL },
	{ _PAGE_WRITE,			"W",	NULL },
	{ _PAGE_EXEC,			"X",	NULL },
	{ _PAGE_USER,			"USR",	NULL },
	{ _PAGE_GLOBAL,			"GLB",	NULL },
	{ PTSHARE_RISCV_PBMT_NC,	"NC",	NULL },
	{ PTSHARE_RISCV_PBMT_IO,	"IO",	NULL },
	{ PTSHARE_RISCV_NAPOT,		"NAPOT", NULL },
};

void ptshare_arch_show_flags(struct seq_file *m, enum ptshare_level level, u64 raw,
			     bool leaf)
{
	const char *sep = "";

	ptshare_show_flag_names(m, ptshare_riscv_flags, ARRAY_SIZE(ptshare_riscv_flags),
				leaf ? raw : raw & _PAGE_PRESENT, &sep);
	if (!*sep)
		seq_putc(m, '-');
}

static const char *const ptshare_riscv_master_names[] = { "swapper_pg_dir" };

int ptshare_arch_master_candidates(ptshare_lookup_fn lookup, pgd_t **cand, int max,
				   const char **source)
{
	unsigned long addr = lookup ? lookup("swapper_pg_dir") : 0;

	*source = "kallsyms";
	if (max < 1)
		return 0;
	if (addr) {
		cand[0] = (pgd_t *)addr;
		return 1;
	}
	/* No callable kallsyms_lookup_name(): look for the name in the image. */
	cand[0] = ptshare_scan_symbols(kernel_map.virt_addr,
				       kernel_map.virt_addr + kernel_map.size,
				       ptshare_riscv_master_names,
				       ARRAY_SIZE(ptshare_riscv_master_names));
	*source = "scan";
	return cand[0] ? 1 : 0;
}

/* The levels satp's MODE field makes the CPU walk: 3 (Sv39), 4 (Sv48), 5 (Sv57). */
static unsigned int ptshare_riscv_satp_levels(void)
{
	unsigned long mode = csr_read(CSR_SATP) >> SATP_MODE_SHIFT;

	return mode >= 8 && mode <= 10 ? mode - 5 : 0;
}

/*
 * A process's pgd translates kernel addresses as well as the master: the
 * master must be named swapper_pg_dir, at offset 0, and the CPU must walk as
 * many levels as the tables the module reads have.
 */
const char *ptshare_arch_check_master(pgd_t *pgd, ptshare_lookup_fn lookup)
{
	unsigned long offset;

	if (!ptshare_symbol_is((unsigned long)pgd, "swapper_pg_dir", &offset) || offset)
		return "not a master page-table symbol";
	if (ptshare_riscv_satp_levels() != ptshare_levels_in_use())
		return "satp's mode is not the levels in use";
	return NULL;
}

/* V set, R, W and X clear: the MMU walks it as a table, whatever p?d_bad() says. */
static bool riscv_hw_table(enum ptshare_level level, u64 raw)
{
	return (raw & _PAGE_PRESENT) && !(raw & PTSHARE_RISCV_RWX);
}

/*
 * A leaf in the top-level table: a gigapage with Sv39, where the pud
 * accessors judge it, but a terapage (Sv48) or petapage (Sv57) is one the
 * kernel has no p4d_leaf() or pgd_leaf() for (6.12): judged here, as the
 * MMU judges it. Everything else takes the kernel's accessors.
 */
int ptshare_arch_judge_top(struct ptshare_entry *e, const pgd_t *val)
{
	if (!(e->raw & _PAGE_PRESENT) || !(e->raw & PTSHARE_RISCV_RWX))
		return -ENOENT;
	e->present = true;
	e->leaf = true;
	e->pa = ptshare_arch_leaf_pa(PTSHARE_PGD, e->raw);
	return 0;
}

/*
 * riscv64's p4d_offset() and pud_offset() are functions in
 * arch/riscv/mm/pgtable.c, not exported: the same, from what is inline.
 * A level folded at run time is the entry itself.
 */
p4d_t *ptshare_arch_p4d_offset(pgd_t *pgd, unsigned long va)
{
	if (pgtable_l5_enabled)
		return pgd_pgtable(*pgd) + p4d_index(va);
	return (p4d_t *)pgd;
}

pud_t *ptshare_arch_pud_offset(p4d_t *p4d, unsigned long va)
{
	if (pgtable_l4_enabled)
		return p4d_pgtable(*p4d) + pud_index(va);
	return (pud_t *)p4d;
}

/*
 * PTRS_PER_P4D and PTRS_PER_PUD are 512 whatever the mode (only PGDIR_SHIFT
 * follows it): with Sv48 the p4d level is folded at run time, with Sv39 the
 * pud level too. (Without this, the walk took Sv48's pud tables for p4d
 * tables; satp's mode in ptshare_arch_check_master() caught it.)
 */
static void riscv_levels(struct ptshare_level_info *levels)
{
	if (!pgtable_l5_enabled) {
		levels[PTSHARE_P4D].ptrs = 1;
		levels[PTSHARE_P4D].folded = true;
	}
	if (!pgtable_l4_enabled) {
		levels[PTSHARE_PUD].ptrs = 1;
		levels[PTSHARE_PUD].folded = true;
	}
}

/* What only some architectures need (ptshare.h): NULL takes the default. */
const struct ptshare_arch_ops ptshare_arch_ops = {
	.levels = riscv_levels,
	.hw_table = riscv_hw_table,
};

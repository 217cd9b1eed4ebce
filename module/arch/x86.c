// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: what is particular to x86, 64-bit and 32-bit.
 *
 * x86-64: the kernel half is the upper half of the pgd (256 slots with 4 and with
 * 5 levels). pgd_alloc() copies the slots from KERNEL_PGD_BOUNDARY up, and
 * their lower tables are preallocated at boot, so processes normally share
 * every kernel-half table with init_top_pgt. With PTI each pgd is 8 KiB: the
 * second page is the user-mode copy, and modify_ldt() maps a per-mm LDT into
 * the LDT remap slot of both pages.
 *
 * Region bounds come from the running kernel: page_offset_base, vmalloc_base
 * and vmemmap_base move with KASLR, and LDT/ESPFIX/cpu_entry_area move with
 * 5-level paging.
 *
 * 32-bit (i386): the kernel half is everything from PAGE_OFFSET (3 GiB).
 * Without PAE the pgd is 1024 entries of 4 MiB (a table or a PSE leaf) and
 * pgd_alloc() copies the kernel's 256; a kernel pmd entry made later reaches
 * every pgd at once (arch_sync_kernel_mappings() walks pgd_list). With PAE
 * the pgd is 4 entries of 1 GiB and the kernel's GiB is one pmd table: shared
 * by every process (SHARED_KERNEL_PMD) without PTI, and with PTI copied into
 * a pmd table of each process's own, kept in step through pgd_list too. The
 * rest (flags, PTI's two pgd pages, the LDT slot) is as on x86-64.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/workqueue.h>
#include <asm/cpu_entry_area.h>
#include <asm/cpufeature.h>
#include <asm/fixmap.h>
#include <asm/kasan.h>
#include <asm/pgtable.h>
#include <asm/pgtable_areas.h>

#include "../ptshare.h"
#include "../compat.h"

#define PTSHARE_X86_MAX_REGIONS	16

static struct ptshare_region ptshare_x86_regions[PTSHARE_X86_MAX_REGIONS];
static unsigned int ptshare_x86_nr_regions;

static void ptshare_x86_add(unsigned long start, unsigned long last, const char *name)
{
	if (WARN_ON_ONCE(ptshare_x86_nr_regions >= PTSHARE_X86_MAX_REGIONS))
		return;
	ptshare_x86_regions[ptshare_x86_nr_regions++] = (struct ptshare_region){
		.start = start, .last = last, .name = name,
	};
}

static int ptshare_region_cmp(const void *a, const void *b)
{
	const struct ptshare_region *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

#ifdef CONFIG_X86_64
static void ptshare_x86_add_regions(void)
{
	ptshare_x86_add(GUARD_HOLE_BASE_ADDR, GUARD_HOLE_END_ADDR - 1, "guard-hole");
	ptshare_x86_add(LDT_BASE_ADDR, LDT_END_ADDR - 1, "ldt-remap");
	ptshare_x86_add(PAGE_OFFSET, PAGE_OFFSET + (1UL << MAX_PHYSMEM_BITS) - 1, "direct-map");
	ptshare_x86_add(VMALLOC_START, VMALLOC_END, "vmalloc");
	/* What vmemmap can hold: a struct page per page of MAX_PHYSMEM_BITS. */
	ptshare_x86_add(VMEMMAP_START, VMEMMAP_START +
			((1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT)) * sizeof(struct page)) - 1,
			"vmemmap");
	ptshare_x86_add(CPU_ENTRY_AREA_BASE, CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE - 1,
			"cpu-entry-area");
	ptshare_x86_add(ESPFIX_BASE_ADDR, ESPFIX_BASE_ADDR + P4D_SIZE - 1, "espfix");
	ptshare_x86_add(EFI_VA_END, EFI_VA_START - 1, "efi");
	ptshare_x86_add(__START_KERNEL_map, MODULES_VADDR - 1, "kernel-image");
	ptshare_x86_add(MODULES_VADDR, MODULES_END - 1, "modules");
	ptshare_x86_add(FIXADDR_START, FIXADDR_TOP + PAGE_SIZE - 1, "fixmap");
#ifdef CONFIG_KASAN
	/* Between vmemmap and espfix: every table of it outside any other region. */
	ptshare_x86_add(KASAN_SHADOW_START, KASAN_SHADOW_END - 1, "kasan-shadow");
#endif
}

const char *ptshare_arch_name(void)
{
	return "x86_64";
}

/* The upper half of the virtual address space, sign-extended. */
unsigned long ptshare_arch_kernel_start(void)
{
	return ptshare_slot_va(PTRS_PER_PGD / 2);
}
#else /* CONFIG_X86_32 */
/* pgtable_32_areas.h: modules live in the vmalloc area (MODULES_VADDR is VMALLOC_START). */
static void ptshare_x86_add_regions(void)
{
	ptshare_x86_add(PAGE_OFFSET, (unsigned long)high_memory - 1, "lowmem");
	ptshare_x86_add(VMALLOC_START, VMALLOC_END - 1, "vmalloc");
#ifdef CONFIG_HIGHMEM
	ptshare_x86_add(PKMAP_BASE, PKMAP_BASE + LAST_PKMAP * PAGE_SIZE - 1, "pkmap");
#endif
	ptshare_x86_add(LDT_BASE_ADDR, LDT_END_ADDR - 1, "ldt-remap");
	ptshare_x86_add(CPU_ENTRY_AREA_BASE, CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE - 1,
			"cpu-entry-area");
	ptshare_x86_add(FIXADDR_START, FIXADDR_TOP + PAGE_SIZE - 1, "fixmap");
}

const char *ptshare_arch_name(void)
{
	return IS_ENABLED(CONFIG_X86_PAE) ? "x86-pae" : "x86";
}

/* TASK_SIZE: pgd_alloc() copies from KERNEL_PGD_BOUNDARY, PAGE_OFFSET's slot. */
unsigned long ptshare_arch_kernel_start(void)
{
	return PAGE_OFFSET;
}
#endif

int ptshare_arch_init(void)
{
	ptshare_x86_nr_regions = 0;
	ptshare_x86_add_regions();
	sort(ptshare_x86_regions, ptshare_x86_nr_regions, sizeof(ptshare_x86_regions[0]),
	     ptshare_region_cmp, NULL);
	return 0;
}

const struct ptshare_region *ptshare_arch_regions(unsigned int *nr)
{
	*nr = ptshare_x86_nr_regions;
	return ptshare_x86_regions;
}

static bool ptshare_x86_pti(void)
{
	return boot_cpu_has(X86_FEATURE_PTI);
}

/* With PTI the pgd is two pages; the second is the user-mode copy. */
pgd_t *ptshare_arch_user_pgd(pgd_t *pgd)
{
	return ptshare_x86_pti() ? (pgd_t *)((unsigned long)pgd + PAGE_SIZE) : NULL;
}

unsigned int ptshare_arch_pgd_pages(void)
{
	return ptshare_x86_pti() ? 2 : 1;
}

void ptshare_arch_show_isolation(struct seq_file *m)
{
	seq_printf(m, "isolation pti %s\n", ptshare_x86_pti() ? "on" : "off");
}

/* The CPU sets Accessed and Dirty on its own; they say nothing about sharing. */
u64 ptshare_arch_compare_mask(enum ptshare_level level)
{
	return ~(u64)(_PAGE_ACCESSED | _PAGE_DIRTY);
}

u64 ptshare_arch_flags(enum ptshare_level level, u64 raw)
{
	return raw & PTE_FLAGS_MASK & ptshare_arch_compare_mask(level);
}

phys_addr_t ptshare_arch_table_pa(enum ptshare_level level, u64 raw)
{
	return raw & PTE_PFN_MASK;
}

/* set_memory_np(), DEBUG_PAGEALLOC and KFENCE leave entries that are not empty. */
bool ptshare_arch_leaf_mapped(enum ptshare_level level, u64 raw)
{
	return raw & _PAGE_PRESENT;
}

/*
 * Is @pa memory the kernel has a struct page for? A frame past the end of
 * RAM is answered without pfn_valid(), which is an RCU-sched section
 * (lockdep-checked on a debug kernel): on a DEBUG_PAGEALLOC kernel every
 * free page of the direct map is a non-present leaf, and two pfn_valid()
 * calls for each made a debug 5-level kernel's master read take 12 s.
 * On 32-bit, memory above high_memory (highmem) is memory too.
 */
static bool ptshare_x86_memory(u64 pa)
{
	if (IS_ENABLED(CONFIG_X86_64) &&
	    pa >= __pa((unsigned long)READ_ONCE(high_memory) - 1) + 1)
		return false;
	return pfn_valid(PHYS_PFN(pa));
}

/*
 * The frame of a leaf. One that is not present but not empty holds its
 * frame number inverted (L1TF: pfn_pte() and the other helpers of
 * asm/pgtable-invert.h store it so, and pte_pfn() undoes it): that is how
 * set_memory_np() and DEBUG_PAGEALLOC leave the direct map. KFENCE clears
 * _PAGE_PRESENT alone and leaves the frame as it was; such an entry is
 * told by its stored frame being memory while the inverted one is not.
 */
phys_addr_t ptshare_arch_leaf_pa(enum ptshare_level level, u64 raw)
{
	u64 mask, stored, inverted;

	switch (level) {
	case PTSHARE_PUD:
		mask = PHYSICAL_PUD_PAGE_MASK;
		break;
	case PTSHARE_PMD:
		mask = PHYSICAL_PMD_PAGE_MASK;
		break;
	default:
		mask = PTE_PFN_MASK;
		break;
	}
	stored = raw & mask;
	if (!raw || (raw & _PAGE_PRESENT))
		return stored;
	inverted = ~raw & mask;
	if (ptshare_x86_memory(stored) && !ptshare_x86_memory(inverted))
		return stored;
	return inverted;
}

static const struct ptshare_flag_name ptshare_x86_flags[] = {
	{ _PAGE_PRESENT, NULL,	"NP" },
	{ _PAGE_RW,	"RW",	"ro" },
	{ _PAGE_USER,	"USR",	NULL },
	{ _PAGE_PWT,	"PWT",	NULL },
	{ _PAGE_PCD,	"PCD",	NULL },
	{ _PAGE_GLOBAL,	"GLB",	NULL },
	{ _PAGE_NX,	"NX",	"x" },
};

void ptshare_arch_show_flags(struct seq_file *m, enum ptshare_level level, u64 raw,
			     bool leaf)
{
	const char *sep = "";

	/* Global means nothing in table entries. */
	if (!leaf)
		raw &= ~(u64)_PAGE_GLOBAL;
	ptshare_show_flag_names(m, ptshare_x86_flags, ARRAY_SIZE(ptshare_x86_flags), raw, &sep);
	if (!*sep)
		seq_putc(m, '-');
}

static const char *const ptshare_x86_master_names[] = { "init_top_pgt", "swapper_pg_dir" };

/*
 * Without a callable kallsyms_lookup_name() (IBT-sealed on newer kernels),
 * look for the master by name around init_task, which lives in the same
 * kernel image: 64 MiB either way.
 */
#define PTSHARE_X86_SCAN_SPAN	(64UL << 20)

/* Where the kernel image is: its own mapping (64-bit), or lowmem (32-bit). */
#ifdef CONFIG_X86_64
#define PTSHARE_X86_IMAGE_LO	((unsigned long)__START_KERNEL_map)
#define PTSHARE_X86_IMAGE_HI	((unsigned long)MODULES_VADDR)
#else
#define PTSHARE_X86_IMAGE_LO	((unsigned long)PAGE_OFFSET)
#define PTSHARE_X86_IMAGE_HI	((unsigned long)high_memory)
#endif

static pgd_t *ptshare_x86_scan_master(void)
{
	unsigned long base = (unsigned long)&init_task & PAGE_MASK;
	unsigned long lo = base > PTSHARE_X86_IMAGE_LO + PTSHARE_X86_SCAN_SPAN ?
			   base - PTSHARE_X86_SCAN_SPAN : PTSHARE_X86_IMAGE_LO;
	unsigned long hi = base < PTSHARE_X86_IMAGE_HI - PTSHARE_X86_SCAN_SPAN ?
			   base + PTSHARE_X86_SCAN_SPAN : PTSHARE_X86_IMAGE_HI;

	return ptshare_scan_symbols(lo, hi, ptshare_x86_master_names,
				    ARRAY_SIZE(ptshare_x86_master_names));
}

#ifdef CONFIG_X86_32
/*
 * Debian's i386 kernels have no data symbols in kallsyms (KALLSYMS_ALL is
 * off): the master is the table CR3 holds once a CPU runs on init_mm. A
 * kernel thread (this runs in a kworker) borrows the last process's mm
 * lazily; leave_mm(), which ACPI idle calls for the same reason, switches
 * the CPU to init_mm, and CR3 then holds __pa(swapper_pg_dir) (PTI: its
 * kernel half, the lower of its two pages).
 */
static long ptshare_x86_init_cr3_fn(void *unused)
{
	unsigned long cr3;

	preempt_disable();
	ptshare_leave_mm();
	cr3 = __read_cr3();
	preempt_enable();
	return cr3 & PAGE_MASK;
}

static pgd_t *ptshare_x86_init_pgd(void)
{
	long pa = work_on_cpu(raw_smp_processor_id(), ptshare_x86_init_cr3_fn, NULL);

	return pa > 0 && pfn_valid(PHYS_PFN(pa)) ? (pgd_t *)__va(pa) : NULL;
}
#else
static pgd_t *ptshare_x86_init_pgd(void)
{
	return NULL;
}
#endif

int ptshare_arch_master_candidates(ptshare_lookup_fn lookup, pgd_t **cand, int max,
				   const char **source)
{
	unsigned long addr;
	int i, n = 0;

	*source = "kallsyms";
	for (i = 0; lookup && i < ARRAY_SIZE(ptshare_x86_master_names) && n < max; i++) {
		addr = lookup(ptshare_x86_master_names[i]);
		if (addr)
			cand[n++] = (pgd_t *)addr;
	}
	if (!n && max > 0 && IS_ENABLED(CONFIG_X86_32)) {
		cand[0] = ptshare_x86_init_pgd();
		if (cand[0]) {
			*source = "cr3";
			n = 1;
		}
	}
	if (!n && max > 0) {
		cand[0] = ptshare_x86_scan_master();
		if (cand[0]) {
			*source = "scan";
			n = 1;
		}
	}
	return n;
}

/*
 * x86-64 has data symbols in kallsyms: the master must be named as one, at
 * offset 0 (a process's pgd translates kernel addresses just as well, so
 * translation alone proves nothing). With PTI its user copy must follow.
 */
const char *ptshare_arch_check_master(pgd_t *pgd, ptshare_lookup_fn lookup)
{
	unsigned long offset;
	int i;

	for (i = 0; i < ARRAY_SIZE(ptshare_x86_master_names); i++)
		if (ptshare_symbol_is((unsigned long)pgd, ptshare_x86_master_names[i], &offset) &&
		    !offset)
			break;
	/* i386 without data symbols: the table init_mm puts in CR3 (above). */
	if (i == ARRAY_SIZE(ptshare_x86_master_names) &&
	    (!IS_ENABLED(CONFIG_X86_32) || pgd != ptshare_x86_init_pgd()))
		return IS_ENABLED(CONFIG_X86_32) ? "not the table CR3 holds on init_mm" :
						   "not a master page-table symbol";
	if (ptshare_x86_pti() && !IS_ALIGNED((unsigned long)pgd, 2 * PAGE_SIZE))
		return "not 8 KiB aligned although PTI is on";
	return NULL;
}

/*
 * With IBT, objtool seals functions that nothing calls indirectly: their
 * ENDBR64 becomes a NOP and an indirect call faults. Call only an ENDBR64.
 */
bool ptshare_arch_callable(unsigned long addr)
{
	u32 insn;

	if (!cpu_feature_enabled(X86_FEATURE_IBT))
		return true;
	if (copy_from_kernel_nofault(&insn, (void *)addr, sizeof(insn)))
		return false;
	return insn == 0xfa1e0ff3;	/* f3 0f 1e fa: endbr64 */
}

/*
 * modify_ldt() maps and, when that fails, frees the LDT's kernel-half tables
 * under ldt_usr_sem (arch/x86/kernel/ldt.c), not under the mmap lock.
 */
static void x86_lock_mm(struct mm_struct *mm)
{
#ifdef CONFIG_MODIFY_LDT_SYSCALL
	down_read(&mm->context.ldt_usr_sem);
#endif
}

static void x86_unlock_mm(struct mm_struct *mm)
{
#ifdef CONFIG_MODIFY_LDT_SYSCALL
	up_read(&mm->context.ldt_usr_sem);
#endif
}

/*
 * The MMU walks every present entry without PS at a non-leaf level as a
 * table, whatever its other bits. p?d_bad() also rejects read-only or NX
 * tables, which espfix maps on purpose (its pud and pmd entries are
 * _KERNPG_TABLE without RW, with NX): those are tables, not bad.
 */
static bool x86_hw_table(enum ptshare_level level, u64 raw)
{
	return raw & _PAGE_PRESENT;
}

/* Nothing is folded into an x86 pgd entry that the generic code cannot judge. */
int ptshare_arch_judge_top(struct ptshare_entry *e, const pgd_t *val)
{
	return -ENOENT;
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
	.hw_table = x86_hw_table,
	.lock_mm = x86_lock_mm,
	.unlock_mm = x86_unlock_mm,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: finding the master page table on a stock kernel.
 *
 * Neither init_mm nor swapper_pg_dir is exported. Candidates come from the
 * master_pgd= parameter or from kallsyms (kallsyms_lookup_name() is itself
 * unexported since 5.7; a kprobe tells its address). No candidate pointer is
 * dereferenced before it is validated: all reads during validation go through
 * copy_from_kernel_nofault(), and a candidate must
 *   - be named by sprint_symbol() as a master symbol, at offset 0,
 *   - be page aligned (and pass the architecture's own check),
 *   - translate three addresses whose physical address the kernel tells us
 *     another way: a kernel-image object (__pa_symbol), a kmalloc object
 *     (virt_to_phys, direct map) and this module's data (vmalloc_to_pfn,
 *     which walks the kernel's tables itself).
 * init_mm, when found, is held to the same standard and must point at the
 * same pgd as the master symbol; only then is its mmap_lock used.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "ptshare.h"
#include "compat.h"

struct ptshare_master ptshare_master;

/* Anchors whose translation the validation checks; data in this module. */
static unsigned long ptshare_module_anchor = 0x70745368;

/* Does @addr resolve to symbol @name? Its offset into the symbol goes to @offset. */
bool ptshare_symbol_is(unsigned long addr, const char *name, unsigned long *offset)
{
	char buf[KSYM_SYMBOL_LEN], *plus, *slash;
	size_t n = strlen(name);

	sprint_symbol(buf, addr);
	if (strncmp(buf, name, n) || buf[n] != '+')
		return false;
	plus = buf + n + 1;
	slash = strchr(plus, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return !kstrtoul(plus, 0, offset);
}

/*
 * The first page in [@lo, @hi) that one of @names begins at, found without
 * kallsyms_lookup_name(): sprint_symbol() maps an address to a name and
 * reads no memory at that address (64 MiB is 16384 look-ups).
 */
pgd_t *ptshare_scan_symbols(unsigned long lo, unsigned long hi, const char *const *names,
			    unsigned int nr)
{
	unsigned long start = lo & PAGE_MASK, addr, offset;
	unsigned int i;

	/* (addr >= start: the last page of the address space ends the loop) */
	for (addr = start; addr < hi && addr >= start; addr += PAGE_SIZE) {
		for (i = 0; i < nr; i++)
			if (ptshare_symbol_is(addr, names[i], &offset) && !offset)
				return (pgd_t *)addr;
		if (!(addr & ((1UL << 24) - 1)))
			cond_resched();
	}
	return NULL;
}

static ptshare_lookup_fn ptshare_find_lookup(void)
{
	struct kprobe kp = {
		.symbol_name = "kallsyms_lookup_name",
		.flags = KPROBE_FLAG_DISABLED,	/* only its address is wanted */
	};
	unsigned long addr, offset;

	/*
	 * The lookup fills in kp.addr before the probe is checked: a probe
	 * refused where it would sit (riscv64 6.12 has no KPROBES_ON_FTRACE,
	 * and a function's first byte is its ftrace patch site) still names it.
	 */
	if (!register_kprobe(&kp))
		unregister_kprobe(&kp);
	addr = (unsigned long)kp.addr;
	if (!addr)
		return NULL;
	/*
	 * With IBT the probe is placed after the ENDBR instruction: calling that
	 * address indirectly would fault. Go back to the symbol's start, and
	 * call it only if the architecture agrees it may be called indirectly
	 * (objtool seals functions nobody calls indirectly: no ENDBR there).
	 */
	if (!ptshare_symbol_is(addr, "kallsyms_lookup_name", &offset))
		return NULL;
	addr -= offset;
	if (!ptshare_symbol_is(addr, "kallsyms_lookup_name", &offset) || offset)
		return NULL;
	if (!ptshare_arch_callable(addr)) {
		pr_info("kallsyms_lookup_name cannot be called indirectly (IBT-sealed)\n");
		return NULL;
	}
	return (ptshare_lookup_fn)ptshare_arch_call_address(addr);
}

static bool ptshare_translates(pgd_t *pgd, unsigned long va, phys_addr_t expect)
{
	phys_addr_t pa;

	return ptshare_translate(pgd, va, &pa) && pa == expect;
}

static const char *ptshare_check_pgd(pgd_t *pgd, ptshare_lookup_fn lookup)
{
	unsigned long va = (unsigned long)pgd, word;
	size_t size = ptshare_nr_slots() * sizeof(pgd_t);
	phys_addr_t expect;
	const char *why;
	void *heap;

	if (!va || !PAGE_ALIGNED(va))
		return "not page aligned";
	/* First what touches no memory at the candidate address. */
	why = ptshare_arch_check_master(pgd, lookup);
	if (why)
		return why;
	if (copy_from_kernel_nofault(&word, pgd, sizeof(word)) ||
	    copy_from_kernel_nofault(&word, (char *)pgd + size - sizeof(word), sizeof(word)))
		return "not readable";
	/* __pa_symbol(): virt_to_phys() of an image address WARNs on arm64 DEBUG_VIRTUAL. */
	if (!ptshare_translates(pgd, (unsigned long)&init_task, __pa_symbol(&init_task)))
		return "does not translate the kernel image";
	expect = PFN_PHYS(vmalloc_to_pfn(&ptshare_module_anchor)) +
		 offset_in_page(&ptshare_module_anchor);
	if (!ptshare_translates(pgd, (unsigned long)&ptshare_module_anchor, expect))
		return "does not translate module data";
	heap = kmalloc(64, GFP_KERNEL);
	if (!heap)
		return "out of memory";
	if (!ptshare_translates(pgd, (unsigned long)heap, virt_to_phys(heap)))
		why = "does not translate the direct map";
	kfree(heap);
	return why;
}

/*
 * Address of kernel symbol @name through a kprobe's own lookup: registering
 * a probe resolves symbol_name into kp.addr before it checks that the
 * address is text, so a data symbol is resolved and then refused (-EINVAL),
 * and nothing is probed. For kernels where kallsyms_lookup_name() cannot be
 * called (IBT-sealed). On x86 the lookup may step over 4 bytes that look
 * like ENDBR64: the symbol's start is taken from sprint_symbol().
 */
static unsigned long ptshare_kprobe_symbol(const char *name)
{
	struct kprobe kp = { .symbol_name = name, .flags = KPROBE_FLAG_DISABLED };
	unsigned long addr, offset;

	if (!register_kprobe(&kp)) {
		unregister_kprobe(&kp);	/* text after all: not what we look for */
		return 0;
	}
	addr = (unsigned long)kp.addr;
	if (!addr || !ptshare_symbol_is(addr, name, &offset))
		return 0;
	return addr - offset;
}

/* init_mm, if kallsyms knows it and its pgd is the validated @pgd. */
static struct mm_struct *ptshare_find_init_mm(ptshare_lookup_fn lookup, pgd_t *pgd)
{
	unsigned long addr, offset;
	pgd_t *mm_pgd;

	addr = lookup ? lookup("init_mm") : 0;
	if (!addr)
		addr = ptshare_kprobe_symbol("init_mm");
	if (!addr || !IS_ALIGNED(addr, sizeof(long)) ||
	    !ptshare_symbol_is(addr, "init_mm", &offset) || offset)
		return NULL;
	if (copy_from_kernel_nofault(&mm_pgd, (char *)addr + offsetof(struct mm_struct, pgd),
				     sizeof(mm_pgd)))
		return NULL;
	/* arm64 names swapper_pg_dir by its image address, we by its linear one. */
	if (mm_pgd != pgd && !ptshare_translates(pgd, (unsigned long)mm_pgd, virt_to_phys(pgd)))
		return NULL;
	return (struct mm_struct *)addr;
}

#define PTSHARE_MAX_CANDIDATES	4

int ptshare_master_find(unsigned long param_pgd, bool use_lookup)
{
	pgd_t *cand[PTSHARE_MAX_CANDIDATES], *pgd = NULL;
	ptshare_lookup_fn lookup;
	const char *why;
	int i, n;

	lookup = use_lookup ? ptshare_find_lookup() : NULL;
	if (lookup)
		ptshare_arch_symbols(lookup);
	if (param_pgd) {
		pgd = (pgd_t *)param_pgd;
		why = ptshare_check_pgd(pgd, lookup);
		if (why) {
			pr_err("master_pgd=0x%lx rejected: %s\n", param_pgd, why);
			return -EINVAL;
		}
		ptshare_master.source = "parameter";
	} else {
		n = ptshare_arch_master_candidates(lookup, cand, PTSHARE_MAX_CANDIDATES,
						   &ptshare_master.source);
		why = n ? NULL : "no candidate (kallsyms_lookup_name not found?)";
		for (i = 0; i < n; i++) {
			pgd = cand[i];
			why = ptshare_check_pgd(pgd, lookup);
			if (!why)
				break;
		}
		if (why) {
			pr_err("no valid master page table: %s; try master_pgd=\n", why);
			return -ENODEV;
		}
	}

	ptshare_master.pgd = pgd;
	ptshare_master.user_pgd = ptshare_arch_master_user_pgd(pgd);
	ptshare_master.mm = ptshare_find_init_mm(lookup, pgd);
	pr_info("master page table found (%s), init_mm %s\n", ptshare_master.source,
		ptshare_master.mm ? "found" : "unknown: kernel tables walked without its lock");
	return 0;
}

/*
 * The kernel's tables are stable under init_mm's mmap lock held for WRITE,
 * as ptdump_walk_pgd() holds it: mm/vmalloc.c frees page-table pages (to
 * install a huge vmap mapping) under mmap_read_trylock(&init_mm) precisely
 * to exclude that writer, so two readers would not exclude each other.
 */
int ptshare_master_lock(void)
{
	return ptshare_master.mm ? mmap_write_lock_killable(ptshare_master.mm) : 0;
}

void ptshare_master_unlock(void)
{
	if (ptshare_master.mm)
		mmap_write_unlock(ptshare_master.mm);
}

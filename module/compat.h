/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptshare: every kernel-version difference, in one place. Each shim says
 * which version changed the interface. Nothing else in the module tests
 * LINUX_VERSION_CODE.
 */
#ifndef PTSHARE_COMPAT_H
#define PTSHARE_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched.h>

/*
 * pud_large()/pmd_large() were removed in 6.9; the
 * *_leaf() names exist on every kernel we build for, so use only those.
 */
#define ptshare_pud_leaf(pud)	pud_leaf(pud)
#define ptshare_pmd_leaf(pmd)	pmd_leaf(pmd)
#define ptshare_p4d_leaf(p4d)	p4d_leaf(p4d)
#define ptshare_pgd_leaf(pgd)	pgd_leaf(pgd)

/*
 * get_task_comm() became a macro over __get_task_comm() with a size check in
 * 4.x and was reworked to strscpy_pad() in 6.13. Copy
 * under task_lock ourselves so every version behaves alike.
 */
static inline void ptshare_task_comm_locked(char *buf, size_t size, struct task_struct *task)
{
	strscpy_pad(buf, task->comm, size);
}

static inline void ptshare_task_comm(char *buf, size_t size, struct task_struct *task)
{
	task_lock(task);
	ptshare_task_comm_locked(buf, size, task);
	task_unlock(task);
}

/*
 * 6.9 added arm64 LPA2 (52-bit addresses with 4 KiB pages) and
 * lpa2_is_enabled(): when the CPU has it (TCR_EL1.DS), descriptor bits 9:8
 * hold output-address bits 51:50 instead of the shareability field. Before
 * 6.9 they are always SH[1:0]. (Used by arch/arm64.c.)
 */
#define PTSHARE_HAVE_LPA2	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0))

/*
 * x86: leave_mm() (exported for ACPI idle) took the CPU number up to the
 * 6.x series Debian's 6.1 is of, and takes nothing by 6.12. The call is
 * chosen from its prototype, not from a version guess. (Used by arch/x86.c
 * on 32-bit; asm/mmu.h defines leave_mm as itself where it exists.)
 */
#ifdef leave_mm
static inline void ptshare_leave_mm_cpu(void (*fn)(int))
{
	fn(smp_processor_id());
}

static inline void ptshare_leave_mm_none(void (*fn)(void))
{
	fn();
}

#define ptshare_leave_mm()						\
	__builtin_choose_expr(__builtin_types_compatible_p(typeof(leave_mm),	\
							   void (int)),		\
			      ptshare_leave_mm_cpu, ptshare_leave_mm_none)(leave_mm)
#endif

#endif /* PTSHARE_COMPAT_H */

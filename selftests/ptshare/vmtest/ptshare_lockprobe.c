// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for the lock_modes selftest, never loaded outside a test guest:
 * kprobes on the rwsem lock functions record which locks the task group
 * @watch takes, and how, while it reads ptshare's files. A lock is known by
 * its address: init_mm's mmap lock by the name kallsyms gives it (the lock
 * functions' own view, not ptshare's), the mmap lock of process @target by
 * that process's mm. The counts are read-only parameters.
 */
#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

static int watch;
module_param(watch, int, 0400);
MODULE_PARM_DESC(watch, "tgid whose lock calls are counted");
static int target;
module_param(target, int, 0400);
MODULE_PARM_DESC(target, "tgid of a process whose mmap lock is looked for");

static int init_mm_read, init_mm_write, target_mm_read, target_mm_write, calls;
module_param(init_mm_read, int, 0444);
module_param(init_mm_write, int, 0444);
module_param(target_mm_read, int, 0444);
module_param(target_mm_write, int, 0444);
module_param(calls, int, 0444);

static unsigned long target_lock;

static unsigned long ptshare_lockprobe_arg0(struct pt_regs *regs)
{
#ifdef CONFIG_ARM
	return regs->ARM_r0;
#else
	return regs_get_kernel_argument(regs, 0);
#endif
}

static void ptshare_lockprobe_count(struct pt_regs *regs, bool write)
{
	unsigned long sem = ptshare_lockprobe_arg0(regs);
	char name[KSYM_SYMBOL_LEN];

	if (!current->mm || task_tgid_nr(current) != watch)
		return;
	WRITE_ONCE(calls, calls + 1);
	if (sem == target_lock) {
		if (write)
			WRITE_ONCE(target_mm_write, target_mm_write + 1);
		else
			WRITE_ONCE(target_mm_read, target_mm_read + 1);
		return;
	}
	sprint_symbol(name, sem);
	if (strncmp(name, "init_mm+", 8))
		return;
	if (write)
		WRITE_ONCE(init_mm_write, init_mm_write + 1);
	else
		WRITE_ONCE(init_mm_read, init_mm_read + 1);
}

static int ptshare_lockprobe_read(struct kprobe *p, struct pt_regs *regs)
{
	ptshare_lockprobe_count(regs, false);
	return 0;
}

static int ptshare_lockprobe_write(struct kprobe *p, struct pt_regs *regs)
{
	ptshare_lockprobe_count(regs, true);
	return 0;
}

static struct kprobe ptshare_lockprobes[] = {
	{ .symbol_name = "down_read", .pre_handler = ptshare_lockprobe_read },
	{ .symbol_name = "down_read_killable", .pre_handler = ptshare_lockprobe_read },
	{ .symbol_name = "down_read_interruptible", .pre_handler = ptshare_lockprobe_read },
	{ .symbol_name = "down_write", .pre_handler = ptshare_lockprobe_write },
	{ .symbol_name = "down_write_killable", .pre_handler = ptshare_lockprobe_write },
};

static struct kprobe *ptshare_lockprobe_ptrs[ARRAY_SIZE(ptshare_lockprobes)];

static int ptshare_lockprobe_register(struct kprobe *p)
{
	int ret = register_kprobe(p);

#if defined(CONFIG_RISCV) && defined(CONFIG_DYNAMIC_FTRACE)
	/*
	 * riscv64 6.12 has no KPROBES_ON_FTRACE: a probe on a function's first
	 * byte, its ftrace patch site, is refused (EINVAL). The first
	 * instruction after the site sees the same arguments in a0.
	 */
	if (ret == -EINVAL) {
		p->addr = NULL;
		p->offset = MCOUNT_INSN_SIZE;
		ret = register_kprobe(p);
	}
#endif
	return ret;
}

static int nr_probes;

static int __init ptshare_lockprobe_init(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;
	int i, n = 0;

	if (!watch || !target)
		return -EINVAL;
	pid = find_get_pid(target);
	task = get_pid_task(pid, PIDTYPE_TGID);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -ESRCH;
	/* Only compared, never dereferenced: the target outlives the test's reads. */
	target_lock = (unsigned long)&mm->mmap_lock;
	mmput(mm);
	/* Not every kernel has every variant (down_read_interruptible: 5.13). */
	for (i = 0; i < ARRAY_SIZE(ptshare_lockprobes); i++)
		if (!ptshare_lockprobe_register(&ptshare_lockprobes[i]))
			ptshare_lockprobe_ptrs[n++] = &ptshare_lockprobes[i];
	nr_probes = n;
	return n ? 0 : -ENOENT;
}

static void __exit ptshare_lockprobe_exit(void)
{
	unregister_kprobes(ptshare_lockprobe_ptrs, nr_probes);
}

module_init(ptshare_lockprobe_init);
module_exit(ptshare_lockprobe_exit);
MODULE_DESCRIPTION("ptshare selftest helper: which rwsems a reader takes, and how");
MODULE_LICENSE("GPL");

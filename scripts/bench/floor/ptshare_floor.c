// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare_floor: the physical floor of ptshare's summary, for
 * scripts/bench-module.sh. Reading /sys/kernel/debug/ptshare_floor does,
 * for every process, only what a summary cannot avoid: pin its mm, compare
 * the kernel half of its top-level table with the master's (memcmp; with
 * x86 PTI the user-mode copy too) and look at the user half's top-level
 * entries, then unpin. It prints one line: processes, mms, tables equal to
 * the master's, different, and present user-half entries.
 *
 * Nothing here is ptshare's code: the master is init_mm.pgd (found through
 * a kprobe's symbol lookup, as the selftest helpers do), the kernel half is
 * the architecture's own boundary, and processes are visited once each.
 */
#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/pgtable.h>
#ifdef CONFIG_X86_64
#include <asm/cpufeature.h>
#endif

static struct mm_struct *floor_init_mm;
static struct dentry *floor_file;

/* [first, end) of the top-level slots that map the kernel, and of the user's. */
#if defined(CONFIG_X86_64)
#define FLOOR_KERNEL_FIRST	KERNEL_PGD_BOUNDARY
#define FLOOR_KERNEL_END	PTRS_PER_PGD
#define FLOOR_USER_END		KERNEL_PGD_BOUNDARY
#elif defined(CONFIG_ARM64)
/* TTBR1 holds the kernel half: a process table has none. */
#define FLOOR_KERNEL_FIRST	0
#define FLOOR_KERNEL_END	0
#define FLOOR_USER_END		PTRS_PER_PGD
#elif defined(CONFIG_ARM)
#define FLOOR_KERNEL_FIRST	USER_PTRS_PER_PGD
#define FLOOR_KERNEL_END	PTRS_PER_PGD
#define FLOOR_USER_END		USER_PTRS_PER_PGD
#else
#error "ptshare_floor: no kernel-half boundary for this architecture"
#endif

/* The other page of an x86 PTI pgd pair, or NULL. */
static pgd_t *floor_user_copy(pgd_t *pgd)
{
#ifdef CONFIG_X86_64
	if (boot_cpu_has(X86_FEATURE_PTI))
		return (pgd_t *)((unsigned long)pgd | PAGE_SIZE);
#endif
	return NULL;
}

struct floor_counts {
	unsigned long procs, mms, same, differ, user;
};

static void floor_one(struct mm_struct *mm, struct floor_counts *c)
{
	const size_t half = (FLOOR_KERNEL_END - FLOOR_KERNEL_FIRST) * sizeof(pgd_t);
	pgd_t *master = floor_init_mm->pgd, *pgd = mm->pgd, *mu, *pu;
	unsigned int i;

	c->mms++;
	if (half) {
		if (memcmp(pgd + FLOOR_KERNEL_FIRST, master + FLOOR_KERNEL_FIRST, half))
			c->differ++;
		else
			c->same++;
		pu = floor_user_copy(pgd);
		mu = floor_user_copy(master);
		if (pu && mu) {
			if (memcmp(pu + FLOOR_KERNEL_FIRST, mu + FLOOR_KERNEL_FIRST, half))
				c->differ++;
			else
				c->same++;
		}
	}
	for (i = 0; i < FLOOR_USER_END; i++)
		c->user += !!pgd_val(READ_ONCE(pgd[i]));
}

static int floor_show(struct seq_file *m, void *v)
{
	struct floor_counts c = {};
	struct task_struct **tasks, *p;
	unsigned int n = 0, cap, i;
	struct mm_struct *mm;
	ktime_t t0 = ktime_get();

	/* Room for the processes now and some that fork meanwhile. */
	cap = 64;
	rcu_read_lock();
	for_each_process(p)
		cap++;
	rcu_read_unlock();
	tasks = kvmalloc_array(cap, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	rcu_read_lock();
	for_each_process(p) {
		if (n == cap)
			break;
		get_task_struct(p);
		tasks[n++] = p;
	}
	rcu_read_unlock();
	for (i = 0; i < n; i++) {
		c.procs++;
		mm = get_task_mm(tasks[i]);
		if (mm) {
			floor_one(mm, &c);
			mmput(mm);
		}
		put_task_struct(tasks[i]);
		cond_resched();
	}
	kvfree(tasks);
	seq_printf(m, "floor procs %lu mms %lu same %lu differ %lu user %lu ns %lld\n",
		   c.procs, c.mms, c.same, c.differ, c.user,
		   ktime_to_ns(ktime_sub(ktime_get(), t0)));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(floor);

static int __init floor_init(void)
{
	struct kprobe kp = { .symbol_name = "init_mm", .flags = KPROBE_FLAG_DISABLED };

	/* A kprobe on data is refused, after the lookup filled in its address. */
	if (!register_kprobe(&kp)) {
		unregister_kprobe(&kp);
		return -ENOENT;
	}
	if (!kp.addr)
		return -ENOENT;
	floor_init_mm = (struct mm_struct *)kp.addr;
	floor_file = debugfs_create_file("ptshare_floor", 0400, NULL, NULL, &floor_fops);
	return 0;
}

static void __exit floor_exit(void)
{
	debugfs_remove(floor_file);
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_DESCRIPTION("ptshare benchmark helper: the least work a summary must do");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare_prof: a sampling profiler for the benchmark's guests, which have
 * no perf (and TCG no PMU). While it runs, an hrtimer on each CPU looks,
 * every period_us microseconds, at where that CPU was interrupted, and
 * counts the address. /sys/kernel/debug/ptshare_prof:
 *	write "1": clear the counts and start; "0": stop;
 *	read: "samples TOTAL user USER lost LOST", then "COUNT FUNCTION" for
 *	each kernel address seen (one function can have several lines: add
 *	them up; scripts/bench/guest-bench.sh does).
 * For scripts/bench-module.sh (PTSHARE_BENCH_ONLY=prof); not part of ptshare.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/hash.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/irq_regs.h>
#include <asm/ptrace.h>

#define PROF_BITS	13
#define PROF_SLOTS	BIT(PROF_BITS)
#define PROF_PROBES	32

static unsigned int period_us = 50;
module_param(period_us, uint, 0444);
MODULE_PARM_DESC(period_us, "sampling period in microseconds (default 50)");

static unsigned long prof_pc[PROF_SLOTS];
static atomic_t prof_hits[PROF_SLOTS];
static atomic_t prof_samples, prof_user, prof_lost;
static DEFINE_PER_CPU(struct hrtimer, prof_timer);
static DEFINE_MUTEX(prof_lock);	/* start and stop */
static bool prof_on;
static struct dentry *prof_file;

/* Count @pc in an open-addressed table; lost when its probes are all taken. */
static void prof_note(unsigned long pc)
{
	unsigned int h = hash_long(pc, PROF_BITS), i;
	unsigned long old;

	for (i = 0; i < PROF_PROBES; i++, h = (h + 1) & (PROF_SLOTS - 1)) {
		old = READ_ONCE(prof_pc[h]);
		if (!old)
			old = cmpxchg(&prof_pc[h], 0UL, pc);
		if (!old || old == pc) {
			atomic_inc(&prof_hits[h]);
			return;
		}
	}
	atomic_inc(&prof_lost);
}

static enum hrtimer_restart prof_tick(struct hrtimer *t)
{
	struct pt_regs *regs = get_irq_regs();

	atomic_inc(&prof_samples);
	if (!regs || user_mode(regs))
		atomic_inc(&prof_user);
	else
		prof_note(instruction_pointer(regs));
	if (!READ_ONCE(prof_on))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(period_us * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static void prof_start_cpu(void *unused)
{
	struct hrtimer *t = this_cpu_ptr(&prof_timer);

	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	t->function = prof_tick;
	hrtimer_start(t, ns_to_ktime(period_us * NSEC_PER_USEC), HRTIMER_MODE_REL_PINNED_HARD);
}

static void prof_stop(void)
{
	int cpu;

	if (!prof_on)
		return;
	WRITE_ONCE(prof_on, false);
	for_each_online_cpu(cpu)
		hrtimer_cancel(per_cpu_ptr(&prof_timer, cpu));
}

static void prof_start(void)
{
	unsigned int i;

	prof_stop();
	for (i = 0; i < PROF_SLOTS; i++) {
		prof_pc[i] = 0;
		atomic_set(&prof_hits[i], 0);
	}
	atomic_set(&prof_samples, 0);
	atomic_set(&prof_user, 0);
	atomic_set(&prof_lost, 0);
	WRITE_ONCE(prof_on, true);
	on_each_cpu(prof_start_cpu, NULL, 1);
}

static int prof_show(struct seq_file *m, void *v)
{
	unsigned int i, n;

	mutex_lock(&prof_lock);
	seq_printf(m, "samples %d user %d lost %d\n", atomic_read(&prof_samples),
		   atomic_read(&prof_user), atomic_read(&prof_lost));
	for (i = 0; i < PROF_SLOTS; i++) {
		n = atomic_read(&prof_hits[i]);
		if (n && prof_pc[i])
			seq_printf(m, "%u %pS\n", n, (void *)prof_pc[i]);
	}
	mutex_unlock(&prof_lock);
	return 0;
}

static int prof_open(struct inode *inode, struct file *file)
{
	return single_open(file, prof_show, NULL);
}

static ssize_t prof_write(struct file *file, const char __user *buf, size_t len, loff_t *pos)
{
	char c;

	if (!len || get_user(c, buf))
		return -EFAULT;
	if (c != '0' && c != '1')
		return -EINVAL;
	mutex_lock(&prof_lock);
	if (c == '1')
		prof_start();
	else
		prof_stop();
	mutex_unlock(&prof_lock);
	return len;
}

static const struct file_operations prof_fops = {
	.owner = THIS_MODULE,
	.open = prof_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = prof_write,
};

static int __init prof_init(void)
{
	if (!period_us)
		return -EINVAL;
	prof_file = debugfs_create_file("ptshare_prof", 0600, NULL, NULL, &prof_fops);
	return 0;
}

static void __exit prof_exit(void)
{
	debugfs_remove(prof_file);
	mutex_lock(&prof_lock);
	prof_stop();
	mutex_unlock(&prof_lock);
}

module_init(prof_init);
module_exit(prof_exit);
MODULE_DESCRIPTION("ptshare benchmark helper: where a CPU spends its time, sampled");
MODULE_LICENSE("GPL");

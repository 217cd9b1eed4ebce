// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for the lazy_copy and stress selftests, never loaded outside a
 * test guest: while loaded it holds a vmalloc() area of vmalloc_mb MiB (new
 * kernel page tables in the vmalloc area) and, being large itself (a 4 MiB
 * ballast array in .data), new tables in the modules area. Unloading frees
 * the vmalloc area; what the kernel does with the page tables is what the
 * test reports.
 *
 * With churn=1 a kernel thread allocates and frees vmalloc areas until the
 * module is unloaded (the stress selftest): small ones, a few MiB, and
 * vmalloc_huge() ones that the kernel maps with PMD (or larger) entries where
 * the architecture allows it, replacing PTE tables that earlier small areas
 * left behind. churn_ops, churn_rounds and churn_huge (read-only parameters
 * in /sys/module/ptshare_vmtest/parameters/) count what it did: a round is
 * eight vmalloc() or vfree() calls, and on a KASAN kernel under a loaded
 * host one may take minutes, so the first call is counted too. churn_nice
 * sets the thread's nice value: the stress selftest's busy workers starved
 * it at 0.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

static unsigned int vmalloc_mb = 32;
module_param(vmalloc_mb, uint, 0400);
MODULE_PARM_DESC(vmalloc_mb, "MiB to vmalloc while loaded");

static bool churn;
module_param(churn, bool, 0400);
MODULE_PARM_DESC(churn, "allocate and free vmalloc areas in a kernel thread while loaded");

static unsigned int churn_ms = 5;
module_param(churn_ms, uint, 0400);
MODULE_PARM_DESC(churn_ms, "pause between two churn rounds, in milliseconds");

static int churn_nice;
module_param(churn_nice, int, 0400);
MODULE_PARM_DESC(churn_nice, "nice value of the churn thread (-20 to 19)");

static unsigned long churn_ops;
module_param(churn_ops, ulong, 0444);
MODULE_PARM_DESC(churn_ops, "vmalloc() and vfree() calls of the churn thread so far (read-only)");

static unsigned long churn_rounds;
module_param(churn_rounds, ulong, 0444);
MODULE_PARM_DESC(churn_rounds, "churn rounds done so far (read-only)");

static unsigned long churn_huge;
module_param(churn_huge, ulong, 0444);
MODULE_PARM_DESC(churn_huge, "vmalloc_huge() areas of 2 MiB or more allocated so far (read-only)");

#define PTSHARE_VMTEST_BALLAST_KB	4096
/* Initialised, so it is part of the module image in the modules area. */
static char ptshare_vmtest_ballast[PTSHARE_VMTEST_BALLAST_KB << 10] __used = { 1 };

static void *ptshare_vmtest_area;
static struct task_struct *ptshare_vmtest_thread;

#define PTSHARE_VMTEST_SLOTS	16

/*
 * vmalloc_huge() appeared in 5.18; before it, vmalloc() itself used huge
 * mappings where the architecture had them (5.13 to 5.17) or never did.
 */
static void *ptshare_vmtest_alloc_huge(unsigned long size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 18, 0)
	return vmalloc_huge(size, GFP_KERNEL);
#else
	return vmalloc(size);
#endif
}

/* A small linear congruential generator: no API that moved between kernels. */
static u32 ptshare_vmtest_rand(u32 *state)
{
	*state = *state * 1103515245 + 12345;
	return *state >> 8;
}

static int ptshare_vmtest_churn(void *unused)
{
	void *slot[PTSHARE_VMTEST_SLOTS] = {};
	u32 seed = 0x5eed, r;
	unsigned long size;
	unsigned int i, k;

	while (!kthread_should_stop()) {
		for (k = 0; k < PTSHARE_VMTEST_SLOTS / 2; k++) {
			r = ptshare_vmtest_rand(&seed);
			i = r % PTSHARE_VMTEST_SLOTS;
			if (slot[i]) {
				vfree(slot[i]);
				slot[i] = NULL;
				WRITE_ONCE(churn_ops, churn_ops + 1);
				continue;
			}
			switch ((r >> 8) % 4) {
			case 0:	/* one page to 256 KiB: PTE mappings */
			case 1:
				size = (1 + (r >> 12) % 64) * PAGE_SIZE;
				slot[i] = vmalloc(size);
				break;
			case 2:	/* 1 to 3 MiB, mapped with PTEs */
				size = (1 + (r >> 12) % 3) << 20;
				slot[i] = vmalloc(size);
				break;
			default: /* 2 or 4 MiB, huge where the kernel can */
				size = (2 + 2 * ((r >> 12) % 2)) << 20;
				slot[i] = ptshare_vmtest_alloc_huge(size);
				if (slot[i])
					WRITE_ONCE(churn_huge, churn_huge + 1);
				break;
			}
			if (slot[i])
				WRITE_ONCE(*(char *)slot[i], 1);
			WRITE_ONCE(churn_ops, churn_ops + 1);
		}
		WRITE_ONCE(churn_rounds, churn_rounds + 1);
		msleep(churn_ms);
	}
	for (i = 0; i < PTSHARE_VMTEST_SLOTS; i++)
		vfree(slot[i]);
	return 0;
}

static int __init ptshare_vmtest_init(void)
{
	if (!vmalloc_mb || vmalloc_mb > 256)
		return -EINVAL;
	ptshare_vmtest_area = vmalloc((unsigned long)vmalloc_mb << 20);
	if (!ptshare_vmtest_area)
		return -ENOMEM;
	if (churn) {
		ptshare_vmtest_thread = kthread_create(ptshare_vmtest_churn, NULL,
						       "ptshare_vmtest");
		if (IS_ERR(ptshare_vmtest_thread)) {
			vfree(ptshare_vmtest_area);
			return PTR_ERR(ptshare_vmtest_thread);
		}
		set_user_nice(ptshare_vmtest_thread, clamp(churn_nice, MIN_NICE, MAX_NICE));
		wake_up_process(ptshare_vmtest_thread);
	}
	pr_info("ptshare_vmtest: %u MiB vmalloc'd%s\n", vmalloc_mb, churn ? ", churning" : "");
	return 0;
}

static void __exit ptshare_vmtest_exit(void)
{
	if (ptshare_vmtest_thread)
		kthread_stop(ptshare_vmtest_thread);
	vfree(ptshare_vmtest_area);
}

module_init(ptshare_vmtest_init);
module_exit(ptshare_vmtest_exit);
MODULE_DESCRIPTION("ptshare selftest helper: vmalloc and module-area page tables");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for the lazy_copy selftest, never loaded outside a test guest:
 * while loaded it holds a vmalloc() area of vmalloc_mb MiB (new kernel page
 * tables in the vmalloc area) and, being large itself (a 4 MiB ballast array
 * in .data), new tables in the modules area. Unloading frees
 * the vmalloc area; what the kernel does with the page tables is what the
 * test reports.
 */
#include <linux/module.h>
#include <linux/vmalloc.h>

static unsigned int vmalloc_mb = 32;
module_param(vmalloc_mb, uint, 0400);
MODULE_PARM_DESC(vmalloc_mb, "MiB to vmalloc while loaded");

#define PTSHARE_VMTEST_BALLAST_KB	4096
/* Initialised, so it is part of the module image in the modules area. */
static char ptshare_vmtest_ballast[PTSHARE_VMTEST_BALLAST_KB << 10] __used = { 1 };

static void *ptshare_vmtest_area;

static int __init ptshare_vmtest_init(void)
{
	if (!vmalloc_mb || vmalloc_mb > 256)
		return -EINVAL;
	ptshare_vmtest_area = vmalloc((unsigned long)vmalloc_mb << 20);
	if (!ptshare_vmtest_area)
		return -ENOMEM;
	pr_info("ptshare_vmtest: %u MiB vmalloc'd\n", vmalloc_mb);
	return 0;
}

static void __exit ptshare_vmtest_exit(void)
{
	vfree(ptshare_vmtest_area);
}

module_init(ptshare_vmtest_init);
module_exit(ptshare_vmtest_exit);
MODULE_DESCRIPTION("ptshare selftest helper: vmalloc and module-area page tables");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: how much of the kernel half of each process's page tables is
 * shared with the kernel's master table, reported under
 * /sys/kernel/debug/ptshare/. See doc/FORMAT.md and doc/DESIGN.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>

#include "ptshare.h"

static unsigned long master_pgd;
module_param(master_pgd, ulong, 0400);
MODULE_PARM_DESC(master_pgd,
		 "virtual address of the master pgd (swapper_pg_dir); 0: find it");

/*
 * Off: never call kallsyms_lookup_name(), as when IBT has sealed it; the
 * architecture's other means are used (x86-64: a scan by name, ARM: TTBR1).
 */
static bool use_kallsyms_lookup = true;
module_param(use_kallsyms_lookup, bool, 0400);
MODULE_PARM_DESC(use_kallsyms_lookup,
		 "call kallsyms_lookup_name() to find the master (default: yes)");

static struct dentry *ptshare_dir;

static int __init ptshare_init(void)
{
	int err;

	err = ptshare_levels_init();
	if (err) {
		pr_err("unsupported page-table geometry\n");
		return err;
	}
	err = ptshare_arch_init();
	if (err)
		return err;
	ptshare_kernel_half_init();
	err = ptshare_master_find(master_pgd, use_kallsyms_lookup);
	if (err)
		return err;

	ptshare_dir = debugfs_create_dir("ptshare", NULL);
	if (IS_ERR(ptshare_dir)) {
		pr_err("cannot create the debugfs directory (%ld)\n",
		       PTR_ERR(ptshare_dir));
		return PTR_ERR(ptshare_dir);
	}
	debugfs_create_file("summary", 0400, ptshare_dir, NULL, &ptshare_summary_fops);
	debugfs_create_file("master", 0400, ptshare_dir, NULL, &ptshare_master_fops);
	debugfs_create_file("dump", 0400, ptshare_dir, NULL, &ptshare_dump_fops);
	debugfs_create_file("select", 0600, ptshare_dir, NULL, &ptshare_select_fops);
	return 0;
}

static void __exit ptshare_exit(void)
{
	debugfs_remove(ptshare_dir);
	ptshare_select_exit();
}

module_init(ptshare_init);
module_exit(ptshare_exit);
MODULE_DESCRIPTION("Report how processes share the kernel half of their page tables");
MODULE_AUTHOR("ptshare developers");
MODULE_LICENSE("GPL");

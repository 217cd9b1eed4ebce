// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: how much of the kernel half of each process's page tables is
 * shared with the kernel's master table, reported under
 * /sys/kernel/debug/ptshare/, or /proc/ptshare/ where debugfs cannot be used.
 * See doc/FORMAT.md and doc/DESIGN.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/proc_fs.h>

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

/*
 * Where the files are: "auto" (debugfs, or /proc/ptshare where debugfs
 * refuses to create them: debugfs=off and debugfs=no-mount, CONFIG_DEBUG_FS=n),
 * "debugfs", "proc" (a system whose user space never mounts debugfs, as
 * Android's user builds) or "both".
 */
static char *files = "auto";
module_param(files, charp, 0444);
MODULE_PARM_DESC(files, "where the files are: auto (default), debugfs, proc or both");

static const struct ptshare_file {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} ptshare_files[] = {
	{ "summary", 0400, &ptshare_summary_fops },
	{ "master", 0400, &ptshare_master_fops },
	{ "dump", 0400, &ptshare_dump_fops },
	{ "select", 0600, &ptshare_select_fops },
};

static struct dentry *ptshare_dir;
static struct proc_dir_entry *ptshare_proc_dir;

static int __init ptshare_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("ptshare", NULL);
	unsigned int i;

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	for (i = 0; i < ARRAY_SIZE(ptshare_files); i++)
		debugfs_create_file(ptshare_files[i].name, ptshare_files[i].mode, dir, NULL,
				    ptshare_files[i].fops);
	ptshare_dir = dir;
	return 0;
}

/*
 * A /proc/ptshare file runs the debugfs file's operations (its entry's data).
 * It holds the module while open, as a debugfs file does through its fops'
 * owner, so that rmmod is refused the same way while a file is open. The
 * reference is dropped at the end of release: proc's removal of the entries
 * (in ptshare_exit) waits for a release in progress to return.
 */
static int ptshare_proc_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = pde_data(inode);
	int err;

	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	err = fops->open(inode, file);
	if (err)
		module_put(THIS_MODULE);
	return err;
}

static ssize_t ptshare_proc_write(struct file *file, const char __user *buf, size_t count,
				  loff_t *ppos)
{
	const struct file_operations *fops = pde_data(file_inode(file));

	return fops->write ? fops->write(file, buf, count, ppos) : -EINVAL;
}

static int ptshare_proc_release(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = pde_data(inode);
	int err = fops->release(inode, file);

	module_put(THIS_MODULE);
	return err;
}

static const struct proc_ops ptshare_proc_ops = {
	.proc_open = ptshare_proc_open,
	.proc_read_iter = seq_read_iter,
	.proc_write = ptshare_proc_write,
	.proc_lseek = seq_lseek,
	.proc_release = ptshare_proc_release,
};

/* /proc/ptshare/, root only: the directory 0500, the files as in debugfs. */
static int __init ptshare_proc_init(void)
{
	struct proc_dir_entry *dir = proc_mkdir_mode("ptshare", 0500, NULL);
	unsigned int i;

	if (!dir)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(ptshare_files); i++) {
		if (!proc_create_data(ptshare_files[i].name, ptshare_files[i].mode, dir,
				      &ptshare_proc_ops, (void *)ptshare_files[i].fops)) {
			proc_remove(dir);
			return -ENOMEM;
		}
	}
	ptshare_proc_dir = dir;
	return 0;
}

static void ptshare_files_exit(void)
{
	debugfs_remove(ptshare_dir);
	ptshare_dir = NULL;
	proc_remove(ptshare_proc_dir);
	ptshare_proc_dir = NULL;
}

static int __init ptshare_files_init(void)
{
	bool want_debugfs, want_proc, is_auto = !strcmp(files, "auto");
	int err = 0, dberr = 0;

	want_debugfs = is_auto || !strcmp(files, "debugfs") || !strcmp(files, "both");
	want_proc = !strcmp(files, "proc") || !strcmp(files, "both");
	if (!want_debugfs && !want_proc) {
		pr_err("files=%s: must be auto, debugfs, proc or both\n", files);
		return -EINVAL;
	}
	if (want_debugfs) {
		dberr = ptshare_debugfs_init();
		if (dberr && !is_auto) {
			pr_err("cannot create the debugfs directory (%d)\n", dberr);
			return dberr;
		}
		want_proc |= dberr != 0;
	}
	if (want_proc) {
		err = ptshare_proc_init();
		if (err) {
			pr_err("cannot create /proc/ptshare (%d)\n", err);
			ptshare_files_exit();
			return err;
		}
	}
	if (dberr)
		pr_info("debugfs refused (%d): files in /proc/ptshare/\n", dberr);
	else
		pr_info("files in %s%s\n", ptshare_dir ? "/sys/kernel/debug/ptshare/" : "",
			ptshare_dir && ptshare_proc_dir ? " and /proc/ptshare/" :
			ptshare_proc_dir ? "/proc/ptshare/" : "");
	return 0;
}

/* On failure, the pids a select= parameter took at load go with its .free (select.c). */
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
	return ptshare_files_init();
}

static void __exit ptshare_exit(void)
{
	ptshare_files_exit();
	ptshare_select_exit();
}

module_init(ptshare_init);
module_exit(ptshare_exit);
MODULE_DESCRIPTION("Report how processes share the kernel half of their page tables");
MODULE_AUTHOR("ptshare developers");
MODULE_LICENSE("GPL");

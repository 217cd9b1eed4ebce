// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: the select file, which tasks dump covers.
 *
 *   all                  every process (the default)
 *   pid N[,N...]         these processes (or threads), at most
 *                        PTSHARE_SELECT_MAX_PIDS, resolved in the writer's
 *                        pid namespace when written
 *   comm NAME            processes whose comm is exactly NAME
 *
 * A write is one whole command; one trailing newline is ignored, no other
 * white space is. Bad input fails with EINVAL, a pid that does not exist with
 * ESRCH, and in both cases the previous selection stays. Readers of dump
 * take a copy at open time.
 *
 * The same selection is the module parameter "select"
 * (/sys/module/ptshare/parameters/select, or select=... at load time), with
 * the same parser and errors: under kernel lockdown debugfs refuses every
 * file with a write bit, even for reading, but an ordinary parameter stays
 * writable (lockdown restricts only module_param_hw parameters).
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/uaccess.h>

#include "ptshare.h"

static DEFINE_MUTEX(ptshare_select_mutex);
static struct ptshare_selection ptshare_selection;	/* kind 0: all */

void ptshare_select_get(struct ptshare_selection *sel)
{
	unsigned int i;

	mutex_lock(&ptshare_select_mutex);
	*sel = ptshare_selection;
	for (i = 0; i < sel->nr_pids; i++)
		get_pid(sel->pids[i]);
	mutex_unlock(&ptshare_select_mutex);
}

void ptshare_select_put(struct ptshare_selection *sel)
{
	unsigned int i;

	for (i = 0; i < sel->nr_pids; i++)
		put_pid(sel->pids[i]);
	sel->nr_pids = 0;
}

void ptshare_select_exit(void)
{
	mutex_lock(&ptshare_select_mutex);
	ptshare_select_put(&ptshare_selection);
	ptshare_selection.kind = PTSHARE_SELECT_ALL;
	mutex_unlock(&ptshare_select_mutex);
}

/* A strict decimal pid: digits only, no sign, no leading zero, in range. */
static int ptshare_parse_pid(const char *tok, int *nr)
{
	const char *p;

	if (!*tok || *tok == '0' || strlen(tok) > 7)
		return -EINVAL;
	for (p = tok; *p; p++)
		if (!isdigit(*p))
			return -EINVAL;
	if (kstrtoint(tok, 10, nr) || *nr >= PID_MAX_LIMIT)
		return -EINVAL;
	return 0;
}

/*
 * "pid N[,N...]": first the whole list is checked and de-duplicated, only
 * then are the pids looked up, so malformed input is EINVAL whatever it names.
 */
static int ptshare_parse_pids(char *list, struct ptshare_selection *sel)
{
	int nrs[PTSHARE_SELECT_MAX_PIDS], nr, n = 0, i, err;
	struct pid *pid;
	char *tok;

	while ((tok = strsep(&list, ",")) != NULL) {
		err = ptshare_parse_pid(tok, &nr);
		if (err)
			return err;
		for (i = 0; i < n && nrs[i] != nr; i++)
			;
		if (i < n)
			continue;	/* a pid named twice counts once */
		if (n == PTSHARE_SELECT_MAX_PIDS)
			return -EINVAL;
		nrs[n++] = nr;
	}

	sel->kind = PTSHARE_SELECT_PIDS;
	for (i = 0; i < n; i++) {
		pid = find_get_pid(nrs[i]);
		if (!pid)
			return -ESRCH;
		sel->pids[sel->nr_pids++] = pid;
		rcu_read_lock();
		err = pid_task(pid, PIDTYPE_PID) ? 0 : -ESRCH;
		rcu_read_unlock();
		if (err)
			return err;
	}
	return 0;
}

/* @buf holds exactly @len bytes of one command, NUL-terminated. */
static int ptshare_parse_selection(char *buf, size_t len, struct ptshare_selection *sel)
{
	if (strlen(buf) != len)
		return -EINVAL;		/* an embedded NUL */
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (!strcmp(buf, "all")) {
		sel->kind = PTSHARE_SELECT_ALL;
		return 0;
	}
	if (!strncmp(buf, "pid ", 4))
		return ptshare_parse_pids(buf + 4, sel);
	if (!strncmp(buf, "comm ", 5)) {
		len = strlen(buf + 5);
		if (!len || len >= TASK_COMM_LEN)
			return -EINVAL;
		sel->kind = PTSHARE_SELECT_COMM;
		strscpy(sel->comm, buf + 5, sizeof(sel->comm));
		return 0;
	}
	return -EINVAL;
}

/*
 * Replace the selection with the command in @text (@len bytes, NUL-terminated
 * after them); on any error the previous one stays.
 */
static int ptshare_select_set(const char *text, size_t len)
{
	struct ptshare_selection *sel;
	char *buf;
	int err;

	if (!len || len > PTSHARE_SELECT_MAX_LEN)
		return -EINVAL;
	buf = kmemdup_nul(text, len, GFP_KERNEL);
	sel = kzalloc(sizeof(*sel), GFP_KERNEL);
	if (!buf || !sel) {
		kfree(buf);
		kfree(sel);
		return -ENOMEM;
	}
	err = ptshare_parse_selection(buf, len, sel);
	kfree(buf);
	if (err) {
		ptshare_select_put(sel);
	} else {
		mutex_lock(&ptshare_select_mutex);
		ptshare_select_put(&ptshare_selection);
		ptshare_selection = *sel;
		mutex_unlock(&ptshare_select_mutex);
	}
	kfree(sel);
	return err;
}

/* The selection as one line, pids in the caller's pid namespace. */
static int ptshare_select_format(char *buf, size_t size)
{
	const struct ptshare_selection *sel = &ptshare_selection;
	unsigned int i;
	int n = 0;

	mutex_lock(&ptshare_select_mutex);
	switch (sel->kind) {
	case PTSHARE_SELECT_ALL:
		n = scnprintf(buf, size, "all\n");
		break;
	case PTSHARE_SELECT_COMM:
		n = scnprintf(buf, size, "comm %s\n", sel->comm);
		break;
	case PTSHARE_SELECT_PIDS:
		n = scnprintf(buf, size, "pid ");
		for (i = 0; i < sel->nr_pids; i++)
			n += scnprintf(buf + n, size - n, "%s%d", i ? "," : "",
				       pid_vnr(sel->pids[i]));
		n += scnprintf(buf + n, size - n, "\n");
		break;
	}
	mutex_unlock(&ptshare_select_mutex);
	return n;
}

/* "pid " and up to 64 pids of 7 digits with their commas, a newline, a NUL */
#define PTSHARE_SELECT_TEXT	(8 + PTSHARE_SELECT_MAX_PIDS * 8 + 2)

static ssize_t ptshare_select_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char *buf;
	int err;

	if (!count || count > PTSHARE_SELECT_MAX_LEN)
		return -EINVAL;
	buf = memdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = ptshare_select_set(buf, count);
	kfree(buf);
	return err ? err : count;
}

static int ptshare_select_show(struct seq_file *m, void *v)
{
	char *buf = kmalloc(PTSHARE_SELECT_TEXT, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	seq_write(m, buf, ptshare_select_format(buf, PTSHARE_SELECT_TEXT));
	kfree(buf);
	return 0;
}

static int ptshare_select_open(struct inode *inode, struct file *file)
{
	return single_open(file, ptshare_select_show, NULL);
}

const struct file_operations ptshare_select_fops = {
	.owner = THIS_MODULE,
	.open = ptshare_select_open,
	.read = seq_read,
	.write = ptshare_select_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int ptshare_select_param_set(const char *val, const struct kernel_param *kp)
{
	return ptshare_select_set(val, strlen(val));
}

static int ptshare_select_param_get(char *buf, const struct kernel_param *kp)
{
	return ptshare_select_format(buf, PAGE_SIZE);
}

/*
 * select=pid ... at load time takes pid references before init runs. The
 * kernel calls .free from module_destroy_params() wherever the module goes
 * away: a later parameter or step of the load failing (init is never
 * called then), init failing, and unload (after ptshare_exit(), when
 * nothing is left to drop; a write to the parameter between exit and the
 * parameters leaving sysfs is dropped here too).
 *
 * By then the parameters are out of sysfs (or never got there) and no file
 * of ours exists, so nothing else reaches the selection, and the mutex is
 * not taken: free_module() runs this with the module UNFORMED, and lockdep
 * then takes our static mutex for a dynamic one ("trying to register
 * non-static key", seen on x86_64-debug).
 */
static void ptshare_select_param_free(void *arg)
{
	ptshare_select_put(&ptshare_selection);
	ptshare_selection.kind = PTSHARE_SELECT_ALL;
}

static const struct kernel_param_ops ptshare_select_param_ops = {
	.set = ptshare_select_param_set,
	.get = ptshare_select_param_get,
	.free = ptshare_select_param_free,
};

module_param_cb(select, &ptshare_select_param_ops, NULL, 0600);
MODULE_PARM_DESC(select, "which tasks dump covers, as the select file (works under lockdown)");

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
 * A write is one whole command; a trailing newline is ignored. Bad input
 * fails with EINVAL, a pid that does not exist with ESRCH, and in both cases
 * the previous selection stays. Readers of dump take a copy at open time.
 */
#include <linux/fs.h>
#include <linux/module.h>
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

static int ptshare_parse_pids(char *list, struct ptshare_selection *sel)
{
	struct pid *pid;
	char *tok;
	unsigned int i;
	int nr, err;

	sel->kind = PTSHARE_SELECT_PIDS;
	while ((tok = strsep(&list, ",")) != NULL) {
		err = kstrtoint(tok, 10, &nr);
		if (err || nr <= 0 || nr >= PID_MAX_LIMIT)
			return -EINVAL;
		if (sel->nr_pids >= PTSHARE_SELECT_MAX_PIDS)
			return -EINVAL;
		pid = find_get_pid(nr);
		if (!pid)
			return -ESRCH;
		rcu_read_lock();
		err = pid_task(pid, PIDTYPE_PID) ? 0 : -ESRCH;
		rcu_read_unlock();
		for (i = 0; !err && i < sel->nr_pids; i++)
			if (sel->pids[i] == pid)
				err = -EEXIST;
		if (err) {
			put_pid(pid);
			if (err == -EEXIST)
				continue;	/* a pid named twice counts once */
			return err;
		}
		sel->pids[sel->nr_pids++] = pid;
	}
	return 0;
}

static int ptshare_parse_selection(char *buf, struct ptshare_selection *sel)
{
	size_t len;

	buf = strim(buf);
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

static ssize_t ptshare_select_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct ptshare_selection sel = {};
	char *buf;
	int err;

	if (!count || count > PTSHARE_SELECT_MAX_LEN)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	err = ptshare_parse_selection(buf, &sel);
	kfree(buf);
	if (err) {
		ptshare_select_put(&sel);
		return err;
	}
	mutex_lock(&ptshare_select_mutex);
	ptshare_select_put(&ptshare_selection);
	ptshare_selection = sel;
	mutex_unlock(&ptshare_select_mutex);
	return count;
}

static int ptshare_select_show(struct seq_file *m, void *v)
{
	struct ptshare_selection sel;
	unsigned int i;

	ptshare_select_get(&sel);
	switch (sel.kind) {
	case PTSHARE_SELECT_ALL:
		seq_puts(m, "all\n");
		break;
	case PTSHARE_SELECT_COMM:
		seq_printf(m, "comm %s\n", sel.comm);
		break;
	case PTSHARE_SELECT_PIDS:
		seq_puts(m, "pid ");
		for (i = 0; i < sel.nr_pids; i++)
			seq_printf(m, "%s%d", i ? "," : "", pid_vnr(sel.pids[i]));
		seq_putc(m, '\n');
		break;
	}
	ptshare_select_put(&sel);
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

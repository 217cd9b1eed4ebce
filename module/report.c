// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: the summary, master and dump files.
 *
 * Each file is a seq_file whose iterator is a small state machine: the state
 * names the record at the current position, show() renders that record, and
 * next() moves on. seq_file may render the same record twice (when it did not
 * fit), so show() must be repeatable: it never moves the cursor, it only
 * leaves notes for next() about what it saw (a row printed, a task found
 * gone, where a master chunk stopped), which a second rendering overwrites
 * with the same values. Nothing
 * is buffered beyond one record: a summary row, one top-level slot of a dump,
 * or at most PTSHARE_MASTER_CHUNK ranges of the master walk. Locks and task
 * references are taken per record, never across read() calls; a dump keeps
 * only an mm_count reference (mmgrab) on the mm it is in the middle of.
 */
#include <linux/bsearch.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

#include "ptshare.h"
#include "compat.h"

/* Ranges per master record: well under a page of text. */
#define PTSHARE_MASTER_CHUNK	32

/*
 * Entry lines per record of the master file, 1 to PTSHARE_MASTER_CHUNK: a
 * test knob. Where records end must not change what master lists
 * (doc/FORMAT.md); the kcore_check selftest reads it with records of 1, 3
 * and 32 lines and compares.
 */
static unsigned int master_record = PTSHARE_MASTER_CHUNK;

static int ptshare_set_master_record(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, PTSHARE_MASTER_CHUNK);
}

static const struct kernel_param_ops ptshare_master_record_ops = {
	.set = ptshare_set_master_record,
	.get = param_get_uint,
};
module_param_cb(master_record, &ptshare_master_record_ops, &master_record, 0644);
MODULE_PARM_DESC(master_record, "entry lines per record of the master file (1-32; for tests)");

#define PTSHARE_SUMMARY_COLUMNS							\
	"columns kind tgid comm threads present shared same copy diff missing "	\
	"extra u_present u_shared u_same u_copy u_diff u_missing u_extra "	\
	"pt_pages kpriv_pages user_slots\n"

static const char *const ptshare_class_names[PTSHARE_NR_CLASSES] = { PTSHARE_CLASS_NAMES };

enum ptshare_phase {
	PTSHARE_PH_HEADER,
	PTSHARE_PH_MASTER,	/* summary: master row */
	PTSHARE_PH_ROW,		/* summary: one mm */
	PTSHARE_PH_SECTION,	/* master: "pgd" line of a section */
	PTSHARE_PH_CHUNK,	/* master: ranges from a resume address */
	PTSHARE_PH_TASK,	/* dump: task line */
	PTSHARE_PH_USLOTS,	/* dump: the user-half top-level slots */
	PTSHARE_PH_SLOT,	/* dump: one top-level slot */
	PTSHARE_PH_TASK_END,
	PTSHARE_PH_END,
	PTSHARE_PH_DONE,
};

/* Shared mms resolved together (ptshare_shared_resolve()). */
#define PTSHARE_SHARED_BATCH	1024

/*
 * The most mms one resolution of who shares them answers for (below), 1 to
 * PTSHARE_SHARED_BATCH: a test knob. summary_procs reads summary with a
 * small batch too, so that its pairs of processes take several.
 */
static unsigned int shared_batch = PTSHARE_SHARED_BATCH;

static int ptshare_set_shared_batch(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, PTSHARE_SHARED_BATCH);
}

static const struct kernel_param_ops ptshare_shared_batch_ops = {
	.set = ptshare_set_shared_batch,
	.get = param_get_uint,
};
module_param_cb(shared_batch, &ptshare_shared_batch_ops, &shared_batch, 0644);
MODULE_PARM_DESC(shared_batch, "mms resolved at once by who shares them (1-1024; for tests)");

struct ptshare_shared_mm {
	struct mm_struct *mm;	/* mmgrab()ed */
	pid_t first;		/* lowest tgid of a process using it */
	unsigned int threads;	/* threads using it */
};

struct ptshare_shared {
	unsigned int nr;	/* sorted by mm */
	struct ptshare_shared_mm *mm;	/* PTSHARE_SHARED_BATCH of them */
};

struct ptshare_counts {
	unsigned long present;
	unsigned long cls[PTSHARE_NR_CLASSES];
};

/*
 * summary: a copy of the kernel half of a master table (ptshare_mslots_sync())
 * with what a process slot of exactly those bytes counts as.
 */
#define PTSHARE_MS_PRESENT	0x80	/* in cls[]: the entry is present */
#define PTSHARE_MS_UNKNOWN	0x7f	/* in cls[]: changed while decoded */

struct ptshare_mslots {
	unsigned int n;			/* slots, from ptshare_first_slot */
	unsigned int unknown;		/* slots with PTSHARE_MS_UNKNOWN */
	bool valid;
	bool checked;			/* against the master, in this read() call */
	struct ptshare_counts total;	/* of the n slots */
	u8 *cls;			/* per slot: class | PTSHARE_MS_PRESENT */
	pgd_t raw[];			/* the slots as decoded */
};

/*
 * A summary row's numbers, built in one buffer and handed to seq_file in one
 * seq_write(), not twenty seq_put_decimal_ull() calls (each checks room and
 * converts through a temporary). In the iterator: on 32-bit ARM with KASAN
 * the row's stack frame passed 1 KiB with it.
 */
struct ptshare_line {
	unsigned int len;
	char buf[224];		/* 20 fields of at most 1 + 20 characters */
};

struct ptshare_iter {
	struct pid_namespace *ns;
	enum ptshare_phase phase;
	unsigned long records;		/* rows or tasks, for the end line */
	bool row_shown;			/* the current summary row was printed */

	/* task cursor: next tgid (all, comm) or index into sel.pids */
	pid_t nr;
	/* when the read began (ktime_get_ns()): processes started later are not listed */
	u64 began;
	/* the process of the current record, as next() found it */
	struct pid *pid;
	enum pid_type pid_type;
	struct ptshare_selection sel;	/* dump: selection taken at open */

	/* dump: the task in progress, as found when it was pinned */
	struct mm_struct *mm;		/* mmgrab()ed, or NULL */
	pid_t tgid;
	char comm[TASK_COMM_LEN];
	unsigned int threads;
	const char *status;		/* ok, no-mm, gone */
	bool exited;
	bool execed;			/* exited, because the process called exec */
	bool user;			/* walking the user-mode pgd copy */
	unsigned int slot;

	/* summary, dump all or comm: mms that more than one process uses */
	struct ptshare_shared shared;
	/* summary: the master's kernel half, of pgd and user-mode copy */
	struct ptshare_mslots *ms[2];
	struct ptshare_line line;	/* summary: the row being printed */
	/*
	 * summary: the tables walked for one row (or the master row); here,
	 * not on the stack, which on 32-bit ARM with KASAN is 1 KiB a frame
	 */
	struct ptshare_cost cost;

	/* master: tables walked in this section, across chunks */
	struct ptshare_walk_memo memo;
	bool memo_live;
	/* master: where the next chunk starts */
	unsigned long va;
	unsigned int region;
	unsigned long slot_printed;	/* start of the last slot line, or ~0UL */
	/* set by show(), used by next() */
	unsigned long next_va;
	unsigned int next_region;
	unsigned long next_slot_printed;
	bool chunk_last;
};

/* ---- common pieces ---- */

static unsigned long ptshare_kernel_last(void)
{
	return ptshare_slot_va(ptshare_nr_slots() - 1) + (ptshare_entry_size(PTSHARE_PGD) - 1);
}

/*
 * Index of the innermost region holding @va, or nr when none does. Regions
 * are sorted by start, one enclosing another before it (arm64: the kernel
 * image inside vmalloc), so the last match is the innermost.
 */
static unsigned int ptshare_region_index(unsigned long va)
{
	const struct ptshare_region *r;
	unsigned int nr, i, found;

	r = ptshare_arch_regions(&nr);
	found = nr;
	for (i = 0; i < nr; i++)
		if (va >= r[i].start && va <= r[i].last)
			found = i;
	return found;
}

/*
 * An address up to which, from @va on, the innermost region stays @va's:
 * where that region ends or the next region begins, whichever is first.
 */
static unsigned long ptshare_region_same_upto(unsigned long va)
{
	const struct ptshare_region *r;
	unsigned long hi = ULONG_MAX;
	unsigned int nr, i;

	r = ptshare_arch_regions(&nr);
	for (i = 0; i < nr; i++) {
		if (r[i].start > va)
			hi = min(hi, r[i].start - 1);
		else if (va <= r[i].last)
			hi = min(hi, r[i].last);
	}
	return hi;
}

const char *ptshare_region_name(unsigned long va)
{
	const struct ptshare_region *r;
	unsigned int nr, i;

	r = ptshare_arch_regions(&nr);
	i = ptshare_region_index(va);
	return i < nr ? r[i].name : "-";
}

/*
 * Bytes outside printable ASCII, spaces and backslashes become \ooo; an empty
 * string is "-", so a comm that is "-" itself is written \055.
 */
static bool ptshare_escaped_char(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || c == '\\';
}

static bool ptshare_needs_escape(const char *s)
{
	for (; *s; s++) {
		if (ptshare_escaped_char(*s))
			return true;
	}
	return false;
}

static void ptshare_put_escaped(struct seq_file *m, const char *s)
{
	if (!*s) {
		seq_putc(m, '-');
		return;
	}
	if (!strcmp(s, "-")) {
		seq_puts(m, "\\055");
		return;
	}
	if (!ptshare_needs_escape(s)) {
		seq_puts(m, s);
		return;
	}
	for (; *s; s++) {
		unsigned char c = *s;

		if (ptshare_escaped_char(c))
			seq_printf(m, "\\%03o", c);
		else
			seq_putc(m, c);
	}
}

/*
 * @prefix, then @v in hex as "%llx" prints it: without vsnprintf(), which
 * the lines of master and dump would otherwise spend most of their time in
 * (seq_put_hex_ll() is not exported).
 */
static void ptshare_put_hex(struct seq_file *m, const char *prefix, u64 v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[16];
	int i = sizeof(buf);

	do {
		buf[--i] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	seq_puts(m, prefix);
	seq_write(m, buf + i, sizeof(buf) - i);
}

/* " " and @v in decimal; u32 arithmetic where it fits (no 64-bit division on 32-bit ARM) */
static void ptshare_line_dec(struct ptshare_line *l, u64 v)
{
	char tmp[20];
	int i = sizeof(tmp);
	u32 w;

	if (WARN_ON_ONCE(l->len + 1 + sizeof(tmp) > sizeof(l->buf)))
		return;
	while (v > U32_MAX)
		tmp[--i] = '0' + do_div(v, 10);
	w = v;
	do {
		tmp[--i] = '0' + w % 10;
		w /= 10;
	} while (w);
	l->buf[l->len++] = ' ';
	memcpy(l->buf + l->len, tmp + i, sizeof(tmp) - i);
	l->len += sizeof(tmp) - i;
}

static void ptshare_line_put(struct ptshare_line *l, const char *s, size_t n)
{
	if (WARN_ON_ONCE(l->len + n > sizeof(l->buf)))
		return;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* a string literal, without strlen() */
#define ptshare_line_lit(l, s)	ptshare_line_put(l, s, sizeof(s) - 1)

/* The names of @f that apply to @raw, comma separated, after *@sep. */
void ptshare_show_flag_names(struct seq_file *m, const struct ptshare_flag_name *f,
			     unsigned int n, u64 raw, const char **sep)
{
	const char *name;
	unsigned int i;

	for (i = 0; i < n; i++) {
		name = raw & f[i].mask ? f[i].set : f[i].clear;
		if (!name)
			continue;
		seq_puts(m, *sep);
		seq_puts(m, name);
		*sep = ",";
	}
}

static void ptshare_show_header(struct seq_file *m, const char *file)
{
	const struct ptshare_region *r;
	unsigned int nr, i;
	pgd_t *upgd = ptshare_master.user_pgd;
	phys_addr_t ttbr;

	seq_printf(m, "ptshare %s %d.%d\n", file, PTSHARE_FORMAT_MAJOR, PTSHARE_FORMAT_MINOR);
	seq_printf(m, "kernel %s\n", utsname()->release);
	seq_printf(m, "arch %s\n", ptshare_arch_name());
	seq_printf(m, "page_size %lu\n", PAGE_SIZE);
	seq_printf(m, "levels %u\n", ptshare_levels_in_use());
	for (i = 0; i < PTSHARE_NR_LEVELS; i++)
		seq_printf(m, "level %s %u %u %s\n", ptshare_levels[i].name,
			   ptshare_levels[i].shift, ptshare_levels[i].ptrs,
			   ptshare_levels[i].folded ? "folded" : "real");
	seq_printf(m, "kernel_half 0x%lx 0x%lx\n", ptshare_kernel_lo, ptshare_kernel_last());
	seq_printf(m, "kernel_slots %u %u\n", ptshare_first_slot, ptshare_nr_slots() - 1);
	seq_printf(m, "master_pgd 0x%lx 0x%llx %s\n", (unsigned long)ptshare_master.pgd,
		   (u64)virt_to_phys(ptshare_master.pgd), ptshare_master.source);
	if (upgd)
		seq_printf(m, "master_user_pgd 0x%lx 0x%llx\n", (unsigned long)upgd,
			   (u64)virt_to_phys(upgd));
	else
		seq_puts(m, "master_user_pgd - -\n");
	seq_printf(m, "master_lock %s\n", ptshare_master.mm ? "init_mm" : "none");
	ptshare_arch_show_isolation(m);
	if (ptshare_arch_kernel_table(&ttbr))
		seq_printf(m, "kernel_table ttbr1 0x%llx\n", (u64)ttbr);
	else
		seq_puts(m, "kernel_table pgd -\n");
	r = ptshare_arch_regions(&nr);
	for (i = 0; i < nr; i++)
		seq_printf(m, "region 0x%lx 0x%lx %s\n", r[i].start, r[i].last, r[i].name);
}

/* ---- finding processes ---- */

/*
 * The mm a process uses: its leader's, or, when the leader has exited while
 * other threads run (a zombie leader has no mm), a live thread's. Under RCU;
 * the pointer is only compared, never followed.
 */
static struct mm_struct *ptshare_mm_of(struct task_struct *p)
{
	struct mm_struct *mm = READ_ONCE(p->mm);
	struct task_struct *t;

	if (mm || (p->flags & PF_KTHREAD))
		return mm;
	for_each_thread(p, t) {
		mm = READ_ONCE(t->mm);
		if (mm)
			return mm;
	}
	return NULL;
}

/* The mm of the process led by @leader, pinned (mmget), or NULL. */
static struct mm_struct *ptshare_process_mm(struct task_struct *leader)
{
	struct task_struct *t;
	struct mm_struct *mm;

	mm = get_task_mm(leader);
	if (mm || (leader->flags & PF_KTHREAD))
		return mm;
	rcu_read_lock();
	for_each_thread(leader, t) {
		mm = get_task_mm(t);
		if (mm)
			break;
	}
	rcu_read_unlock();
	return mm;
}

/*
 * ptshare_process_mm() with the comm of @leader copied to @comm (@size bytes)
 * under the same task_lock(): one lock a summary row, not two.
 */
static struct mm_struct *ptshare_process_mm_comm(struct task_struct *leader, char *comm,
						 size_t size)
{
	struct mm_struct *mm = NULL;

	task_lock(leader);
	ptshare_task_comm_locked(comm, size, leader);
	if (!(leader->flags & PF_KTHREAD)) {
		mm = leader->mm;
		if (mm)
			mmget(mm);
	}
	task_unlock(leader);
	if (mm || (leader->flags & PF_KTHREAD))
		return mm;
	return ptshare_process_mm(leader);	/* the leader exited: a thread's */
}

/*
 * Processes that share an mm (clone(CLONE_VM) without CLONE_THREAD, vfork)
 * have one row, at the lowest tgid, with the threads of all of them. Who
 * else uses an mm is only known by looking at every process: asked process
 * by process, a summary of P processes of which S share their mm would look
 * at P * S processes. ptshare_shared_resolve() answers it instead for the
 * mms of up to PTSHARE_SHARED_BATCH processes at once, the next ones (by
 * tgid) that look shared, in one visit of each process: O(P * S / batch)
 * in all, in memory of a fixed size (16 KiB a reader; with a batch of 64, a
 * summary of 10,000 processes, one in five sharing an mm, spent half its
 * time here). The mms are held by mmgrab(), so that their pointers stay
 * unique while they are compared. Processes are visited by pid number in
 * the reader's namespace, with cond_resched() between RCU sections: a
 * process the reader cannot see is not counted.
 */

/*
 * Under RCU: the struct pid numbered *@nr or next above it in @ns (NULL:
 * none), *@nr becoming its number, and in *@task the leader of the thread
 * group of that number (NULL: that number is no process's tgid).
 */
static struct pid *ptshare_pid_ge(struct pid_namespace *ns, pid_t *nr,
				  struct task_struct **task)
{
	struct pid *pid = find_ge_pid(*nr, ns);

	*task = NULL;
	if (pid) {
		*nr = pid_nr_ns(pid, ns);
		*task = pid_task(pid, PIDTYPE_TGID);
	}
	return pid;
}

static int ptshare_shared_cmp(const void *a, const void *b)
{
	const struct ptshare_shared_mm *x = a, *y = b;

	return x->mm < y->mm ? -1 : x->mm > y->mm;
}

static struct ptshare_shared_mm *ptshare_shared_find(struct ptshare_shared *sh,
						     struct mm_struct *mm)
{
	struct ptshare_shared_mm key = { .mm = mm };

	return bsearch(&key, sh->mm, sh->nr, sizeof(key), ptshare_shared_cmp);
}

static void ptshare_shared_release(struct ptshare_shared *sh)
{
	while (sh->nr)
		mmdrop(sh->mm[--sh->nr].mm);
}

/* Threads of @task using @mm; under RCU. */
static unsigned int ptshare_mm_threads(struct task_struct *task, struct mm_struct *mm)
{
	struct task_struct *t;
	unsigned int n = 0;

	for_each_thread(task, t) {
		if (READ_ONCE(t->mm) == mm)
			n++;
	}
	return n;
}

/*
 * Every task whose ->mm is @mm holds an mm_users reference, and the caller
 * holds @extra more: when mm_users is no more than @own threads plus those,
 * no other process uses @mm. A count that moves meanwhile only ever makes it
 * look shared: then a resolution decides.
 */
static bool ptshare_looks_shared(struct mm_struct *mm, unsigned int own, unsigned int extra)
{
	return atomic_read(&mm->mm_users) > own + extra;
}

/*
 * Pass 1's look at the process led by @task, under RCU: when it looks like
 * it shares its mm, that mm, grabbed, and in *@own its threads using it.
 * task_lock() keeps a thread's ->mm (and so the mm) alive while its
 * mm_users is read; no task or mm reference is taken for the others.
 */
static struct mm_struct *ptshare_shared_candidate(struct task_struct *task,
						  unsigned int *own)
{
	struct mm_struct *mm;
	struct task_struct *t;

	if (task->flags & PF_KTHREAD)
		return NULL;
	/* the first thread with an mm: the leader may have exited */
	for_each_thread(task, t) {
		task_lock(t);
		mm = t->mm;
		if (mm) {
			*own = ptshare_mm_threads(task, mm);
			if (ptshare_looks_shared(mm, *own, 0))
				mmgrab(mm);
			else
				mm = NULL;
			task_unlock(t);
			return mm;
		}
		task_unlock(t);
	}
	return NULL;
}

/* Sort the batch by mm and merge the entries of one mm. */
static void ptshare_shared_merge(struct ptshare_shared *sh)
{
	struct ptshare_shared_mm *e, *last;
	unsigned int i, n;

	sort(sh->mm, sh->nr, sizeof(sh->mm[0]), ptshare_shared_cmp, NULL);
	for (i = n = 0; i < sh->nr; i++) {
		e = &sh->mm[i];
		last = n ? &sh->mm[n - 1] : NULL;
		if (last && last->mm == e->mm) {
			last->threads += e->threads;
			last->first = min(last->first, e->first);
			mmdrop(e->mm);
		} else {
			sh->mm[n++] = *e;
		}
	}
	sh->nr = n;
}

/*
 * Add the users of the batch's mms among the processes with a tgid from
 * @nr to @end (0: to the last); 64 processes to an RCU section, which
 * keeps each task while it is looked at.
 */
static void ptshare_shared_count(struct ptshare_shared *sh, struct pid_namespace *ns,
				 pid_t nr, pid_t end)
{
	struct ptshare_shared_mm *e;
	struct task_struct *task;
	struct mm_struct *other;
	unsigned int own, i;
	bool more = true;

	while (more) {
		rcu_read_lock();
		for (i = 0; i < 64; i++, nr++) {
			if (!ptshare_pid_ge(ns, &nr, &task) || (end && nr > end)) {
				more = false;
				break;
			}
			if (!task || (task->flags & PF_KTHREAD))
				continue;
			other = ptshare_mm_of(task);
			e = other ? ptshare_shared_find(sh, other) : NULL;
			if (!e)
				continue;
			own = ptshare_mm_threads(task, other);
			e->threads += own;
			if (own && nr < e->first)
				e->first = nr;
		}
		rcu_read_unlock();
		cond_resched();
	}
}

/*
 * Resolve @mm (pinned by the caller, used by the process with tgid @from)
 * and the mms of the next processes after @from that look shared, up to the
 * batch's size: for each, the lowest tgid using it and its threads.
 *
 * Pass 1 visits the processes after @from and fills the batch with those
 * that look shared, each with its own threads and tgid; pass 1 meets every
 * user of such an mm that it visits, so when the batch fills, duplicates are
 * merged and what room they leave is filled again. Pass 2 counts the users
 * among the processes pass 1 did not visit: up to @from, and after the
 * point where the batch was full, if it was. Each process is visited once.
 */
static void ptshare_shared_resolve(struct ptshare_shared *sh, struct pid_namespace *ns,
				   struct mm_struct *mm, pid_t from)
{
	unsigned int own, i, batch = READ_ONCE(shared_batch);
	struct task_struct *task;
	struct mm_struct *other;
	bool more = true;
	pid_t nr;

	ptshare_shared_release(sh);
	mmgrab(mm);
	sh->mm[sh->nr++] = (struct ptshare_shared_mm){ .mm = mm, .first = PID_MAX_LIMIT };

	for (nr = from + 1; more && sh->nr < batch; cond_resched()) {
		rcu_read_lock();
		for (i = 0; i < 64 && sh->nr < batch; i++, nr++) {
			if (!ptshare_pid_ge(ns, &nr, &task)) {
				more = false;
				break;
			}
			other = task ? ptshare_shared_candidate(task, &own) : NULL;
			if (other)
				sh->mm[sh->nr++] = (struct ptshare_shared_mm){
					.mm = other, .first = own ? nr : PID_MAX_LIMIT,
					.threads = own,
				};
		}
		rcu_read_unlock();
		if (sh->nr == batch || !more)
			ptshare_shared_merge(sh);
	}
	/* full (and sorted, by the merge), or pass 1 reached the last process */
	ptshare_shared_count(sh, ns, 1, from);
	if (more)
		ptshare_shared_count(sh, ns, nr, 0);
}

/* Whether the process with tgid @nr still uses @mm; under RCU. */
static bool ptshare_still_uses(struct pid_namespace *ns, pid_t nr, struct mm_struct *mm)
{
	struct task_struct *p = pid_task(find_pid_ns(nr, ns), PIDTYPE_TGID);

	return p && !(p->flags & PF_KTHREAD) && ptshare_mm_of(p) == mm;
}

/*
 * Count the threads using @mm, pinned by the caller, and tell whether @task,
 * with tgid @nr, has the lowest tgid among the processes using it (threads
 * of one mm share one row; an mm no task uses any more, that of a process
 * in exit, has none). Most mms have one process: its own threads and the
 * caller's reference account for mm_users, and nothing else is looked at.
 */
static bool ptshare_mm_first(struct ptshare_iter *it, struct task_struct *task,
			     struct mm_struct *mm, pid_t nr, unsigned int *threads)
{
	struct ptshare_shared *sh = &it->shared;
	struct ptshare_shared_mm *e;
	bool again = false, ok;

	rcu_read_lock();
	*threads = ptshare_mm_threads(task, mm);
	rcu_read_unlock();
	if (*threads && !ptshare_looks_shared(mm, *threads, 1))
		return true;
	for (;;) {
		e = ptshare_shared_find(sh, mm);
		if (e) {
			/* The batch is a snapshot: was its first user since gone? */
			rcu_read_lock();
			ok = e->first == nr ||
			     (e->first < nr && ptshare_still_uses(it->ns, e->first, mm));
			rcu_read_unlock();
			if (ok || again)
				break;
		} else if (again) {
			break;
		}
		ptshare_shared_resolve(sh, it->ns, mm, nr);
		again = true;
	}
	if (!e || !e->threads) {
		/*
		 * No task uses @mm any more: every thread has passed exit_mm()
		 * since the caller pinned it. The process is exiting; it has
		 * no row.
		 */
		*threads = 0;
		return false;
	}
	*threads = e->threads;
	return e->first == nr;
}

/*
 * The process with the smallest tgid >= it->nr (it->nr becomes that tgid)
 * that had started when the read began: its struct pid, referenced (the
 * record is that process, even if the number is reused before the record is
 * shown), and in *@taskp its leader, referenced; NULL when there is none.
 * A process started later is passed over: a read that listed new processes
 * too would not end while processes fork faster than it reads them (forks
 * take ever higher tgids), as it did not in the stress test under TCG.
 */
static struct pid *ptshare_next_tgid(struct ptshare_iter *it, struct task_struct **taskp)
{
	struct task_struct *task;
	struct pid *pid;

	for (;; it->nr++) {
		rcu_read_lock();
		pid = ptshare_pid_ge(it->ns, &it->nr, &task);
		/* copy_process() sets start_time before the task is found by pid */
		if (task && task->start_time > it->began)
			task = NULL;
		if (task) {
			get_task_struct(task);
			get_pid(pid);
		}
		rcu_read_unlock();
		if (!pid || task) {
			*taskp = task;
			return pid;
		}
		cond_resched();
	}
}

/*
 * The next process (ptshare_next_tgid()) that has, with @comm, that comm,
 * and an mm it is the first user of; it->threads gets that mm's threads,
 * and *@mmp, if not NULL, the mm (an mmget() reference for the caller).
 */
static struct pid *ptshare_next_process(struct ptshare_iter *it, const char *comm,
					struct mm_struct **mmp)
{
	char name[TASK_COMM_LEN];
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;
	bool ok;

	for (;; it->nr++) {
		pid = ptshare_next_tgid(it, &task);
		if (!pid)
			return NULL;
		/* the name first: a selection by comm costs what its processes cost */
		ok = true;
		if (comm) {
			ptshare_task_comm(name, sizeof(name), task);
			ok = !strcmp(name, comm);
		}
		mm = ok ? ptshare_process_mm(task) : NULL;
		ok = mm && ptshare_mm_first(it, task, mm, it->nr, &it->threads);
		if (ok && mmp)
			*mmp = mm;
		else if (mm)
			mmput(mm);
		put_task_struct(task);
		if (ok)
			return pid;
		put_pid(pid);
		cond_resched();
	}
}

/* ---- comparing one pgd with the master's ---- */

/*
 * Lock what the walker reads of @mm and of the master. Not @mm's mmap lock:
 * ptshare follows no user-half table (it reads the user-half top-level
 * entries, never what they point to), and the mm's pgd lives as long as the
 * mmget() reference the callers hold. The kernel half of a process is the
 * master's tables (init_mm's lock, taken for write as ptdump does) and what
 * the architecture adds per mm (x86: the LDT remap, under ldt_usr_sem). The
 * kernel takes ldt_usr_sem and then faults (mmap lock) under it; taking the
 * mmap lock first here was a lock-order inversion (doc/DESIGN.md, Locking).
 */
static int ptshare_lock_both(struct mm_struct *mm)
{
	ptshare_arch_lock_mm(mm);
	if (ptshare_master_lock()) {
		ptshare_arch_unlock_mm(mm);
		return -EINTR;
	}
	return 0;
}

static void ptshare_unlock_both(struct mm_struct *mm)
{
	ptshare_master_unlock();
	ptshare_arch_unlock_mm(mm);
}

static struct ptshare_mslots *ptshare_mslots_alloc(void)
{
	unsigned int n = ptshare_nr_slots() - ptshare_first_slot;
	struct ptshare_mslots *ms;

	ms = kvzalloc(struct_size(ms, raw, n) + n, GFP_KERNEL);
	if (ms) {
		ms->n = n;
		ms->cls = (u8 *)(ms->raw + n);
	}
	return ms;
}

/*
 * A process's top-level slot whose bytes are the master's classifies as the
 * master's entry against itself (SHARED for a table, SAME for a leaf, NONE
 * when empty) and costs nothing: only slots that differ need a walk. @ms
 * keeps the master's kernel half as last decoded, each slot's class and the
 * totals; when the master's bytes changed since (32-bit ARM's vmalloc
 * slots), it is copied and decoded again. Top-level entries only: no lock
 * is needed to read them.
 */
static int ptshare_mslots_sync(struct ptshare_mslots *ms, pgd_t *master)
{
	pgd_t *live = master + ptshare_first_slot;
	struct ptshare_entry e;
	unsigned int i;
	u8 cls;

	if (ms->valid && !memcmp(ms->raw, live, ms->n * sizeof(pgd_t)))
		return 0;
	memset(&ms->total, 0, sizeof(ms->total));
	ms->unknown = 0;
	for (i = 0; i < ms->n; i++) {
		memcpy(&ms->raw[i], &live[i], sizeof(pgd_t));
		if (ptshare_read_slot(master, ptshare_first_slot + i, &e))
			return -EFAULT;
		cls = ptshare_classify(&e, &e, NULL);
		/* what was decoded must be what was copied: unchanged since */
		if (memcmp(&ms->raw[i], &live[i], sizeof(pgd_t)))
			cls = PTSHARE_MS_UNKNOWN;
		ms->cls[i] = cls | (e.present ? PTSHARE_MS_PRESENT : 0);
		if (cls == PTSHARE_MS_UNKNOWN) {
			ms->unknown++;
			continue;
		}
		ms->total.present += e.present;
		ms->total.cls[cls]++;
	}
	ms->valid = true;
	return 0;
}

/* An entry of all zero bytes is empty on every architecture. */
static bool ptshare_slot_empty(const pgd_t *pgd, unsigned int slot)
{
	return !memchr_inv(pgd + slot, 0, sizeof(pgd_t));
}

/* The first slot of @pgd from @slot on, below @nr, that is not all zero; @nr if none. */
static unsigned int ptshare_next_used(const pgd_t *pgd, unsigned int slot, unsigned int nr)
{
	const void *found = slot < nr ? memchr_inv(pgd + slot, 0, (nr - slot) * sizeof(pgd_t)) :
			    NULL;

	return found ? ((const char *)found - (const char *)pgd) / sizeof(pgd_t) : nr;
}

/*
 * The first slot from @i on (an index into @ms) whose bytes in @proc are
 * not the copy's, or whose class the copy does not know; ms->n if none.
 * A word at a time: most slots are the copy's.
 */
static unsigned int ptshare_next_diff(const pgd_t *proc, const struct ptshare_mslots *ms,
				      unsigned int i)
{
	const unsigned long *p = (const unsigned long *)(proc + ptshare_first_slot);
	const unsigned long *r = (const unsigned long *)ms->raw;
	const unsigned int per = sizeof(pgd_t) / sizeof(long);
	unsigned int w, end = ms->n * per;

	BUILD_BUG_ON(sizeof(pgd_t) % sizeof(long));
	if (ms->unknown) {
		while (i < ms->n && (ms->cls[i] & ~PTSHARE_MS_PRESENT) != PTSHARE_MS_UNKNOWN &&
		       !memcmp(&p[i * per], &r[i * per], sizeof(pgd_t)))
			i++;
		return i;
	}
	for (w = i * per; w < end && READ_ONCE(p[w]) == r[w]; w++)
		;
	return w / per;
}

/*
 * Count the classes of @proc's kernel-half slots against @master's. A slot
 * whose bytes are those of @ms, the copy of @master taken or checked at the
 * start of this read() call, has the class the copy has: a process whose
 * kernel half is the master's costs one pass over it, as the floor of
 * scripts/bench-module.sh costs, and the others only what their slots that
 * differ cost. Those are classified against the live master: from their
 * top-level entries where that is enough (no lock needed), else walked under
 * the locks, one slot at a time. @cost counts each private table page once,
 * however many slots (of this pgd or, with PTI, of the other one: the LDT
 * slot) point to it.
 */
static int ptshare_compare_pgd(struct mm_struct *mm, pgd_t *proc, pgd_t *master,
			       struct ptshare_mslots *ms, struct ptshare_counts *c,
			       struct ptshare_cost *cost)
{
	struct ptshare_entry p, me;
	unsigned int i, slot, k;
	int err;

	if (!ms->checked) {
		err = ptshare_mslots_sync(ms, master);
		if (err)
			return err;
		ms->checked = true;
	}
	/* every slot as the copy's, then each slot that differs corrected */
	c->present += ms->total.present;
	for (k = 0; k < PTSHARE_NR_CLASSES; k++)
		c->cls[k] += ms->total.cls[k];
	for (i = ptshare_next_diff(proc, ms, 0); i < ms->n;
	     i = ptshare_next_diff(proc, ms, i + 1)) {
		slot = ptshare_first_slot + i;
		k = ms->cls[i] & ~PTSHARE_MS_PRESENT;
		if (k != PTSHARE_MS_UNKNOWN) {
			c->present -= !!(ms->cls[i] & PTSHARE_MS_PRESENT);
			c->cls[k]--;
			/*
			 * Absent in the process (all zero bytes): MISSING where
			 * the copy has an entry. 32-bit ARM's processes lack
			 * more vmalloc slots the more processes (stacks) there
			 * are: this costs them nothing.
			 */
			if (ptshare_slot_empty(proc, slot)) {
				c->cls[ms->cls[i] & PTSHARE_MS_PRESENT ?
				       PTSHARE_MISSING : PTSHARE_NONE]++;
				continue;
			}
		}
		/*
		 * Top-level entries need no lock. What classifies from them
		 * alone (absent in the process: 32-bit ARM's vmalloc slots that
		 * have not reached it yet; the same table; leaves) is counted
		 * at once; the rest is read again under the locks and walked.
		 */
		if (ptshare_read_slot(proc, slot, &p) || ptshare_read_slot(master, slot, &me))
			return -EFAULT;
		if (!p.present || (me.present && (!p.next || !me.next || p.pa == me.pa))) {
			c->present += p.present;
			c->cls[ptshare_classify(&p, &me, cost)]++;
			continue;
		}
		err = ptshare_lock_both(mm);
		if (err)
			return err;
		err = ptshare_read_slot(proc, slot, &p);
		if (!err)
			err = ptshare_read_slot(master, slot, &me);
		if (!err) {
			c->present += p.present;
			c->cls[ptshare_classify(&p, &me, cost)]++;
		}
		ptshare_unlock_both(mm);
		if (err)
			return -EFAULT;
		cond_resched();
	}
	return cost ? cost->w.error : 0;
}

/* present and the classes but NONE, or as many "-" for @c NULL */
static void ptshare_line_counts(struct ptshare_line *l, const struct ptshare_counts *c)
{
	enum ptshare_class k;

	BUILD_BUG_ON(PTSHARE_NR_CLASSES != 7);
	if (!c) {
		ptshare_line_lit(l, " - - - - - - -");
		return;
	}
	ptshare_line_dec(l, c->present);
	for (k = PTSHARE_SHARED; k < PTSHARE_NR_CLASSES; k++)
		ptshare_line_dec(l, c->cls[k]);
}

static void ptshare_cost_init(struct ptshare_cost *cost)
{
	memset(cost, 0, sizeof(*cost));
	ptshare_memo_init(&cost->memo);
	cost->w.memo = &cost->memo;
}

static void ptshare_cost_destroy(struct ptshare_cost *cost)
{
	ptshare_memo_destroy(&cost->memo);
}

/* ---- summary ---- */

/*
 * The master row: present kernel-half slots of the master pgd (and of its
 * user-mode copy), and pt_pages, the distinct table pages reachable from
 * both, each counted once however many entries point to it (KASAN's early
 * shadow, espfix, PTI's clones of kernel tables into the user copy).
 */
static int ptshare_summary_master_row(struct seq_file *m)
{
	struct ptshare_iter *it = m->private;
	struct ptshare_counts c = {}, uc = {};
	struct ptshare_cost *count = &it->cost;
	struct ptshare_entry e;
	pgd_t *pgds[2] = { ptshare_master.pgd, ptshare_master.user_pgd };
	unsigned long *present[2] = { &c.present, &uc.present };
	unsigned int slot, i;
	int err = 0;

	ptshare_cost_init(count);
	/* the lock for one slot's tables at a time */
	for (i = 0; i < ARRAY_SIZE(pgds) && pgds[i] && !err; i++) {
		for (slot = ptshare_first_slot; slot < ptshare_nr_slots(); slot++) {
			err = ptshare_master_lock();
			if (err)
				break;
			err = ptshare_read_slot(pgds[i], slot, &e);
			if (!err)
				err = ptshare_count_tables(&count->w, &e);
			ptshare_master_unlock();
			if (err)
				break;
			*present[i] += e.present;
			cond_resched();
		}
	}
	if (err)
		goto out;
	seq_printf(m, "master 0 - 0 %lu", c.present);
	seq_puts(m, " - - - - - -");
	if (ptshare_master.user_pgd)
		seq_printf(m, " %lu - - - - - -", uc.present);
	else
		seq_puts(m, " - - - - - - -");
	seq_printf(m, " %lu - -\n", ptshare_arch_pgd_pages() + count->w.tables);
out:
	ptshare_cost_destroy(count);
	return err;
}

/*
 * Present top-level entries of @pgd covering user addresses; -EFAULT if
 * unreadable. An entry of all zero bytes is empty on every architecture:
 * only the others are decoded.
 */
static long ptshare_count_user_slots(pgd_t *pgd)
{
	unsigned int slot, nr = ptshare_nr_user_slots();
	struct ptshare_entry e;
	long n = 0;

	for (slot = ptshare_next_used(pgd, 0, nr); slot < nr;
	     slot = ptshare_next_used(pgd, slot + 1, nr)) {
		if (ptshare_read_entry(PTSHARE_PGD, pgd, slot, ptshare_user_slot_va(slot), &e))
			return -EFAULT;
		n += e.present;
	}
	return n;
}

static int ptshare_summary_row(struct seq_file *m, struct ptshare_iter *it)
{
	struct ptshare_line *line = &it->line;
	struct ptshare_counts c = {}, uc = {};
	struct ptshare_cost *cost = &it->cost;
	char comm[TASK_COMM_LEN];
	struct task_struct *task;
	unsigned int threads;
	struct mm_struct *mm;
	long user_slots = 0;
	bool costed = false;
	pgd_t *upgd = NULL;
	int err = 0;

	it->row_shown = false;
	/* The process next() found, by its struct pid: never a reuse of its number. */
	task = it->pid ? get_pid_task(it->pid, PIDTYPE_TGID) : NULL;
	if (!task)
		return 0;
	mm = ptshare_process_mm_comm(task, comm, sizeof(comm));
	if (!mm || !ptshare_mm_first(it, task, mm, it->nr, &threads))
		goto out;

	/* Nothing to compare where the process pgd holds no kernel half. */
	if (!ptshare_kernel_separate) {
		ptshare_cost_init(cost);
		costed = true;
		err = ptshare_compare_pgd(mm, mm->pgd, ptshare_master.pgd, it->ms[0], &c, cost);
		upgd = ptshare_arch_user_pgd(mm->pgd);
		if (!err && upgd && ptshare_master.user_pgd)
			err = ptshare_compare_pgd(mm, upgd, ptshare_master.user_pgd, it->ms[1],
						  &uc, cost);
	}
	if (!err) {
		user_slots = ptshare_count_user_slots(mm->pgd);
		if (user_slots < 0)
			err = user_slots;
	}
	if (err == -EFAULT) {
		/* Say so and go on: one unreadable table must not end the file. */
		seq_printf(m, "error %d mm %d\n", err, it->nr);
		err = 0;
		goto out;
	}
	if (err)
		goto out;

	/* not seq_printf(): one row per process */
	seq_put_decimal_ll(m, "mm ", it->nr);
	seq_putc(m, ' ');
	ptshare_put_escaped(m, comm);
	line->len = 0;
	ptshare_line_dec(line, threads);
	ptshare_line_counts(line, ptshare_kernel_separate ? NULL : &c);
	ptshare_line_counts(line, upgd ? &uc : NULL);
	ptshare_line_dec(line, ptshare_arch_pgd_pages() + (mm_pgtables_bytes(mm) >> PAGE_SHIFT));
	if (ptshare_kernel_separate)
		ptshare_line_lit(line, " -");
	else
		ptshare_line_dec(line, cost->w.tables);
	ptshare_line_dec(line, user_slots);
	ptshare_line_lit(line, "\n");
	seq_write(m, line->buf, line->len);
	it->row_shown = true;
out:
	if (costed)
		ptshare_cost_destroy(cost);
	if (mm)
		mmput(mm);
	put_task_struct(task);
	return err;
}

static int ptshare_summary_show(struct seq_file *m, void *v)
{
	struct ptshare_iter *it = m->private;

	switch (it->phase) {
	case PTSHARE_PH_HEADER:
		ptshare_show_header(m, "summary");
		seq_puts(m, PTSHARE_SUMMARY_COLUMNS);
		return 0;
	case PTSHARE_PH_MASTER:
		return ptshare_summary_master_row(m);
	case PTSHARE_PH_ROW:
		return ptshare_summary_row(m, it);
	case PTSHARE_PH_END:
		seq_printf(m, "end %lu\n", it->records);
		return 0;
	default:
		return 0;
	}
}

static void ptshare_summary_advance(struct ptshare_iter *it)
{
	struct task_struct *task;

	switch (it->phase) {
	case PTSHARE_PH_HEADER:
		it->phase = PTSHARE_PH_MASTER;
		break;
	case PTSHARE_PH_MASTER:
	case PTSHARE_PH_ROW:
		/*
		 * Every process is a record; show() prints a row for the first
		 * user of each mm and nothing for the others (one look at each
		 * mm, not one here and one there). Counted here: seq_file may
		 * render one record more than once.
		 */
		if (it->phase == PTSHARE_PH_ROW) {
			it->records += it->row_shown;
			it->row_shown = false;
			it->nr++;
			put_pid(it->pid);
		} else {
			it->nr = 1;
		}
		it->pid = ptshare_next_tgid(it, &task);
		if (it->pid)
			put_task_struct(task);
		it->phase = it->pid ? PTSHARE_PH_ROW : PTSHARE_PH_END;
		break;
	default:
		it->phase = PTSHARE_PH_DONE;
	}
}

/* ---- master ---- */

/*
 * A run of what the master maps, printed as one line: leaves at one level
 * with equal flags and contiguous frames (range), or frames that descend by
 * one entry each (descend: what memblock's top-down allocations give, such
 * as arm64's KASAN shadow), or all mapping the same frame (alias), or
 * entries pointing to a table walked before (repeat).
 */
enum ptshare_run_kind {
	PTSHARE_RUN_RANGE, PTSHARE_RUN_ALIAS, PTSHARE_RUN_REPEAT, PTSHARE_RUN_DESCEND
};

struct ptshare_range {
	bool open;
	enum ptshare_run_kind kind;
	unsigned int pieces;
	enum ptshare_level level;
	unsigned long start, last;
	u64 raw;
	phys_addr_t pa;		/* what start maps (the table, for a repeat) */
	phys_addr_t frame;	/* the frame of the last entry, whole */
	unsigned long same_upto; /* up to here the region is start's (0: not known yet) */
};

struct ptshare_master_walk {
	struct ptshare_walker w;
	struct seq_file *m;
	struct ptshare_range run;
	unsigned long lo;
	unsigned int lines;
	unsigned int region;
	unsigned long slot_printed;
	bool stopped;
	unsigned long stop_va;
};

static void ptshare_markers_upto(struct ptshare_master_walk *mw, unsigned long va)
{
	const struct ptshare_region *r;
	unsigned int nr;

	r = ptshare_arch_regions(&nr);
	while (mw->region < nr && r[mw->region].start <= va) {
		seq_printf(mw->m, "marker 0x%lx 0x%lx %s\n", r[mw->region].start,
			   r[mw->region].last, r[mw->region].name);
		mw->region++;
	}
}

static void ptshare_range_flush(struct ptshare_master_walk *mw)
{
	static const char *const kinds[] = { "range", "alias", "repeat", "descend" };
	struct ptshare_range *run = &mw->run;
	unsigned long size = run->last - run->start + 1;

	if (!run->open)
		return;
	/* the lines of master and dump: seq_put_*(), not seq_printf() */
	seq_puts(mw->m, kinds[run->kind]);
	ptshare_put_hex(mw->m, " 0x", run->start);
	ptshare_put_hex(mw->m, " 0x", run->last);
	ptshare_put_hex(mw->m, " 0x", size);
	seq_putc(mw->m, ' ');
	seq_puts(mw->m, ptshare_levels[run->level].name);
	seq_putc(mw->m, ' ');
	if (run->kind != PTSHARE_RUN_REPEAT) {
		ptshare_arch_show_flags(mw->m, run->level, run->raw, true);
		seq_putc(mw->m, ' ');
	}
	ptshare_put_hex(mw->m, "0x", run->pa);
	seq_putc(mw->m, '\n');
	run->open = false;
	mw->lines++;
}

/* What @e adds to a run: itself, the leaves of a uniform table, or a repeat. */
static struct ptshare_range ptshare_piece(const struct ptshare_entry *e)
{
	struct ptshare_range p = {
		.open = true, .pieces = 1, .start = e->start, .last = e->last,
	};

	if (e->repeat && e->uniform.valid) {
		p.kind = PTSHARE_RUN_ALIAS;
		p.level = e->uniform.level;
		p.raw = e->uniform.raw;
		p.pa = e->uniform.pa;
	} else if (e->repeat) {
		p.kind = PTSHARE_RUN_REPEAT;
		p.level = e->level;
		p.raw = e->raw;
		p.pa = e->pa;
	} else {
		p.kind = PTSHARE_RUN_RANGE;
		p.level = e->level;
		p.raw = e->raw;
		p.pa = e->pa;
	}
	p.frame = p.pa;
	return p;
}

/* Extend the open run by @p if it continues it; true if it did. */
static bool ptshare_range_extend(struct ptshare_range *run, const struct ptshare_range *p)
{
	bool alias;

	if (!run->open || run->level != p->level || p->start != run->last + 1)
		return false;
	/* Runs stay inside a region: looked up once per region crossed, not per entry. */
	if (p->start > run->same_upto) {
		if (ptshare_region_index(p->start) != ptshare_region_index(run->start))
			return false;
		run->same_upto = ptshare_region_same_upto(p->start);
	}
	if (p->kind == PTSHARE_RUN_REPEAT || run->kind == PTSHARE_RUN_REPEAT) {
		if (p->kind != run->kind || p->pa != run->pa || p->raw != run->raw)
			return false;
		goto extend;
	}
	if (ptshare_arch_flags(p->level, p->raw) != ptshare_arch_flags(run->level, run->raw))
		return false;
	/* A single leaf can begin either kind of run. */
	alias = p->pa == run->pa;
	if (alias && (run->kind == PTSHARE_RUN_ALIAS || run->pieces == 1)) {
		run->kind = PTSHARE_RUN_ALIAS;
		goto extend;
	}
	if (p->kind != PTSHARE_RUN_RANGE)
		return false;
	if (run->kind == PTSHARE_RUN_RANGE && p->pa == run->pa + (p->start - run->start))
		goto extend;
	/* @p is a whole entry (only a run's first piece is ever clipped). */
	if ((run->kind == PTSHARE_RUN_DESCEND ||
	     (run->kind == PTSHARE_RUN_RANGE && run->pieces == 1)) &&
	    p->frame + (p->last - p->start + 1) == run->frame) {
		run->kind = PTSHARE_RUN_DESCEND;
		goto extend;
	}
	return false;
extend:
	run->last = p->last;
	run->frame = p->frame;
	run->pieces++;
	return true;
}

static enum ptshare_walk_action ptshare_master_entry(struct ptshare_walker *w,
						     const struct ptshare_entry *e)
{
	struct ptshare_master_walk *mw = container_of(w, struct ptshare_master_walk, w);
	bool top = e->level == PTSHARE_PGD, run = e->leaf || e->repeat;
	struct ptshare_range p;

	/* A table met for the first time: what it holds is reported below it. */
	if (!top && !run && !e->bad)
		return PTSHARE_WALK_DESCEND;
	if (run) {
		p = ptshare_piece(e);
		/*
		 * Resumed inside this leaf or repeat: the tables changed while no
		 * lock was held (execmem, say, replaced a pte table by a pmd leaf
		 * after the last read() ended at a pte inside it). What lies below
		 * the resume address is out already: list the rest only.
		 */
		if (!top && p.start < mw->lo) {
			if (p.kind == PTSHARE_RUN_RANGE)
				p.pa += mw->lo - p.start;
			p.start = mw->lo;
		}
	}
	/* A top-level entry always gets its slot line: runs stay inside slots. */
	if (run && !top && ptshare_range_extend(&mw->run, &p))
		return PTSHARE_WALK_DESCEND;
	/*
	 * Resumed inside or at the start of this slot: its line is out already.
	 * (A slot that begins below the kernel half, as the modules GiB on ARM
	 * LPAE does, still gets its line at the start of the section.)
	 */
	if (top && ((e->start < mw->lo && mw->lo != ptshare_kernel_lo) ||
		    e->start == mw->slot_printed))
		return PTSHARE_WALK_DESCEND;

	ptshare_range_flush(mw);
	if (mw->lines >= READ_ONCE(master_record)) {
		mw->stopped = true;
		mw->stop_va = max(e->start, mw->lo);
		return PTSHARE_WALK_STOP;
	}
	ptshare_markers_upto(mw, e->start);
	if (top) {
		seq_put_decimal_ull(mw->m, "slot ", ptshare_slot_index(e->start));
		ptshare_put_hex(mw->m, " 0x", e->start);
		ptshare_put_hex(mw->m, " 0x", e->last);
		seq_putc(mw->m, ' ');
		seq_puts(mw->m, e->leaf ? "leaf" : e->bad ? "bad" : "table");
		ptshare_put_hex(mw->m, " 0x", e->raw);
		ptshare_put_hex(mw->m, " 0x", e->pa);
		seq_putc(mw->m, ' ');
		ptshare_arch_show_flags(mw->m, e->level, e->raw, e->leaf);
		seq_putc(mw->m, '\n');
		mw->lines++;
		mw->slot_printed = e->start;
	} else if (e->bad) {
		seq_printf(mw->m, "bad 0x%lx 0x%lx %s 0x%llx\n", max(e->start, mw->lo), e->last,
			   ptshare_levels[e->level].name, e->raw);
		mw->lines++;
	}
	if (run) {
		struct ptshare_entry parts[2];

		/* A top-level leaf the MMU sees as two (ARM classic pairs): two lines. */
		if (top && ptshare_arch_leaf_parts(e, parts) == 2) {
			mw->run = ptshare_piece(&parts[0]);
			ptshare_range_flush(mw);
			p = ptshare_piece(&parts[1]);
		}
		mw->run = p;
	}
	return PTSHARE_WALK_DESCEND;
}

static pgd_t *ptshare_section_pgd(const struct ptshare_iter *it)
{
	return it->user ? ptshare_master.user_pgd : ptshare_master.pgd;
}

static int ptshare_master_chunk(struct seq_file *m, struct ptshare_iter *it)
{
	struct ptshare_master_walk mw = {
		.w.fn = ptshare_master_entry, .m = m,
		.lo = it->va, .region = it->region, .slot_printed = it->slot_printed,
	};
	int err;

	/*
	 * Tables met twice are walked once (KASAN's early shadow maps terabytes
	 * with four table pages; espfix points 512 pmd entries at one pte
	 * table). The memo lives as long as the section: a table noted by an
	 * earlier chunk, when no lock was held in between, counts as seen only
	 * if its entries still hash the same (ptshare_walk_seen()). What this
	 * chunk notes is committed by next(), once it was shown: a chunk shown
	 * twice (seq_file's buffer grew) walks the same way twice.
	 */
	mw.w.memo = &it->memo;
	ptshare_memo_begin(&it->memo);
	err = ptshare_master_lock();
	if (err)
		return err;
	err = ptshare_walk(&mw.w, ptshare_section_pgd(it), it->va, ptshare_kernel_last());
	ptshare_master_unlock();
	if (err) {
		/* What was read stays; the error names where reading stopped. */
		ptshare_range_flush(&mw);
		seq_printf(m, "error %d 0x%lx\n", err, mw.w.fault_va);
		ptshare_markers_upto(&mw, ~0UL);
		it->chunk_last = true;
		return 0;
	}
	if (mw.stopped) {
		it->next_va = mw.stop_va;
		it->next_region = mw.region;
		it->next_slot_printed = mw.slot_printed;
		it->chunk_last = false;
		return 0;
	}
	ptshare_range_flush(&mw);
	ptshare_markers_upto(&mw, ~0UL);
	it->chunk_last = true;
	return 0;
}

static int ptshare_master_show(struct seq_file *m, void *v)
{
	struct ptshare_iter *it = m->private;
	pgd_t *pgd = ptshare_section_pgd(it);

	switch (it->phase) {
	case PTSHARE_PH_HEADER:
		ptshare_show_header(m, "master");
		return 0;
	case PTSHARE_PH_SECTION:
		seq_printf(m, "pgd %s 0x%lx 0x%llx\n", it->user ? "user" : "kernel",
			   (unsigned long)pgd, (u64)virt_to_phys(pgd));
		return 0;
	case PTSHARE_PH_CHUNK:
		return ptshare_master_chunk(m, it);
	case PTSHARE_PH_END:
		seq_puts(m, "end\n");
		return 0;
	default:
		return 0;
	}
}

static void ptshare_master_section(struct ptshare_iter *it, bool user)
{
	if (it->memo_live)
		ptshare_memo_destroy(&it->memo);
	ptshare_memo_init(&it->memo);
	it->memo_live = true;
	it->user = user;
	it->va = ptshare_kernel_lo;
	it->region = 0;
	it->slot_printed = ~0UL;
	it->phase = PTSHARE_PH_SECTION;
}

static void ptshare_master_advance(struct ptshare_iter *it)
{
	switch (it->phase) {
	case PTSHARE_PH_HEADER:
		ptshare_master_section(it, false);
		break;
	case PTSHARE_PH_SECTION:
		it->phase = PTSHARE_PH_CHUNK;
		break;
	case PTSHARE_PH_CHUNK:
		ptshare_memo_commit(&it->memo);
		if (!it->chunk_last) {
			it->va = it->next_va;
			it->region = it->next_region;
			it->slot_printed = it->next_slot_printed;
		} else if (!it->user && ptshare_master.user_pgd) {
			ptshare_master_section(it, true);
		} else {
			it->phase = PTSHARE_PH_END;
		}
		break;
	default:
		it->phase = PTSHARE_PH_DONE;
	}
}

/* ---- dump ---- */

static void ptshare_dump_release_task(struct ptshare_iter *it)
{
	if (it->mm)
		mmdrop(it->mm);
	it->mm = NULL;
	put_pid(it->pid);
	it->pid = NULL;
}

/*
 * The mm being dumped lost its last user. If the process lives on with
 * another mm, it called exec (or its last thread of this mm did): say so
 * rather than that it exited.
 */
static void ptshare_dump_mm_gone(struct ptshare_iter *it)
{
	struct task_struct *task;
	struct mm_struct *mm = NULL;

	it->exited = true;
	it->execed = false;
	task = it->pid ? get_pid_task(it->pid, it->pid_type) : NULL;
	if (task) {
		mm = ptshare_process_mm(task);
		put_task_struct(task);
	}
	if (mm) {
		it->execed = mm != it->mm;
		mmput(mm);
	}
}

static const char *ptshare_kind(const struct ptshare_entry *e)
{
	if (!e->present)
		return "none";
	return e->leaf ? "leaf" : e->bad ? "bad" : "table";
}

static void ptshare_show_side(struct seq_file *m, const struct ptshare_entry *e)
{
	seq_putc(m, ' ');
	seq_puts(m, ptshare_kind(e));
	ptshare_put_hex(m, " 0x", e->raw);
	if (e->present && !e->bad)
		ptshare_put_hex(m, " 0x", e->pa);
	else
		seq_puts(m, " -");
}

/*
 * Child @i of @side; when @side has no table there, an absent entry with the
 * geometry of @table's child, so the other side is compared against nothing.
 */
static int ptshare_side_child(const struct ptshare_entry *side,
			      const struct ptshare_entry *table, unsigned int i,
			      struct ptshare_entry *c)
{
	if (side->next)
		return ptshare_read_child(side, i, c);
	memset(c, 0, sizeof(*c));
	c->level = table->next_level;
	c->start = table->start + i * ptshare_entry_size(c->level);
	c->last = c->start + (ptshare_entry_size(c->level) - 1);
	return 0;
}

static void ptshare_emit_pair(struct seq_file *m, const char *which,
			      const struct ptshare_entry *p, const struct ptshare_entry *ms)
{
	enum ptshare_class cls = ptshare_classify(p, ms, NULL);
	const struct ptshare_entry *t = p->next ? p : ms;
	struct ptshare_entry pc, mc;
	unsigned int i;

	seq_puts(m, "entry ");
	seq_puts(m, which);
	seq_putc(m, ' ');
	seq_puts(m, ptshare_levels[t->level].name);
	ptshare_put_hex(m, " 0x", t->start);
	ptshare_put_hex(m, " 0x", t->last);
	seq_putc(m, ' ');
	seq_puts(m, ptshare_class_names[cls]);
	ptshare_show_side(m, p);
	ptshare_show_side(m, ms);
	seq_putc(m, ' ');
	seq_puts(m, ptshare_region_name(t->start));
	seq_putc(m, '\n');

	if (cls == PTSHARE_NONE || cls == PTSHARE_SHARED || cls == PTSHARE_SAME)
		return;
	if (!t->next || (p->next && ms->next && p->pa == ms->pa))
		return;
	for (i = ptshare_first_kernel_child(t); i < ptshare_child_count(t); i++) {
		if (ptshare_side_child(p, t, i, &pc) || ptshare_side_child(ms, t, i, &mc)) {
			seq_printf(m, "error %d 0x%lx\n", -EFAULT, t->start);
			return;
		}
		if (pc.present || mc.present)
			ptshare_emit_pair(m, which, &pc, &mc);
	}
}

typedef void (*ptshare_dump_fn)(struct seq_file *m, struct ptshare_iter *it,
				struct mm_struct *mm);

/* Run @fn on @mm (pinned by the caller) under the locks the walker wants. */
static int ptshare_dump_in_locks(struct seq_file *m, struct ptshare_iter *it,
				 struct mm_struct *mm, ptshare_dump_fn fn)
{
	int err = ptshare_lock_both(mm);

	if (!err) {
		fn(m, it, mm);
		ptshare_unlock_both(mm);
	}
	return err;
}

/*
 * Run @fn on the task's mm, pinned (mmget) and locked as the walker wants;
 * an mm whose users are gone means the process exited while being dumped.
 */
static int ptshare_dump_locked(struct seq_file *m, struct ptshare_iter *it,
			       ptshare_dump_fn fn)
{
	struct mm_struct *mm = it->mm;
	int err;

	if (!mmget_not_zero(mm)) {
		ptshare_dump_mm_gone(it);
		return 0;
	}
	err = ptshare_dump_in_locks(m, it, mm, fn);
	mmput(mm);
	return err;
}

static void ptshare_dump_slot(struct seq_file *m, struct ptshare_iter *it, struct mm_struct *mm)
{
	struct ptshare_entry p, ms;
	pgd_t *proc, *master;

	proc = it->user ? ptshare_arch_user_pgd(mm->pgd) : mm->pgd;
	master = it->user ? ptshare_master.user_pgd : ptshare_master.pgd;
	if (ptshare_read_slot(proc, it->slot, &p) || ptshare_read_slot(master, it->slot, &ms))
		seq_printf(m, "error %d 0x%lx\n", -EFAULT, ptshare_slot_va(it->slot));
	else if (p.present || ms.present)
		ptshare_emit_pair(m, it->user ? "user" : "kernel", &p, &ms);
}

/*
 * Can the line of a slot be printed from its two top-level entries alone?
 * Yes when neither has a table, or both have the same one: then neither
 * ptshare_classify() nor ptshare_emit_pair() reads below them.
 */
static bool ptshare_slot_decided(const struct ptshare_entry *p, const struct ptshare_entry *ms)
{
	return (!p->next && !ms->next) || (p->next && ms->next && p->pa == ms->pa);
}

/*
 * One slot of a dump. Top-level entries need no lock (the pgd lives as
 * long as the mm is pinned; the master's for good), so a slot they decide
 * is printed from them; only one whose tables are to be read is read again
 * under the locks. Taking the master's lock for every slot of every
 * process (512 kernel slots each on ARM) made a dump of all processes
 * queue behind the other readers once per slot: one took more than 190 s
 * in the stress test on the ARM debug kernel, against 4 s alone.
 */
static int ptshare_dump_slot_record(struct seq_file *m, struct ptshare_iter *it)
{
	struct mm_struct *mm = it->mm;
	struct ptshare_entry p, ms;
	pgd_t *proc, *master;
	int err = 0;

	if (!mmget_not_zero(mm)) {
		ptshare_dump_mm_gone(it);
		return 0;
	}
	proc = it->user ? ptshare_arch_user_pgd(mm->pgd) : mm->pgd;
	master = it->user ? ptshare_master.user_pgd : ptshare_master.pgd;
	if (!ptshare_read_slot(proc, it->slot, &p) && !ptshare_read_slot(master, it->slot, &ms) &&
	    ptshare_slot_decided(&p, &ms)) {
		if (p.present || ms.present)
			ptshare_emit_pair(m, it->user ? "user" : "kernel", &p, &ms);
	} else {
		err = ptshare_dump_in_locks(m, it, mm, ptshare_dump_slot);
	}
	mmput(mm);
	return err;
}

/* The process pgd's user-half top-level entries; only read, never followed. */
static void ptshare_dump_uslots(struct seq_file *m, struct ptshare_iter *it,
				struct mm_struct *mm)
{
	unsigned int slot, nr = ptshare_nr_user_slots();
	struct ptshare_entry e;

	for (slot = ptshare_next_used(mm->pgd, 0, nr); slot < nr;
	     slot = ptshare_next_used(mm->pgd, slot + 1, nr)) {
		if (ptshare_read_entry(PTSHARE_PGD, mm->pgd, slot, ptshare_user_slot_va(slot),
				       &e)) {
			seq_printf(m, "error %d 0x%lx\n", -EFAULT, ptshare_user_slot_va(slot));
			return;
		}
		if (!e.present)
			continue;
		seq_put_decimal_ull(m, "uslot ", slot);
		ptshare_put_hex(m, " 0x", e.start);
		ptshare_put_hex(m, " 0x", e.last);
		seq_putc(m, ' ');
		seq_puts(m, ptshare_kind(&e));
		ptshare_put_hex(m, " 0x", e.raw);
		if (e.bad)
			seq_puts(m, " -");
		else
			ptshare_put_hex(m, " 0x", e.pa);
		seq_putc(m, '\n');
	}
}

static int ptshare_dump_task(struct seq_file *m, struct ptshare_iter *it)
{
	pgd_t *upgd;

	seq_printf(m, "task %d ", it->tgid);
	ptshare_put_escaped(m, it->comm);
	if (!it->mm) {
		seq_printf(m, " %u - - %s\n", it->threads, it->status);
		return 0;
	}
	upgd = ptshare_arch_user_pgd(it->mm->pgd);
	seq_printf(m, " %u 0x%llx ", it->threads, (u64)virt_to_phys(it->mm->pgd));
	if (upgd)
		seq_printf(m, "0x%llx", (u64)virt_to_phys(upgd));
	else
		seq_putc(m, '-');
	seq_printf(m, " %s\n", it->status);
	return 0;
}

static int ptshare_dump_show(struct seq_file *m, void *v)
{
	struct ptshare_iter *it = m->private;
	unsigned int i;

	switch (it->phase) {
	case PTSHARE_PH_HEADER:
		ptshare_show_header(m, "dump");
		seq_puts(m, "selection ");
		if (it->sel.kind == PTSHARE_SELECT_ALL) {
			seq_puts(m, "all");
		} else if (it->sel.kind == PTSHARE_SELECT_COMM) {
			seq_puts(m, "comm ");
			ptshare_put_escaped(m, it->sel.comm);
		} else {
			seq_puts(m, "pid ");
			for (i = 0; i < it->sel.nr_pids; i++)
				seq_printf(m, "%s%d", i ? "," : "",
					   pid_nr_ns(it->sel.pids[i], it->ns));
		}
		seq_putc(m, '\n');
		return 0;
	case PTSHARE_PH_TASK:
		return ptshare_dump_task(m, it);
	case PTSHARE_PH_USLOTS:
		return ptshare_dump_locked(m, it, ptshare_dump_uslots);
	case PTSHARE_PH_SLOT:
		return ptshare_dump_slot_record(m, it);
	case PTSHARE_PH_TASK_END:
		seq_printf(m, "taskend %d %s\n", it->tgid,
			   !it->mm ? "skipped" : it->execed ? "exec" :
			   it->exited ? "exited" : "ok");
		return 0;
	case PTSHARE_PH_END:
		seq_printf(m, "end %lu\n", it->records);
		return 0;
	default:
		return 0;
	}
}

/*
 * Pin the next selected task's mm and note what the task line will say;
 * false when the selection is exhausted. A selected pid that the reader's
 * pid namespace cannot see is passed over.
 */
static bool ptshare_dump_next_task(struct ptshare_iter *it)
{
	struct mm_struct *mm = NULL;
	struct task_struct *task;
	struct pid *pid;

	ptshare_dump_release_task(it);
	it->exited = false;
	it->execed = false;
	it->user = false;
	it->slot = ptshare_first_slot;
	it->comm[0] = '\0';
	it->threads = 0;

	for (;;) {
		if (it->sel.kind == PTSHARE_SELECT_PIDS) {
			if (it->nr >= it->sel.nr_pids)
				return false;
			pid = it->sel.pids[it->nr++];
			if (!pid_nr_ns(pid, it->ns))
				continue;
			it->pid = get_pid(pid);
			it->pid_type = PIDTYPE_PID;
			task = get_pid_task(pid, PIDTYPE_PID);
			it->tgid = task ? task_tgid_nr_ns(task, it->ns) : pid_nr_ns(pid, it->ns);
		} else {
			const char *comm = NULL;

			if (it->sel.kind == PTSHARE_SELECT_COMM)
				comm = it->sel.comm;
			/* pins the mm it found the process's row with */
			it->pid = ptshare_next_process(it, comm, &mm);
			if (!it->pid)
				return false;
			it->pid_type = PIDTYPE_TGID;
			it->tgid = it->nr++;
			task = get_pid_task(it->pid, PIDTYPE_TGID);
		}
		break;
	}
	it->records++;
	if (!task) {
		if (mm)
			mmput(mm);
		it->threads = 0;
		it->status = "gone";
		return true;
	}
	ptshare_task_comm(it->comm, sizeof(it->comm), task);
	if (it->sel.kind == PTSHARE_SELECT_PIDS) {
		mm = ptshare_process_mm(task);
		if (mm)
			ptshare_mm_first(it, task, mm, it->tgid, &it->threads);
	}
	if (mm && it->threads) {
		mmgrab(mm);
		it->mm = mm;
		it->status = "ok";
	} else {
		/* no mm, or its threads have all left it (exiting) */
		it->threads = 0;
		it->status = "no-mm";
	}
	if (mm)
		mmput(mm);
	put_task_struct(task);
	return true;
}

/*
 * From it->slot (after it, with @past), the next kernel slot of the pgd
 * pair to compare, or the task's end. A slot empty in both the process and
 * the master prints nothing: it is passed over here, without a record, the
 * lock or a decode (top-level entries: it->mm's mmgrab() keeps its pgd).
 */
static void ptshare_dump_next_slot(struct ptshare_iter *it, bool past)
{
	pgd_t *proc, *master;

	it->slot += past;
	for (;;) {
		proc = it->user ? ptshare_arch_user_pgd(it->mm->pgd) : it->mm->pgd;
		master = it->user ? ptshare_master.user_pgd : ptshare_master.pgd;
		while (it->slot < ptshare_nr_slots() && ptshare_slot_empty(proc, it->slot) &&
		       ptshare_slot_empty(master, it->slot))
			it->slot++;
		if (it->slot < ptshare_nr_slots())
			return;
		if (it->user || !ptshare_master.user_pgd || !ptshare_arch_user_pgd(it->mm->pgd)) {
			it->phase = PTSHARE_PH_TASK_END;
			return;
		}
		it->user = true;
		it->slot = ptshare_first_slot;
	}
}

static void ptshare_dump_advance(struct ptshare_iter *it)
{
	switch (it->phase) {
	case PTSHARE_PH_HEADER:
		it->nr = it->sel.kind == PTSHARE_SELECT_PIDS ? 0 : 1;
		it->phase = ptshare_dump_next_task(it) ? PTSHARE_PH_TASK : PTSHARE_PH_END;
		break;
	case PTSHARE_PH_TASK:
		it->phase = it->mm ? PTSHARE_PH_USLOTS : PTSHARE_PH_TASK_END;
		break;
	case PTSHARE_PH_USLOTS:
		if (it->exited || ptshare_kernel_separate) {
			it->phase = PTSHARE_PH_TASK_END;
			break;
		}
		it->phase = PTSHARE_PH_SLOT;
		ptshare_dump_next_slot(it, false);
		break;
	case PTSHARE_PH_SLOT:
		if (it->exited)
			it->phase = PTSHARE_PH_TASK_END;
		else
			ptshare_dump_next_slot(it, true);
		break;
	case PTSHARE_PH_TASK_END:
		it->phase = ptshare_dump_next_task(it) ? PTSHARE_PH_TASK : PTSHARE_PH_END;
		break;
	default:
		ptshare_dump_release_task(it);
		it->phase = PTSHARE_PH_DONE;
	}
}

/* ---- seq_file plumbing shared by the three files ---- */

static void ptshare_iter_reset(struct ptshare_iter *it)
{
	ptshare_shared_release(&it->shared);
	ptshare_dump_release_task(it);
	if (it->memo_live)
		ptshare_memo_destroy(&it->memo);
	it->memo_live = false;
	it->phase = PTSHARE_PH_HEADER;
	it->records = 0;
	it->row_shown = false;
	it->nr = 0;
	it->began = ktime_get_ns();
}

static void *ptshare_seq_start(struct seq_file *m, loff_t *pos)
{
	struct ptshare_iter *it = m->private;
	unsigned int i;

	if (!*pos)
		ptshare_iter_reset(it);
	/* summary: each read() call checks the master's copy once (compare_pgd) */
	for (i = 0; i < ARRAY_SIZE(it->ms); i++) {
		if (it->ms[i])
			it->ms[i]->checked = false;
	}
	return it->phase == PTSHARE_PH_DONE ? NULL : it;
}

static void ptshare_seq_stop(struct seq_file *m, void *v)
{
}

#define PTSHARE_SEQ_OPS(name)							\
static void *ptshare_##name##_next(struct seq_file *m, void *v, loff_t *pos)	\
{										\
	struct ptshare_iter *it = m->private;					\
										\
	ptshare_##name##_advance(it);						\
	++*pos;									\
	return it->phase == PTSHARE_PH_DONE ? NULL : it;			\
}										\
static const struct seq_operations ptshare_##name##_seq_ops = {		\
	.start = ptshare_seq_start,						\
	.next = ptshare_##name##_next,						\
	.stop = ptshare_seq_stop,						\
	.show = ptshare_##name##_show,						\
}

PTSHARE_SEQ_OPS(summary);
PTSHARE_SEQ_OPS(master);
PTSHARE_SEQ_OPS(dump);

static int ptshare_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct ptshare_iter *it = m->private;

	ptshare_shared_release(&it->shared);
	kvfree(it->shared.mm);
	kvfree(it->ms[0]);
	kvfree(it->ms[1]);
	ptshare_dump_release_task(it);
	if (it->memo_live)
		ptshare_memo_destroy(&it->memo);
	ptshare_select_put(&it->sel);
	put_pid_ns(it->ns);
	return seq_release_private(inode, file);
}

static int ptshare_open(struct inode *inode, struct file *file,
			const struct seq_operations *ops, bool selection, bool processes)
{
	struct ptshare_iter *it;

	it = __seq_open_private(file, ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->ns = get_pid_ns(task_active_pid_ns(current));
	if (selection)
		ptshare_select_get(&it->sel);
	/* who shares an mm: a batch of a fixed size, whatever the processes */
	if (processes) {
		it->shared.mm = kvmalloc_array(PTSHARE_SHARED_BATCH, sizeof(*it->shared.mm),
					       GFP_KERNEL);
		if (!it->shared.mm) {
			ptshare_release(inode, file);
			return -ENOMEM;
		}
	}
	return 0;
}

static int ptshare_summary_open(struct inode *inode, struct file *file)
{
	struct ptshare_iter *it;
	unsigned int i;
	int err;

	err = ptshare_open(inode, file, &ptshare_summary_seq_ops, false, true);
	if (err || ptshare_kernel_separate)
		return err;
	it = ((struct seq_file *)file->private_data)->private;
	for (i = 0; i < ARRAY_SIZE(it->ms); i++) {
		if (i && !ptshare_master.user_pgd)
			break;
		it->ms[i] = ptshare_mslots_alloc();
		if (!it->ms[i]) {
			ptshare_release(inode, file);
			return -ENOMEM;
		}
	}
	return 0;
}

static int ptshare_master_open(struct inode *inode, struct file *file)
{
	return ptshare_open(inode, file, &ptshare_master_seq_ops, false, false);
}

static int ptshare_dump_open(struct inode *inode, struct file *file)
{
	return ptshare_open(inode, file, &ptshare_dump_seq_ops, true, true);
}

#define PTSHARE_FOPS(name)							\
const struct file_operations ptshare_##name##_fops = {				\
	.owner = THIS_MODULE,							\
	.open = ptshare_##name##_open,						\
	.read = seq_read,							\
	.llseek = seq_lseek,							\
	.release = ptshare_release,						\
}

PTSHARE_FOPS(summary);
PTSHARE_FOPS(master);
PTSHARE_FOPS(dump);

// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: for a bounded time (PTSHARE_STRESS_SECONDS; default 45 s on a
 * kernel with lockdep, i.e. the debug guests, 15 s elsewhere; on a slow host
 * the window grows, up to twice that, until each kind of work has run at
 * least once), readers of
 * summary, master and dump (select all, pid lists, comm; one master reader
 * at a time) and writers of select run while the system changes under them:
 *  - fork/exec/exit churn, including processes whose thread-group leader
 *    exits (pthread_exit) while a thread runs on;
 *  - one long-lived process whose leader exited while its threads run
 *    (it must have a summary row all along: its threads use an mm; it
 *    lives on until one more summary, read after every other worker has
 *    stopped, has been checked too);
 *  - vmalloc/vfree churn in a kernel thread of ptshare_vmtest.ko (small,
 *    multi-MiB and vmalloc_huge() areas), the module loaded and unloaded
 *    over and over ($PTSHARE_VMTEST_KO);
 *  - modify_ldt() writes and reads (x86), in a long-lived process and in
 *    short-lived ones;
 *  - mmap/munmap churn in a two-threaded process;
 *  - rmmod/insmod of ptshare itself ($PTSHARE_KO): an open file pins the
 *    module (the debugfs files have an owner), so rmmod with one of our own
 *    files open must fail with EWOULDBLOCK and the file must still read to
 *    its end; rmmod racing with the readers may succeed, and then only an
 *    open() during the reload window may fail (ENOENT, ENXIO, EIO, ENODEV);
 *    every few cycles the readers pause so that an unload surely happens.
 * Every report read must be complete and parseable: the common header, only
 * line kinds the format knows, field counts, counts that add up (summary
 * classes, the end line's count, rows in tgid order, a range's size, task
 * and taskend paired), no "error" line. No reader or writer may get an errno
 * it should not. At the end ptshare is loaded, ptshare_vmtest is not, and
 * every process the test made has been reaped (none left in its process
 * group). Kernel reports (KASAN, lockdep, WARN) are the harness's console
 * check. Before the stress, one master read must end within
 * PTSHARE_STRESS_READ_LIMIT seconds (default 60); no read may pass
 * PTSHARE_STRESS_MAX_MB (default 64 MiB) without its end line; a read still
 * going 45 s after the deadline is given up and counted, not judged.
 * A reader that spends 20 s in one read has its kernel stack printed.
 */
#include "ptshare_test.h"

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <asm/ldt.h>
#define HAVE_LDT 1
#else
#define HAVE_LDT 0
#endif

#define MAX_MSGS	24
#define MSG_LEN		320
#define NR_READERS	3

enum { F_SUMMARY, F_MASTER, F_DUMP, NR_FILES };
static const char *const file_names[NR_FILES] = { "summary", "master", "dump" };

/* State shared by every process of the test (MAP_SHARED anonymous). */
struct shared {
	int stop;		/* workers: finish what you do and exit */
	long end_ms;		/* the deadline (CLOCK_MONOTONIC ms); it may move later */
	int pause;		/* readers: do not open a file now */
	int open_files;		/* ptshare files our workers hold open */
	unsigned int epoch;	/* odd while ptshare may be unloaded */
	int lexit_tgid;		/* the long-lived process whose leader exited */
	int lexit_tid;		/* one of its running threads */
	int lexit_ready;	/* its leader is a zombie now */
	int lexit_stop;		/* it may go now (after the final summary check) */
	int ldt_pid, munmap_pid;
	int last_child;		/* a recent churn child (likely gone) */

	/* failures */
	int nfail, nmsg;
	char msg[MAX_MSGS][MSG_LEN];

	/* reader results */
	long reads[NR_FILES], bad[NR_FILES], bytes[NR_FILES], maxbytes[NR_FILES];
	long maxms[NR_FILES];
	long dump_sel[3];	/* dumps read with selection all, pid, comm */
	long sum_lexit_checked, sum_lexit_found;
	long huge_base, huge_max;	/* pmd/pud ranges in vmalloc: before, most seen */
	long abandoned, abandoned_bytes;	/* reads given up at the deadline */
	long busy_since[NR_READERS];	/* ms: a reader's read began (0: not reading) */
	int busy_file[NR_READERS], busy_pid[NR_READERS];
	int master_reader;	/* one reader of master at a time (slow guests) */
	long open_down;		/* opens refused while ptshare was being reloaded */
	int down_errno[4];	/* ENOENT ENXIO EIO ENODEV seen then */

	/* writers and churn */
	long sel_ok, sel_einval, sel_esrch, sel_reads;
	long forks, execs, lexit_churn, ldt_writes, ldt_reads, ldt_procs, munmaps;
	long vm_loads, vm_ops, vm_rounds, vm_huge;
	long rm_busy, rm_race_ok, rm_race_busy, rm_quiet, insmods;
};

static struct shared *sh;
static double read_limit = 60;
#define GRACE	45	/* s after the deadline that a read in progress may take */
static size_t max_bytes = 64 << 20;
static const char *self_exe = "/proc/self/exe";

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* One whole line to stdout in one write(): workers share it. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	char buf[MSG_LEN + 16];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "# ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0)
		return;
}

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	int i = __atomic_fetch_add(&sh->nmsg, 1, __ATOMIC_SEQ_CST);
	char buf[MSG_LEN];
	va_list ap;

	__atomic_fetch_add(&sh->nfail, 1, __ATOMIC_SEQ_CST);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (i < MAX_MSGS) {
		memcpy(sh->msg[i], buf, sizeof(buf));
		say("FAIL [%d] %s", getpid(), buf);
	}
}

#define ADD(field, n)	__atomic_fetch_add(&sh->field, (n), __ATOMIC_RELAXED)
#define GET(field)	__atomic_load_n(&sh->field, __ATOMIC_SEQ_CST)
#define SET(field, v)	__atomic_store_n(&sh->field, (v), __ATOMIC_SEQ_CST)

/* The end of the stress window: main may extend it on a slow machine. */
static double deadline(void)
{
	return GET(end_ms) / 1000.0;
}

static int stopping(void)
{
	return GET(stop) || pt_now() >= deadline();
}

static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

static void set_name(const char *name)
{
	prctl(PR_SET_NAME, name, 0, 0, 0);
}

/* ---- checking one report ---- */

/* Split @line in place at single spaces; -1 on an empty field. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		if (!*p || *p == ' ')
			return -1;
		if (n < max)
			f[n] = p;
		n++;
		p = strchr(p, ' ');
		if (!p)
			return n;
		*p++ = '\0';
	}
}

static int is_num(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int is_hex(const char *s)
{
	if (strncmp(s, "0x", 2) || !s[2])
		return 0;
	for (s += 2; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return 0;
	return 1;
}

static int is_num_or_dash(const char *s)
{
	return !strcmp(s, "-") || is_num(s);
}

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

static const char *const header_keys[] = {
	"kernel", "arch", "page_size", "levels", "level", "kernel_half", "kernel_slots",
	"master_pgd", "master_user_pgd", "master_lock", "isolation", "kernel_table", "region",
	NULL
};
static const char *const levels[] = { "pgd", "p4d", "pud", "pmd", "pte", NULL };
static const char *const classes[] = { "SHARED", "SAME", "COPY", "DIFF", "MISSING", "EXTRA",
				       "none", NULL };
static const char *const kinds[] = { "table", "leaf", "bad", "none", NULL };

struct check {
	int file, minor;
	char why[MSG_LEN];
	/* what the caller wants to know */
	int sel;		/* dump: 0 all, 1 pid, 2 comm */
	int lexit_found;	/* summary: a row for sh->lexit_tgid */
	int huge_vmalloc;	/* master: pmd/pud ranges inside vmalloc */
};

#define BAD(...) do { snprintf(c->why, sizeof(c->why), __VA_ARGS__); return -1; } while (0)

/*
 * Check the report in @text (NUL-terminated, modified). 0 when it is whole
 * and consistent, else -1 with the reason in c->why.
 */
static int check_report(char *text, size_t len, struct check *c, int lexit)
{
	static const int nfields_mm[2] = { 20, 21 };
	char *line, *f[32], *nl, sel_comm[64] = "", prev[64];
	unsigned long long vstart = 0, vlast = 0, prev_last = 0, s, l, sz;
	int n, k, lineno = 0, in_header = 1, ended = 0, master_rows = 0, sections = 0;
	int seen_level = 0, seen_keys = 0, user_pgd = 0, have_vmalloc = 0, any_range;
	int is_range, is_repeat;
	long rows = 0, tasks = 0, last_tgid = -1, sel_pids = -1, open_task = -1;
	const char *open_status = NULL;
	char *p = text;

	if (!len || text[len - 1] != '\n')
		BAD("does not end with a newline (%zu bytes)", len);
	any_range = 0;
	while (*p) {
		nl = strchr(p, '\n');
		*nl = '\0';
		line = p;
		p = nl + 1;
		lineno++;
		snprintf(prev, sizeof(prev), "%s", line);
		if (ended)
			BAD("line %d after the end line: '%.60s'", lineno, prev);
		n = split(line, f, 32);
		if (n < 1)
			BAD("line %d: empty field: '%.60s'", lineno, prev);
		if (lineno == 1) {
			int major;

			if (n != 3 || strcmp(f[0], "ptshare") || strcmp(f[1], file_names[c->file]) ||
			    sscanf(f[2], "%d.%d", &major, &c->minor) != 2 || major != 1)
				BAD("first line '%.60s'", prev);
			continue;
		}
		if (in_header && one_of(f[0], header_keys)) {
			if (!strcmp(f[0], "level")) {
				if (n != 5 || !one_of(f[1], levels))
					BAD("line %d: '%.60s'", lineno, prev);
				seen_level++;
			} else if (!strcmp(f[0], "master_user_pgd")) {
				user_pgd = strcmp(f[1], "-");
			} else if (!strcmp(f[0], "region")) {
				if (n != 4 || !is_hex(f[1]) || !is_hex(f[2]))
					BAD("line %d: '%.60s'", lineno, prev);
				if (!strcmp(f[3], "vmalloc")) {
					vstart = strtoull(f[1], NULL, 16);
					vlast = strtoull(f[2], NULL, 16);
					have_vmalloc = 1;
				}
			}
			for (k = 0; header_keys[k]; k++)
				if (!strcmp(f[0], header_keys[k]))
					seen_keys |= 1 << k;
			continue;
		}
		if (in_header) {
			int want = (1 << 11) - 1;	/* every key but kernel_table, region */

			in_header = 0;
			if (c->minor >= 1)
				want |= 1 << 11;
			for (k = 0; header_keys[k]; k++)
				if ((want & (1 << k)) && !(seen_keys & (1 << k)))
					BAD("no '%s' line in the header", header_keys[k]);
			if (seen_level != 5)
				BAD("%d level lines in the header", seen_level);
		}
		if (!strcmp(f[0], "error"))
			BAD("line %d: '%.80s'", lineno, prev);
		if (!strcmp(f[0], "end")) {
			ended = 1;
			if (c->file == F_MASTER) {
				if (n != 1)
					BAD("end line '%.60s'", prev);
				continue;
			}
			if (n != 2 || !is_num(f[1]))
				BAD("end line '%.60s'", prev);
			if (c->file == F_SUMMARY && atol(f[1]) != rows)
				BAD("'%s' after %ld mm rows", prev, rows);
			if (c->file == F_DUMP && atol(f[1]) != tasks)
				BAD("'%s' after %ld task lines", prev, tasks);
			if (c->file == F_DUMP && open_task >= 0)
				BAD("end with task %ld open", open_task);
			if (c->file == F_DUMP && sel_pids >= 0 && tasks != sel_pids)
				BAD("%ld task lines for %ld selected pids", tasks, sel_pids);
			continue;
		}
		switch (c->file) {
		case F_SUMMARY:
			if (!strcmp(f[0], "columns")) {
				if (master_rows || rows)
					BAD("columns line after rows");
				continue;
			}
			if (!strcmp(f[0], "master")) {
				if (master_rows++ || rows)
					BAD("line %d: a second master row or one after mm rows", lineno);
				if (n != nfields_mm[c->minor >= 1])
					BAD("master row with %d fields: '%.80s'", n, prev);
				continue;
			}
			if (!strcmp(f[0], "mm")) {
				long v[17], tgid;
				int nv = n - 4;

				if (!master_rows)
					BAD("mm row before the master row");
				if (n != nfields_mm[c->minor >= 1] || !is_num(f[1]) || !is_num(f[3]))
					BAD("mm row '%.80s'", prev);
				for (k = 0; k < nv; k++) {
					if (!is_num_or_dash(f[4 + k]))
						BAD("mm row field %d '%s': '%.80s'", 5 + k, f[4 + k], prev);
					v[k] = strcmp(f[4 + k], "-") ? atol(f[4 + k]) : -1;
				}
				tgid = atol(f[1]);
				if (tgid <= last_tgid)
					BAD("mm row %ld after %ld (not in tgid order, or twice)", tgid,
					    last_tgid);
				last_tgid = tgid;
				if (atol(f[3]) < 1)
					BAD("mm row %ld with %s threads", tgid, f[3]);
				for (k = 0; k < 14; k += 7) {
					if (v[k] < 0)
						continue;
					if (v[k] != v[k + 1] + v[k + 2] + v[k + 3] + v[k + 4] + v[k + 6])
						BAD("mm row %ld: %s present, but classes add up otherwise: '%.90s'",
						    tgid, k ? "u_" : "", prev);
				}
				if (lexit && tgid == lexit)
					c->lexit_found = 1;
				rows++;
				continue;
			}
			break;
		case F_MASTER:
			if (!strcmp(f[0], "pgd")) {
				if (n != 4 || !is_hex(f[2]) || !is_hex(f[3]))
					BAD("pgd line '%.60s'", prev);
				if (sections == 0 && strcmp(f[1], "kernel"))
					BAD("first section '%s'", f[1]);
				if (sections == 1 && (strcmp(f[1], "user") || !user_pgd))
					BAD("second section '%s' (user pgd %s)", f[1], user_pgd ? "yes" : "no");
				if (sections > 1)
					BAD("a third pgd section");
				sections++;
				prev_last = 0;
				any_range = 0;
				continue;
			}
			if (!sections)
				BAD("line %d before the first pgd line: '%.60s'", lineno, prev);
			if (!strcmp(f[0], "marker")) {
				if (n != 4 || !is_hex(f[1]) || !is_hex(f[2]))
					BAD("line %d: '%.60s'", lineno, prev);
				continue;
			}
			if (!strcmp(f[0], "slot")) {
				if (n != 8 || !is_num(f[1]) || !is_hex(f[2]) || !is_hex(f[3]) ||
				    !one_of(f[4], kinds) || !is_hex(f[5]))
					BAD("line %d: '%.80s'", lineno, prev);
				continue;
			}
			/*
			 * range, alias, descend (START LAST SIZE LEVEL FLAGS PA), repeat
			 * (START LAST SIZE LEVEL PA) and bad (START LAST LEVEL
			 * RAW) lines are in address order and never overlap,
			 * also where the walk resumed in a later read() after
			 * the tables changed.
			 */
			is_range = !strcmp(f[0], "range") || !strcmp(f[0], "alias") ||
				   !strcmp(f[0], "descend");
			is_repeat = !strcmp(f[0], "repeat");
			if (is_range || is_repeat || !strcmp(f[0], "bad")) {
				if (is_range && (n != 7 || !is_hex(f[3]) || !one_of(f[4], levels) ||
						 !is_hex(f[6])))
					BAD("line %d: '%.80s'", lineno, prev);
				if (is_repeat && (n != 6 || !is_hex(f[3]) || !one_of(f[4], levels) ||
						  !is_hex(f[5])))
					BAD("line %d: '%.80s'", lineno, prev);
				if (!is_range && !is_repeat && (n != 5 || !one_of(f[3], levels)))
					BAD("line %d: '%.80s'", lineno, prev);
				if (!is_hex(f[1]) || !is_hex(f[2]))
					BAD("line %d: '%.80s'", lineno, prev);
				s = strtoull(f[1], NULL, 16);
				l = strtoull(f[2], NULL, 16);
				if (l < s)
					BAD("%s last before start: '%.80s'", f[0], prev);
				if (is_range || is_repeat) {
					sz = strtoull(f[3], NULL, 16);
					if (sz != l - s + 1)
						BAD("%s size: '%.80s'", f[0], prev);
				}
				if (any_range && s <= prev_last)
					BAD("%s not after the previous line (0x%llx): '%.80s'",
					    f[0], prev_last, prev);
				any_range = 1;
				prev_last = l;
				if (is_range && strcmp(f[0], "alias") && have_vmalloc && s >= vstart &&
				    l <= vlast && (!strcmp(f[4], "pmd") || !strcmp(f[4], "pud")))
					c->huge_vmalloc++;
				continue;
			}
			break;
		case F_DUMP:
			if (!strcmp(f[0], "selection")) {
				if (tasks || lineno < 3)
					BAD("selection line %d", lineno);
				if (n == 2 && !strcmp(f[1], "all")) {
					c->sel = 0;
				} else if (n == 3 && !strcmp(f[1], "pid")) {
					char *q = f[2];

					c->sel = 1;
					sel_pids = 1;
					for (; *q; q++)
						sel_pids += *q == ',';
				} else if (n == 3 && !strcmp(f[1], "comm")) {
					c->sel = 2;
					snprintf(sel_comm, sizeof(sel_comm), "%s", f[2]);
				} else {
					BAD("selection line '%.60s'", prev);
				}
				continue;
			}
			if (!strcmp(f[0], "task")) {
				long tgid;

				if (open_task >= 0)
					BAD("task line while task %ld is open", open_task);
				if (n != 7 || !is_num(f[1]) || !is_num(f[3]) ||
				    !one_of(f[6], (const char *const[]){ "ok", "no-mm", "gone", NULL }))
					BAD("task line '%.80s'", prev);
				tgid = atol(f[1]);
				if (c->sel == 0 && tgid <= last_tgid)
					BAD("task %ld after %ld with selection all", tgid, last_tgid);
				if (c->sel == 2 && strcmp(f[2], sel_comm))
					BAD("task '%.60s' for selection comm %s", prev, sel_comm);
				last_tgid = tgid;
				open_task = tgid;
				open_status = !strcmp(f[6], "ok") ? "ok" : "skipped";
				tasks++;
				continue;
			}
			if (!strcmp(f[0], "taskend")) {
				if (n != 3 || open_task < 0 || atol(f[1]) != open_task)
					BAD("taskend line '%.60s' (open task %ld)", prev, open_task);
				/* ok: ok, exited or (1.2) exec; no-mm and gone: skipped */
				if (!strcmp(open_status, "ok") ?
				    strcmp(f[2], "ok") && strcmp(f[2], "exited") && strcmp(f[2], "exec") :
				    strcmp(f[2], "skipped"))
					BAD("'%.60s' for a task with status %s", prev, open_status);
				open_task = -1;
				continue;
			}
			if (open_task < 0 || strcmp(open_status, "ok"))
				BAD("line %d outside an ok task: '%.60s'", lineno, prev);
			if (!strcmp(f[0], "uslot")) {
				if (n != 7 || !is_num(f[1]) || !is_hex(f[2]) || !is_hex(f[3]) ||
				    !one_of(f[4], kinds))
					BAD("line %d: '%.80s'", lineno, prev);
				continue;
			}
			if (!strcmp(f[0], "entry")) {
				if (n != 13 || (strcmp(f[1], "kernel") && strcmp(f[1], "user")) ||
				    !one_of(f[2], levels) || !is_hex(f[3]) || !is_hex(f[4]) ||
				    !one_of(f[5], classes) || !one_of(f[6], kinds) || !one_of(f[9], kinds))
					BAD("line %d: '%.80s'", lineno, prev);
				if (!strcmp(f[1], "user") && !user_pgd)
					BAD("user entry without a master user pgd: '%.60s'", prev);
				continue;
			}
			break;
		}
		/* A kind this version does not define: only a newer minor may add one. */
		if (c->minor <= 3)
			BAD("line %d of an unknown kind: '%.60s'", lineno, prev);
	}
	if (in_header)
		BAD("only a header (%d lines)", lineno);
	if (!ended)
		BAD("no end line (%d lines, %zu bytes; last '%.60s')", lineno, len, prev);
	if (c->file == F_SUMMARY && master_rows != 1)
		BAD("%d master rows", master_rows);
	if (c->file == F_MASTER && sections != 1 + !!user_pgd)
		BAD("%d pgd sections, user pgd %s", sections, user_pgd ? "yes" : "no");
	return 0;
}

/* ---- opening ptshare's files while it may be reloaded ---- */

/*
 * open() one of ptshare's files, counted in sh->open_files. An open that
 * fails while the module is being reloaded is expected (returns -2);
 * any other failure is recorded (returns -1).
 */
static int pt_open_counted(const char *name, int flags, int wait_pause)
{
	char path[128];
	unsigned int e0, e1;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", pt_dir(), name);
	for (;;) {
		__atomic_fetch_add(&sh->open_files, 1, __ATOMIC_SEQ_CST);
		if (!wait_pause || !GET(pause))
			break;
		__atomic_fetch_sub(&sh->open_files, 1, __ATOMIC_SEQ_CST);
		if (GET(stop))
			return -2;
		msleep(20);
	}
	e0 = GET(epoch);
	fd = open(path, flags);
	err = errno;
	e1 = GET(epoch);
	if (fd >= 0)
		return fd;
	__atomic_fetch_sub(&sh->open_files, 1, __ATOMIC_SEQ_CST);
	if ((e0 & 1) || e0 != e1) {
		int k = err == ENOENT ? 0 : err == ENXIO ? 1 : err == EIO ? 2 : err == ENODEV ? 3 : -1;

		if (k >= 0) {
			ADD(open_down, 1);
			ADD(down_errno[k], 1);
			msleep(50);
			return -2;
		}
	}
	fail("open %s: %s (ptshare %s)", path, strerror(err),
	     (e0 & 1) || e0 != e1 ? "being reloaded" : "loaded");
	msleep(200);
	return -1;
}

static void pt_close_counted(int fd)
{
	close(fd);
	__atomic_fetch_sub(&sh->open_files, 1, __ATOMIC_SEQ_CST);
}

/* ---- readers ---- */

/*
 * Read @fd to its end in @chunk-byte reads into *@bufp (grown as needed, up
 * to max_bytes), until the time @until at the latest (0: the deadline, as it
 * stands then, plus GRACE). 0 at the end of the
 * file, 1 at the size limit, 2 at the time limit, -1 on a read error (errno).
 */
static int read_all(int fd, size_t chunk, char **bufp, size_t *capp, size_t *lenp, double until)
{
	size_t len = 0;
	ssize_t r;

	for (;;) {
		if (*capp - len < chunk) {
			if (*capp >= max_bytes) {
				*lenp = len;
				return 1;
			}
			*capp *= 2;
			*bufp = realloc(*bufp, *capp + 1);
			if (!*bufp)
				_exit(1);
		}
		r = read(fd, *bufp + len, chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
		if (pt_now() > (until ? until : deadline() + GRACE)) {
			*lenp = len;
			return 2;
		}
	}
	*lenp = len;
	(*bufp)[len] = '\0';
	return r < 0 ? -1 : 0;
}

/* One bounded read of a whole file; *@why says what went wrong, if anything. */
static char *read_bounded(int file, size_t chunk, size_t *lenp, const char **why)
{
	static char msg[MSG_LEN];
	size_t cap = 1 << 20;
	char *buf = malloc(cap + 1);
	int fd, ret;

	*why = NULL;
	/*
	 * Counted like the workers' files: the main process's last summary
	 * read runs while the rmmod worker may be in a paused, must-succeed
	 * unload (uncounted, it made that rmmod fail with EWOULDBLOCK on a
	 * loaded host: "rmmod ptshare (no file open)" on arm64-kpti).
	 */
	fd = buf ? pt_open_counted(file_names[file], O_RDONLY, 1) : -1;
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	ret = read_all(fd, chunk, &buf, &cap, lenp, pt_now() + read_limit);
	pt_close_counted(fd);
	if (ret) {
		snprintf(msg, sizeof(msg), "%s after %zu bytes", ret < 0 ? strerror(errno) :
			 ret == 1 ? "no end at the size limit" : "no end after PTSHARE_STRESS_READ_LIMIT seconds",
			 *lenp);
		*why = msg;
	}
	return buf;
}

static void reader(int id)
{
	static const size_t chunks[] = { 13, 1000, 4096, 65536, 1 << 20 };
	unsigned int seed = getpid() * 7919 + id;
	size_t cap = 1 << 20, len;
	char *buf = malloc(cap + 1);
	struct check c;
	double t0, ms;
	int fd, file, lexit, ready, ret;

	int own_done = 0;

	set_name("ptst-reader");
	if (!buf)
		_exit(1);
	while (!stopping()) {
		unsigned int x = rnd(&seed) % 100;
		size_t chunk = chunks[rnd(&seed) % 5];

		file = x < 40 ? F_SUMMARY : x < 75 ? F_DUMP : F_MASTER;
		/*
		 * Until a summary read has looked for the process whose leader
		 * exited, the next reader free reads summary: on a loaded host
		 * (arm-lpae-6.12 beside four other guests) a 15 s stress made 8
		 * reads, dumps of 15 s among them, and the one summary read came
		 * before that process was ready: nothing was checked.
		 */
		if (GET(lexit_ready) && !GET(sum_lexit_checked))
			file = F_SUMMARY;
		/*
		 * Before that, each reader reads its own file until one read of
		 * it has ended, so every file is read at least once however slow
		 * the machine (a loaded host made a 15 s stress of 30 s summary
		 * reads that never chose master; and once the rule above, or an
		 * open refused during a reload, took the master reader's only
		 * turn: 0 reads of master in a cold CI run).
		 */
		if (!own_done)
			file = id % NR_FILES;
		if (file == F_MASTER) {
			int none = 0;

			if (!__atomic_compare_exchange_n(&sh->master_reader, &none, 1, 0,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
				file = F_SUMMARY;
		}
		ready = GET(lexit_ready);
		lexit = GET(lexit_tgid);
		fd = pt_open_counted(file_names[file], O_RDONLY, 1);
		if (fd < 0) {
			if (file == F_MASTER)
				SET(master_reader, 0);
			continue;
		}
		t0 = pt_now();
		sh->busy_file[id] = file;
		SET(busy_since[id], (long)(t0 * 1000));
		ret = read_all(fd, chunk, &buf, &cap, &len, 0);
		SET(busy_since[id], 0L);
		ms = (pt_now() - t0) * 1000;
		pt_close_counted(fd);
		if (file == F_MASTER)
			SET(master_reader, 0);
		if (file == id % NR_FILES)
			own_done = 1;
		ADD(reads[file], ret != 2);
		ADD(bytes[file], len);
		if ((long)len > GET(maxbytes[file]))
			SET(maxbytes[file], (long)len);
		if ((long)ms > GET(maxms[file]))
			SET(maxms[file], (long)ms);
		if (ret < 0) {
			ADD(bad[file], 1);
			fail("read %s: %s after %zu bytes", file_names[file], strerror(errno), len);
			continue;
		}
		if (ret == 2) {
			/* still reading after the deadline: given up, not judged */
			ADD(abandoned, 1);
			if ((long)len > GET(abandoned_bytes))
				SET(abandoned_bytes, (long)len);
			continue;
		}
		if (ret) {
			ADD(bad[file], 1);
			buf[len] = '\0';
			fail("%s: no end at the size limit (%zu bytes, %.0f ms); last bytes '%.60s'",
			     file_names[file], len, ms, len > 60 ? buf + len - 60 : buf);
			continue;
		}
		memset(&c, 0, sizeof(c));
		c.file = file;
		if (check_report(buf, len, &c, ready ? lexit : 0)) {
			ADD(bad[file], 1);
			fail("%s (%zu bytes, chunk %zu): %s", file_names[file], len, chunk, c.why);
			continue;
		}
		if (file == F_DUMP)
			ADD(dump_sel[c.sel], 1);
		if (file == F_MASTER && c.huge_vmalloc > GET(huge_max))
			SET(huge_max, c.huge_vmalloc);
		/* The process must still exist when the file was opened and read. */
		if (file == F_SUMMARY && ready && !GET(stop) && kill(lexit, 0) == 0) {
			ADD(sum_lexit_checked, 1);
			if (c.lexit_found)
				ADD(sum_lexit_found, 1);
		}
	}
	free(buf);
	_exit(0);
}

/* ---- select writer ---- */

/* Kinds of write: all (0-1), pid lists (2-4), comm (5-6), a gone child (7), invalid (8-9). */
#define SEL_KINDS	10

static void selector(void)
{
	unsigned int seed = getpid();
	char cmd[256], got[256];
	unsigned int order[SEL_KINDS], left = 0, i, j;
	int fd, expect, ret;
	ssize_t r;

	set_name("ptst-select");
	while (!stopping()) {
		int lt = GET(lexit_tgid), lth = GET(lexit_tid), ldt = GET(ldt_pid);
		int mun = GET(munmap_pid), dead = GET(last_child);
		unsigned int x;

		/*
		 * Each round of SEL_KINDS writes is a shuffle of the kinds, so
		 * that every kind comes within SEL_KINDS writes: a guest busy
		 * with the stress may make only a dozen (13 on arm-classic-sid
		 * in CI), and drawing each kind with p = 0.2 gave no invalid
		 * one there.
		 */
		if (!left) {
			for (i = 0; i < SEL_KINDS; i++)
				order[i] = i;
			for (i = SEL_KINDS - 1; i > 0; i--) {
				j = rnd(&seed) % (i + 1);
				x = order[i], order[i] = order[j], order[j] = x;
			}
			left = SEL_KINDS;
		}
		x = order[--left];

		expect = 0;
		if (x < 2) {
			snprintf(cmd, sizeof(cmd), "all\n");
		} else if (x < 5) {
			/* live long-lived processes, a thread, and a duplicate */
			int n = snprintf(cmd, sizeof(cmd), "pid %d", getppid());

			if (lth > 0)
				n += snprintf(cmd + n, sizeof(cmd) - n, ",%d,%d", lth, lt);
			if (ldt > 0)
				n += snprintf(cmd + n, sizeof(cmd) - n, ",%d", ldt);
			if (mun > 0)
				n += snprintf(cmd + n, sizeof(cmd) - n, ",%d,%d", mun, mun);
			snprintf(cmd + n, sizeof(cmd) - n, "%s", x == 4 ? "\n" : "");
		} else if (x < 7) {
			snprintf(cmd, sizeof(cmd), "comm %s", x == 5 ? "ptst-munmap" : "ptst-lexit");
		} else if (x == 7) {
			/* a churn child, probably gone (ESRCH), maybe reused */
			if (dead <= 0)
				continue;
			snprintf(cmd, sizeof(cmd), "pid %d", dead);
			expect = -2;
		} else {
			static const char *const bad[] = { "pid 01", "pid", "pid 1,,2", "all ",
							   "comm ", "frobnicate", "pid -1",
							   "comm 0123456789abcdefg" };

			snprintf(cmd, sizeof(cmd), "%s", bad[rnd(&seed) % 8]);
			expect = EINVAL;
		}
		fd = pt_open_counted("select", O_RDWR, 1);
		if (fd < 0) {
			msleep(20);
			continue;
		}
		r = write(fd, cmd, strlen(cmd));
		ret = r < 0 ? errno : 0;
		if (lseek(fd, 0, SEEK_SET) == 0) {
			r = read(fd, got, sizeof(got) - 1);
			if (r < 0) {
				fail("read select: %s", strerror(errno));
			} else {
				got[r] = '\0';
				if (strcmp(got, "all\n") && strncmp(got, "pid ", 4) &&
				    strncmp(got, "comm ", 5))
					fail("select reads '%.60s'", got);
				ADD(sel_reads, 1);
			}
		}
		pt_close_counted(fd);
		cmd[strcspn(cmd, "\n")] = '\0';
		/*
		 * Past the deadline the long-lived processes may be gone
		 * (munmap and modify_ldt exit at stop): a pid list that
		 * names them may get ESRCH then (seen on arm-classic-sid).
		 */
		if (!expect && ret == ESRCH && GET(stop))
			break;
		if (expect == -2 ? ret && ret != ESRCH : ret != expect)
			fail("select '%s': %s, expected %s", cmd, ret ? strerror(ret) : "success",
			     expect == -2 ? "success or ESRCH" : expect ? strerror(expect) : "success");
		if (ret == 0)
			ADD(sel_ok, 1);
		else if (ret == EINVAL)
			ADD(sel_einval, 1);
		else if (ret == ESRCH)
			ADD(sel_esrch, 1);
		msleep(20 + rnd(&seed) % 60);
	}
	_exit(0);
}

/* ---- fork/exec/exit churn ---- */

static void *lexit_thread_short(void *arg)
{
	msleep((unsigned long)arg);
	return NULL;	/* the last thread: the process exits */
}

static void churner(void)
{
	unsigned int seed = getpid();
	pid_t kids[4] = {};
	int i, status;

	set_name("ptst-churn");
	while (!stopping()) {
		for (i = 0; i < 4; i++) {
			unsigned int x = rnd(&seed) % 4;
			pid_t p;

			if (kids[i] && waitpid(kids[i], &status, WNOHANG) == 0)
				continue;
			if (kids[i] && (!WIFEXITED(status) || WEXITSTATUS(status)))
				fail("churn child %d ended with status 0x%x", kids[i], status);
			kids[i] = 0;
			if (stopping())
				break;
			p = fork();
			if (p < 0) {
				fail("fork: %s", strerror(errno));
				msleep(100);
				continue;
			}
			if (p == 0) {
				pthread_t t;
				char *argv[] = { "ptst-exec", "--exit", NULL };

				switch (x) {
				case 0:
					_exit(0);
				case 1:
					execv(self_exe, argv);
					_exit(111);
				case 2:
					/* the leader exits, a thread runs on a little */
					set_name("ptst-lexit-s");
					if (pthread_create(&t, NULL, lexit_thread_short,
							   (void *)(unsigned long)(5 + x)))
						_exit(112);
					pthread_exit(NULL);
				default: {
					/* touch some memory, then exit */
					char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
						       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

					if (m != MAP_FAILED)
						memset(m, 1, 1 << 20);
					_exit(0);
				}
				}
			}
			kids[i] = p;
			SET(last_child, p);
			ADD(forks, 1);
			if (x == 1)
				ADD(execs, 1);
			if (x == 2)
				ADD(lexit_churn, 1);
		}
		msleep(10);
	}
	for (i = 0; i < 4; i++) {
		if (kids[i] && waitpid(kids[i], &status, 0) == kids[i] &&
		    (!WIFEXITED(status) || WEXITSTATUS(status)))
			fail("churn child %d ended with status 0x%x", kids[i], status);
	}
	_exit(0);
}

/* ---- the long-lived process whose leader exited ---- */

static void *lexit_worker(void *arg)
{
	char path[64], st[512];
	int leader = getpid(), i = 0;
	char *m;

	if (arg) {
		/* Wait for the leader to be a zombie, then say so. */
		snprintf(path, sizeof(path), "/proc/%d/stat", leader);
		while (!GET(lexit_stop)) {
			char *q;

			if (pt_read_into(path, 128, st, sizeof(st)) > 0 && (q = strrchr(st, ')')) &&
			    q[1] == ' ' && q[2] == 'Z') {
				SET(lexit_tid, (int)syscall(SYS_gettid));
				SET(lexit_ready, 1);
				break;
			}
			msleep(10);
		}
	}
	while (!GET(lexit_stop)) {
		m = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED) {
			m[(i++ % 16) << 12] = 1;
			munmap(m, 64 << 10);
		}
		msleep(20);
	}
	if (arg)
		syscall(SYS_exit_group, 0);
	return NULL;
}

static void lexit_proc(void)
{
	pthread_t a, b;

	set_name("ptst-lexit");
	if (pthread_create(&a, NULL, lexit_worker, (void *)1) ||
	    pthread_create(&b, NULL, lexit_worker, NULL))
		_exit(1);
	SET(lexit_tgid, getpid());
	pthread_exit(NULL);	/* the leader goes; its threads run on */
}

/* ---- modify_ldt ---- */

#if HAVE_LDT
static int ldt_write(int entry, int base)
{
	struct user_desc d = {
		.entry_number = entry, .base_addr = base, .limit = 0xfff, .seg_32bit = 1,
		.contents = 0, .read_exec_only = 0, .limit_in_pages = 0,
		.seg_not_present = 0, .useable = 1,
	};

	return syscall(SYS_modify_ldt, 1, &d, sizeof(d));
}

/* Read the LDT into a fresh mapping: the copy to user space faults under ldt_usr_sem. */
static int ldt_read(void)
{
	size_t size = 64 << 10;
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	if (m == MAP_FAILED)
		return -1;
	r = syscall(SYS_modify_ldt, 0, m, size);
	munmap(m, size);
	return r;
}

static void ldt_proc(void)
{
	unsigned int seed = getpid();
	int i = 0, status;
	pid_t p;

	set_name("ptst-ldt");
	SET(ldt_pid, getpid());
	while (!stopping()) {
		/* entries far apart make the kernel allocate a new LDT */
		if (ldt_write(rnd(&seed) % (i & 1 ? 8 : 512), i) < 0)
			fail("modify_ldt write: %s", strerror(errno));
		else
			ADD(ldt_writes, 1);
		if (ldt_read() < 0)
			fail("modify_ldt read: %s", strerror(errno));
		else
			ADD(ldt_reads, 1);
		if (++i % 16 == 0) {
			/* a short-lived process with an LDT: freed at its exit */
			p = fork();
			if (p == 0) {
				_exit(ldt_write(1, 0) < 0 || ldt_write(300, 0) < 0 || ldt_read() < 0);
			} else if (p > 0) {
				if (waitpid(p, &status, 0) != p || !WIFEXITED(status) ||
				    WEXITSTATUS(status))
					fail("LDT child ended with status 0x%x", status);
				ADD(ldt_procs, 1);
			}
		}
		msleep(10);
	}
	_exit(0);
}
#endif

/* ---- munmap churn ---- */

static void *munmap_thread(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg ^ getpid();
	const size_t big = sizeof(long) == 8 ? 1UL << 39 : 1UL << 21;

	while (!stopping()) {
		size_t size = ((rnd(&seed) % 2048) + 1) << 12;	/* up to 8 MiB */
		/* hints far apart: new top-level user slots, freed again */
		void *hint = (void *)(uintptr_t)(big * (2 + rnd(&seed) % (sizeof(long) == 8 ? 60 : 900)));
		char *m = mmap(hint, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t off;

		if (m == MAP_FAILED) {
			fail("mmap %zu bytes: %s", size, strerror(errno));
			msleep(100);
			continue;
		}
		for (off = 0; off < size; off += 64 << 10)
			m[off] = 1;
		if (size > (2 << 12) && rnd(&seed) % 2) {
			/* a hole first, then the rest */
			if (munmap(m + 4096, 4096))
				fail("munmap: %s", strerror(errno));
		}
		if (munmap(m, size))
			fail("munmap: %s", strerror(errno));
		ADD(munmaps, 1);
		msleep(10);
	}
	return NULL;
}

static void munmap_proc(void)
{
	pthread_t t;

	set_name("ptst-munmap");
	SET(munmap_pid, getpid());
	if (pthread_create(&t, NULL, munmap_thread, (void *)1))
		_exit(1);
	munmap_thread(NULL);
	pthread_join(t, NULL);
	_exit(0);
}

/* ---- modules ---- */

static int load(const char *ko, const char *params)
{
	int fd = open(ko, O_RDONLY), ret, saved;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0);
	saved = errno;
	close(fd);
	return ret ? -saved : 0;
}

static int unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static long module_param_read(const char *name)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/module/ptshare_vmtest/parameters/%s", name);
	return atol(pt_file_line(path, buf, sizeof(buf)));
}

/* The first 12 lines of task @pid's kernel stack, if it can be read. */
static void say_stack(int pid)
{
	char path[64], buf[2048], *line, *save = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	if (pt_read_into(path, 512, buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line && n < 12; line = strtok_r(NULL, "\n", &save), n++)
		say("  %s", line);
}

/*
 * The churn thread of ptshare_vmtest (comm "ptshare_vmtest"): its state and
 * kernel stack, when a load saw it make no vmalloc() or vfree().
 */
static void show_churn_thread(double secs)
{
	char path[300], buf[256], *line;
	struct dirent *de;
	DIR *d = opendir("/proc");
	int pid = 0;

	while (d && (de = readdir(d)) && !pid) {
		if (!is_num(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if (!strcmp(pt_file_line(path, buf, sizeof(buf)), "ptshare_vmtest"))
			pid = atoi(de->d_name);
	}
	if (d)
		closedir(d);
	if (!pid) {
		say("ptshare_vmtest: no churn call in %.0f s, and no churn thread", secs);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	pt_file_line(path, buf, sizeof(buf));
	line = strrchr(buf, ')');
	say("ptshare_vmtest: no churn call in %.0f s; its thread %d, state %c", secs, pid,
	    line && line[1] ? line[2] : '?');
	say_stack(pid);
}

static void vm_cycler(const char *ko)
{
	unsigned int seed = getpid();
	double t;
	long ops;
	int ret;

	set_name("ptst-vmtest");
	while (!stopping()) {
		/*
		 * churn_nice=-10: at nice 0 the churn thread shares a guest
		 * CPU with every busy worker here; on x86_64-debug it then made
		 * 3 vmalloc or vfree calls in a whole window, and 23 (2 rounds)
		 * at -10, on a busier host
		 */
		ret = load(ko, "vmalloc_mb=4 churn=1 churn_ms=10 churn_nice=-10");
		if (ret) {
			fail("load ptshare_vmtest: %s", strerror(-ret));
			msleep(1000);
			continue;
		}
		ADD(vm_loads, 1);
		msleep(500 + rnd(&seed) % 2500);
		/*
		 * a slow (debug) kernel: give the churn thread a vmalloc() or
		 * vfree(), up to 10 s, or 60 s while none has been seen (arm64-
		 * debug on a busy host: 4 loads of 10 s each and no round of
		 * eight calls, in CI; x86_64-debug: 1 load and no round in a
		 * grown window, so the calls are counted one by one)
		 */
		for (t = pt_now(); module_param_read("churn_ops") < 1 &&
		     pt_now() - t < (GET(vm_ops) ? 10 : 60) && !stopping();)
			msleep(100);
		ops = module_param_read("churn_ops");
		if (!ops)
			show_churn_thread(pt_now() - t);
		ADD(vm_ops, ops);
		ADD(vm_rounds, module_param_read("churn_rounds"));
		ADD(vm_huge, module_param_read("churn_huge"));
		ret = unload("ptshare_vmtest");
		if (ret) {
			fail("unload ptshare_vmtest: %s", strerror(-ret));
			msleep(1000);
		}
	}
	_exit(0);
}

static int ptshare_loaded(void)
{
	return !access(pt_path("summary"), F_OK);
}

/* Unload ptshare; reload it. 0, or -1 after recording why. */
static int reload(const char *ko, int must_unload)
{
	int ret;

	__atomic_fetch_add(&sh->epoch, 1, __ATOMIC_SEQ_CST);	/* odd: going down */
	ret = unload("ptshare");
	if (ret) {
		__atomic_fetch_add(&sh->epoch, 1, __ATOMIC_SEQ_CST);
		if (must_unload || (ret != -EWOULDBLOCK && ret != -EBUSY))
			fail("rmmod ptshare (%s): %s", must_unload ? "no file open" : "racing",
			     strerror(-ret));
		else
			ADD(rm_race_busy, 1);
		return ret == -EWOULDBLOCK || ret == -EBUSY ? 1 : -1;
	}
	if (ptshare_loaded())
		fail("rmmod ptshare succeeded but %s is still there", pt_dir());
	ret = load(ko, "");
	if (ret) {
		msleep(500);
		ret = load(ko, "");	/* once more, then give up */
	}
	__atomic_fetch_add(&sh->epoch, 1, __ATOMIC_SEQ_CST);	/* even: up */
	if (ret) {
		fail("insmod ptshare: %s", strerror(-ret));
		return -1;
	}
	ADD(insmods, 1);
	return 0;
}

static void pt_cycler(const char *ko)
{
	unsigned int seed = getpid();
	char head[256];
	int cycle = 0, fd, ret;
	double t;
	char *rest;

	set_name("ptst-rmmod");
	msleep(1000);
	while (!stopping()) {
		/* 1. our own file open: rmmod must be refused, the file reads on */
		fd = pt_open_counted("summary", O_RDONLY, 0);
		if (fd >= 0) {
			ssize_t r = read(fd, head, sizeof(head));

			ret = unload("ptshare");
			if (ret == 0) {
				fail("rmmod ptshare succeeded with summary open");
			} else if (ret != -EWOULDBLOCK && ret != -EBUSY) {
				fail("rmmod ptshare with summary open: %s", strerror(-ret));
			} else {
				rest = r == (ssize_t)sizeof(head) ? pt_read_fd(fd, 4096, NULL) : NULL;
				if (!rest || !pt_complete(rest))
					fail("summary open during a refused rmmod: %s",
					     rest ? "no end line" : strerror(errno));
				else
					ADD(rm_busy, 1);
				free(rest);
			}
			pt_close_counted(fd);
		}
		if (stopping())
			break;
		/* 2. rmmod racing with the readers: refused or done, both fine */
		ret = reload(ko, 0);
		if (ret == 0)
			ADD(rm_race_ok, 1);
		/*
		 * 3. every other cycle the readers pause until they hold no file;
		 * then either the unload must happen, or they are let go and the
		 * rmmod races with their next open()s.
		 */
		if (++cycle % 2 == 1 && !stopping()) {
			SET(pause, 1);
			t = pt_now();
			while (GET(open_files) > 0 && pt_now() < deadline() + GRACE)
				msleep(20);
			if (GET(open_files) > 0) {
				/* the readers' reads end at deadline() + GRACE at the latest */
				say("readers still held %d files after %.0f s of pause, at the deadline",
				    GET(open_files), pt_now() - t);
			} else if (cycle % 4 == 1) {
				if (reload(ko, 1) == 0)
					ADD(rm_quiet, 1);
			} else {
				SET(pause, 0);
				if (reload(ko, 0) == 0)
					ADD(rm_race_ok, 1);
			}
			SET(pause, 0);
		}
		msleep(1000 + rnd(&seed) % 3000);
	}
	/*
	 * On a slow or loaded machine the readers may have held a file through
	 * every pause (a master read of 40 s on arm64 with the host's load at
	 * 13): then reload once they are done, with no file open.
	 */
	if (!GET(insmods)) {
		/*
		 * (the main process waits for us until deadline() + GRACE + 30; other
		 * workers, the select writer among them, may still hold a file
		 * for a moment: refused is retried, not a failure)
		 */
		while (GET(open_files) > 0 && pt_now() < deadline() + GRACE + 10)
			msleep(100);
		while (pt_now() < deadline() + GRACE + 20) {
			ret = reload(ko, 0);
			if (ret == 0) {
				ADD(rm_quiet, 1);
				break;
			}
			if (ret < 0)
				break;
			msleep(500);
		}
		if (!GET(insmods))
			say("no reload after the stress either: ptshare stayed busy");
	}
	_exit(0);
}

/*
 * stress --check summary|master|dump < FILE: the checks a reader makes, on a
 * saved report (to test the checks themselves on the host).
 */
static int check_file(const char *kind)
{
	struct check c = {};
	struct shared local = {};
	size_t len;
	char *text;

	sh = &local;
	for (c.file = 0; c.file < NR_FILES && strcmp(kind, file_names[c.file]); c.file++)
		;
	text = pt_read_fd(0, 65536, &len);
	if (c.file == NR_FILES || !text)
		return 2;
	if (check_report(text, len, &c, 0)) {
		printf("bad: %s\n", c.why);
		return 1;
	}
	printf("ok\n");
	return 0;
}

/* ---- main ---- */

static pid_t spawn(void (*fn)(void))
{
	pid_t p = fork();

	if (p < 0)
		ksft_bail("fork: %s", strerror(errno));
	if (p == 0)
		fn();
	return p;
}

static const char *g_ko, *g_vmko;
static int g_reader_id;
static void run_reader(void) { reader(g_reader_id); }
static void run_vm(void) { vm_cycler(g_vmko); }
static void run_pt(void) { pt_cycler(g_ko); }

/* A reader has been in one read for long: where is it in the kernel? */
static void show_stuck(int pid, const char *file, double secs)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	pt_file_line(path, buf, sizeof(buf));
	say("reader %d in one read of %s for %.0f s, wchan '%s'", pid, file, secs, buf);
	say_stack(pid);
}

/* Processes of our process group other than us (zombies included). */
static int leftovers(char *out, size_t size)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300], st[512], *q;
	int n = 0, pgrp;
	size_t o = 0;

	out[0] = '\0';
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!is_num(de->d_name) || atoi(de->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (pt_read_into(path, 128, st, sizeof(st)) <= 0 || !(q = strrchr(st, ')')))
			continue;
		/* ") S PPID PGRP" */
		if (sscanf(q + 2, "%*c %*d %d", &pgrp) == 1 && pgrp == getpgrp()) {
			n++;
			if (o < size)
				o += snprintf(out + o, size - o, " %s(%c)", de->d_name, q[2]);
		}
	}
	closedir(d);
	return n;
}

/* What the final checks need that has not happened yet, or NULL. */
static const char *not_yet_run(int x86)
{
	static const char *const what[NR_FILES] = {
		"summary read", "master read", "dump read"
	};
	int i;

	for (i = 0; i < NR_FILES; i++)
		if (!GET(reads[i]))
			return what[i];
	if (!GET(sel_ok) || !GET(sel_einval))
		return "select write accepted and refused";
	if (!GET(forks) || !GET(execs) || !GET(lexit_churn) || !GET(munmaps))
		return "fork, exec, leader exit and munmap churn";
	if (x86 && HAVE_LDT && (!GET(ldt_writes) || !GET(ldt_reads) || !GET(ldt_procs)))
		return "modify_ldt write, read and process";
	if (g_vmko && (!GET(vm_loads) || !GET(vm_ops)))
		return "ptshare_vmtest load and vmalloc churn call";
	if (g_ko && (!GET(rm_busy) || !GET(insmods)))
		return "refused rmmod and reload of ptshare";
	return NULL;
}

/*
 * Wait for worker @pid (@name) to exit: it may take until deadline() + GRACE (a
 * read in progress), or @since, and 30 s more. 1 if it had to be killed.
 */
static int reap(pid_t pid, const char *name, double since)
{
	double limit = (since > deadline() + GRACE ? since : deadline() + GRACE) + 30;
	int status;

	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (pt_now() > limit) {
			fail("%s (pid %d) did not stop within %.0f s; killed", name, pid,
			     pt_now() - since);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
		msleep(50);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("%s (pid %d) ended with status 0x%x", name, pid, status);
	return 0;
}

int main(int argc, char **argv)
{
	const char *s;
	double secs, t0, t_stop, tb;
	pid_t pids[16];
	const char *names[16];
	int np = 0, i, status, stuck = 0, nleft, x86 = 0;
	char left[512], base_why[MSG_LEN] = "", *text;
	int base_ok, unreaped;
	pid_t w;
	double reported[NR_READERS] = {};
	const char *why = NULL, *waiting;
	int extended = 0;
	struct check c;
	size_t len;

	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;	/* the exec'd churn child */
	if (argc == 3 && !strcmp(argv[1], "--check"))
		return check_file(argv[2]);

	/* Debug kernels (lockdep's /proc/lockdep) get the long run, others a short one. */
	secs = access("/proc/lockdep", F_OK) ? 15 : 45;
	s = getenv("PTSHARE_STRESS_SECONDS");
	if (s && atof(s) > 0)
		secs = atof(s);
	s = getenv("PTSHARE_STRESS_READ_LIMIT");
	if (s && atof(s) > 0)
		read_limit = atof(s);
	s = getenv("PTSHARE_STRESS_MAX_MB");
	if (s && atol(s) > 0)
		max_bytes = (size_t)atol(s) << 20;
	g_ko = getenv("PTSHARE_KO");
	g_vmko = getenv("PTSHARE_VMTEST_KO");

	if (access(pt_path("summary"), R_OK))
		ksft_skip("ptshare is not loaded");
	text = pt_read(pt_path("summary"));
	if (!text)
		ksft_bail("read summary: %s", strerror(errno));
	x86 = !strcmp(pt_agree_arch(text), "x86_64");
	free(text);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		ksft_bail("mmap: %s", strerror(errno));
	memset(sh, 0, sizeof(*sh));
	setpgid(0, 0);
	pt_select("all");
	if (g_vmko)
		unload("ptshare_vmtest");	/* a leftover of an earlier test */

	/* The master before the stress, with the readers' bounds: huge vmalloc ranges. */
	memset(&c, 0, sizeof(c));
	c.file = F_MASTER;
	tb = pt_now();
	text = read_bounded(F_MASTER, 65536, &len, &why);
	base_ok = text && !why && !check_report(text, len, &c, 0);
	if (base_ok)
		sh->huge_base = c.huge_vmalloc;
	else
		snprintf(base_why, sizeof(base_why), "%s", why ? why : text ? c.why : strerror(errno));
	free(text);

	ksft_plan(13);
	ksft_result(base_ok, "master before the stress: read whole in %.1f s (%zu bytes)%s%s",
		    pt_now() - tb, len, base_ok ? "" : ": ", base_why);
	ksft_info("stress for %.0f s (PTSHARE_STRESS_SECONDS), a read at most %zu MiB (PTSHARE_STRESS_MAX_MB), the first master read at most %.0f s (PTSHARE_STRESS_READ_LIMIT)",
		  secs, max_bytes >> 20, read_limit);
	t0 = pt_now();
	SET(end_ms, (long)((t0 + secs) * 1000));

	pids[np] = spawn(lexit_proc), names[np++] = "leader-exit process";
	for (i = 0; i < NR_READERS; i++) {
		g_reader_id = i;
		pids[np] = spawn(run_reader), names[np++] = "reader";
		sh->busy_pid[i] = pids[np - 1];
	}
	pids[np] = spawn(selector), names[np++] = "select writer";
	pids[np] = spawn(churner), names[np++] = "fork/exec churn";
	pids[np] = spawn(munmap_proc), names[np++] = "munmap churn";
#if HAVE_LDT
	if (x86)
		pids[np] = spawn(ldt_proc), names[np++] = "modify_ldt";
#endif
	if (g_vmko)
		pids[np] = spawn(run_vm), names[np++] = "ptshare_vmtest load/unload";
	if (g_ko)
		pids[np] = spawn(run_pt), names[np++] = "ptshare rmmod/insmod";

	while (pt_now() < deadline()) {
		msleep(1000);
		/*
		 * On a slow or loaded host the window may end before each kind
		 * of work has run once (a select-all dump on a KASAN ARM guest
		 * beside other guests: 0 dump reads in 75 s + GRACE). The window
		 * then grows, 5 s at a time, up to twice its length; what is
		 * judged at the end does not change.
		 */
		if (pt_now() + 1.5 >= deadline() && pt_now() < t0 + 2 * secs &&
		    (waiting = not_yet_run(x86)) != NULL) {
			if (!extended)
				ksft_info("%.0f s: no %s yet; the window grows (at most to %.0f s)",
					  pt_now() - t0, waiting, 2 * secs);
			extended = 1;
			SET(end_ms, (long)((pt_now() + 5 < t0 + 2 * secs ? pt_now() + 5 : t0 + 2 * secs) *
					   1000));
		}
		for (i = 0; i < NR_READERS; i++) {
			double since = GET(busy_since[i]) / 1000.0;

			if (since > 0 && pt_now() - since > 20 && since != reported[i]) {
				reported[i] = since;
				show_stuck(sh->busy_pid[i], file_names[sh->busy_file[i]], pt_now() - since);
			}
		}
		if ((int)(pt_now() - t0) % 30 == 0)
			ksft_info("%.0f s: reads summary %ld master %ld dump %ld, failures %d",
				  pt_now() - t0, GET(reads[F_SUMMARY]), GET(reads[F_MASTER]),
				  GET(reads[F_DUMP]), GET(nfail));
	}
	/* Readers finish the read they are in, until deadline() + GRACE. */
	SET(stop, 1);
	t_stop = pt_now();
	/* Every worker but the leader-exit process (pids[0]) goes now. */
	for (i = 1; i < np; i++)
		stuck += reap(pids[i], names[i], t_stop);
	/*
	 * One more summary, now that ptshare is loaded for good and no
	 * rmmod races with it, while the leader-exited process surely lives
	 * (it waits for lexit_stop): the readers' checks may all have come
	 * before it was ready, or the module may have been away then.
	 */
	for (tb = pt_now(); !GET(lexit_ready) && pt_now() < tb + 10;)
		msleep(50);
	text = NULL;
	why = NULL;
	if (!GET(lexit_ready))
		why = "its leader never became a zombie";
	else if (!ptshare_loaded())
		why = "ptshare is not loaded";
	else
		text = read_bounded(F_SUMMARY, 65536, &len, &why);
	memset(&c, 0, sizeof(c));
	c.file = F_SUMMARY;
	if (text && !why && check_report(text, len, &c, sh->lexit_tgid))
		why = c.why;
	if (text && !why) {
		ADD(sum_lexit_checked, 1);
		ADD(sum_lexit_found, c.lexit_found);
	} else {
		fail("the summary read after the stress: %s", why ? why : strerror(errno));
	}
	free(text);
	SET(lexit_stop, 1);
	stuck += reap(pids[0], names[0], pt_now());
	ksft_info("window %.0f s (%s), stopped %.1f s after its end; wall time %.0f s",
		  t_stop - t0, extended ? "grown" : "as set", pt_now() - t_stop, pt_now() - t0);

	for (i = 0; i < NR_FILES; i++)
		ksft_info("%s: %ld reads, %ld bad, %ld MiB, largest %ld bytes, slowest %ld ms",
			  file_names[i], sh->reads[i], sh->bad[i], sh->bytes[i] >> 20,
			  sh->maxbytes[i], sh->maxms[i]);
	ksft_info("dumps by selection: all %ld, pid %ld, comm %ld; pmd/pud ranges in vmalloc: %ld before, at most %ld during the stress",
		  sh->dump_sel[0], sh->dump_sel[1], sh->dump_sel[2], sh->huge_base, sh->huge_max);
	ksft_info("reads given up at the deadline: %ld (the largest at %ld bytes)", sh->abandoned,
		  sh->abandoned_bytes);
	ksft_info("opens refused during a reload: %ld (ENOENT %d, ENXIO %d, EIO %d, ENODEV %d)",
		  sh->open_down, sh->down_errno[0], sh->down_errno[1], sh->down_errno[2],
		  sh->down_errno[3]);
	ksft_info("select: %ld ok, %ld EINVAL, %ld ESRCH, %ld reads", sh->sel_ok, sh->sel_einval,
		  sh->sel_esrch, sh->sel_reads);
	ksft_info("churn: %ld forks (%ld exec, %ld leader exits), %ld munmap rounds, LDT %ld writes %ld reads %ld processes",
		  sh->forks, sh->execs, sh->lexit_churn, sh->munmaps, sh->ldt_writes, sh->ldt_reads,
		  sh->ldt_procs);
	ksft_info("ptshare_vmtest: %ld loads, %ld vmalloc and vfree calls in %ld churn rounds, %ld vmalloc_huge areas",
		  sh->vm_loads, sh->vm_ops, sh->vm_rounds, sh->vm_huge);
	ksft_info("ptshare: rmmod refused with a file open %ld, racing rmmod done %ld refused %ld, after a pause %ld; %ld insmods",
		  sh->rm_busy, sh->rm_race_ok, sh->rm_race_busy, sh->rm_quiet, sh->insmods);

	for (i = 0; i < NR_FILES; i++)
		ksft_result(sh->reads[i] > 0 && !sh->bad[i],
			    "%s: %ld reads, every one complete and consistent (%ld bad)",
			    file_names[i], sh->reads[i], sh->bad[i]);
	ksft_result(sh->sum_lexit_checked > 0 && sh->sum_lexit_found == sh->sum_lexit_checked,
		    "the process whose leader exited (tgid %d, threads running) has a summary row in %ld of %ld reads",
		    sh->lexit_tgid, sh->sum_lexit_found, sh->sum_lexit_checked);
	ksft_result(sh->sel_ok > 0 && sh->sel_einval > 0,
		    "select: %ld writes accepted, %ld refused with EINVAL as they should", sh->sel_ok,
		    sh->sel_einval);
	ksft_result(sh->forks > 0 && sh->execs > 0 && sh->lexit_churn > 0 && sh->munmaps > 0,
		    "churn ran: %ld forks, %ld execs, %ld leader exits, %ld munmap rounds",
		    sh->forks, sh->execs, sh->lexit_churn, sh->munmaps);
	if (x86 && HAVE_LDT)
		ksft_result(sh->ldt_writes > 0 && sh->ldt_reads > 0 && sh->ldt_procs > 0,
			    "modify_ldt: %ld writes, %ld reads, %ld short-lived LDT processes",
			    sh->ldt_writes, sh->ldt_reads, sh->ldt_procs);
	else
		ksft_result(1, "modify_ldt # SKIP not x86");
	if (g_vmko)
		ksft_result(sh->vm_loads > 0 && sh->vm_ops > 0 && access("/sys/module/ptshare_vmtest", F_OK),
			    "ptshare_vmtest loaded and unloaded %ld times, %ld vmalloc churn calls; unloaded at the end",
			    sh->vm_loads, sh->vm_ops);
	else
		ksft_result(1, "vmalloc churn # SKIP PTSHARE_VMTEST_KO is not set");
	if (g_ko)
		ksft_result(sh->rm_busy > 0 && sh->insmods > 0,
			    "rmmod refused with a file open (%ld), ptshare unloaded and loaded again %ld times",
			    sh->rm_busy, sh->insmods);
	else
		ksft_result(1, "rmmod/insmod of ptshare # SKIP PTSHARE_KO is not set");

	nleft = leftovers(left, sizeof(left));
	for (unreaped = 0; (w = waitpid(-1, &status, WNOHANG)) > 0; unreaped++)
		fail("child %d of the test was still to reap (status 0x%x)", w, status);
	ksft_result(!stuck && !unreaped && nleft == 0,
		    "all %d workers stopped and were reaped, no process of the test left (%d unreaped, %d left:%s)",
		    np, unreaped, nleft, left);

	text = ptshare_loaded() ? pt_read(pt_path("summary")) : NULL;
	memset(&c, 0, sizeof(c));
	c.file = F_SUMMARY;
	ksft_result(text && !check_report(text, strlen(text), &c, 0),
		    "ptshare is loaded at the end and its summary reads whole%s%s",
		    text ? "" : ": ", text ? c.why : "not loaded");
	free(text);
	ksft_result(sh->nfail == 0, "no unexpected errno or failure in any worker (%d)", sh->nfail);
	for (i = 0; i < sh->nmsg && i < MAX_MSGS; i++)
		ksft_info("failure %d: %s", i + 1, sh->msg[i]);
	pt_select("all");
	ksft_finish();
}

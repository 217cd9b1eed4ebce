/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ptshare selftests: KTAP output in the kselftest
 * style, reading the module's files, and parsing the lines the tests need.
 * Each test is a static binary run in the guest; exit 0 pass, 4 skip, 1 fail.
 */
#ifndef PTSHARE_TEST_H
#define PTSHARE_TEST_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/syscall.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

static int ksft_planned, ksft_done, ksft_failed;

/*
 * Where the module's files are: $PTSHARE_DIR (a guest row whose module serves
 * /proc/ptshare declares it on the kernel command line), else debugfs.
 */
/* Seconds on the monotonic clock. */
static inline double pt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline const char *pt_dir(void)
{
	const char *d = getenv("PTSHARE_DIR");

	return d && *d ? d : "/sys/kernel/debug/ptshare";
}

/* pt_dir()/FILE, in one of 8 buffers of the calling thread. */
static inline const char *pt_path(const char *file)
{
	static __thread char bufs[8][256];
	static __thread unsigned int next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", pt_dir(), file);
	return b;
}

/* Facts the module's report was found to agree with (pt_agree), shown as results. */
#define PT_MAX_FACTS	8
static char pt_facts[PT_MAX_FACTS][256];
static int pt_nfacts;

static inline int __attribute__((format(printf, 2, 3))) ksft_result(int ok, const char *fmt, ...);

/* Plan @n results, plus one "ok" for each fact agreed on so far (printed first). */
static inline void ksft_plan(int n)
{
	int i;

	printf("TAP version 13\n1..%d\n", n + pt_nfacts);
	ksft_planned = n + pt_nfacts;
	fflush(stdout);
	for (i = 0; i < pt_nfacts; i++)
		ksft_result(1, "%s", pt_facts[i]);
}

/* One numbered result; returns @ok so callers can stop on failure. */
static inline int __attribute__((format(printf, 2, 3))) ksft_result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++ksft_done);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		ksft_failed++;
	return ok;
}

static inline void __attribute__((format(printf, 1, 2))) ksft_info(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static inline __attribute__((noreturn)) void ksft_skip(const char *why)
{
	int i;

	printf("TAP version 13\n1..0 # SKIP %s\n", why);
	for (i = 0; i < pt_nfacts; i++)
		printf("# agreed: %s\n", pt_facts[i]);
	exit(KSFT_SKIP);
}

/*
 * Every test needs the module: where its files are in neither place, a test
 * skips before main(), as a kselftest does whose feature is missing, having
 * touched nothing (make run_tests on a machine without the module loaded).
 * Only a run without arguments, as both runners start a test: a test's other
 * modes (stress --check FILE on the host, its exec'd churn children while the
 * module reloads) go straight to main(). glibc calls constructors with
 * main()'s arguments. Helpers that run without the module define
 * PT_NO_MODULE first.
 */
#ifndef PT_NO_MODULE
__attribute__((constructor)) static void pt_require_module(int argc, char **argv)
{
	static char why[300];

	(void)argv;
	if (argc > 1)
		return;
	if (access(pt_path("summary"), F_OK)) {
		snprintf(why, sizeof(why), "ptshare is not loaded (no %s: %s)", pt_path("summary"),
			 strerror(errno));
		ksft_skip(why);
	}
}
#endif

static inline __attribute__((noreturn)) void ksft_finish(void)
{
	if (ksft_done != ksft_planned) {
		printf("# planned %d results, produced %d\n", ksft_planned, ksft_done);
		ksft_failed++;
	}
	printf("# Totals: pass:%d fail:%d\n", ksft_done - ksft_failed, ksft_failed);
	exit(ksft_failed ? KSFT_FAIL : KSFT_PASS);
}

static inline __attribute__((noreturn, format(printf, 1, 2))) void ksft_bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(KSFT_FAIL);
}

/* Read a whole file with read() calls of @chunk bytes. NULL with errno set. */
static inline char *pt_read_fd(int fd, size_t chunk, size_t *lenp)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1), *nbuf;
	ssize_t n;

	if (!buf)
		return NULL;
	for (;;) {
		if (cap - len < chunk) {
			cap = cap * 2 + chunk;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				free(buf);
				return NULL;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static inline char *pt_read_chunked(const char *path, size_t chunk)
{
	int fd = open(path, O_RDONLY), saved;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = pt_read_fd(fd, chunk, NULL);
	saved = errno;
	close(fd);
	errno = saved;
	return buf;
}

static inline char *pt_read(const char *path)
{
	return pt_read_chunked(path, 65536);
}

/* Read @path into @buf (NUL-terminated) in @chunk-byte reads; length or -1. */
static inline ssize_t pt_read_into(const char *path, size_t chunk, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len + chunk < size && (n = read(fd, buf + len, chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* Write @s to @path in one write(); 0 or -errno. */
static inline int pt_write(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, len) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

#define PT_SELECT_PARAM	"/sys/module/ptshare/parameters/select"

/*
 * The select file, or, where opening it fails with EPERM (kernel lockdown:
 * debugfs refuses files with a write bit), the module's select parameter.
 */
static inline const char *pt_select_path(void)
{
	int fd = open(pt_path("select"), O_RDONLY);

	if (fd >= 0) {
		close(fd);
		return pt_path("select");
	}
	return errno == EPERM ? PT_SELECT_PARAM : pt_path("select");
}

static inline int pt_select(const char *s)
{
	return pt_write(pt_select_path(), s, strlen(s));
}

/* Next line of @text starting at *pos, NUL-terminated in place. */
static inline char *pt_next_line(char *text, size_t *pos)
{
	char *line = text + *pos, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*pos = nl - text + 1;
	} else {
		*pos += strlen(line);
	}
	return line;
}

/* Value of header line "KEY ..." in the text of a ptshare file (static copy). */
static inline const char *pt_header(const char *text, const char *key)
{
	static char value[256];
	size_t n = strlen(key);
	const char *p = text, *e;

	while (p && *p) {
		if (!strncmp(p, key, n) && p[n] == ' ') {
			e = strchr(p, '\n');
			if (!e)
				e = p + strlen(p);
			snprintf(value, sizeof(value), "%.*s", (int)(e - p - n - 1), p + n + 1);
			return value;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The file ends with its "end" line: it was read whole. */
static inline int pt_complete(const char *text)
{
	size_t n = strlen(text);
	const char *last;

	if (n < 4 || text[n - 1] != '\n')
		return 0;
	for (last = text + n - 2; last > text && last[-1] != '\n'; last--)
		;
	return !strncmp(last, "end", 3) && (last[3] == '\n' || last[3] == ' ');
}

/* The dump of task @pid alone, read whole (bails out otherwise). */
static inline char *pt_dump_of(int pid)
{
	char sel[32], *text;

	snprintf(sel, sizeof(sel), "pid %d", pid);
	if (pt_select(sel))
		ksft_bail("select %s: %s", sel, strerror(errno));
	text = pt_read(pt_path("dump"));
	if (!text || !pt_complete(text))
		ksft_bail("read dump: %s", text ? "truncated" : strerror(errno));
	return text;
}

/* Undo the module's \ooo escaping of comm. */
static inline void pt_unescape(const char *in, char *out, size_t size)
{
	size_t o = 0;

	if (!strcmp(in, "-")) {
		*out = '\0';
		return;
	}
	while (*in && o + 1 < size) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] && in[3]) {
			out[o++] = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
			in += 4;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

struct pt_row {
	int master;
	int tgid;
	char comm[64];
	unsigned long threads;
	long v[17];	/* present shared same copy diff missing extra, u_* x7, pt_pages, kpriv,
			 * user_slots; -1 for "-" */
};

enum { PT_PRESENT, PT_SHARED, PT_SAME, PT_COPY, PT_DIFF, PT_MISSING, PT_EXTRA,
       PT_U_PRESENT, PT_U_SHARED = PT_U_PRESENT + 1, PT_U_EXTRA = PT_U_PRESENT + 6,
       PT_PT_PAGES = 14, PT_KPRIV = 15, PT_USER_SLOTS = 16 };

/* Parse the rows of a summary; returns the number of rows, -1 on a bad row. */
static inline int pt_summary_rows(char *text, struct pt_row **rowsp)
{
	size_t pos = 0, cap = 256;
	struct pt_row *rows = malloc(cap * sizeof(*rows));
	char *line, kind[16], comm[64], f[17][24];
	int n = 0, i, k;

	if (!rows)
		return -1;
	while ((line = pt_next_line(text, &pos))) {
		if (strncmp(line, "master ", 7) && strncmp(line, "mm ", 3))
			continue;
		if (n == (int)cap) {
			cap *= 2;
			rows = realloc(rows, cap * sizeof(*rows));
			if (!rows)
				return -1;
		}
		memset(&rows[n], 0, sizeof(rows[n]));
		k = sscanf(line, "%15s %d %63s %lu %23s %23s %23s %23s %23s %23s %23s %23s %23s %23s"
			   " %23s %23s %23s %23s %23s %23s %23s", kind, &rows[n].tgid, comm,
			   &rows[n].threads, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8],
			   f[9], f[10], f[11], f[12], f[13], f[14], f[15], f[16]);
		if (k != 21) {
			printf("# bad summary row: %s\n", line);
			free(rows);
			return -1;
		}
		rows[n].master = !strcmp(kind, "master");
		pt_unescape(comm, rows[n].comm, sizeof(rows[n].comm));
		for (i = 0; i < 17; i++)
			rows[n].v[i] = strcmp(f[i], "-") ? strtol(f[i], NULL, 0) : -1;
		n++;
	}
	*rowsp = rows;
	return n;
}

static inline struct pt_row *pt_find_row(struct pt_row *rows, int n, int tgid)
{
	int i;

	for (i = 0; i < n; i++)
		if (!rows[i].master && rows[i].tgid == tgid)
			return &rows[i];
	return NULL;
}

/* The master row's pt_pages in a fresh summary, or -1 if unreadable. */
static inline long pt_master_pt_pages(void)
{
	char *text = pt_read(pt_path("summary"));
	struct pt_row *rows;
	long v = -1;
	int n, i;

	n = text && pt_complete(text) ? pt_summary_rows(text, &rows) : -1;
	for (i = 0; i < n; i++)
		if (rows[i].master)
			v = rows[i].v[PT_PT_PAGES];
	if (n >= 0)
		free(rows);
	free(text);
	return v;
}

/* Does /proc/kallsyms name @sym (a data symbol needs KALLSYMS_ALL)? */
static inline int pt_fact_kallsyms_has(const char *sym)
{
	char line[256], want[128];
	FILE *f = fopen("/proc/kallsyms", "r");
	int found = 0;

	if (!f)
		return 0;
	snprintf(want, sizeof(want), " %s\n", sym);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

/* One "entry" line of dump. */
struct pt_entry {
	int tgid;
	char which[8], level[8], cls[8], pkind[8], mkind[8], region[32];
	unsigned long long start, last, praw, mraw;
};

static inline int pt_parse_entry(const char *line, int tgid, struct pt_entry *e)
{
	char ppa[24], mpa[24];

	e->tgid = tgid;
	return sscanf(line, "entry %7s %7s %llx %llx %7s %7s %llx %23s %7s %llx %23s %31s",
		      e->which, e->level, &e->start, &e->last, e->cls, e->pkind, &e->praw, ppa,
		      e->mkind, &e->mraw, mpa, e->region) == 12 ? 0 : -1;
}

/*
 * Load a test helper module: the file named by environment variable @env if
 * set, else @path, with @args; bails out on failure.
 */
static inline void pt_insmod(const char *env, const char *path, const char *args)
{
	const char *ko = getenv(env);
	int fd;

	if (!ko)
		ko = path;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, args, 0))
		ksft_bail("insmod %s %s: %s", ko, args, strerror(errno));
	close(fd);
}

/*
 * Load ptshare from @ko with @params after clearing the kernel log (so that
 * pt_dmesg_has() sees this load's lines only); 0 or -errno.
 */
static inline int pt_load_module(const char *ko, const char *params)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret, saved;

	if (fd < 0)
		return -errno;
	klogctl(5, NULL, 0);	/* SYSLOG_ACTION_CLEAR */
	ret = syscall(SYS_finit_module, fd, params, 0);
	saved = errno;
	close(fd);
	return ret ? -saved : 0;
}

static inline int pt_unload_module(void)
{
	return syscall(SYS_delete_module, "ptshare", O_NONBLOCK) ? -errno : 0;
}

static inline int pt_dmesg_has(const char *what)
{
	static char buf[1 << 16];
	int n = klogctl(3, buf, sizeof(buf) - 1);	/* SYSLOG_ACTION_READ_ALL */

	if (n < 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, what) != NULL;
}

/*
 * The kernel's lockdown level ("none", "integrity", "confidentiality"; "none"
 * without the lockdown LSM), from securityfs, mounted here if need be.
 */
static inline const char *pt_lockdown_level(void)
{
	static char level[32] = "none";
	char *text, *open_b, *close_b;

	if (access("/sys/kernel/security/lockdown", F_OK))
		mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	text = pt_read("/sys/kernel/security/lockdown");
	open_b = text ? strchr(text, '[') : NULL;
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (close_b && close_b - open_b < (long)sizeof(level))
		snprintf(level, sizeof(level), "%.*s", (int)(close_b - open_b - 1), open_b + 1);
	free(text);
	return level;
}

/* Children that block until killed: a process whose kernel half is stable. */
static inline pid_t pt_spawn_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/*
 * Wait until every thread of @pid sleeps interruptibly ('S' in its stat):
 * a child that has not run yet since fork() still faults its text in, which
 * adds page tables to its mm, so a report taken before it sleeps can differ
 * from one taken after. Returns 0, or -1 after @seconds.
 */
static inline int pt_wait_asleep(pid_t pid, int seconds)
{
	char path[64], buf[512];
	int tries, all, n, fd;
	struct dirent *de;
	char *state;
	DIR *d;

	for (tries = 0; tries < seconds * 100; tries++) {
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		d = opendir(path);
		if (!d)
			return -1;
		all = 1;
		while (all && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%.16s/stat", pid, de->d_name);
			fd = open(path, O_RDONLY);
			n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
			if (fd >= 0)
				close(fd);
			if (n <= 0)
				continue;	/* a thread that just left */
			buf[n] = 0;
			state = strrchr(buf, ')');
			all = state && state[1] == ' ' && state[2] == 'S';
		}
		closedir(d);
		if (all)
			return 0;
		usleep(10000);
	}
	return -1;
}

static inline void pt_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * Independent facts. Whether a test's branch applies (or it skips) is decided
 * from the kernel's own files, never from ptshare's report; the report must
 * then agree with the fact (pt_agree), or the test fails.
 */

/* Before the plan: a disagreement fails the test at once (never a skip). */
static inline void __attribute__((format(printf, 2, 3))) pt_agree(int agree, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!agree) {
		printf("TAP version 13\n1..1\nnot ok 1 %s\n# Totals: pass:0 fail:1\n", msg);
		exit(KSFT_FAIL);
	}
	if (pt_nfacts < PT_MAX_FACTS)
		snprintf(pt_facts[pt_nfacts++], sizeof(pt_facts[0]), "%s", msg);
}

/* First line of a small file, without its newline; "" when unreadable. */
static inline const char *pt_file_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, size, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* Is @flag one of the comma-separated @flags (a master line's FLAGS field)? */
static inline int pt_has_flag(const char *flags, const char *flag)
{
	size_t n = strlen(flag);
	const char *p = flags;

	for (;;) {
		if (!strncmp(p, flag, n) && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (!p)
			return 0;
		p++;
	}
}

/* Is @word a whole blank-separated word of @text? */
static inline int pt_has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word))) {
		if ((p == text || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return 1;
		p += n;
	}
	return 0;
}

/*
 * The architecture as the module names it, from uname(): x86_64, arm64,
 * riscv64, for 32-bit ARM "arm-lpae" when the kernel release is an LPAE build
 * (Debian names those "...-armmp-lpae"), else "arm", and for 32-bit x86
 * "x86-pae" or "x86" likewise.
 */
static inline const char *pt_fact_arch(void)
{
	static struct utsname u;

	if (uname(&u))
		return "?";
	if (!strcmp(u.machine, "x86_64"))
		return "x86_64";
	if (!strcmp(u.machine, "aarch64"))
		return "arm64";
	if (!strncmp(u.machine, "arm", 3))
		return strstr(u.release, "lpae") ? "arm-lpae" : "arm";
	/* 32-bit x86: Debian's PAE kernels are "...-686-pae". */
	if (u.machine[0] == 'i' && !strcmp(u.machine + 2, "86"))
		return strstr(u.release, "pae") ? "x86-pae" : "x86";
	return u.machine;
}

/*
 * x86-64 PTI from /sys/devices/system/cpu/vulnerabilities/meltdown:
 * "Mitigation: PTI" is on, "Vulnerable" off. "Not affected" is off unless PTI
 * was forced on an unaffected CPU (pti=on): then /proc/cpuinfo has the "pti"
 * flag. 1 on, 0 off, -1 unknown; @what gets the file's text.
 */
static inline int pt_fact_x86_pti(char *what, size_t size)
{
	static char cpuinfo[1 << 16];

	pt_file_line("/sys/devices/system/cpu/vulnerabilities/meltdown", what, size);
	if (!strcmp(what, "Mitigation: PTI"))
		return 1;
	if (!strncmp(what, "Vulnerable", 10))
		return 0;
	if (strcmp(what, "Not affected"))
		return -1;
	if (pt_read_into("/proc/cpuinfo", 4096, cpuinfo, sizeof(cpuinfo)) < 0)
		return -1;
	return pt_has_word(cpuinfo, "pti");
}

/*
 * x86-64 5-level paging: the CPU flag la57 in /proc/cpuinfo (the kernel
 * clears it when it does not use 5 levels) and no "no5lvl" on the kernel
 * command line. 5 or 4.
 */
static inline int pt_fact_x86_levels(void)
{
	static char cpuinfo[1 << 16];
	char cmdline[4096], *flags;

	if (pt_read_into("/proc/cpuinfo", 4096, cpuinfo, sizeof(cpuinfo)) < 0)
		ksft_bail("read /proc/cpuinfo: %s", strerror(errno));
	pt_file_line("/proc/cmdline", cmdline, sizeof(cmdline));
	flags = strstr(cpuinfo, "\nflags");
	if (!flags)
		ksft_bail("no flags line in /proc/cpuinfo");
	*strchrnul(flags + 1, '\n') = '\0';
	return pt_has_word(flags, "la57") && !pt_has_word(cmdline, "no5lvl") ? 5 : 4;
}

/*
 * riscv64: the levels the kernel runs with, from the "mmu" line the kernel
 * prints for each hart in /proc/cpuinfo (sv39, sv48, sv57: the mode it wrote
 * into satp at boot).
 */
static inline int pt_fact_riscv_levels(void)
{
	static char cpuinfo[1 << 16];
	char *mmu;
	int bits = 0;

	if (pt_read_into("/proc/cpuinfo", 4096, cpuinfo, sizeof(cpuinfo)) < 0)
		ksft_bail("read /proc/cpuinfo: %s", strerror(errno));
	mmu = strstr(cpuinfo, "\nmmu");
	if (!mmu || !(mmu = strchr(mmu, ':')) || sscanf(mmu, ": sv%d", &bits) != 1)
		ksft_bail("no mmu line in /proc/cpuinfo");
	switch (bits) {
	case 39:
		return 3;
	case 48:
		return 4;
	case 57:
		return 5;
	}
	ksft_bail("mmu sv%d in /proc/cpuinfo: not a riscv64 paging mode", bits);
}

/* Does the kernel log (all of it, from /dev/kmsg, whatever a clear did) hold @what? */
static inline int pt_kmsg_has(const char *what)
{
	static char buf[1 << 18];
	char rec[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), n;
	ssize_t r;

	if (fd >= 0) {
		for (;;) {
			r = read(fd, rec, sizeof(rec) - 1);
			if (r < 0 && errno == EPIPE)	/* overwritten record: go on */
				continue;
			if (r <= 0)
				break;
			rec[r] = '\0';
			if (strstr(rec, what)) {
				close(fd);
				return 1;
			}
		}
		close(fd);
		return 0;
	}
	n = klogctl(3, buf, sizeof(buf) - 1);	/* SYSLOG_ACTION_READ_ALL */
	if (n < 0)
		ksft_bail("no /dev/kmsg and no syslog(2): %s", strerror(errno));
	buf[n] = '\0';
	return strstr(buf, what) != NULL;
}

/*
 * arm64 KPTI: the kernel's boot message "CPU features: detected: Kernel page
 * table isolation (KPTI)". (meltdown says "Not affected" on a CPU that does
 * not need it even when kpti=1 turned it on.) 1 on, 0 off.
 */
static inline int pt_fact_arm64_kpti(void)
{
	return pt_kmsg_has("CPU features: detected: Kernel page table isolation (KPTI)");
}

/* The module's "arch" header in @report must be uname's architecture; returns it. */
static inline const char *pt_agree_arch(const char *report)
{
	const char *v = pt_header(report, "arch"), *arch = pt_fact_arch();

	pt_agree(v && !strcmp(v, arch), "module arch '%s' agrees with uname ('%s')",
		 v ? v : "(none)", arch);
	return arch;
}

/*
 * Isolation as the kernel says it, on x86-64 (PTI: the meltdown file) or
 * arm64 (KPTI: the boot log), 1 on or 0 off; the module's "isolation" header
 * in @report must say the same. Only for those two architectures.
 */
static inline int pt_agree_isolation(const char *report)
{
	int arm64 = !strcmp(pt_fact_arch(), "arm64"), on;
	char fact[192], meltdown[128];
	const char *v;

	if (arm64) {
		on = pt_fact_arm64_kpti();
		snprintf(fact, sizeof(fact), "the boot log (%s)",
			 on ? "'detected: Kernel page table isolation (KPTI)'" : "no KPTI detected");
	} else {
		on = pt_fact_x86_pti(meltdown, sizeof(meltdown));
		if (on < 0)
			ksft_bail("meltdown vulnerability file says '%s': PTI on or off?", meltdown);
		snprintf(fact, sizeof(fact), "meltdown '%s'", meltdown);
	}
	v = pt_header(report, "isolation");
	/* riscv64 has no page-table isolation: "none off", and Meltdown must not be mitigated. */
	if (!strcmp(pt_fact_arch(), "riscv64"))
		pt_agree(v && !strcmp(v, "none off") && !on,
			 "module isolation '%s' agrees with %s", v ? v : "(none)", fact);
	else
		pt_agree(v && !strcmp(v, arm64 ? (on ? "kpti on" : "kpti off") :
					   (on ? "pti on" : "pti off")),
			 "module isolation '%s' agrees with %s", v ? v : "(none)", fact);
	return on;
}

/* ---- master files: the lines live activity does not change ---- */

/* The region that maps all memory at one offset (x86-64, arm64; 32-bit ARM: lowmem). */
static inline int pt_is_linear(const char *region)
{
	return !strcmp(region, "direct-map") || !strcmp(region, "linear-map") ||
	       !strcmp(region, "lowmem");
}

/* Does the linear map hold leaves that are not present (free pages unmapped)? */
static inline int pt_unmaps_free_pages(const char *text)
{
	const char *p = text, *nl;
	char region[64] = "", flags[64];
	unsigned long long start, last;

	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		sscanf(p, "marker %llx %llx %63s", &start, &last, region);
		if (pt_is_linear(region) && sscanf(p, "range %*s %*s %*s %*s %63s", flags) == 1 &&
		    pt_has_flag(flags, "NP"))
			return 1;
	}
	return 0;
}

/*
 * Keep, in place, only the lines of a master file that live activity does not
 * change (drop the entry lines of vmalloc, modules, fixmap and the KASAN
 * shadow, which follows vmalloc: its alias and repeat lines too, where the
 * early shadow's tables give way to real shadow pages); returns their
 * number. With @pagealloc (DEBUG_PAGEALLOC:
 * every page freed or allocated is unmapped or mapped again in the linear
 * map), drop the linear map's pte-level lines too.
 */
static inline int pt_stable_lines(char *text, int *count, int pagealloc)
{
	/* (arm64's kernel-text marker sits inside vmalloc: what follows it moves.) */
	static const char *const moving[] = { "vmalloc", "modules", "fixmap", "cpu-entry-area",
					      "kernel-text", "kasan-shadow" };
	char *in = text, *out = text, *nl, region[64] = "", level[16];
	unsigned long long start, last;
	int n = 0, skip, i;

	while (*in) {
		nl = strchr(in, '\n');
		if (!nl)
			nl = in + strlen(in);
		if (!strncmp(in, "pgd ", 4))
			region[0] = '\0';
		else
			sscanf(in, "marker %llx %llx %63s", &start, &last, region);
		skip = 0;
		if (!strncmp(in, "range ", 6) || !strncmp(in, "descend ", 8) ||
		    !strncmp(in, "alias ", 6) || !strncmp(in, "repeat ", 7))
			for (i = 0; i < (int)(sizeof(moving) / sizeof(moving[0])); i++)
				skip |= !strcmp(region, moving[i]);
		if (pagealloc && (!strncmp(in, "range ", 6) || !strncmp(in, "alias ", 6) ||
				  !strncmp(in, "descend ", 8)) && pt_is_linear(region) &&
		    sscanf(in, "%*s %*s %*s %*s %15s", level) == 1 && !strcmp(level, "pte"))
			skip = 1;
		if (!skip) {
			memmove(out, in, nl - in + (*nl == '\n'));
			out += nl - in + (*nl == '\n');
			n++;
		}
		in = *nl ? nl + 1 : nl;
	}
	*out = '\0';
	if (count)
		*count = n;
	return n;
}

#endif /* PTSHARE_TEST_H */

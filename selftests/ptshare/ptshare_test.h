/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ptshare selftests: KTAP output in the kselftest
 * style, reading the module's files, and parsing the lines the tests need.
 * Each test is a static binary run in the guest; exit 0 pass, 4 skip, 1 fail.
 */
#ifndef PTSHARE_TEST_H
#define PTSHARE_TEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PT_DIR		"/sys/kernel/debug/ptshare"
#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

static int ksft_planned, ksft_done, ksft_failed;

static inline void ksft_plan(int n)
{
	printf("TAP version 13\n1..%d\n", n);
	ksft_planned = n;
	fflush(stdout);
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
	printf("TAP version 13\n1..0 # SKIP %s\n", why);
	exit(KSFT_SKIP);
}

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

static inline int pt_select(const char *s)
{
	return pt_write(PT_DIR "/select", s, strlen(s));
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
	text = pt_read(PT_DIR "/dump");
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

static inline void pt_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

#endif /* PTSHARE_TEST_H */

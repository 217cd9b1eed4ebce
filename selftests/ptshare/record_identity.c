// SPDX-License-Identifier: GPL-2.0
/*
 * A record of summary or dump is the process the file's cursor moved to,
 * even when it is shown in a later read() (seq_file shows a record it moved
 * to while the reader's buffer was full on the next read):
 *  - summary: the cursor has moved to process A; A exits and its pid is
 *    given to a new process B (clone3 with set_tid); the row shown for that
 *    pid must not be B's.
 *  - dump: a process's dump has begun; it calls exec; its taskend must say
 *    exec, not exited (the process lives; its old mm is gone).
 *  - summary and dump (select all): a process started after the read began
 *    is not listed, one started before it is (a read that listed new
 *    processes would not end while processes fork faster than it reads).
 * The reads stop exactly at a record boundary, found by reading the file
 * once before (or after the first byte: seq_file forms the first record
 * only); the oracles are the test's own processes, their comms and when
 * they were forked.
 */
#include "ptshare_test.h"

#include <linux/sched.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <sys/syscall.h>

#ifndef CLONE_ARGS_SIZE_VER1
struct clone_args {
	__u64 flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	__u64 set_tid, set_tid_size, cgroup;
};
#endif

static void sleep_named(const char *name)
{
	prctl(PR_SET_NAME, name);
	for (;;)
		pause();
}

/* A child with pid @want (clone3 set_tid), named @name; -1 if taken. */
static pid_t spawn_with_pid(pid_t want, const char *name)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	pid_t tid = want;
	long r;

	args.set_tid = (uintptr_t)&tid;
	args.set_tid_size = 1;
	r = syscall(SYS_clone3, &args, sizeof(args));
	if (r == 0)
		sleep_named(name);
	return r;
}

/* Read exactly @n bytes of @fd, in as many read() calls as it takes. */
static int read_exact(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, buf + got, n - got);
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

/* Byte offset in @text of the line that begins with @prefix, or -1. */
static long line_offset(const char *text, const char *prefix)
{
	const char *p = text;
	size_t len = strlen(prefix);

	for (;;) {
		if (!strncmp(p, prefix, len))
			return p - text;
		p = strchr(p, '\n');
		if (!p)
			return -1;
		p++;
	}
}

/* 1: no row of @pid named @bad; 0: there is one; -1: could not set it up. */
static int summary_reuse(void)
{
	char *whole, *part, prefix[32], bad[64], *rest;
	pid_t a, b;
	long off;
	int fd, ok;

	a = fork();
	if (a < 0)
		return -1;
	if (!a)
		sleep_named("pt-old");
	usleep(100000);
	whole = pt_read(pt_path("summary"));
	snprintf(prefix, sizeof(prefix), "mm %d ", a);
	off = whole && pt_complete(whole) ? line_offset(whole, prefix) : -1;
	if (off < 0) {
		printf("# no row for %d in a first read\n", a);
		free(whole);
		pt_reap(a);
		return -1;
	}
	/* Up to, not including, A's row: the cursor then stands on A. */
	part = malloc(off + 1);
	fd = open(pt_path("summary"), O_RDONLY);
	if (!part || fd < 0 || read_exact(fd, part, off) || memcmp(part, whole, off)) {
		printf("# the rows before %d changed between two reads\n", a);
		if (fd >= 0)
			close(fd);
		free(part);
		free(whole);
		pt_reap(a);
		return -1;
	}
	pt_reap(a);
	b = spawn_with_pid(a, "pt-new");
	if (b != a) {
		printf("# pid %d was not free again (%s)\n", a, b < 0 ? strerror(errno) : "taken");
		if (b > 0)
			pt_reap(b);
		close(fd);
		free(part);
		free(whole);
		return -1;
	}
	usleep(100000);
	rest = pt_read_fd(fd, 4096, NULL);
	close(fd);
	snprintf(bad, sizeof(bad), "mm %d pt-new ", a);
	ok = rest && pt_complete(rest) && !strstr(rest, bad);
	if (!ok)
		printf("# the rest of the summary:\n%s", rest ? rest : "(unreadable)\n");
	pt_reap(b);
	free(rest);
	free(part);
	free(whole);
	return ok;
}

/* 1: taskend says exec; 0: it does not; -1: could not set it up. */
static int dump_exec(const char *self)
{
	char *whole, *part, *rest, sel[32], prefix[32], want[48], go;
	int start[2], done[2], fd, ok;
	pid_t e;
	long off;

	if (pipe(start) || pipe2(done, O_CLOEXEC))
		return -1;
	e = fork();
	if (e < 0)
		return -1;
	if (!e) {
		close(start[1]);
		close(done[0]);
		if (read(start[0], &go, 1) != 1)
			_exit(1);
		execl(self, self, "--execed", (char *)NULL);
		_exit(1);
	}
	close(start[0]);
	close(done[1]);
	snprintf(sel, sizeof(sel), "pid %d", e);
	if (pt_select(sel))
		return -1;
	whole = pt_read(pt_path("dump"));
	snprintf(prefix, sizeof(prefix), "task %d ", e);
	off = whole && pt_complete(whole) ? line_offset(whole, prefix) : -1;
	if (off >= 0)
		off = strchr(whole + off, '\n') + 1 - whole;	/* through the task line */
	part = off > 0 ? malloc(off) : NULL;
	fd = open(pt_path("dump"), O_RDONLY);
	if (!part || fd < 0 || read_exact(fd, part, off) || memcmp(part, whole, off)) {
		printf("# could not stop the dump after its task line\n");
		pt_reap(e);
		return -1;
	}
	/* The dump has pinned the mm; now the process replaces it. */
	if (write(start[1], "g", 1) != 1 || read(done[0], &go, 1) != 0)
		return -1;
	rest = pt_read_fd(fd, 4096, NULL);
	close(fd);
	snprintf(want, sizeof(want), "taskend %d exec\n", e);
	ok = rest && pt_complete(rest) && strstr(rest, want);
	if (!ok)
		printf("# the rest of the dump:\n%.3000s", rest ? rest : "(unreadable)\n");
	pt_select("all");
	pt_reap(e);
	free(rest);
	free(part);
	free(whole);
	return ok;
}

/*
 * 1: @file read in two parts, one process forked before the first byte and
 * one between the parts, lists the first and not the second; 0: it does
 * not; -1: could not set it up.
 */
static int started_after(const char *file, const char *kind)
{
	char *rest, first, want[64], bad[48];
	pid_t before, after;
	int fd, ok;

	before = fork();
	if (before < 0)
		return -1;
	if (!before)
		sleep_named("pt-before");
	usleep(100000);
	fd = open(pt_path(file), O_RDONLY);
	if (fd < 0 || read(fd, &first, 1) != 1) {
		if (fd >= 0)
			close(fd);
		pt_reap(before);
		return -1;
	}
	after = fork();
	if (after < 0) {
		close(fd);
		pt_reap(before);
		return -1;
	}
	if (!after)
		sleep_named("pt-after");
	usleep(100000);
	rest = pt_read_fd(fd, 4096, NULL);
	close(fd);
	snprintf(want, sizeof(want), "\n%s %d pt-before ", kind, before);
	snprintf(bad, sizeof(bad), "\n%s %d ", kind, after);
	ok = rest && pt_complete(rest) && strstr(rest, want) && !strstr(rest, bad);
	if (!ok)
		printf("# %s: forked %d before the read and %d after its first byte; the rest:\n%.3000s",
		       file, before, after, rest ? rest : "(unreadable)\n");
	pt_reap(after);
	pt_reap(before);
	free(rest);
	return ok;
}

int main(int argc, char **argv)
{
	int r, tries;

	if (argc > 1 && !strcmp(argv[1], "--execed"))
		sleep_named("pt-execed");
	if (access(pt_path("summary"), R_OK))
		ksft_skip("ptshare is not loaded");
	ksft_plan(4);
	for (tries = 0, r = -1; tries < 5 && r < 0; tries++)
		r = summary_reuse();
	if (r < 0)
		ksft_bail("could not reuse a pid at a record boundary in 5 tries");
	ksft_result(r == 1, "summary: a row moved to before its pid was reused is not the new process's");
	for (tries = 0, r = -1; tries < 5 && r < 0; tries++)
		r = dump_exec("/proc/self/exe");
	if (r < 0)
		ksft_bail("could not exec during a dump in 5 tries");
	ksft_result(r == 1, "dump: a process that calls exec mid-dump ends with 'taskend PID exec'");
	r = started_after("summary", "mm");
	if (r < 0)
		ksft_bail("summary: could not fork around its first byte");
	ksft_result(r == 1, "summary: a process started before the read has its row, one started after its first byte has none");
	if (pt_select("all"))
		ksft_bail("could not select all");
	r = started_after("dump", "task");
	if (r < 0)
		ksft_bail("dump: could not fork around its first byte");
	ksft_result(r == 1, "dump (select all): a process started before the read is listed, one started after its first byte is not");
	ksft_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Bad writes to select get the documented errors (EINVAL for malformed input,
 * ESRCH for a pid that does not exist) and leave the selection as it was;
 * good writes change it, and reading select shows it back. Under kernel
 * lockdown, where debugfs refuses the file, the same checks go to the module
 * parameter select (files_select checks that the refusal is lockdown's); a
 * NUL byte there ends the value (sysfs), and an empty write changes nothing.
 */
#include "ptshare_test.h"

#include <dirent.h>

static const char *sel_path;
#define SELECT sel_path

static char *current_selection(void)
{
	char *s = pt_read(SELECT);

	if (!s)
		ksft_bail("read select: %s", strerror(errno));
	return s;
}

/* A pid that no task has: below pid_max, checked with kill(0). */
static int unused_pid(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	int max = 32768, pid;

	if (f) {
		if (fscanf(f, "%d", &max) != 1)
			max = 32768;
		fclose(f);
	}
	for (pid = max - 1; pid > 1; pid--)
		if (kill(pid, 0) && errno == ESRCH)
			return pid;
	ksft_bail("no unused pid below %d", max);
}

/* Processes named @name, from /proc's own list (not a probe of every pid). */
static int count_comm(const char *name)
{
	char path[300], comm[64];
	struct dirent *de;
	int n = 0;
	DIR *d;
	FILE *f;

	d = opendir("/proc");
	if (!d)
		ksft_bail("opendir /proc: %s", strerror(errno));
	while ((de = readdir(d))) {
		if (atoi(de->d_name) <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = '\0';
			n += !strcmp(comm, name);
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

/* "pid 1,1,...,1" of exactly @total bytes (a trailing newline evens it out). */
static int make_list(char *buf, int total)
{
	int n = snprintf(buf, 16, "pid 1");

	while (n + 2 <= total)
		n += sprintf(buf + n, ",1");
	if (n < total)
		buf[n++] = '\n';
	return n;
}

int main(void)
{
	static char buf[4096], gone[64], gone2[64], sixtyfive[2048];
	static const struct {
		const char *name, *text;
		int err;
	} cases[] = {
		{ "newline only", "\n", EINVAL },
		{ "spaces only", "   ", EINVAL },
		{ "garbage", "bogus", EINVAL },
		{ "leading space", " all", EINVAL },
		{ "two newlines", "all\n\n", EINVAL },
		{ "trailing space", "pid 1 ", EINVAL },
		{ "pid without number", "pid ", EINVAL },
		{ "negative pid", "pid -1", EINVAL },
		{ "plus sign", "pid +1", EINVAL },
		{ "pid zero", "pid 0", EINVAL },
		{ "leading zero", "pid 01", EINVAL },
		{ "huge pid", "pid 99999999999999999999", EINVAL },
		{ "pid above PID_MAX_LIMIT", "pid 4194305", EINVAL },
		{ "trailing garbage", "pid 1x", EINVAL },
		{ "empty list item", "pid 1,,1", EINVAL },
		{ "trailing comma", "pid 1,", EINVAL },
		{ "newline inside the list", "pid 1\n,1", EINVAL },
		{ "hex pid", "pid 0x1", EINVAL },
		{ "non-existent pid", gone, ESRCH },
		{ "one good one non-existent", gone2, ESRCH },
		{ "malformed wins over non-existent", NULL, EINVAL },
		{ "comm without name", "comm ", EINVAL },
		{ "comm of 16 bytes", "comm abcdefghijklmnop", EINVAL },
		{ "all with garbage", "all please", EINVAL },
		{ "65 distinct pids", sixtyfive, EINVAL },
	};
	int ncases = sizeof(cases) / sizeof(cases[0]), i, err, n, len, nsleep, param;
	char *before, *after, want[64], bad3[64], *dump, *line;
	pid_t child, kids[64];
	size_t pos;

	sel_path = strdup(pt_select_path());
	if (access(SELECT, W_OK))
		ksft_bail("%s: %s", SELECT, strerror(errno));
	ksft_plan(ncases + 11);
	snprintf(gone, sizeof(gone), "pid %d", unused_pid());
	snprintf(gone2, sizeof(gone2), "pid 1,%d", unused_pid());
	snprintf(bad3, sizeof(bad3), "pid %d,abc", unused_pid());
	for (i = 0; i < 64; i++)
		kids[i] = pt_spawn_sleeper();
	len = snprintf(sixtyfive, sizeof(sixtyfive), "pid 1");
	for (i = 0; i < 64; i++)
		len += snprintf(sixtyfive + len, sizeof(sixtyfive) - len, ",%d", kids[i]);

	child = kids[0];
	snprintf(want, sizeof(want), "pid %d,1", child);
	err = pt_select(want);
	before = current_selection();
	snprintf(want, sizeof(want), "pid %d,1\n", child);
	ksft_result(!err && !strcmp(before, want), "good write 'pid %d,1' is shown back", child);

	for (i = 0; i < ncases; i++) {
		const char *text = cases[i].text ? cases[i].text : bad3;

		err = pt_select(text);
		after = current_selection();
		ksft_result(err == -cases[i].err && !strcmp(before, after),
			    "%s: %s (got %s), selection unchanged", cases[i].name,
			    strerror(cases[i].err), err ? strerror(-err) : "success");
		free(after);
	}

	param = !strcmp(SELECT, PT_SELECT_PARAM);
	err = pt_write(SELECT, "", 0);
	after = current_selection();
	ksft_result((param || err == -EINVAL) && !strcmp(before, after),
		    "empty write to %s: %s, unchanged", SELECT, err ? strerror(-err) : "no error");
	free(after);

	err = pt_write(SELECT, "all\0junk", 8);
	after = current_selection();
	if (param) {
		ksft_result(!err && !strcmp(after, "all\n"),
			    "embedded NUL in the parameter: the value ends there, 'all' taken (%s)",
			    err ? strerror(-err) : "ok");
		pt_select(before);
	} else {
		ksft_result(err == -EINVAL && !strcmp(before, after),
			    "embedded NUL: EINVAL, unchanged");
	}
	free(after);

	/* The length limit alone: a valid list of 1024 bytes passes, 1025 does not. */
	n = make_list(buf, 1024);
	err = pt_write(SELECT, buf, n);
	after = current_selection();
	ksft_result(n == 1024 && !err && !strcmp(after, "pid 1\n"),
		    "a valid 1024-byte write is taken (%d bytes, %s)", n,
		    err ? strerror(-err) : "ok");
	free(after);
	pt_select(before);
	n = make_list(buf, 1025);
	err = pt_write(SELECT, buf, n);
	after = current_selection();
	ksft_result(n == 1025 && err == -EINVAL && !strcmp(before, after),
		    "the same list at 1025 bytes: EINVAL, unchanged (%s)",
		    err ? strerror(-err) : "success");
	free(after);

	sixtyfive[strcspn(sixtyfive, ",")] = '\0';
	len = snprintf(sixtyfive, sizeof(sixtyfive), "pid %d", kids[0]);
	for (i = 1; i < 64; i++)
		len += snprintf(sixtyfive + len, sizeof(sixtyfive) - len, ",%d", kids[i]);
	err = pt_select(sixtyfive);
	ksft_result(!err, "64 distinct pids are taken (%s)", err ? strerror(-err) : "ok");

	err = pt_select("comm abcdefghijklmno");
	after = current_selection();
	ksft_result(!err && !strcmp(after, "comm abcdefghijklmno\n"), "a 15-byte comm is taken");
	free(after);

	err = pt_select("pid 1,1,1");
	after = current_selection();
	ksft_result(!err && !strcmp(after, "pid 1\n"), "a pid named three times counts once");
	free(after);

	pt_reap(child);
	snprintf(want, sizeof(want), "pid %d", child);
	err = pt_select(want);
	ksft_result(err == -ESRCH, "a pid that has exited: ESRCH (got %s)",
		    err ? strerror(-err) : "success");

	err = pt_select("all");
	after = current_selection();
	ksft_result(!err && !strcmp(after, "all\n"), "back to 'all'");
	free(after);

	/* comm: every task dumped is a sleep, and every sleep with an mm is dumped. */
	nsleep = count_comm("sleep");
	pt_select("comm sleep");
	dump = pt_read(pt_path("dump"));
	n = 0;
	err = 0;
	for (pos = 0; dump && (line = pt_next_line(dump, &pos));) {
		char comm[64];

		if (sscanf(line, "task %*d %63s", comm) != 1)
			continue;
		n++;
		err += strcmp(comm, "sleep") != 0;
	}
	ksft_result(dump && n > 0 && !err && n == nsleep,
		    "dump with 'comm sleep' lists the %d sleep processes and nothing else (%d, %d other)",
		    nsleep, n, err);
	pt_select("all");
	for (i = 1; i < 64; i++)
		pt_reap(kids[i]);
	ksft_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A process whose thread-group leader has exited while its other threads run
 * still uses its mm: summary must have its row (under its tgid, counting the
 * threads that run, not the zombie leader) and dump must walk its tables.
 * The oracle is the test's own process: it made two threads and ended the
 * leader with the exit syscall (not exit_group); /proc/PID/task and each
 * thread's /proc/.../stat state confirm that the leader is a zombie and two
 * threads live.
 */
#include "ptshare_test.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/syscall.h>

static int ready[2];

static void *worker(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* Runs as the child: two threads, then the leader alone exits. */
static void leader_child(void)
{
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, worker, NULL))
			_exit(1);
	if (write(ready[1], "r", 1) != 1)
		_exit(1);
	syscall(SYS_exit, 0);	/* the leader only: the threads go on */
}

/* Threads of @pid by state: running-ish (live) and zombie; -1 if unreadable. */
static int count_threads(pid_t pid, int *live, int *zombie)
{
	char path[320], buf[512], *p;
	struct dirent *de;
	DIR *d;
	int fd, n;

	*live = *zombie = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (!p || p[1] != ' ')
			continue;
		if (p[2] == 'Z')
			(*zombie)++;
		else
			(*live)++;
	}
	closedir(d);
	return 0;
}

int main(void)
{
	int live = 0, zombie = 0, nrows, tries, ok;
	struct pt_row *rows, *r;
	char *text, *dump, line[64], c;
	pid_t pid;

	if (access(pt_path("summary"), R_OK))
		ksft_skip("ptshare is not loaded");
	ksft_plan(4);
	if (pipe(ready))
		ksft_bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		ksft_bail("fork: %s", strerror(errno));
	if (!pid)
		leader_child();
	if (read(ready[0], &c, 1) != 1)
		ksft_bail("the child did not start its threads");
	/* Wait until the leader is a zombie and both threads run. */
	for (tries = 0; tries < 500; tries++) {
		if (!count_threads(pid, &live, &zombie) && live == 2 && zombie == 1)
			break;
		usleep(10000);
	}
	ksft_result(live == 2 && zombie == 1,
		    "the leader of %d exited, its threads run (/proc: %d live, %d zombie)",
		    pid, live, zombie);

	text = pt_read(pt_path("summary"));
	if (!text || !pt_complete(text))
		ksft_bail("cannot read a complete summary");
	nrows = pt_summary_rows(text, &rows);
	if (nrows < 0)
		ksft_bail("summary does not parse");
	r = pt_find_row(rows, nrows, pid);
	ksft_result(r != NULL, "summary has a row for %d, whose leader exited", pid);
	ksft_result(r && r->threads == 2, "its row counts the 2 live threads (row: %lu)",
		    r ? r->threads : 0);

	snprintf(line, sizeof(line), "pid %d", pid);
	if (pt_select(line))
		ksft_bail("select %s: %s", line, strerror(errno));
	dump = pt_read(pt_path("dump"));
	snprintf(line, sizeof(line), "taskend %d ok", pid);
	ok = dump && pt_complete(dump) && strstr(dump, line) && !strstr(dump, " no-mm\n");
	if (!ok && dump)
		printf("# dump:\n%.2000s\n", dump);
	ksft_result(ok, "dump of %d walks its tables (taskend ok, not no-mm)", pid);
	pt_select("all");

	pt_reap(pid);
	free(rows);
	free(text);
	free(dump);
	ksft_finish();
}

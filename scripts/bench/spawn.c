// SPDX-License-Identifier: GPL-2.0
/*
 * spawn N: start N more processes that sleep until killed, for
 * scripts/bench-module.sh, and return once all of them are in place. Of
 * every ten: one has a second thread, one shares its mm with a clone of
 * itself (clone(CLONE_VM) without CLONE_THREAD: two processes, one mm; the
 * pair counts as two), the rest are plain. The processes are children of
 * a holder process that stays; kill it with its process group (the pgid it
 * prints) to end them all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int ready_fd;

static void say_ready(void)
{
	char c = 1;

	while (write(ready_fd, &c, 1) < 0 && errno == EINTR)
		;
}

static void *thread_sleep(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int clone_sleep(void *arg)
{
	(void)arg;
	say_ready();
	close(ready_fd);
	for (;;)
		pause();
	return 0;
}

static void child(unsigned long i, int pair)
{
	static char stack[16384] __attribute__((aligned(16)));
	pthread_attr_t attr;
	pthread_t t;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (i % 10 == 1) {
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 65536);
		if (pthread_create(&t, &attr, thread_sleep, NULL))
			_exit(1);
	} else if (pair) {
		/* the clone shares this process's mm: the stack is ours */
		if (clone(clone_sleep, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL) < 0)
			_exit(1);
	}
	say_ready();
	close(ready_fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	unsigned long n, i, got = 0, made;
	int fds[2];
	char buf[256];
	ssize_t r;
	pid_t holder;
	char *end;

	if (argc != 2 || (n = strtoul(argv[1], &end, 10), *end) || !n) {
		fprintf(stderr, "usage: spawn N\n");
		return 2;
	}
	if (pipe(fds))
		return perror("pipe"), 1;
	holder = fork();
	if (holder < 0)
		return perror("fork"), 1;
	if (holder == 0) {
		int null = open("/dev/null", O_RDWR);

		close(fds[0]);
		setpgid(0, 0);
		/* let a caller reading our output see its end when we return */
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			close(null);
		}
		ready_fd = fds[1];
		signal(SIGCHLD, SIG_IGN);
		for (i = 0, made = 0; made < n; i++) {
			/* the clone is a process too */
			int pair = i % 10 == 2 && made + 2 <= n;
			pid_t p = fork();

			if (p < 0)
				_exit(1); /* the caller sees fewer processes than asked */
			if (p == 0)
				child(i, pair);
			made += 1 + pair;
		}
		close(ready_fd);
		for (;;)
			pause();
	}
	close(fds[1]);
	/* each process (and each mm-sharing clone) says it is ready with one byte */
	while ((r = read(fds[0], buf, sizeof(buf))) > 0 || (r < 0 && errno == EINTR))
		if (r > 0)
			got += r;
	printf("spawned %lu processes, holder %d (kill -KILL -%d)\n", got, holder, holder);
	return got == n ? 0 : 1;
}

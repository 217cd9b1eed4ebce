// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetimes: a task that exits while its dump is being read, readers racing
 * with processes that come and go, and rmmod while a reader holds a file
 * open. None may crash or warn (the harness fails the run on any console
 * splat); each read must still end with its end line. Runs last: it unloads
 * the module and loads it again from $PTSHARE_KO.
 */
#include "ptshare_test.h"

#include <sys/syscall.h>


#define CHURN_FORKS	300

int main(void)
{
	char sel[32], want[64], head[128], *rest;
	const char *ko = getenv("PTSHARE_KO");
	int fd, ok, i, complete = 0, status;
	pid_t child, churn;
	long ret;

	ksft_plan(8);

	/* 1. the selected task dies between two reads of one open dump */
	child = pt_spawn_sleeper();
	snprintf(sel, sizeof(sel), "pid %d", child);
	if (pt_select(sel))
		ksft_bail("select: %s", strerror(errno));
	fd = open(pt_path("dump"), O_RDONLY);
	ok = fd >= 0 && read(fd, head, sizeof(head)) == sizeof(head);
	pt_reap(child);
	rest = ok ? pt_read_fd(fd, 4096, NULL) : NULL;
	close(fd);
	snprintf(want, sizeof(want), "taskend %d exited\n", child);
	ksft_result(rest && pt_complete(rest) && strstr(rest, want) && strstr(rest, "end 1\n"),
		    "task killed mid-read: dump says '%.*s' and ends", (int)strlen(want) - 1, want);
	free(rest);
	pt_select("all");

	/* 2. readers while processes are created and reaped */
	churn = fork();
	if (churn == 0) {
		for (i = 0; i < CHURN_FORKS; i++) {
			pid_t p = fork();

			if (p == 0)
				_exit(0);
			waitpid(p, NULL, 0);
		}
		_exit(0);
	}
	for (i = 0; i < 20; i++) {
		char *s = pt_read_chunked(i & 1 ? pt_path("summary") : pt_path("dump"), 1000);

		complete += s && pt_complete(s);
		free(s);
	}
	waitpid(churn, &status, 0);
	ksft_result(complete == 20, "20 reads of summary and dump during %d forks all complete (%d)",
		    CHURN_FORKS, complete);

	/* 3. rmmod while a reader holds summary open */
	fd = open(pt_path("summary"), O_RDONLY);
	ok = fd >= 0 && read(fd, head, sizeof(head)) == sizeof(head);
	ksft_result(ok, "summary opened and partly read");
	ret = syscall(SYS_delete_module, "ptshare", O_NONBLOCK);
	ksft_result(ret < 0 && (errno == EWOULDBLOCK || errno == EBUSY),
		    "rmmod while open is refused (%s)", ret < 0 ? strerror(errno) : "unloaded!");
	rest = pt_read_fd(fd, 4096, NULL);
	ksft_result(rest && pt_complete(rest), "the open summary still reads to its end");
	free(rest);
	close(fd);
	ret = syscall(SYS_delete_module, "ptshare", O_NONBLOCK);
	ksft_result(ret == 0, "rmmod after close succeeds (%s)", ret ? strerror(errno) : "ok");
	ksft_result(access(pt_dir(), F_OK) && errno == ENOENT, "debugfs directory gone after rmmod");

	fd = ko ? open(ko, O_RDONLY) : -1;
	ret = fd >= 0 ? syscall(SYS_finit_module, fd, "", 0) : -1;
	if (fd >= 0)
		close(fd);
	ksft_result(ret == 0 && !access(pt_path("summary"), R_OK), "module loads again from %s",
		    ko ? ko : "(PTSHARE_KO unset)");
	ksft_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Which locks a reader of ptshare's files takes, seen by the kernel's own
 * lock functions: a helper module (vmtest/ptshare_lockprobe.ko) puts kprobes
 * on down_read*() and down_write*() and counts, for this test's task group,
 * the calls on init_mm's mmap lock (named by kallsyms) and on the mmap lock
 * of a process being reported. ptshare must take init_mm's lock for write,
 * as the kernel's ptdump does (vmalloc frees page-table pages under
 * mmap_read_trylock(&init_mm), excluding only a writer), never for read,
 * and must not take the process's mmap lock (it follows no table that lock
 * protects, and under it the LDT lock would be taken in the reverse of the
 * kernel's order). Needs init_mm in /proc/kallsyms (KALLSYMS_ALL) and kprobes.
 */
#include "ptshare_test.h"

#include <sys/syscall.h>

static long param(const char *name)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "/sys/module/ptshare_lockprobe/parameters/%s", name);
	return pt_file_line(path, buf, sizeof(buf)) ? atol(buf) : -1;
}

int main(void)
{
	char args[64], *text, sel[32];
	long rd, wr, trd, twr, calls;
	pid_t target;
	int i;

	if (access(pt_path("summary"), R_OK))
		ksft_skip("ptshare is not loaded");
	if (!pt_fact_kallsyms_has("init_mm"))
		ksft_skip("init_mm is not in /proc/kallsyms (no KALLSYMS_ALL): no lock to watch");
	target = pt_spawn_sleeper();
	if (target < 0)
		ksft_bail("fork: %s", strerror(errno));
	snprintf(args, sizeof(args), "watch=%d target=%d", getpid(), target);
	pt_insmod("PTSHARE_LOCKPROBE_KO", "/ptshare/ptshare_lockprobe.ko", args);
	ksft_plan(4);

	/* Each file, whole; dump of the target and of every process. */
	snprintf(sel, sizeof(sel), "pid %d", target);
	for (i = 0; i < 2; i++) {
		if (pt_select(i ? "all" : sel))
			ksft_bail("select: %s", strerror(errno));
		text = pt_read(pt_path("dump"));
		if (!text || !pt_complete(text))
			ksft_bail("read dump");
		free(text);
	}
	text = pt_read(pt_path("summary"));
	if (!text || !pt_complete(text))
		ksft_bail("read summary");
	free(text);
	text = pt_read(pt_path("master"));
	if (!text || !pt_complete(text))
		ksft_bail("read master");
	ksft_info("master_lock %s", pt_header(text, "master_lock") ?: "(none)");
	free(text);

	calls = param("calls");
	rd = param("init_mm_read");
	wr = param("init_mm_write");
	trd = param("target_mm_read");
	twr = param("target_mm_write");
	if (syscall(SYS_delete_module, "ptshare_lockprobe", O_NONBLOCK))
		ksft_bail("rmmod ptshare_lockprobe: %s", strerror(errno));
	pt_reap(target);

	ksft_result(calls > 0, "the probes saw %ld rwsem calls of this test", calls);
	ksft_result(wr > 0, "init_mm's mmap lock taken for write %ld times", wr);
	ksft_result(rd == 0, "init_mm's mmap lock never taken for read (%ld)", rd);
	ksft_result(trd == 0 && twr == 0,
		    "the reported process's mmap lock never taken (read %ld, write %ld)", trd, twr);
	ksft_finish();
}

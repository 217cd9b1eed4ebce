// SPDX-License-Identifier: GPL-2.0
/*
 * Bad writes to select get the documented errors (EINVAL for malformed input,
 * ESRCH for a pid that does not exist) and leave the selection as it was;
 * good writes change it, and reading select shows it back.
 */
#include "ptshare_test.h"

#define SELECT PT_DIR "/select"

static char *current_selection(void)
{
	char *s = pt_read(SELECT);

	if (!s)
		ksft_bail("read select: %s", strerror(errno));
	return s;
}

int main(void)
{
	static char longbuf[4096];
	static const struct {
		const char *name, *text;
		int err;
	} cases[] = {
		{ "newline only", "\n", EINVAL },
		{ "spaces only", "   ", EINVAL },
		{ "garbage", "bogus", EINVAL },
		{ "pid without number", "pid ", EINVAL },
		{ "negative pid", "pid -1", EINVAL },
		{ "pid zero", "pid 0", EINVAL },
		{ "huge pid", "pid 99999999999999999999", EINVAL },
		{ "pid above PID_MAX_LIMIT", "pid 4194305", EINVAL },
		{ "trailing garbage", "pid 1x", EINVAL },
		{ "empty list item", "pid 1,,1", EINVAL },
		{ "hex pid", "pid 0x1", EINVAL },
		{ "non-existent pid", "pid 4194303", ESRCH },
		{ "one good one non-existent", "pid 1,4194303", ESRCH },
		{ "comm without name", "comm ", EINVAL },
		{ "comm too long", "comm abcdefghijklmnopq", EINVAL },
		{ "all with garbage", "all please", EINVAL },
	};
	int ncases = sizeof(cases) / sizeof(cases[0]), i, err;
	char *before, *after, want[64];
	pid_t child;

	if (access(SELECT, W_OK))
		ksft_bail("%s: %s", SELECT, strerror(errno));
	ksft_plan(ncases + 8);
	child = pt_spawn_sleeper();
	snprintf(want, sizeof(want), "pid %d,1", child);
	err = pt_select(want);
	before = current_selection();
	snprintf(want, sizeof(want), "pid %d,1\n", child);
	ksft_result(!err && !strcmp(before, want), "good write 'pid %d,1' is shown back", child);

	for (i = 0; i < ncases; i++) {
		err = pt_select(cases[i].text);
		after = current_selection();
		ksft_result(err == -cases[i].err && !strcmp(before, after),
			    "%s: %s (got %s), selection unchanged", cases[i].name,
			    strerror(cases[i].err), err ? strerror(-err) : "success");
		free(after);
	}

	err = pt_write(SELECT, "", 0);
	after = current_selection();
	ksft_result(err == -EINVAL && !strcmp(before, after), "empty write: EINVAL, unchanged");
	free(after);

	memset(longbuf, '1', sizeof(longbuf) - 1);
	memcpy(longbuf, "pid ", 4);
	err = pt_write(SELECT, longbuf, sizeof(longbuf) - 1);
	after = current_selection();
	ksft_result(err == -EINVAL && !strcmp(before, after), "4095-byte write: EINVAL, unchanged");
	free(after);

	err = pt_select("comm sleep\n");
	after = current_selection();
	ksft_result(!err && !strcmp(after, "comm sleep\n"), "'comm sleep' is taken");
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

	{
		char *dump;

		pt_select("comm sleep");
		dump = pt_read(PT_DIR "/dump");
		ksft_result(dump && pt_complete(dump) && strstr(dump, "selection comm sleep\n") &&
			    strstr(dump, " sleep "),
			    "dump with 'comm sleep' covers the sleep processes");
		pt_select("all");
	}
	ksft_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Where the module's files are, and the select parameter.
 *
 * The guest row says where the files must be ($PTSHARE_DIR: /proc/ptshare on
 * a guest booted with debugfs=off, else debugfs); the kernel says whether
 * debugfs can hold them (a "debugfs" line in /proc/filesystems: debugfs=off
 * and debugfs=no-mount never register it) and whether it is locked down
 * (/sys/kernel/security/lockdown). Checked:
 *
 *   - the four files are where the row says, root's, 0400 (select 0600), and
 *     nothing is in the other place; the load's dmesg line names the place;
 *   - reloads with files=bogus (EINVAL), files=proc, files=both and
 *     files=debugfs (refused where debugfs cannot hold them) put the files
 *     exactly where asked, each summary whole;
 *   - select=... at load time: a bad one refuses the load, a good one is
 *     what the parameter and the select file then read; a load that fails
 *     after it (init, or a later parameter) drops its pid references
 *     (kmemleak on the debug rows is the oracle);
 *   - writes to /sys/module/ptshare/parameters/select and to the select file
 *     meet the same errors and leave the same selection, over a table of
 *     good and bad commands (not under lockdown, where debugfs refuses the
 *     file: there opening it must fail with EPERM, and the parameter alone
 *     works);
 *   - dump follows a selection made through the parameter: one task line,
 *     for the selected child.
 *
 * Reloads the module from $PTSHARE_KO, and leaves it loaded as it found it
 * (no parameters).
 */
#include "ptshare_test.h"

#include <sys/stat.h>

#define PARAM		"/sys/module/ptshare/parameters/select"
#define DEBUGFS_DIR	"/sys/kernel/debug/ptshare"
#define PROC_DIR	"/proc/ptshare"
#define ARRAY_SIZE(a)	((int)(sizeof(a) / sizeof((a)[0])))

static const char *ko;

/* The kernel's own word on whether debugfs is registered (can be mounted). */
static int debugfs_registered(void)
{
	char *fs = pt_read("/proc/filesystems");
	int yes = fs && strstr(fs, "\tdebugfs\n");

	free(fs);
	return yes;
}

/* All four files in @dir with their modes and owner; a reason otherwise. */
static const char *files_in(const char *dir)
{
	static const char *const names[] = { "summary", "master", "dump", "select" };
	static char why[300];
	struct stat st;
	char path[256];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st)) {
			snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
			return why;
		}
		if ((st.st_mode & 07777) != (i == 3 ? 0600 : 0400) || st.st_uid) {
			snprintf(why, sizeof(why), "%s: mode %o uid %u", path,
				 st.st_mode & 07777, st.st_uid);
			return why;
		}
	}
	return NULL;
}

static int absent(const char *dir)
{
	return access(dir, F_OK) && errno == ENOENT;
}

/* A whole summary read from @dir. */
static int summary_whole(const char *dir)
{
	char path[256], *text;
	int ok;

	snprintf(path, sizeof(path), "%s/summary", dir);
	text = pt_read(path);
	ok = text && !strncmp(text, "ptshare summary ", 16) && pt_complete(text);
	free(text);
	return ok;
}

/* Write @cmd (@len bytes) to @path; then read the selection back into @back. */
static int write_and_read(const char *path, const char *cmd, size_t len, char *back, size_t size)
{
	int err = pt_write(path, cmd, len);
	ssize_t n = pt_read_into(path, 64, back, size);

	if (n < 0)
		snprintf(back, size, "(unreadable: %s)", strerror(errno));
	return err;
}

/* @text with %d as this process's pid and %D as @dead; the length. */
static size_t expand(char *cmd, const char *text, pid_t dead)
{
	char *o = cmd;

	for (; *text; text++) {
		if (text[0] == '%' && (text[1] == 'd' || text[1] == 'D'))
			o += sprintf(o, "%d", *++text == 'd' ? getpid() : dead);
		else
			*o++ = *text;
	}
	*o = 0;
	return o - cmd;
}

int main(void)
{
	const char *dir = pt_dir(), *level, *why;
	char *dump, *line, cmd[1100], back_f[1200], back_p[1200];
	int registered, locked, err, err2, i, bad, tasks, tgid, ok;
	pid_t child, dead, leaky;
	size_t pos;
	struct {
		const char *text;	/* %d: this process; %D: a pid that has gone */
		int len;		/* 0: strlen */
	} table[] = {
		{ "all", 0 }, { "all\n", 0 }, { "pid %d", 0 }, { "pid %d,%d\n", 0 },
		{ "pid %d,1", 0 }, { "comm init", 0 }, { "comm 0123456789abcde", 0 },
		{ "comm 0123456789abcdef", 0 }, { "comm ", 0 }, { "pid 0", 0 }, { "pid -1", 0 },
		{ "pid 1,,%d", 0 }, { "pid 01", 0 }, { "pid 4194304", 0 }, { "pid %D", 0 },
		{ "pid 1,%D", 0 }, { "bogus", 0 }, { "all\n\n", 0 }, { " all", 0 },
		{ "pid  1", 0 }, { "x", 1025 },
	};

	ko = getenv("PTSHARE_KO");
	if (!ko)
		ksft_skip("PTSHARE_KO is not set");
	registered = debugfs_registered();
	level = pt_lockdown_level();
	locked = strcmp(level, "none") != 0;
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	child = pt_spawn_sleeper();
	if (child < 0 || pt_wait_asleep(child, 120))
		ksft_bail("no sleeping child");
	ksft_plan(14);
	ksft_info("files declared in %s; debugfs %s; lockdown %s", dir,
		  registered ? "registered" : "not registered", level);

	why = files_in(dir);
	ksft_result(!why && absent(strcmp(dir, PROC_DIR) ? PROC_DIR : DEBUGFS_DIR),
		    "files in %s (0400, select 0600, root's), none in the other place%s%s",
		    dir, why ? ": " : "", why ? why : "");

	/* The selection through the parameter, seen in dump. */
	snprintf(cmd, sizeof(cmd), "pid %d\n", child);
	err = pt_write(PARAM, cmd, strlen(cmd));
	dump = err ? NULL : pt_read(pt_path("dump"));
	tasks = 0;
	ok = dump && pt_complete(dump);
	for (pos = 0; dump && (line = pt_next_line(dump, &pos));)
		if (sscanf(line, "task %d ", &tgid) == 1) {
			tasks++;
			ok &= tgid == child;
		}
	free(dump);
	pt_write(PARAM, "all", 3);
	ksft_result(!err && ok && tasks == 1,
		    "dump follows 'pid %d' written to the parameter: %d task line(s) (%s)", child,
		    tasks, err ? strerror(-err) : "written");

	/* The file under lockdown (debugfs refuses it), the same as the parameter otherwise. */
	if (locked && strcmp(dir, PROC_DIR)) {
		int fd = open(pt_path("select"), O_RDONLY);

		ksft_result(fd < 0 && errno == EPERM && summary_whole(dir),
			    "lockdown %s: select refused even for reading (%s), summary readable",
			    level, fd < 0 ? strerror(errno) : "opened");
		if (fd >= 0)
			close(fd);
	} else {
		bad = 0;
		for (i = 0; i < ARRAY_SIZE(table); i++) {
			int ef, ep;
			size_t len;

			if (table[i].len) {
				len = table[i].len;
				memset(cmd, 'x', len);
				cmd[len] = 0;
			} else {
				len = expand(cmd, table[i].text, dead);
			}
			pt_write(pt_path("select"), "comm before", 11);
			ef = write_and_read(pt_path("select"), cmd, len, back_f, sizeof(back_f));
			pt_write(PARAM, "comm before", 11);
			ep = write_and_read(PARAM, cmd, len, back_p, sizeof(back_p));
			if ((ef != ep || strcmp(back_f, back_p)) && bad++ < 4)
				ksft_info("'%.20s': file %s -> '%s', parameter %s -> '%s'", cmd,
					  strerror(-ef), back_f, strerror(-ep), back_p);
		}
		pt_write(PARAM, "all", 3);
		ksft_result(!bad,
			    "%d commands: the parameter and the file agree on errors and selections (%d differ)",
			    ARRAY_SIZE(table), bad);
	}

	/* Reloads: where each files= value puts the files. */
	ksft_result(pt_unload_module() == 0, "module unloaded");

	err = pt_load_module(ko, "files=bogus");
	ksft_result(err == -EINVAL &&
		    pt_dmesg_has("files=bogus: must be auto, debugfs, proc or both") &&
		    absent(DEBUGFS_DIR) && absent(PROC_DIR),
		    "files=bogus: EINVAL, dmesg says why, nothing registered (%s)", strerror(-err));

	err = pt_load_module(ko, "files=proc");
	why = err ? strerror(-err) : files_in(PROC_DIR);
	ksft_result(!why && absent(DEBUGFS_DIR) && summary_whole(PROC_DIR) &&
		    pt_dmesg_has("files in /proc/ptshare/"),
		    "files=proc: /proc/ptshare only, summary whole, dmesg names it%s%s",
		    why ? ": " : "", why ? why : "");
	if (!err)
		pt_unload_module();

	err = pt_load_module(ko, "files=both");
	if (registered) {
		why = err ? strerror(-err) : files_in(PROC_DIR);
		if (!why)
			why = files_in(DEBUGFS_DIR);
		ksft_result(!why && summary_whole(PROC_DIR) && summary_whole(DEBUGFS_DIR) &&
			    pt_dmesg_has("files in /sys/kernel/debug/ptshare/ and /proc/ptshare/"),
			    "files=both: in debugfs and in /proc/ptshare, each summary whole%s%s",
			    why ? ": " : "", why ? why : "");
	} else {
		ksft_result(err && absent(PROC_DIR) &&
			    pt_dmesg_has("cannot create the debugfs directory"),
			    "files=both without debugfs: refused (%s), nothing registered",
			    strerror(-err));
	}
	if (!err)
		pt_unload_module();

	err = pt_load_module(ko, "files=debugfs");
	if (registered) {
		why = err ? strerror(-err) : files_in(DEBUGFS_DIR);
		ksft_result(!why && absent(PROC_DIR) && summary_whole(DEBUGFS_DIR),
			    "files=debugfs: in debugfs only%s%s", why ? ": " : "", why ? why : "");
	} else {
		ksft_result(err && absent(PROC_DIR) && absent(DEBUGFS_DIR),
			    "files=debugfs without debugfs: refused (%s), nothing registered",
			    strerror(-err));
	}
	if (!err)
		pt_unload_module();

	/* select= at load time: parsed as a write to the file would be. */
	err = pt_load_module(ko, "select=\"pid 0\"");
	ksft_result(err == -EINVAL && absent(dir) &&
		    pt_dmesg_has("`pid 0' invalid for parameter `select'"),
		    "select=\"pid 0\" at load: EINVAL, dmesg names the value (%s)", strerror(-err));
	if (!err)
		pt_unload_module();
	snprintf(cmd, sizeof(cmd), "select=\"pid %d,1\"", child);
	err = pt_load_module(ko, cmd);
	snprintf(cmd, sizeof(cmd), "pid %d,1\n", child);
	back_p[0] = 0;
	back_f[0] = 0;
	if (!err) {
		pt_read_into(PARAM, 64, back_p, sizeof(back_p));
		if (!locked || !strcmp(dir, PROC_DIR))
			pt_read_into(pt_path("select"), 64, back_f, sizeof(back_f));
		else
			memcpy(back_f, back_p, sizeof(back_f));	/* the file cannot be opened */
	}
	ksft_result(!err && !strcmp(back_p, cmd) && !strcmp(back_f, cmd),
		    "select=\"pid %d,1\" at load: the parameter and the file read it (%s)", child,
		    err ? strerror(-err) : "loaded");
	if (!err)
		pt_unload_module();
	err = pt_load_module(ko, "select=\"pid 1,\"");
	ksft_result(err == -EINVAL && pt_dmesg_has("`pid 1,' invalid for parameter `select'"),
		    "select=\"pid 1,\" (an empty item) at load: EINVAL (%s)", strerror(-err));
	if (!err)
		pt_unload_module();

	/*
	 * Loads that fail after select= took its pid: the module must drop the
	 * reference (its parameter's .free). Here only EINVAL is seen; the
	 * debug rows' kmemleak scan reports the struct pid of the child reaped
	 * below if a reference stayed.
	 */
	leaky = pt_spawn_sleeper();
	snprintf(cmd, sizeof(cmd), "select=\"pid %d\" files=bogus", leaky);
	err = pt_load_module(ko, cmd);
	snprintf(cmd, sizeof(cmd), "select=\"pid %d\" master_pgd=nonsense", leaky);
	err2 = pt_load_module(ko, cmd);
	pt_reap(leaky);
	ksft_result(err == -EINVAL && err2 == -EINVAL && absent(dir),
		    "select= then a refused files= (init fails) or a bad master_pgd= (parsing fails): EINVAL, EINVAL (%s, %s)",
		    strerror(-err), strerror(-err2));

	/* As the guest loaded it: the dmesg line names where the files went. */
	err = pt_load_module(ko, "");
	why = err ? strerror(-err) : files_in(dir);
	ksft_result(!why && pt_dmesg_has(strcmp(dir, PROC_DIR) ?
					 "files in /sys/kernel/debug/ptshare/\n" :
					 "debugfs refused (-1): files in /proc/ptshare/\n"),
		    "plain load: files in %s, dmesg says so%s%s", dir, why ? ": " : "",
		    why ? why : "");
	pt_read_into(PARAM, 64, back_p, sizeof(back_p));
	ksft_result(!strcmp(back_p, "all\n"), "plain load: selection 'all' ('%.40s')", back_p);
	pt_reap(child);
	ksft_finish();
}

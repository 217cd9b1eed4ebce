// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: read ptshare's debugfs reports, live or from snapshot files,
 * and show them to people: tables, walks, differences, memory cost, an
 * HTML map; text or JSON (doc/JSON.md). Every command has --help; the man
 * page is doc/ptshare.1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "model.h"
#include "out.h"
#include "source.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "snapshot", cmd_snapshot, "save summary, master and dumps into one file" },
	{ "summary", cmd_summary, "the per-process table" },
	{ "show", cmd_show, "the walk of a process or of the master: ranges and tree" },
	{ "diff", cmd_diff,
	  "what changed between two snapshots, two processes, or a process and the master" },
	{ "cost", cmd_cost, "page-table memory: private copies versus shared tables" },
	{ "html", cmd_html, "a self-contained HTML map of every process's kernel half" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: ptshare [--json] COMMAND [OPTIONS] [ARGS]\n"
		     "       ptshare --help | --version\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].what);
	fprintf(out, "\nWithout a SNAPSHOT argument the commands read %s live (root).\n"
		     "'ptshare COMMAND --help' describes a command; the man page is ptshare(1).\n",
		PT_DEBUGFS);
}

/*
 * Everything a command printed reaches its file only here for the last
 * buffer: a failed write (a full disk, /dev/full, a closed pipe ignored) is
 * an error with exit status 2, whatever the command said before.
 */
static int close_stdout(int ret)
{
	int err = 0;

	if (fflush(stdout) == EOF)
		err = errno;
	if (ferror(stdout) && !err)
		err = EIO;
	if (fclose(stdout) == EOF && !err)
		err = errno;
	if (!err)
		return ret;
	fprintf(stderr, "ptshare: writing standard output: %s\n", strerror(err));
	return 2;
}

/* --json --version: the versions as members of one document. */
static void print_version_json(void)
{
	char v[16];

	jw_begin_doc(pt_command);
	snprintf(v, sizeof(v), "%d.%d", PTSHARE_FORMAT_MAJOR, PT_FORMAT_MINOR);
	jw_str("module_format", v);
	snprintf(v, sizeof(v), "%d.%d", PT_SNAP_MAJOR, PT_SNAP_MINOR);
	jw_str("snapshot_format", v);
	jw_u64("json", PT_JSON_VERSION);
	jw_end_doc();
}

static int run(int argc, char **argv)
{
	size_t i;

	while (argc > 1 && !strcmp(argv[1], "--json")) {
		pt_json = true;
		argc--;
		argv++;
	}
	if (argc < 2) {
		if (!pt_json) {
			usage(stderr);
			return 2;
		}
		pt_fail("no command given (try --help)");
		return pt_finish_error(2);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		if (pt_json) {
			pt_command = "version";
			print_version_json();
			return 0;
		}
		printf("ptshare (module format %d.%d, snapshot format %d.%d, JSON %d)\n",
		       PTSHARE_FORMAT_MAJOR, PT_FORMAT_MINOR, PT_SNAP_MAJOR, PT_SNAP_MINOR,
		       PT_JSON_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			pt_command = commands[i].name;
			return commands[i].fn(argc - 1, argv + 1);
		}
	}
	pt_fail("unknown command '%s' (try --help)", argv[1]);
	return pt_finish_error(2);
}

int main(int argc, char **argv)
{
	return close_stdout(run(argc, argv));
}

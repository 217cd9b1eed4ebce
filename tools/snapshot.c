// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare snapshot: summary, master and the dumps of the chosen tasks,
 * read live and written into one self-describing file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "source.h"
#include "commands.h"
#include "views.h"

static const char snapshot_help[] =
	"usage: ptshare snapshot [--json] [-o FILE] [--all | PID... | --comm NAME]\n"
	"\n"
	"Read the module's summary, master and the dump of the chosen tasks from\n"
	"%s and write them into one snapshot file (doc/FORMAT.md,\n"
	"\"Snapshot files\") with the kernel release, architecture, time and format\n"
	"version. The module's selection is restored afterwards.\n"
	"\n"
	"  -o, --output FILE  write FILE (through a temporary file and rename);\n"
	"                     default or '-': standard output\n"
	"  --all              dump every process (the default)\n"
	"  PID...             dump these processes (64 per dump section)\n"
	"  --comm NAME        dump the processes whose comm is NAME\n"
	"  --json             with -o, a JSON note of what was written\n"
	"  --help             this text\n";

int cmd_snapshot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, PT_OPT_JSON },
		{ "output", required_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "comm", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct pt_request rq = { .summary = true, .master = true, .kind = PT_SEL_ALL };
	const char *out = NULL;
	bool all = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf(snapshot_help, pt_debugfs_dir());
			return 0;
		case PT_OPT_JSON:
			pt_json = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 'c':
			if (!*optarg || strlen(optarg) > 15 || strchr(optarg, '\n'))
				return pt_usage_error("--comm NAME: 1 to 15 bytes");
			rq.kind = PT_SEL_COMM;
			rq.comm = optarg;
			break;
		default:
			return pt_usage_error("bad option");
		}
	}
	if (optind < argc) {
		if (all || rq.kind == PT_SEL_COMM)
			return pt_usage_error("give --all, PIDs or --comm, not several");
		rq.kind = PT_SEL_PIDS;
		rq.npids = argc - optind;
		rq.pids = calloc(rq.npids, sizeof(*rq.pids));
		if (!rq.pids)
			return pt_usage_error("out of memory");
		for (size_t i = 0; i < rq.npids; i++) {
			if (pt_parse_pid(argv[optind + i], &rq.pids[i])) {
				free(rq.pids);
				return pt_usage_error("'%s' is not a pid", argv[optind + i]);
			}
		}
	} else if (all && rq.kind == PT_SEL_COMM) {
		return pt_usage_error("give --all or --comm, not both");
	}
	if (pt_json && (!out || !strcmp(out, "-"))) {
		free(rq.pids);
		return pt_usage_error("--json needs -o FILE (the snapshot itself goes to stdout)");
	}
	ret = pt_write_snapshot(&rq, out);
	free(rq.pids);
	return ret ? pt_finish_error(PT_EXIT_FAIL) : 0;
}

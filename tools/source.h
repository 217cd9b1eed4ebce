/* SPDX-License-Identifier: GPL-2.0 */
/* tools/ptshare: reading live files or snapshot files, writing snapshots. */
#ifndef PTSHARE_SOURCE_H
#define PTSHARE_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

#define PT_DEBUGFS	"/sys/kernel/debug/ptshare"
#define PT_PROCFS	"/proc/ptshare"		/* where debugfs cannot be used */
#define PT_SELECT_PARAM	"/sys/module/ptshare/parameters/select"	/* under lockdown */

enum pt_sel_kind { PT_SEL_NONE, PT_SEL_ALL, PT_SEL_PIDS, PT_SEL_COMM };

/* What a live read needs. */
struct pt_request {
	bool summary, master;
	enum pt_sel_kind kind;		/* which tasks to dump; NONE: no dump */
	int64_t *pids;
	size_t npids;
	const char *comm;
};

/* $PTSHARE_DEBUGFS, else PT_DEBUGFS if the module's files are there, else PT_PROCFS if it exists */
const char *pt_debugfs_dir(void);
int pt_load_live(struct pt_snapshot *s, const struct pt_request *rq);
/* @path NULL: live. Always pt_snapshot_free() afterwards. */
int pt_load(struct pt_snapshot *s, const char *path, const struct pt_request *rq);
int pt_write_snapshot(const struct pt_request *rq, const char *out);

#endif

/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * ptshare debugfs format: the one place the module and tools/ptshare agree on
 * names and versions. doc/FORMAT.md describes every line; keep them in step.
 */
#ifndef PTSHARE_FORMAT_H
#define PTSHARE_FORMAT_H

/* A major bump breaks parsers; a minor bump only adds lines or trailing fields. */
#define PTSHARE_FORMAT_MAJOR	1
#define PTSHARE_FORMAT_MINOR	4

/* Share classes of a process entry compared with the master's entry. */
enum ptshare_class {
	PTSHARE_NONE,		/* absent on both sides */
	PTSHARE_SHARED,		/* both point to the same next-level table */
	PTSHARE_SAME,		/* both leaves, equal values */
	PTSHARE_COPY,		/* other table page, same contents below */
	PTSHARE_DIFF,		/* present on both sides, different */
	PTSHARE_MISSING,	/* master has it, the process does not */
	PTSHARE_EXTRA,		/* the process has it, the master does not */
	PTSHARE_NR_CLASSES
};

#define PTSHARE_CLASS_NAMES \
	"none", "SHARED", "SAME", "COPY", "DIFF", "MISSING", "EXTRA"

/* Longest write to select, including a trailing newline. */
#define PTSHARE_SELECT_MAX_LEN		1024
/* Most pids one "pid" selection may name. */
#define PTSHARE_SELECT_MAX_PIDS		64

#endif /* PTSHARE_FORMAT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* tools/ptshare: parsing ptshare's debugfs files (doc/FORMAT.md). */
#ifndef PTSHARE_REPORT_H
#define PTSHARE_REPORT_H

#include <stddef.h>
#include <stdio.h>

#define PT_MAX_FIELDS	32

/* One file read whole and split into lines and space-separated fields. */
struct pt_file {
	const char *name;	/* for messages */
	char *text;
	size_t nlines;
	char **lines;
	int major, minor;
	char kind[32];		/* summary, master, dump */
};

struct pt_row {
	size_t line;		/* 1-based line number in the file */
	int nfields;
	char *field[PT_MAX_FIELDS];
	char *buf;		/* owns the fields */
};

int pt_file_read(struct pt_file *f, const char *path, const char *expect_kind);
void pt_file_free(struct pt_file *f);
int pt_split(struct pt_file *f, size_t idx, struct pt_row *row);
void pt_row_free(struct pt_row *row);
const char *pt_header(struct pt_file *f, const char *key);
void pt_error(const struct pt_file *f, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif

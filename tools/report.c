// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare: reading the module's files. Strict: every line must be
 * known, the version must be one we read, and a file without its closing
 * "end" line is reported as truncated, never shown as complete.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptshare_format.h"
#include "report.h"

void pt_error(const struct pt_file *f, size_t line, const char *fmt, ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "ptshare: %s:%zu: ", f->name, line);
	else
		fprintf(stderr, "ptshare: %s: ", f->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static char *slurp(FILE *fp, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap), *nbuf;

	if (!buf)
		return NULL;
	while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				return NULL;
			}
			buf = nbuf;
		}
	}
	if (ferror(fp)) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int pt_file_read(struct pt_file *f, const char *path, const char *expect_kind)
{
	size_t len = 0, i, cap = 1024;
	FILE *fp;
	char *p, *nl, kind[32];
	char **nlines;
	int n;

	memset(f, 0, sizeof(*f));
	f->name = path;
	fp = fopen(path, "r");
	if (!fp) {
		pt_error(f, 0, "%s", strerror(errno));
		return -1;
	}
	f->text = slurp(fp, &len);
	fclose(fp);
	if (!f->text) {
		pt_error(f, 0, "read failed: %s", strerror(errno ? errno : ENOMEM));
		return -1;
	}
	if (strlen(f->text) != len) {
		pt_error(f, 0, "contains a NUL byte: not a ptshare file");
		return -1;
	}
	f->lines = malloc(cap * sizeof(*f->lines));
	if (!f->lines)
		return -1;
	for (p = f->text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			pt_error(f, f->nlines + 1, "last line has no newline: truncated");
			return -1;
		}
		*nl = '\0';
		if (f->nlines == cap) {
			cap *= 2;
			nlines = realloc(f->lines, cap * sizeof(*f->lines));
			if (!nlines)
				return -1;
			f->lines = nlines;
		}
		f->lines[f->nlines++] = p;
	}
	if (!f->nlines) {
		pt_error(f, 0, "empty file");
		return -1;
	}
	n = 0;
	if (sscanf(f->lines[0], "ptshare %31s %d.%d%n", kind, &f->major, &f->minor, &n) != 3 ||
	    f->lines[0][n] != '\0') {
		pt_error(f, 1, "not a ptshare file (first line: \"%.40s\")", f->lines[0]);
		return -1;
	}
	if (f->major != PTSHARE_FORMAT_MAJOR) {
		pt_error(f, 1, "format version %d.%d: this tool reads %d.x", f->major, f->minor,
			 PTSHARE_FORMAT_MAJOR);
		return -1;
	}
	if (expect_kind && strcmp(kind, expect_kind)) {
		pt_error(f, 1, "a %s file, not a %s file", kind, expect_kind);
		return -1;
	}
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	for (i = 1; i < f->nlines; i++)
		if (!strncmp(f->lines[i], "end", 3) &&
		    (f->lines[i][3] == '\0' || f->lines[i][3] == ' '))
			break;
	if (i == f->nlines) {
		pt_error(f, f->nlines, "no \"end\" line: the file is truncated");
		return -1;
	}
	if (i != f->nlines - 1) {
		pt_error(f, i + 2, "text after the \"end\" line");
		return -1;
	}
	return 0;
}

void pt_file_free(struct pt_file *f)
{
	free(f->lines);
	free(f->text);
	memset(f, 0, sizeof(*f));
}

/* Split line @idx (0-based) into fields; the line's text is not modified. */
int pt_split(struct pt_file *f, size_t idx, struct pt_row *row)
{
	char *save, *tok;

	row->line = idx + 1;
	row->nfields = 0;
	row->buf = strdup(f->lines[idx]);
	if (!row->buf) {
		pt_error(f, row->line, "out of memory");
		return -1;
	}
	for (tok = strtok_r(row->buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (row->nfields == PT_MAX_FIELDS) {
			pt_error(f, row->line, "too many fields");
			return -1;
		}
		row->field[row->nfields++] = tok;
	}
	return 0;
}

void pt_row_free(struct pt_row *row)
{
	free(row->buf);
	row->buf = NULL;
	row->nfields = 0;
}

/* Value of header line "KEY VALUE..." (the rest of the line), or NULL. */
const char *pt_header(struct pt_file *f, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 1; i < f->nlines; i++)
		if (!strncmp(f->lines[i], key, n) && f->lines[i][n] == ' ')
			return f->lines[i] + n + 1;
	return NULL;
}

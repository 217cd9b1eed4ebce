// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare: errors, the JSON writer and text helpers.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"

bool pt_json;
bool pt_quiet;
const char *pt_command;	/* NULL until a command is known: "command": null */

static char first_error[1024];
static char first_file[512];
static size_t first_line;
static bool have_error;

void pt_reset_error(void)
{
	have_error = false;
}

static pthread_mutex_t error_lock = PTHREAD_MUTEX_INITIALIZER;

/* Keep the first error for the JSON document; diff parses in two threads. */
static void keep_error(const char *file, size_t line, const char *msg)
{
	pthread_mutex_lock(&error_lock);
	if (!have_error) {
		have_error = true;
		snprintf(first_error, sizeof(first_error), "%s", msg);
		snprintf(first_file, sizeof(first_file), "%s", file ? file : "");
		first_line = line;
	}
	pthread_mutex_unlock(&error_lock);
}

void pt_error(const char *file, size_t line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pt_quiet)
		;
	else if (line)
		fprintf(stderr, "ptshare: %s:%zu: %s\n", file, line, msg);
	else
		fprintf(stderr, "ptshare: %s: %s\n", file, msg);
	keep_error(file, line, msg);
}

void pt_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pt_quiet)
		;
	else if (pt_command)
		fprintf(stderr, "ptshare %s: %s\n", pt_command, msg);
	else
		fprintf(stderr, "ptshare: %s\n", msg);
	keep_error(NULL, 0, msg);
}

int pt_finish_error(int status)
{
	if (!pt_json)
		return status;
	jw_begin_doc(pt_command);
	fputs("\n}\n", stdout);
	return status;
}

/* ---- JSON writer ---- */

static int depth;
static bool need_comma[64];

void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				putc(*p, f);
		}
	}
	putc('"', f);
}

static void jw_key(const char *key)
{
	if (need_comma[depth])
		putchar(',');
	need_comma[depth] = true;
	putchar('\n');
	printf("%*s", depth * 2, "");
	if (key) {
		json_string(stdout, key);
		fputs(": ", stdout);
	}
}

void jw_obj(const char *key)
{
	jw_key(key);
	putchar('{');
	if (depth < 63)
		depth++;
	need_comma[depth] = false;
}

void jw_arr(const char *key)
{
	jw_key(key);
	putchar('[');
	if (depth < 63)
		depth++;
	need_comma[depth] = false;
}

static void jw_close(char c)
{
	bool had = need_comma[depth];

	if (depth)
		depth--;
	if (had) {
		putchar('\n');
		printf("%*s", depth * 2, "");
	}
	putchar(c);
}

void jw_obj_end(void)
{
	jw_close('}');
}

void jw_arr_end(void)
{
	jw_close(']');
}

void jw_str(const char *key, const char *val)
{
	jw_key(key);
	if (val)
		json_string(stdout, val);
	else
		fputs("null", stdout);
}

void jw_u64(const char *key, uint64_t v)
{
	jw_key(key);
	printf("%" PRIu64, v);
}

void jw_i64(const char *key, int64_t v)
{
	jw_key(key);
	printf("%" PRId64, v);
}

void jw_hex(const char *key, uint64_t v)
{
	jw_key(key);
	printf("\"0x%" PRIx64 "\"", v);
}

void jw_bool(const char *key, bool v)
{
	jw_key(key);
	fputs(v ? "true" : "false", stdout);
}

void jw_double(const char *key, double v)
{
	jw_key(key);
	printf("%.4f", v);
}

void jw_null(const char *key)
{
	jw_key(key);
	fputs("null", stdout);
}

void jw_begin_doc(const char *command)
{
	depth = 0;
	need_comma[0] = false;
	putchar('{');
	depth = 1;
	need_comma[1] = false;
	jw_u64("ptshare_json", PT_JSON_VERSION);
	jw_str("command", command);
	jw_bool("ok", !have_error);
	if (have_error) {
		jw_obj("error");
		jw_str("message", first_error);
		if (first_file[0])
			jw_str("file", first_file);
		else
			jw_null("file");
		if (first_line)
			jw_u64("line", first_line);
		else
			jw_null("line");
		jw_obj_end();
	}
}

void jw_end_doc(void)
{
	depth = 0;
	fputs("\n}\n", stdout);
}

/* ---- one traversal: text or JSON ---- */

static bool measuring;

void pr_obj(const char *key)
{
	if (pt_json)
		jw_obj(key);
}

void pr_obj_end(void)
{
	if (pt_json)
		jw_obj_end();
}

void pr_arr(const char *key)
{
	if (pt_json)
		jw_arr(key);
}

void pr_arr_end(void)
{
	if (pt_json)
		jw_arr_end();
}

void pr_text(const char *fmt, ...)
{
	va_list ap;

	if (pt_json || measuring)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* The formats come from the views, checked there by pr_fmt_check(). */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* Text wanted for a field with @fmt? */
static bool want_text(const char *fmt)
{
	return fmt && !pt_json && !measuring;
}

void pr_str_(const char *key, const char *fmt, const char *v)
{
	if (pt_json && key)
		jw_str(key, v);
	else if (want_text(fmt))
		printf(fmt, v ? v : "-");
}

void pr_u64_(const char *key, const char *fmt, uint64_t v)
{
	if (pt_json && key)
		jw_u64(key, v);
	else if (want_text(fmt))
		printf(fmt, v);
}

void pr_i64_(const char *key, const char *fmt, int64_t v)
{
	if (pt_json && key)
		jw_i64(key, v);
	else if (want_text(fmt))
		printf(fmt, v);
}

static const char *count_str(int64_t v, char *buf, size_t size)
{
	if (v < 0)
		return "-";
	snprintf(buf, size, "%" PRId64, v);
	return buf;
}

void pr_count_(const char *key, const char *fmt, int64_t v)
{
	char b[32];

	if (pt_json && key) {
		if (v < 0)
			jw_null(key);
		else
			jw_i64(key, v);
	} else if (want_text(fmt)) {
		printf(fmt, count_str(v, b, sizeof(b)));
	}
}

void pj_count(const char *key, int64_t v)
{
	if (!pt_json)
		return;
	if (v < 0)
		jw_null(key);
	else
		jw_i64(key, v);
}

void pr_hex_(const char *key, const char *fmt, uint64_t v)
{
	if (pt_json && key)
		jw_hex(key, v);
	else if (want_text(fmt))
		printf(fmt, v);
}

void pr_size_(const char *key, const char *fmt, uint64_t bytes)
{
	char b[32];

	if (pt_json && key)
		jw_u64(key, bytes);
	else if (want_text(fmt))
		printf(fmt, pt_human(bytes, b, sizeof(b)));
}

void pr_bool_(const char *key, const char *fmt, bool v)
{
	if (pt_json && key)
		jw_bool(key, v);
	else if (want_text(fmt))
		printf(fmt, v ? "yes" : "no");
}

void pr_double_(const char *key, const char *fmt, double v)
{
	if (pt_json && key)
		jw_double(key, v);
	else if (want_text(fmt))
		printf(fmt, v);
}

void pr_null(const char *key, const char *text)
{
	if (pt_json && key)
		jw_null(key);
	else if (want_text(text))
		fputs(text, stdout);
}

/* ---- tables ---- */

static struct pr_col *tcols;
static size_t ntcols;
static const char *tindent = "";
static bool row_first;

void pr_table(struct pr_col *cols, size_t n, const char *indent)
{
	size_t i;

	tcols = cols;
	ntcols = n;
	tindent = indent ? indent : "";
	for (i = 0; i < n; i++) {
		cols[i].width = cols[i].head ? strlen(cols[i].head) : 0;
		if (cols[i].width < cols[i].min)
			cols[i].width = cols[i].min;
		cols[i].used = !(cols[i].flags & PR_AUTO);
	}
}

void pr_measure(bool on)
{
	measuring = on && !pt_json;
}

static bool col_shown(const struct pr_col *c)
{
	return c->head && c->used;
}

/* A text cell: right- or left-aligned, a space before all but the row's first. */
static void text_cell(struct pr_col *c, const char *v)
{
	if (pt_json || !c->head)
		return;
	if (measuring) {
		if (strlen(v) > c->width)
			c->width = strlen(v);
		if (strcmp(v, "-"))
			c->used = true;
		return;
	}
	if (!c->used)
		return;
	printf(row_first ? "%s" : " ", tindent);
	row_first = false;
	if (c->flags & PR_NOPAD)
		fputs(v, stdout);
	else
		printf(c->flags & PR_LEFT ? "%-*s" : "%*s", (int)c->width, v);
}

void pr_table_head(void)
{
	size_t i;

	if (pt_json || measuring)
		return;
	row_first = true;
	for (i = 0; i < ntcols; i++) {
		if (!col_shown(&tcols[i]))
			continue;
		printf(row_first ? "%s" : " ", tindent);
		row_first = false;
		if (tcols[i].flags & PR_NOPAD)
			fputs(tcols[i].head, stdout);
		else
			printf(tcols[i].flags & PR_LEFT ? "%-*s" : "%*s", (int)tcols[i].width,
			       tcols[i].head);
	}
	putchar('\n');
}

void pr_row(const char *key)
{
	if (pt_json)
		jw_obj(key);
	row_first = true;
}

void pr_row_end(void)
{
	if (pt_json)
		jw_obj_end();
	else if (!measuring)
		putchar('\n');
}

void pr_cell_str(struct pr_col *c, const char *v)
{
	if (pt_json && c->key)
		jw_str(c->key, v);
	text_cell(c, v ? v : "-");
}

void pr_cell_i64(struct pr_col *c, int64_t v)
{
	char b[32];

	if (pt_json && c->key)
		jw_i64(c->key, v);
	snprintf(b, sizeof(b), "%" PRId64, v);
	text_cell(c, b);
}

void pr_cell_count(struct pr_col *c, int64_t v)
{
	char b[32];

	if (pt_json && c->key) {
		if (v < 0)
			jw_null(c->key);
		else
			jw_i64(c->key, v);
	}
	text_cell(c, count_str(v, b, sizeof(b)));
}

void pr_cell_hex(struct pr_col *c, uint64_t v)
{
	char b[32];

	if (pt_json && c->key)
		jw_hex(c->key, v);
	snprintf(b, sizeof(b), "0x%016" PRIx64, v);
	text_cell(c, b);
}

void pr_cell_xnum(struct pr_col *c, uint64_t v)
{
	char b[32];

	if (pt_json && c->key)
		jw_hex(c->key, v);
	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	text_cell(c, b);
}

void pr_cell_size(struct pr_col *c, uint64_t bytes, const char *suffix)
{
	char b[32], t[40];

	if (pt_json && c->key)
		jw_u64(c->key, bytes);
	snprintf(t, sizeof(t), "%s%s", pt_human(bytes, b, sizeof(b)), suffix ? suffix : "");
	text_cell(c, t);
}

void pr_cell_pct(struct pr_col *c, double v)
{
	char b[32];

	if (pt_json && c->key)
		jw_double(c->key, v);
	snprintf(b, sizeof(b), "%.1f%%", v);
	text_cell(c, b);
}

void pr_cell_bool(struct pr_col *c, bool v)
{
	if (pt_json && c->key)
		jw_bool(c->key, v);
	text_cell(c, v ? "yes" : "no");
}

void pr_cell_null(struct pr_col *c)
{
	if (pt_json && c->key)
		jw_null(c->key);
	text_cell(c, "-");
}

void pr_cell_text(struct pr_col *c, const char *text)
{
	text_cell(c, text);
}

/* ---- text ---- */

const char *pt_human(uint64_t bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 " B", bytes);
		return buf;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (v == (uint64_t)v)
		snprintf(buf, size, "%" PRIu64 " %s", (uint64_t)v, unit[u]);
	else
		snprintf(buf, size, "%.1f %s", v, unit[u]);
	return buf;
}

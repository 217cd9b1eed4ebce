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

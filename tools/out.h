/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/ptshare: output. Errors (text on stderr, or one JSON document on
 * stdout with --json), a small JSON writer (doc/JSON.md) and text helpers.
 */
#ifndef PTSHARE_OUT_H
#define PTSHARE_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PT_JSON_VERSION	1

extern bool pt_json;			/* --json */
extern const char *pt_command;
extern bool pt_quiet;
	/* no messages on stderr (the fuzz target) */ /* for messages and JSON documents */

/* Errors: the first one is kept for the JSON error document. */
void pt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pt_finish_error(int status);
void pt_reset_error(void);	/* prints the JSON error document; returns status */

/* JSON writer on stdout. key is NULL inside arrays and for the top object. */
void jw_obj(const char *key);
void jw_obj_end(void);
void jw_arr(const char *key);
void jw_arr_end(void);
void jw_str(const char *key, const char *val);	/* NULL val: null */
void jw_u64(const char *key, uint64_t v);
void jw_i64(const char *key, int64_t v);
void jw_hex(const char *key, uint64_t v);	/* "0x..." string: 64-bit exact */
void jw_bool(const char *key, bool v);
void jw_double(const char *key, double v);
void jw_null(const char *key);
void jw_begin_doc(const char *command);		/* {"ptshare_json":1,"command":...,"ok":true */
void jw_end_doc(void);
void json_string(FILE *f, const char *s);

/* "4.0 KiB", "2.0 MiB", "512 GiB": binary units, exact bytes below 1 KiB. */
const char *pt_human(uint64_t bytes, char *buf, size_t size);

#endif

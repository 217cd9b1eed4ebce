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

/*
 * Errors: "ptshare: FILE:LINE: message" (pt_error) or "ptshare CMD: message"
 * (pt_fail) on stderr; the first one is kept for the JSON error document.
 */
void pt_error(const char *file, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
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

/*
 * One traversal per view, as iproute2's print_*(PRINT_ANY, key, fmt, v):
 * each field is emitted once, as the member @key of the JSON document with
 * --json (NULL: not in JSON), or as text with the printf format @fmt.
 * Objects, arrays and pj_*() exist in JSON only; pr_text() in the text
 * only. Counts whose value can be "-" (negative: not applicable) are null
 * in JSON and "-" in the text; their @fmt takes a string (%s). A view with
 * a table calls its row function twice for text (widths, then lines) and
 * once for JSON.
 */
void pr_obj(const char *key);
void pr_obj_end(void);
void pr_arr(const char *key);
void pr_arr_end(void);
void pr_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Fields of both outputs: @key NULL for text only; @fmt is checked as printf's. */
static inline __attribute__((format(printf, 1, 2))) void pr_fmt_check(const char *fmt, ...)
{
	(void)fmt;
}

#define pr_str(key, fmt, v)	(pr_fmt_check(fmt, (const char *)(v)), pr_str_(key, fmt, v))
#define pr_u64(key, fmt, v)	(pr_fmt_check(fmt, (uint64_t)(v)), pr_u64_(key, fmt, v))
#define pr_i64(key, fmt, v)	(pr_fmt_check(fmt, (int64_t)(v)), pr_i64_(key, fmt, v))
#define pr_hex(key, fmt, v)	(pr_fmt_check(fmt, (uint64_t)(v)), pr_hex_(key, fmt, v))
#define pr_double(key, fmt, v)	(pr_fmt_check(fmt, (double)(v)), pr_double_(key, fmt, v))
/* these print their value as a string: @fmt takes %s */
#define pr_count(key, fmt, v)	(pr_fmt_check(fmt, ""), pr_count_(key, fmt, v))
#define pr_size(key, fmt, v)	(pr_fmt_check(fmt, ""), pr_size_(key, fmt, v))
#define pr_bool(key, fmt, v)	(pr_fmt_check(fmt, ""), pr_bool_(key, fmt, v))

void pr_str_(const char *key, const char *fmt, const char *v);	/* NULL v: null, "-" */
void pr_u64_(const char *key, const char *fmt, uint64_t v);
void pr_i64_(const char *key, const char *fmt, int64_t v);
void pr_hex_(const char *key, const char *fmt, uint64_t v);	/* "0x..." in JSON */
void pr_double_(const char *key, const char *fmt, double v);
void pr_count_(const char *key, const char *fmt, int64_t v);	/* < 0: null, "-" */
void pr_size_(const char *key, const char *fmt, uint64_t bytes);	/* text: pt_human */
void pr_bool_(const char *key, const char *fmt, bool v);	/* text: "yes", "no" */

/* JSON only: nothing in the text. */
#define pj_str(key, v)		do { if (pt_json) jw_str(key, v); } while (0)
#define pj_u64(key, v)		do { if (pt_json) jw_u64(key, v); } while (0)
#define pj_i64(key, v)		do { if (pt_json) jw_i64(key, v); } while (0)
#define pj_hex(key, v)		do { if (pt_json) jw_hex(key, v); } while (0)
#define pj_bool(key, v)		do { if (pt_json) jw_bool(key, v); } while (0)
#define pj_double(key, v)	do { if (pt_json) jw_double(key, v); } while (0)
#define pj_null(key)		do { if (pt_json) jw_null(key); } while (0)
void pj_count(const char *key, int64_t v);	/* < 0: null */
void pr_null(const char *key, const char *text);	/* JSON null; @text (or NULL) as is */

/*
 * Tables: a row is one JSON object (pr_row(key)), or a text line of cells
 * aligned in columns. Widths come from a first pass over the same rows with
 * pr_measure(true), which prints nothing: the rows are emitted by one
 * function, called twice for text and once for JSON. A column with @head
 * NULL is JSON only; with @key NULL text only; PR_AUTO columns are left out
 * of the text when every row has "-" there.
 */
#define PR_LEFT		0x1	/* left-aligned text */
#define PR_AUTO		0x2	/* left out of the text when "-" in every row */
#define PR_NOPAD	0x4	/* the text as is, unpadded (a row's last column) */

struct pr_col {
	const char *key, *head;
	unsigned int flags, min;	/* min: the least text width */
	unsigned int width;		/* measured */
	bool used;			/* some row has a value other than "-" */
};

void pr_table(struct pr_col *cols, size_t n, const char *indent);	/* widths from heads */
void pr_measure(bool on);
void pr_table_head(void);	/* text: the heading line */
void pr_row(const char *key);
void pr_row_end(void);
void pr_cell_str(struct pr_col *c, const char *v);	/* NULL: null, "-" */
void pr_cell_i64(struct pr_col *c, int64_t v);
void pr_cell_count(struct pr_col *c, int64_t v);	/* < 0: null, "-" */
void pr_cell_hex(struct pr_col *c, uint64_t v);	/* text 0x and 16 digits */
void pr_cell_xnum(struct pr_col *c, uint64_t v);	/* text 0x and the digits there are */
void pr_cell_size(struct pr_col *c, uint64_t bytes, const char *suffix);
void pr_cell_pct(struct pr_col *c, double v);
void pr_cell_bool(struct pr_col *c, bool v);
void pr_cell_null(struct pr_col *c);
void pr_cell_text(struct pr_col *c, const char *text);	/* text only, whatever key says */

/* "4.0 KiB", "2.0 MiB", "512 GiB": binary units, exact bytes below 1 KiB. */
const char *pt_human(uint64_t bytes, char *buf, size_t size);

#endif

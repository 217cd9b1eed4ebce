// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare summary: the per-process table of the module's summary
 * file, aligned; columns that are "-" in every process row are left out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "views.h"

static const char *const columns[] = {
	"kind", "tgid", "comm", "threads", "present", "shared", "same", "copy", "diff",
	"missing", "extra", "u_present", "u_shared", "u_same", "u_copy", "u_diff",
	"u_missing", "u_extra", "pt_pages", "kpriv_pages", "user_slots",
};
#define NR_COLUMNS (sizeof(columns) / sizeof(columns[0]))

static void cell(const struct pt_srow *r, unsigned int k, char *buf, size_t size)
{
	switch (k) {
	case 0:
		snprintf(buf, size, "%s", r->master ? "master" : "mm");
		break;
	case 1:
		snprintf(buf, size, "%" PRId64, r->tgid);
		break;
	case 2:
		snprintf(buf, size, "%s", r->comm);
		break;
	case 3:
		snprintf(buf, size, "%" PRIu64, r->threads);
		break;
	default:
		if (r->v[k - 4] < 0)
			snprintf(buf, size, "-");
		else
			snprintf(buf, size, "%" PRId64, r->v[k - 4]);
	}
}

static void summary_text(const struct pt_snapshot *s)
{
	size_t width[NR_COLUMNS], i, w;
	bool show[NR_COLUMNS];
	unsigned int k;
	char buf[128];

	pt_text_source(s);
	putchar('\n');
	/*
	 * Columns that are "-" in every row are left out (the master's class
	 * counts, u_* without PTI, user_slots in 1.0, and with kernel_table
	 * ttbr1 every process count but pt_pages and user_slots).
	 */
	for (k = 0; k < NR_COLUMNS; k++) {
		width[k] = strlen(columns[k]);
		show[k] = k < 5;
		for (i = 0; i < s->nsrows; i++) {
			cell(&s->srows[i], k, buf, sizeof(buf));
			w = strlen(buf);
			if (w > width[k])
				width[k] = w;
			if (strcmp(buf, "-"))
				show[k] = true;
		}
	}
	for (k = 0; k < NR_COLUMNS; k++)
		if (show[k])
			printf(k == 0	? "%-*s"
			       : k == 2 ? " %-*s"
					: " %*s",
			       (int)width[k], columns[k]);
	putchar('\n');
	for (i = 0; i < s->nsrows; i++) {
		for (k = 0; k < NR_COLUMNS; k++) {
			if (!show[k])
				continue;
			cell(&s->srows[i], k, buf, sizeof(buf));
			printf(k == 0 ? "%-*s" : k == 2 ? " %-*s" : " %*s", (int)width[k], buf);
		}
		putchar('\n');
	}
	printf("\n%zu processes\n", s->nsrows - 1);
	if (pt_ttbr1(s))
		printf("'-': with kernel_table ttbr1 a process's pgd holds no kernel-half entries:"
		       " there is nothing\nper process to classify. Every process uses the"
		       " master's %" PRId64 " kernel-half slots through\nTTBR1_EL1%s.\npt_pages"
		       " and user_slots are about the process's own tables, user space only.\n",
		       s->srows[0].v[PT_C_PRESENT],
		       s->hdr.has_user ? "; the master's u_present is the KPTI trampoline table's" :
					 "");
	if (s->summary_errors)
		printf("INCOMPLETE: the module could not read %u more process(es)\n",
		       s->summary_errors);
}

static void json_row(const char *key, const struct pt_srow *r)
{
	unsigned int k;

	jw_obj(key);
	if (!r->master) {
		jw_i64("tgid", r->tgid);
		jw_str("comm", r->comm);
		jw_u64("threads", r->threads);
	}
	for (k = 4; k < NR_COLUMNS; k++) {
		if (r->v[k - 4] < 0)
			jw_null(columns[k]);
		else
			jw_i64(columns[k], r->v[k - 4]);
	}
	jw_obj_end();
}

static void summary_json(const struct pt_snapshot *s)
{
	size_t i;

	jw_begin_doc("summary");
	pt_json_source(s);
	jw_bool("complete", !s->summary_errors);
	jw_u64("unreadable_rows", s->summary_errors);
	json_row("master", &s->srows[0]);
	jw_arr("processes");
	for (i = 1; i < s->nsrows; i++)
		json_row(NULL, &s->srows[i]);
	jw_arr_end();
	jw_end_doc();
}

int pt_summary_render(const struct pt_snapshot *s)
{
	if (!s->has_summary) {
		pt_error(s->name, 0, "has no summary");
		return -1;
	}
	if (pt_json)
		summary_json(s);
	else
		summary_text(s);
	return s->summary_errors ? PT_EXIT_FAIL : 0;	/* shown, marked incomplete */
}

static const char summary_help[] =
	"usage: ptshare summary [--json] [SNAPSHOT]\n"
	"\n"
	"The per-process table: for each mm, how many kernel-half top-level slots\n"
	"it has and their classes against the master (SHARED SAME COPY DIFF\n"
	"MISSING EXTRA), the same for the PTI user-mode copy (u_*), its page-table\n"
	"pages, its private kernel-half table pages and (format 1.1) user_slots, the\n"
	"present top-level slots of its user half. Columns that are '-' in every\n"
	"row are left out. With kernel_table ttbr1 (arm64) a process's pgd has no\n"
	"kernel half: its class counts are '-', never 0.\n"
	"\n"
	"SNAPSHOT is a file written by 'ptshare snapshot' or a copy of the module's\n"
	"summary file; without it the live %s/summary is read.\n"
	"\n"
	"  --json    one JSON document (doc/JSON.md)\n"
	"  --help    this text\n";

static void summary_print_help(void)
{
	printf(summary_help, pt_debugfs_dir());
}

int cmd_summary(int argc, char **argv)
{
	static const struct pt_request rq = { .summary = true };

	return pt_run_simple(argc, argv, summary_print_help, &rq, pt_summary_render);
}

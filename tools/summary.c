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
#include "commands.h"
#include "views.h"

/* The summary file's columns; those that are "-" in every row are left out of the text. */
static const char *const counts[] = {
	"present", "shared", "same", "copy", "diff", "missing", "extra", "u_present", "u_shared",
	"u_same", "u_copy", "u_diff", "u_missing", "u_extra", "pt_pages", "kpriv_pages",
	"user_slots",
};
#define NR_COUNTS (sizeof(counts) / sizeof(counts[0]))
#define C_FIRST 4	/* kind, tgid, comm, threads */

/*
 * One row: the master's is the JSON object "master", without tgid, comm and
 * threads (text cells only); a process's an element of "processes".
 */
static void summary_row(struct pr_col *col, const struct pt_srow *r)
{
	char b[32];
	size_t k;

	pr_row(r->master ? "master" : NULL);
	pr_cell_text(&col[0], r->master ? "master" : "mm");
	if (r->master) {
		snprintf(b, sizeof(b), "%" PRId64, r->tgid);
		pr_cell_text(&col[1], b);
		pr_cell_text(&col[2], r->comm);
		snprintf(b, sizeof(b), "%" PRIu64, r->threads);
		pr_cell_text(&col[3], b);
	} else {
		pr_cell_i64(&col[1], r->tgid);
		pr_cell_str(&col[2], r->comm);
		pr_cell_i64(&col[3], r->threads);
	}
	for (k = 0; k < NR_COUNTS; k++)
		pr_cell_count(&col[C_FIRST + k], r->v[k]);
	pr_row_end();
}

static void summary_rows(const struct pt_snapshot *s, struct pr_col *col)
{
	size_t i;

	summary_row(col, &s->srows[0]);
	pr_arr("processes");
	for (i = 1; i < s->nsrows; i++)
		summary_row(col, &s->srows[i]);
	pr_arr_end();
}

static void summary_view(const struct pt_snapshot *s)
{
	struct pr_col col[C_FIRST + NR_COUNTS] = {
		{ .head = "kind", .flags = PR_LEFT },
		{ .key = "tgid", .head = "tgid" },
		{ .key = "comm", .head = "comm", .flags = PR_LEFT },
		{ .key = "threads", .head = "threads" },
	};
	size_t k;

	for (k = 0; k < NR_COUNTS; k++) {
		col[C_FIRST + k].key = counts[k];
		col[C_FIRST + k].head = counts[k];
		/*
		 * Left out when "-" in every row: the master's class counts, u_*
		 * without PTI, user_slots in 1.0, and with kernel_table ttbr1
		 * every process count but pt_pages and user_slots.
		 */
		col[C_FIRST + k].flags = k ? PR_AUTO : 0;
	}
	if (pt_json)
		jw_begin_doc("summary");
	pt_source(s);
	pj_bool("complete", !s->summary_errors);
	pj_u64("unreadable_rows", s->summary_errors);
	pr_text("\n");
	pr_table(col, C_FIRST + NR_COUNTS, NULL);
	if (!pt_json) {	/* the widths */
		pr_measure(true);
		summary_rows(s, col);
		pr_measure(false);
	}
	pr_table_head();
	summary_rows(s, col);
	pr_text("\n%zu processes\n", s->nsrows - 1);
	if (pt_ttbr1(s))
		pr_text("'-': with kernel_table ttbr1 a process's pgd holds no kernel-half entries:"
			" there is nothing\nper process to classify. Every process uses the"
			" master's %" PRId64 " kernel-half slots through\nTTBR1_EL1%s.\npt_pages"
			" and user_slots are about the process's own tables, user space only.\n",
			s->srows[0].v[PT_C_PRESENT],
			s->hdr.has_user ? "; the master's u_present is the KPTI trampoline table's" :
					  "");
	if (s->summary_errors)
		pr_text("INCOMPLETE: the module could not read %u more process(es)\n",
			s->summary_errors);
	if (pt_json)
		jw_end_doc();
}

int pt_summary_render(const struct pt_snapshot *s)
{
	if (!s->has_summary) {
		pt_error(s->name, 0, "has no summary");
		return -1;
	}
	summary_view(s);
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

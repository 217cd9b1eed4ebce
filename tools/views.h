/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/ptshare: what the views (one file per command) share: exit
 * statuses, option and source helpers, the cost figures. The commands
 * themselves are in commands.h.
 */
#ifndef PTSHARE_VIEWS_H
#define PTSHARE_VIEWS_H

#include <getopt.h>
#include <stdio.h>

#include "model.h"
#include "out.h"
#include "source.h"

/* Exit statuses: diff(1)-like for diff; others 0 ok, 1 bad input/failure, 2 usage. */
#define PT_EXIT_OK	0
#define PT_EXIT_FAIL	1
#define PT_EXIT_USAGE	2

/* common.c */
#define PT_OPT_JSON	0x100
#define PT_OPT_HELP	'h'
int pt_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pt_run_simple(int argc, char **argv, void (*help)(void), const struct pt_request *rq,
		  int (*render)(const struct pt_snapshot *s));
void pt_source(const struct pt_snapshot *s);
void pr_place(const struct pt_snapshot *s, unsigned int place, const char *fmt);
void pr_cell_place(struct pr_col *c, const struct pt_snapshot *s, unsigned int place);
void pr_side(const char *who, unsigned int kind, uint64_t raw, uint64_t pa, bool flat);
void pt_ktable(const struct pt_snapshot *s, const char *indent);
int pt_parse_pid(const char *arg, int64_t *pid);
bool pt_task_complete(const struct pt_task *t);


/* cost.c: the figures html shows too */
struct pt_cost_row {
	const struct pt_srow *row;
	uint64_t pt_bytes, kcopy_bytes, kpriv_bytes, shared_bytes;
	uint64_t shared_slots, present_slots;
	bool shared_exact;
};

/*
 * With kernel_table ttbr1 (@ttbr1) a process's tables hold no kernel half:
 * only pt_bytes of a row and of the totals mean anything, the kernel-half
 * figures are not zero but not applicable (null in JSON).
 */
struct pt_cost {
	struct pt_cost_row *rows;
	size_t nrows;
	bool ttbr1;
	uint64_t entry_bytes, pgd_pages, master_pgd_pages, master_table_bytes, master_pt_bytes;
	uint64_t total_pt_bytes, total_kcopy_bytes, total_kpriv_bytes, total_shared_bytes;
	uint64_t unshared_bytes; /* if every process had its own copy of the master's tables */
};

int pt_cost_compute(const struct pt_snapshot *s, struct pt_cost *c);
void pt_cost_free(struct pt_cost *c);
void pt_cost_emit(const struct pt_cost *c, const struct pt_snapshot *s);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/ptshare: the commands (ptshare.c dispatches to cmd_*) and the
 * renderers behind them, which the fuzz target (tests/fuzz_parse.c) calls
 * on parsed snapshots.
 */
#ifndef PTSHARE_COMMANDS_H
#define PTSHARE_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

int cmd_snapshot(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_cost(int argc, char **argv);
int cmd_html(int argc, char **argv);

/* The renderers behind the commands (text, or JSON with pt_json); the fuzz target calls them. */
int pt_summary_render(const struct pt_snapshot *s);
int pt_cost_render(const struct pt_snapshot *s);
int pt_show_render(const struct pt_snapshot *s, int64_t task, const char *region, int level);
/* @uslots: list user-half slot changes and count them as differences (--user-slots) */
int pt_diff_render_snapshots(const struct pt_snapshot *a, const struct pt_snapshot *b,
			     bool uslots);
int pt_diff_render_tasks(const struct pt_snapshot *s, int64_t p, int64_t q,
			 bool uslots);	/* q 0: master */
int pt_html_render(const struct pt_snapshot *s);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare: what the commands share: usage errors, the "source"
 * description of a report in text and JSON, pid arguments.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "views.h"

int pt_usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pt_fail("%s (try 'ptshare %s --help')", msg, pt_command);
	return pt_finish_error(PT_EXIT_USAGE);
}

/*
 * The commands that take only [--json] [SNAPSHOT] (summary, cost, html):
 * parse that, load what @rq asks for, render, and turn failures into the
 * exit status. @help prints the command's --help text.
 */
int pt_run_simple(int argc, char **argv, void (*help)(void), const struct pt_request *rq,
		  int (*render)(const struct pt_snapshot *s))
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, PT_OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct pt_request req = *rq;
	struct pt_snapshot s;
	const char *path = NULL;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			help();
			return 0;
		case PT_OPT_JSON:
			pt_json = true;
			break;
		default:
			return pt_usage_error("bad option");
		}
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc)
		return pt_usage_error("unexpected argument '%s'", argv[optind]);
	ret = pt_load(&s, path, &req);
	if (!ret)
		ret = render(&s);
	pt_snapshot_free(&s);
	return ret < 0 ? pt_finish_error(PT_EXIT_FAIL) : ret;
}

int pt_parse_pid(const char *arg, int64_t *pid)
{
	uint64_t v;

	if (arg[0] == '0' && arg[1] == 'x')
		return -1;
	if (pt_parse_u64(arg, &v) || v == 0 || v >= 4194304)
		return -1;
	*pid = v;
	return 0;
}

bool pt_task_complete(const struct pt_task *t)
{
	return t->state == PT_T_OK && t->end == PT_TE_OK && !t->errors;
}

/* "regions": the names of the regions of @place as an array ([]: none). */
static void pj_regions(const struct pt_snapshot *s, unsigned int place)
{
	size_t i;

	pr_arr("regions");
	for (i = 0; pt_json && place < s->nplaces && i < s->places[place].n; i++)
		jw_str(NULL, s->hdr.regions[s->places[place].r[i]].name);
	pr_arr_end();
}

/*
 * The regions of @place: "region", their names joined by ',' (null: none;
 * text: with @fmt, "-" for none), and "regions", the array (JSON only).
 */
void pr_place(const struct pt_snapshot *s, unsigned int place, const char *fmt)
{
	const char *name = place < s->nplaces ? s->places[place].name : NULL;

	if (fmt)
		pr_str_("region", fmt, name);
	else
		pj_str("region", name);
	pj_regions(s, place);
}

/* The same as a table cell of column @c. */
void pr_cell_place(struct pr_col *c, const struct pt_snapshot *s, unsigned int place)
{
	pr_cell_str(c, place < s->nplaces ? s->places[place].name : NULL);
	pj_regions(s, place);
}

/*
 * One side of an entry (the process's or the master's): the text
 * " WHO none", " WHO bad RAW" or " WHO KIND RAW pa PA"; in JSON the object
 * @who {kind, raw, pa} (pa null unless a table or leaf) or, @flat, the
 * members WHO_kind, WHO_raw and WHO_pa (pa always; diff's form).
 */
void pr_side(const char *who, unsigned int kind, uint64_t raw, uint64_t pa, bool flat)
{
	char k[3][32];

	snprintf(k[0], sizeof(k[0]), "%s%s", flat ? who : "", flat ? "_kind" : "kind");
	snprintf(k[1], sizeof(k[1]), "%s%s", flat ? who : "", flat ? "_raw" : "raw");
	snprintf(k[2], sizeof(k[2]), "%s%s", flat ? who : "", flat ? "_pa" : "pa");
	if (!flat)
		pr_obj(who);
	pr_text(" %s", who);
	pr_str(k[0], " %s", pt_kind_name(kind));
	if (kind == PT_K_NONE)
		pj_hex(k[1], raw);
	else
		pr_hex(k[1], " 0x%" PRIx64, raw);
	if (kind == PT_K_TABLE || kind == PT_K_LEAF)
		pr_hex(k[2], " pa 0x%" PRIx64, pa);
	else if (flat)
		pj_hex(k[2], pa);
	else
		pj_null(k[2]);
	if (!flat)
		pr_obj_end();
}

/*
 * The source object of a JSON document, or the lines that head a text view:
 * the snapshot, kernel, master pgd and kernel half (the rest is JSON only).
 */
void pt_source(const struct pt_snapshot *s)
{
	const struct pt_header *h = &s->hdr;
	char v[32];
	size_t i;

	pr_obj("source");
	if (s->is_snapshot) {
		pr_str("file", "snapshot %s", s->name);
		pr_str("created", "  created %s\n", s->created);
	} else {
		pj_str("file", strcmp(s->name, "live") ? s->name : NULL);
		pj_str("created", s->created);
	}
	pj_bool("snapshot", s->is_snapshot);
	pr_str("kernel", "kernel %s", h->kernel);
	pr_str("arch", "  arch %s", h->arch);
	snprintf(v, sizeof(v), "%d.%d", h->major, h->minor);
	pj_str("format", v);
	pj_str("selection", s->is_snapshot ? s->selection : s->dump_selection);
	pj_u64("page_size", h->page_size);
	pr_u64("levels", "  levels %" PRIu64, h->levels);
	pr_str("isolation", "  isolation %s", h->isolation);
	pj_bool("isolation_on", h->isolation_on);
	pr_text(" %s\n", h->isolation_on ? "on" : "off");
	pr_arr("level");
	for (i = 0; pt_json && i < PT_NR_LEVELS; i++) {
		pr_obj(NULL);
		pj_str("name", h->level[i].name);
		pj_u64("shift", h->level[i].shift);
		pj_u64("entries", h->level[i].entries);
		pj_bool("folded", h->level[i].folded);
		pr_obj_end();
	}
	pr_arr_end();
	pr_hex("master_pgd_va", "master pgd 0x%" PRIx64, h->master_va);
	pr_hex("master_pgd_pa", " 0x%" PRIx64, h->master_pa);
	pr_str("master_pgd_source", " %s\n", h->master_source);
	pr_hex("kernel_half_first", "kernel half 0x%" PRIx64, h->khalf_first);
	pr_hex("kernel_half_last", " 0x%" PRIx64, h->khalf_last);
	pr_u64("kernel_slot_first", " (top-level slots %" PRIu64, h->slot_first);
	pr_u64("kernel_slot_last", " %" PRIu64 ")\n", h->slot_last);
	if (h->has_user) {
		pj_hex("master_user_pgd_va", h->muser_va);
		pj_hex("master_user_pgd_pa", h->muser_pa);
	} else {
		pj_null("master_user_pgd_va");
		pj_null("master_user_pgd_pa");
	}
	pj_str("master_lock", h->master_lock);
	pt_ktable(s, "");
	pr_arr("regions");
	for (i = 0; pt_json && i < h->nregions; i++) {
		pr_obj(NULL);
		pj_str("name", h->regions[i].name);
		pj_hex("start", h->regions[i].start);
		pj_hex("last", h->regions[i].last);
		pr_obj_end();
	}
	pr_arr_end();
	pr_obj_end();
}

/*
 * The kernel_table object; in the text, with kernel_table ttbr1, what that
 * means in words: every view says it before it shows (or leaves out)
 * per-process figures. @indent begins each line.
 */
void pt_ktable(const struct pt_snapshot *s, const char *indent)
{
	const struct pt_header *h = &s->hdr;
	bool ttbr1 = h->ktable == PT_KT_TTBR1;

	pr_obj("kernel_table");
	pj_str("kind", pt_ktable_name(h->ktable));
	if (!ttbr1) {
		pj_null("pa");
		pj_null("is_master");
		pr_obj_end();
		return;
	}
	pr_text("%skernel table ttbr1: the kernel half is shared by a hardware register:"
		" TTBR1_EL1 points\n%severy process at one table, ", indent, indent);
	pr_hex("pa", "pa 0x%" PRIx64 ", ", h->ktable_pa);
	pj_bool("is_master", h->ktable_pa == h->master_pa);
	if (h->ktable_pa == h->master_pa)
		pr_text("the master pgd (found through %s, validated);\n", h->master_source);
	else
		pr_text("NOT the master pgd at pa 0x%" PRIx64 " (found through %s)!\n",
			h->master_pa, h->master_source);
	pr_text("%sa process's own pgd (TTBR0_EL1) holds only user space: no kernel-half"
		" entries to compare\n", indent);
	if (h->has_user)
		pr_text("%s(while user space runs TTBR1_EL1 holds the KPTI trampoline table,"
			" pa 0x%" PRIx64 ")\n", indent, h->muser_pa);
	pr_obj_end();
}

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

/*
 * "region": the names of the regions of @place joined by ',' (null: none),
 * "regions": them as an array ([]: none).
 */
void pt_json_place(const struct pt_snapshot *s, unsigned int place)
{
	size_t i;

	jw_str("region", place < s->nplaces ? s->places[place].name : NULL);
	jw_arr("regions");
	for (i = 0; place < s->nplaces && i < s->places[place].n; i++)
		jw_str(NULL, s->hdr.regions[s->places[place].r[i]].name);
	jw_arr_end();
}

void pt_json_source(const struct pt_snapshot *s)
{
	const struct pt_header *h = &s->hdr;
	size_t i;

	jw_obj("source");
	if (s->is_snapshot)
		jw_str("file", s->name);
	else if (!strcmp(s->name, "live"))
		jw_null("file");
	else
		jw_str("file", s->name);
	jw_bool("snapshot", s->is_snapshot);
	jw_str("created", s->created);
	jw_str("kernel", h->kernel);
	jw_str("arch", h->arch);
	{
		char v[32];

		snprintf(v, sizeof(v), "%d.%d", h->major, h->minor);
		jw_str("format", v);
	}
	jw_str("selection", s->is_snapshot ? s->selection : s->dump_selection);
	jw_u64("page_size", h->page_size);
	jw_u64("levels", h->levels);
	jw_arr("level");
	for (i = 0; i < PT_NR_LEVELS; i++) {
		jw_obj(NULL);
		jw_str("name", h->level[i].name);
		jw_u64("shift", h->level[i].shift);
		jw_u64("entries", h->level[i].entries);
		jw_bool("folded", h->level[i].folded);
		jw_obj_end();
	}
	jw_arr_end();
	jw_hex("kernel_half_first", h->khalf_first);
	jw_hex("kernel_half_last", h->khalf_last);
	jw_u64("kernel_slot_first", h->slot_first);
	jw_u64("kernel_slot_last", h->slot_last);
	jw_hex("master_pgd_va", h->master_va);
	jw_hex("master_pgd_pa", h->master_pa);
	jw_str("master_pgd_source", h->master_source);
	if (h->has_user) {
		jw_hex("master_user_pgd_va", h->muser_va);
		jw_hex("master_user_pgd_pa", h->muser_pa);
	} else {
		jw_null("master_user_pgd_va");
		jw_null("master_user_pgd_pa");
	}
	jw_str("master_lock", h->master_lock);
	jw_str("isolation", h->isolation);
	jw_bool("isolation_on", h->isolation_on);
	jw_obj("kernel_table");
	jw_str("kind", pt_ktable_name(h->ktable));
	if (h->ktable == PT_KT_TTBR1) {
		jw_hex("pa", h->ktable_pa);
		jw_bool("is_master", h->ktable_pa == h->master_pa);
	} else {
		jw_null("pa");
		jw_null("is_master");
	}
	jw_obj_end();
	jw_arr("regions");
	for (i = 0; i < h->nregions; i++) {
		jw_obj(NULL);
		jw_str("name", h->regions[i].name);
		jw_hex("start", h->regions[i].start);
		jw_hex("last", h->regions[i].last);
		jw_obj_end();
	}
	jw_arr_end();
	jw_obj_end();
}

void pt_text_source(const struct pt_snapshot *s)
{
	const struct pt_header *h = &s->hdr;

	if (s->is_snapshot)
		printf("snapshot %s  created %s\n", s->name, s->created ? s->created : "?");
	printf("kernel %s  arch %s  levels %u  isolation %s %s\n", h->kernel, h->arch, h->levels,
	       h->isolation, h->isolation_on ? "on" : "off");
	printf("master pgd 0x%" PRIx64 " 0x%" PRIx64 " %s\n", h->master_va, h->master_pa,
	       h->master_source);
	printf("kernel half 0x%" PRIx64 " 0x%" PRIx64 " (top-level slots %" PRIu64 " %" PRIu64
	       ")\n",
	       h->khalf_first, h->khalf_last, h->slot_first, h->slot_last);
	pt_text_ktable(s, "");
}

/*
 * With kernel_table ttbr1, what that means, in words: every view says it
 * before it shows (or leaves out) per-process figures. @indent begins each line.
 */
void pt_text_ktable(const struct pt_snapshot *s, const char *indent)
{
	const struct pt_header *h = &s->hdr;

	if (h->ktable != PT_KT_TTBR1)
		return;
	printf("%skernel table ttbr1: the kernel half is shared by a hardware register:"
	       " TTBR1_EL1 points\n%severy process at one table, pa 0x%" PRIx64 ", ", indent,
	       indent, h->ktable_pa);
	if (h->ktable_pa == h->master_pa)
		printf("the master pgd (found through %s, validated);\n", h->master_source);
	else
		printf("NOT the master pgd at pa 0x%" PRIx64 " (found through %s)!\n",
		       h->master_pa, h->master_source);
	printf("%sa process's own pgd (TTBR0_EL1) holds only user space: no kernel-half"
	       " entries to compare\n", indent);
	if (h->has_user)
		printf("%s(while user space runs TTBR1_EL1 holds the KPTI trampoline table,"
		       " pa 0x%" PRIx64 ")\n", indent, h->muser_pa);
}

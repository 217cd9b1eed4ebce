// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare cost: page-table memory, from the summary. Per process its
 * page-table pages and bytes; the bytes of its top-level table(s) that hold
 * copies of the master's kernel-half entries; its private kernel-half table
 * pages; and the master tables it reaches through SHARED slots instead of
 * owning copies. Then the totals: is copying the kernel's entries into every
 * process a waste of memory?
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "views.h"

/* sizeof(pgd_t): 8 on x86-64, arm64 and 32-bit ARM (a pair of 4-byte entries). */
#define PT_PGD_ENTRY_BYTES	8

int pt_cost_compute(const struct pt_snapshot *s, struct pt_cost *c)
{
	const struct pt_header *h = &s->hdr;
	const struct pt_srow *m = &s->srows[0];
	uint64_t slots = h->slot_last - h->slot_first + 1, pgd_bytes, mpresent;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->rows = calloc(s->nsrows ? s->nsrows : 1, sizeof(*c->rows));
	if (!c->rows)
		return -1;
	c->ttbr1 = h->ktable == PT_KT_TTBR1;
	c->entry_bytes = PT_PGD_ENTRY_BYTES;
	pgd_bytes = (uint64_t)h->level[0].entries * PT_PGD_ENTRY_BYTES;
	c->pgd_pages = (pgd_bytes + h->page_size - 1) / h->page_size;
	/* the master's user-mode copy (KPTI's trampoline table on arm64) */
	c->master_pgd_pages = c->pgd_pages * (h->has_user ? 2 : 1);
	/* PTI gives each process a user-mode copy too; arm64's KPTI does not */
	if (h->has_user && !c->ttbr1)
		c->pgd_pages *= 2;
	c->master_pt_bytes = m->v[PT_C_PT_PAGES] * h->page_size;
	if ((uint64_t)m->v[PT_C_PT_PAGES] > c->master_pgd_pages)
		c->master_table_bytes = (m->v[PT_C_PT_PAGES] - c->master_pgd_pages) *
					h->page_size;
	/*
	 * The master's lower tables hang off its table slots (leaf slots, such as
	 * 32-bit ARM's section maps, have none): with the master's walk at hand
	 * the shared part is estimated per table slot, else per present slot.
	 */
	mpresent = m->v[PT_C_PRESENT] + (m->v[PT_C_U_PRESENT] > 0 ? m->v[PT_C_U_PRESENT] : 0);
	if (s->has_master) {
		mpresent = 0;
		for (i = 0; i < s->nmslots; i++)
			mpresent += s->mslots[i].kind == PT_K_TABLE;
	}
	for (i = 1; i < s->nsrows; i++) {
		const struct pt_srow *r = &s->srows[i];
		struct pt_cost_row *cr = &c->rows[c->nrows++];
		bool user = r->v[PT_C_U_PRESENT] >= 0;

		cr->row = r;
		cr->pt_bytes = r->v[PT_C_PT_PAGES] * h->page_size;
		c->total_pt_bytes += cr->pt_bytes;
		if (c->ttbr1)
			continue;	/* no kernel half in the process's tables */
		cr->kcopy_bytes = slots * PT_PGD_ENTRY_BYTES * (user ? 2 : 1);
		cr->kpriv_bytes = (r->v[PT_C_KPRIV] > 0 ? r->v[PT_C_KPRIV] : 0) * h->page_size;
		cr->present_slots = r->v[PT_C_PRESENT] + (user ? r->v[PT_C_U_PRESENT] : 0);
		cr->shared_slots = r->v[PT_C_SHARED] + (user ? r->v[PT_C_U_SHARED] : 0);
		cr->shared_exact = cr->shared_slots == mpresent || !c->master_table_bytes;
		cr->shared_bytes = mpresent ? (uint64_t)((double)c->master_table_bytes *
							 cr->shared_slots / mpresent) : 0;
		if (cr->shared_bytes > c->master_table_bytes)
			cr->shared_bytes = c->master_table_bytes;
		c->total_kcopy_bytes += cr->kcopy_bytes;
		c->total_kpriv_bytes += cr->kpriv_bytes;
		c->total_shared_bytes += cr->shared_bytes;
	}
	c->unshared_bytes = c->total_shared_bytes;
	return 0;
}

void pt_cost_free(struct pt_cost *c)
{
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

static double pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * a / b : 0;
}

/* kernel_table ttbr1: a process pays nothing for the kernel half, by construction. */
static void cost_text_ttbr1(const struct pt_snapshot *s, const struct pt_cost *c)
{
	char b1[32], b2[32];
	int cw = 4;
	size_t i;

	pt_text_source(s);
	printf("\npage size %" PRIu64 ", top-level entry %" PRIu64 " bytes, pgd (TTBR0) %" PRIu64
	       " page(s) per process, for user space only\n", s->hdr.page_size, c->entry_bytes,
	       c->pgd_pages);
	printf("master: %" PRId64 " table pages (%s): its pgd%s and %s of tables below, the"
	       " whole kernel half, once for every process\n\n",
	       s->srows[0].v[PT_C_PT_PAGES], pt_human(c->master_pt_bytes, b1, sizeof(b1)),
	       s->hdr.has_user ? ", the KPTI trampoline table" : "",
	       pt_human(c->master_table_bytes, b2, sizeof(b2)));
	for (i = 0; i < c->nrows; i++) {
		int w = strlen(c->rows[i].row->comm);

		if (w > cw)
			cw = w;
	}
	printf("%7s %-*s %8s %10s %10s\n", "tgid", cw, "comm", "pt_pages", "pt_bytes",
	       "user_slots");
	for (i = 0; i < c->nrows; i++) {
		const struct pt_cost_row *r = &c->rows[i];
		int64_t us = r->row->v[PT_C_USER_SLOTS];

		printf("%7" PRId64 " %-*s %8" PRId64 " %10s ", r->row->tgid, cw, r->row->comm,
		       r->row->v[PT_C_PT_PAGES], pt_human(r->pt_bytes, b1, sizeof(b1)));
		if (us < 0)
			printf("%10s\n", "-");
		else
			printf("%10" PRId64 "\n", us);
	}
	printf("\n%zu processes: page tables %s, all of them for user space: no copied kernel"
	       " entries, no private kernel tables\n", c->nrows,
	       pt_human(c->total_pt_bytes, b1, sizeof(b1)));
	printf("answer: per process, none by construction: the kernel half is not in a"
	       " process's tables;\nTTBR1_EL1 gives every process the master's %s of"
	       " kernel tables, paid once\n", pt_human(c->master_pt_bytes, b2, sizeof(b2)));
}

static void cost_text(const struct pt_snapshot *s, const struct pt_cost *c)
{
	char b1[32], b2[32], b3[32], b4[32], b5[32];
	int cw = 4;
	size_t i;

	pt_text_source(s);
	printf("\npage size %" PRIu64 ", top-level entry %" PRIu64 " bytes, %" PRIu64
	       " kernel-half slots, pgd %" PRIu64 " page(s) per process\n",
	       s->hdr.page_size, c->entry_bytes, s->hdr.slot_last - s->hdr.slot_first + 1,
	       c->pgd_pages);
	printf("master: %" PRId64 " table pages (%s), of which %s below its kernel-half slots\n\n",
	       s->srows[0].v[PT_C_PT_PAGES], pt_human(c->master_pt_bytes, b1, sizeof(b1)),
	       pt_human(c->master_table_bytes, b2, sizeof(b2)));
	for (i = 0; i < c->nrows; i++) {
		int w = strlen(c->rows[i].row->comm);

		if (w > cw)
			cw = w;
	}
	printf("%7s %-*s %8s %10s %12s %12s %10s %13s\n", "tgid", cw, "comm", "pt_pages",
	       "pt_bytes", "kernel_copy", "kernel_priv", "private%", "shared_tables");
	for (i = 0; i < c->nrows; i++) {
		const struct pt_cost_row *r = &c->rows[i];

		printf("%7" PRId64 " %-*s %8" PRId64 " %10s %12s %12s %9.1f%% %12s%s\n",
		       r->row->tgid, cw, r->row->comm, r->row->v[PT_C_PT_PAGES],
		       pt_human(r->pt_bytes, b1, sizeof(b1)),
		       pt_human(r->kcopy_bytes, b2, sizeof(b2)),
		       pt_human(r->kpriv_bytes, b3, sizeof(b3)),
		       pct(r->kcopy_bytes + r->kpriv_bytes, r->pt_bytes),
		       pt_human(r->shared_bytes, b4, sizeof(b4)), r->shared_exact ? " " : "~");
	}
	printf("\n%zu processes: page tables %s; kernel-half entries copied into their pgds %s"
	       " (%.1f%%); private kernel-half tables %s (%.1f%%)\n",
	       c->nrows, pt_human(c->total_pt_bytes, b1, sizeof(b1)),
	       pt_human(c->total_kcopy_bytes, b2, sizeof(b2)),
	       pct(c->total_kcopy_bytes, c->total_pt_bytes),
	       pt_human(c->total_kpriv_bytes, b3, sizeof(b3)),
	       pct(c->total_kpriv_bytes, c->total_pt_bytes));
	printf("shared: the master's %s of kernel tables serve every process; private copies of"
	       " them would cost %s more\n",
	       pt_human(c->master_table_bytes, b4, sizeof(b4)),
	       pt_human(c->unshared_bytes, b5, sizeof(b5)));
	printf("answer: per process, %s of copied top-level kernel entries and %s of private"
	       " kernel tables (%.1f%% of all page-table memory here); copies of the shared"
	       " master tables would add %s each\n",
	       pt_human(c->nrows ? c->total_kcopy_bytes / c->nrows : 0, b1, sizeof(b1)),
	       pt_human(c->nrows ? c->total_kpriv_bytes / c->nrows : 0, b2, sizeof(b2)),
	       pct(c->total_kcopy_bytes + c->total_kpriv_bytes, c->total_pt_bytes),
	       pt_human(c->nrows ? c->total_shared_bytes / c->nrows : 0, b3, sizeof(b3)));
	if (c->nrows && !c->rows[0].shared_exact)
		printf("(~: estimated in proportion to the master's table slots it shares)\n");
}

void pt_cost_json(const struct pt_cost *c, const struct pt_snapshot *s)
{
	size_t i;

	jw_obj("cost");
	/* "ttbr1": the kernel-half figures below are null, not zero */
	jw_str("kernel_table", pt_ktable_name(s->hdr.ktable));
	jw_u64("page_size", s->hdr.page_size);
	jw_u64("entry_bytes", c->entry_bytes);
	jw_u64("pgd_pages", c->pgd_pages);
	jw_u64("master_pgd_pages", c->master_pgd_pages);
	jw_u64("master_pt_bytes", c->master_pt_bytes);
	jw_u64("master_table_bytes", c->master_table_bytes);
	/* format 1.2: the master's pt_pages and kpriv_pages count each page once */
	jw_bool("pages_distinct", s->hdr.minor >= 2);
	jw_arr("processes");
	for (i = 0; i < c->nrows; i++) {
		const struct pt_cost_row *r = &c->rows[i];

		jw_obj(NULL);
		jw_i64("tgid", r->row->tgid);
		jw_str("comm", r->row->comm);
		jw_i64("pt_pages", r->row->v[PT_C_PT_PAGES]);
		jw_u64("pt_bytes", r->pt_bytes);
		if (r->row->v[PT_C_USER_SLOTS] >= 0)
			jw_i64("user_slots", r->row->v[PT_C_USER_SLOTS]);
		else
			jw_null("user_slots");
		if (c->ttbr1) {
			jw_null("kernel_copy_bytes");
			jw_null("kernel_private_bytes");
			jw_null("present_slots");
			jw_null("shared_slots");
			jw_null("shared_table_bytes");
			jw_null("shared_exact");
		} else {
			jw_u64("kernel_copy_bytes", r->kcopy_bytes);
			jw_u64("kernel_private_bytes", r->kpriv_bytes);
			jw_u64("present_slots", r->present_slots);
			jw_u64("shared_slots", r->shared_slots);
			jw_u64("shared_table_bytes", r->shared_bytes);
			jw_bool("shared_exact", r->shared_exact);
		}
		jw_obj_end();
	}
	jw_arr_end();
	jw_obj("total");
	jw_bool("complete", !s->summary_errors);
	jw_u64("processes", c->nrows);
	jw_u64("pt_bytes", c->total_pt_bytes);
	if (c->ttbr1) {
		jw_null("kernel_copy_bytes");
		jw_null("kernel_private_bytes");
		jw_null("shared_table_bytes");
		jw_null("private_percent");
	} else {
		jw_u64("kernel_copy_bytes", c->total_kcopy_bytes);
		jw_u64("kernel_private_bytes", c->total_kpriv_bytes);
		jw_u64("shared_table_bytes", c->total_shared_bytes);
		jw_double("private_percent", pct(c->total_kcopy_bytes + c->total_kpriv_bytes,
						 c->total_pt_bytes));
	}
	jw_obj_end();
	jw_obj_end();
}

int pt_cost_render(const struct pt_snapshot *s)
{
	struct pt_cost c;

	if (!s->has_summary) {
		pt_error(s->name, 0, "has no summary");
		return -1;
	}
	if (pt_cost_compute(s, &c)) {
		pt_fail("out of memory");
		return -1;
	}
	if (pt_json) {
		jw_begin_doc("cost");
		pt_json_source(s);
		pt_cost_json(&c, s);
		jw_end_doc();
	} else {
		if (c.ttbr1)
			cost_text_ttbr1(s, &c);
		else
			cost_text(s, &c);
		if (s->hdr.minor < 2)
			printf("(format %d.%d: the master's pt_pages and kpriv_pages count a table"
			       " page once per entry pointing to it,\n so a table several entries"
			       " share, as espfix's on x86-64, is counted more than once; 1.2"
			       " counts each page once)\n", s->hdr.major, s->hdr.minor);
		if (s->summary_errors)
			printf("INCOMPLETE: the module could not read %u process(es); they are not"
			       " counted\n", s->summary_errors);
	}
	pt_cost_free(&c);
	return s->summary_errors ? PT_EXIT_FAIL : 0;
}

static const char cost_help[] =
	"usage: ptshare cost [--json] [SNAPSHOT]\n"
	"\n"
	"Page-table memory per process, from the summary: table pages and bytes;\n"
	"kernel_copy, the bytes of its top-level table(s) that hold copies of the\n"
	"master's kernel-half entries (slots x 8 bytes, twice with PTI);\n"
	"kernel_priv, its private kernel-half table pages (kpriv_pages); private%,\n"
	"both as a share of its page-table bytes; shared_tables, the master's\n"
	"tables below the kernel half that it uses through SHARED slots instead of\n"
	"owning copies ('~': estimated in proportion to the master's table slots\n"
	"that it shares).\n"
	"Then the totals over the system.\n"
	"With kernel_table ttbr1 (arm64) a process's tables hold no kernel half: its\n"
	"cost for the kernel is none by construction, and only its page-table\n"
	"bytes, its user_slots and the master's tables are shown.\n"
	"\n"
	"  --json    one JSON document (doc/JSON.md)\n"
	"  --help    this text\n";

static void cost_print_help(void)
{
	fputs(cost_help, stdout);
}

int cmd_cost(int argc, char **argv)
{
	static const struct pt_request rq = { .summary = true };

	return pt_run_simple(argc, argv, cost_print_help, &rq, pt_cost_render);
}

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
#include "commands.h"
#include "views.h"

/*
 * sizeof(pgd_t): 8 on x86-64, arm64, riscv64, i386 with PAE and 32-bit ARM
 * (a pair of 4-byte entries); 4 on i386 without PAE.
 */
static uint64_t pt_pgd_entry_bytes(const struct pt_header *h)
{
	return strcmp(h->arch, "x86") ? 8 : 4;
}

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
	c->entry_bytes = pt_pgd_entry_bytes(h);
	pgd_bytes = (uint64_t)h->level[0].entries * c->entry_bytes;
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
		cr->kcopy_bytes = slots * c->entry_bytes * (user ? 2 : 1);
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

enum { K_TGID, K_COMM, K_PT_PAGES, K_PT_BYTES, K_USER_SLOTS, K_KCOPY, K_KPRIV, K_PRIVATE,
	K_SHARED, K_PRESENT_SLOTS, K_SHARED_SLOTS, K_EXACT, K_NR };

static void cost_rows(const struct pt_cost *c, struct pr_col *col)
{
	size_t i;

	pr_arr("processes");
	for (i = 0; i < c->nrows; i++) {
		const struct pt_cost_row *r = &c->rows[i];

		pr_row(NULL);
		pr_cell_i64(&col[K_TGID], r->row->tgid);
		pr_cell_str(&col[K_COMM], r->row->comm);
		pr_cell_i64(&col[K_PT_PAGES], r->row->v[PT_C_PT_PAGES]);
		pr_cell_size(&col[K_PT_BYTES], r->pt_bytes, NULL);
		pr_cell_count(&col[K_USER_SLOTS], r->row->v[PT_C_USER_SLOTS]);
		if (c->ttbr1) {
			/* no kernel half in the process's tables: not applicable, not 0 */
			pr_cell_null(&col[K_KCOPY]);
			pr_cell_null(&col[K_KPRIV]);
			pr_cell_null(&col[K_PRESENT_SLOTS]);
			pr_cell_null(&col[K_SHARED_SLOTS]);
			pr_cell_null(&col[K_SHARED]);
			pr_cell_null(&col[K_EXACT]);
		} else {
			pr_cell_size(&col[K_KCOPY], r->kcopy_bytes, NULL);
			pr_cell_size(&col[K_KPRIV], r->kpriv_bytes, NULL);
			pr_cell_pct(&col[K_PRIVATE], pct(r->kcopy_bytes + r->kpriv_bytes,
							 r->pt_bytes));
			pr_cell_size(&col[K_SHARED], r->shared_bytes, r->shared_exact ? " " : "~");
			pr_cell_i64(&col[K_PRESENT_SLOTS], r->present_slots);
			pr_cell_i64(&col[K_SHARED_SLOTS], r->shared_slots);
			pr_cell_bool(&col[K_EXACT], r->shared_exact);
		}
		pr_row_end();
	}
	pr_arr_end();
}

/*
 * The "cost" object (html's JSON has it too), or the text below the source
 * lines. With kernel_table ttbr1 a process pays nothing for the kernel half,
 * by construction: the text says so and the JSON has null kernel figures.
 */
void pt_cost_emit(const struct pt_cost *c, const struct pt_snapshot *s)
{
	const struct pt_header *h = &s->hdr;
	struct pr_col col[K_NR] = {
		[K_TGID] = { .key = "tgid", .head = "tgid", .min = 7 },
		[K_COMM] = { .key = "comm", .head = "comm", .flags = PR_LEFT },
		[K_PT_PAGES] = { .key = "pt_pages", .head = "pt_pages", .min = 8 },
		[K_PT_BYTES] = { .key = "pt_bytes", .head = "pt_bytes", .min = 10 },
		/* shown with ttbr1, where the kernel columns are not */
		[K_USER_SLOTS] = { .key = "user_slots", .head = c->ttbr1 ? "user_slots" : NULL,
				   .min = 10 },
		[K_KCOPY] = { .key = "kernel_copy_bytes", .head = "kernel_copy", .min = 12,
			      .flags = PR_AUTO },
		[K_KPRIV] = { .key = "kernel_private_bytes", .head = "kernel_priv", .min = 12,
			      .flags = PR_AUTO },
		[K_PRIVATE] = { .head = "private%", .min = 10, .flags = PR_AUTO },
		[K_SHARED] = { .key = "shared_table_bytes", .head = "shared_tables", .min = 13,
			       .flags = PR_AUTO },
		[K_PRESENT_SLOTS] = { .key = "present_slots" },
		[K_SHARED_SLOTS] = { .key = "shared_slots" },
		[K_EXACT] = { .key = "shared_exact" },
	};
	uint64_t n = c->nrows;

	pr_obj("cost");
	pj_str("kernel_table", pt_ktable_name(h->ktable));
	pr_u64("page_size", "\npage size %" PRIu64, h->page_size);
	pr_u64("entry_bytes", ", top-level entry %" PRIu64 " bytes", c->entry_bytes);
	if (c->ttbr1) {
		pr_u64("pgd_pages", ", pgd (TTBR0) %" PRIu64 " page(s) per process, for user"
		       " space only\n", c->pgd_pages);
	} else {
		pr_text(", %" PRIu64 " kernel-half slots", h->slot_last - h->slot_first + 1);
		pr_u64("pgd_pages", ", pgd %" PRIu64 " page(s) per process\n", c->pgd_pages);
	}
	pj_u64("master_pgd_pages", c->master_pgd_pages);
	pr_i64(NULL, "master: %" PRId64 " table pages", s->srows[0].v[PT_C_PT_PAGES]);
	pr_size("master_pt_bytes", " (%s)", c->master_pt_bytes);
	if (c->ttbr1) {
		pr_text(": its pgd%s and ", h->has_user ? ", the KPTI trampoline table" : "");
		pr_size("master_table_bytes", "%s of tables below, the whole kernel half, once"
			" for every process\n\n", c->master_table_bytes);
	} else {
		pr_size("master_table_bytes", ", of which %s below its kernel-half slots\n\n",
			c->master_table_bytes);
	}
	/* format 1.2: the master's pt_pages and kpriv_pages count each page once */
	pj_bool("pages_distinct", h->minor >= 2);

	pr_table(col, K_NR, NULL);
	if (!pt_json) {	/* the widths */
		pr_measure(true);
		cost_rows(c, col);
		pr_measure(false);
	}
	pr_table_head();
	cost_rows(c, col);

	pr_obj("total");
	pj_bool("complete", !s->summary_errors);
	pr_u64("processes", "\n%" PRIu64 " processes", n);
	if (c->ttbr1) {
		pr_size("pt_bytes", ": page tables %s, all of them for user space: no copied"
			" kernel entries, no private kernel tables\n", c->total_pt_bytes);
		pj_null("kernel_copy_bytes");
		pj_null("kernel_private_bytes");
		pj_null("shared_table_bytes");
		pj_null("private_percent");
		pr_size(NULL, "answer: per process, none by construction: the kernel half is not"
			" in a process's tables;\nTTBR1_EL1 gives every process the master's %s"
			" of kernel tables, paid once\n", c->master_pt_bytes);
		pr_obj_end();
		pr_obj_end();
		return;
	}
	pr_size("pt_bytes", ": page tables %s", c->total_pt_bytes);
	pr_size("kernel_copy_bytes", "; kernel-half entries copied into their pgds %s",
		c->total_kcopy_bytes);
	pr_double(NULL, " (%.1f%%)", pct(c->total_kcopy_bytes, c->total_pt_bytes));
	pr_size("kernel_private_bytes", "; private kernel-half tables %s", c->total_kpriv_bytes);
	pr_double(NULL, " (%.1f%%)\n", pct(c->total_kpriv_bytes, c->total_pt_bytes));
	pj_u64("shared_table_bytes", c->total_shared_bytes);
	pj_double("private_percent", pct(c->total_kcopy_bytes + c->total_kpriv_bytes,
					 c->total_pt_bytes));
	pr_size(NULL, "shared: the master's %s of kernel tables serve every process;",
		c->master_table_bytes);
	pr_size(NULL, " private copies of them would cost %s more\n", c->unshared_bytes);
	pr_size(NULL, "answer: per process, %s of copied top-level kernel entries",
		n ? c->total_kcopy_bytes / n : 0);
	pr_size(NULL, " and %s of private kernel tables", n ? c->total_kpriv_bytes / n : 0);
	pr_double(NULL, " (%.1f%% of all page-table memory here);",
		  pct(c->total_kcopy_bytes + c->total_kpriv_bytes, c->total_pt_bytes));
	pr_size(NULL, " copies of the shared master tables would add %s each\n",
		n ? c->total_shared_bytes / n : 0);
	if (n && !c->rows[0].shared_exact)
		pr_text("(~: estimated in proportion to the master's table slots it shares)\n");
	pr_obj_end();
	pr_obj_end();
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
	if (pt_json)
		jw_begin_doc("cost");
	pt_source(s);
	pt_cost_emit(&c, s);
	if (s->hdr.minor < 2)
		pr_text("(format %d.%d: the master's pt_pages and kpriv_pages count a table"
			" page once per entry pointing to it,\n so a table several entries"
			" share, as espfix's on x86-64, is counted more than once; 1.2"
			" counts each page once)\n", s->hdr.major, s->hdr.minor);
	if (s->summary_errors)
		pr_text("INCOMPLETE: the module could not read %u process(es); they are not"
			" counted\n", s->summary_errors);
	if (pt_json)
		jw_end_doc();
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

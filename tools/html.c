// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare html: one self-contained page (inline CSS, no script, no
 * network): a grid with a row per process and a column per kernel-half
 * top-level slot that the master or any process has, grouped by region,
 * each cell coloured by the class of the process's slot, with the address
 * range, region and raw values on hover (title), and the cost figures.
 * --json prints the same grid as data (the test compares the two).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "commands.h"
#include "views.h"

#define CELL_H	16


/* Cell colours; the test reads them back from a screenshot (tools/tests/html_check.py). */
static const char *const class_colour[PTSHARE_NR_CLASSES] = {
	[PTSHARE_NONE] = "#f0f0f0", [PTSHARE_SHARED] = "#2e8b57", [PTSHARE_SAME] = "#3cb4c8",
	[PTSHARE_COPY] = "#4169e1", [PTSHARE_DIFF] = "#d62728", [PTSHARE_MISSING] = "#ff8c00",
	[PTSHARE_EXTRA] = "#9b30d9",
};
#define MASTER_COLOUR	"#555555"
/* kernel_table ttbr1: the band across a process row (not a cell: the test counts cells) */
#define TTBR1_COLOUR	"#dfe8f2"

struct column {
	uint64_t slot, start, last;
	unsigned int place;		/* the regions it holds (struct pt_place) */
};

struct grid {
	struct column *cols;
	size_t ncols;
	const struct pt_task **rows;
	size_t nrows;
	const struct pt_entry **cell;	/* nrows x ncols kernel pgd entries, NULL: none */
	const struct pt_entry **ucell;	/* the same for the user-mode copy */
	const struct pt_mslot **mcell;	/* master kernel slot lines per column */
	const struct pt_mslot **mucell;	/* the same for its user-mode copy or trampoline */
	const struct pt_entry **ment;	/* else a dump entry with the master's side */
	/* per column and master pgd (kernel, user): its alias and repeat lines (1.2) */
	uint32_t (*alias)[2], (*repeat)[2];
	uint64_t count[PTSHARE_NR_CLASSES];
	uint64_t master_cells;
	/*
	 * kernel_table ttbr1: processes have no kernel-half entries, so their rows
	 * are one explanatory band, not cells; the master's trampoline table
	 * (pgd user) gets a row of its own under the master's.
	 */
	bool ttbr1, user_row;
};

/* 10 pixels per column; 4 when there are many (32-bit ARM has 520 kernel-half slots). */
static unsigned int cell_w(const struct grid *g)
{
	return g->ncols > 160 ? 4 : 10;
}

static int col_cmp(const void *p, const void *q)
{
	const struct column *x = p, *y = q;

	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* The column of @slot, or g->ncols when no column has it. */
static size_t find_col(const struct grid *g, uint64_t slot)
{
	size_t lo = 0, hi = g->ncols;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (g->cols[mid].slot < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->ncols && g->cols[lo].slot == slot ? lo : g->ncols;
}

static int build_grid(const struct pt_snapshot *s, struct grid *g)
{
	size_t i, j, n = 0, cap = s->nmslots + s->nentries + 1;
	struct column *cols = calloc(cap, sizeof(*cols));

	memset(g, 0, sizeof(*g));
	if (!cols)
		return -1;
	g->ttbr1 = pt_ttbr1(s);
	g->user_row = g->ttbr1 && s->hdr.has_user;
	for (i = 0; i < s->nmslots; i++)
		if (!s->mslots[i].user || g->user_row)
			cols[n++] = (struct column){ s->mslots[i].index, s->mslots[i].start,
						     s->mslots[i].last, s->mslots[i].place };
	for (i = 0; i < s->nentries; i++) {
		const struct pt_entry *e = &s->entries[i];

		if (!e->depth && !e->user)
			cols[n++] =
				(struct column){ pt_slot_of(s, e->start), e->start, e->last,
						 e->place };
	}
	qsort(cols, n, sizeof(*cols), col_cmp);
	for (i = j = 0; i < n; i++)
		if (!j || cols[j - 1].slot != cols[i].slot)
			cols[j++] = cols[i];
	g->cols = cols;
	g->ncols = j;

	g->rows = calloc(s->ntasks + 1, sizeof(*g->rows));
	if (!g->rows)
		return -1;
	for (i = 0; i < s->ntasks; i++)
		if (s->tasks[i].state == PT_T_OK)
			g->rows[g->nrows++] = &s->tasks[i];
	if (g->ncols && g->nrows > (SIZE_MAX / sizeof(*g->cell) - 1) / g->ncols)
		return -1;	/* would not fit in memory anyway */
	g->cell = calloc(g->nrows * g->ncols + 1, sizeof(*g->cell));
	g->ucell = calloc(g->nrows * g->ncols + 1, sizeof(*g->ucell));
	g->mcell = calloc(g->ncols + 1, sizeof(*g->mcell));
	g->mucell = calloc(g->ncols + 1, sizeof(*g->mucell));
	g->ment = calloc(g->ncols + 1, sizeof(*g->ment));
	g->alias = calloc(g->ncols + 1, sizeof(*g->alias));
	g->repeat = calloc(g->ncols + 1, sizeof(*g->repeat));
	if (!g->cell || !g->ucell || !g->mcell || !g->mucell || !g->ment || !g->alias ||
	    !g->repeat)
		return -1;
	for (i = 0; i < s->nmranges; i++) {
		const struct pt_mrange *r = &s->mranges[i];
		size_t c;

		if (r->kind != PT_MR_ALIAS && r->kind != PT_MR_REPEAT)
			continue;
		c = find_col(g, pt_slot_of(s, r->start));
		if (c == g->ncols)
			continue;
		if (r->kind == PT_MR_ALIAS)
			g->alias[c][r->user]++;
		else
			g->repeat[c][r->user]++;
	}
	for (i = 0; i < s->nmslots; i++) {
		size_t c = find_col(g, s->mslots[i].index);

		if (c == g->ncols)
			continue;	/* a user-copy slot the kernel pgd lacks */
		if (s->mslots[i].user)
			g->mucell[c] = &s->mslots[i];
		else
			g->mcell[c] = &s->mslots[i];
	}
	for (i = 0; i < g->nrows; i++) {
		const struct pt_task *t = g->rows[i];

		for (j = t->first; j < t->first + t->count; j++) {
			const struct pt_entry *e = &s->entries[j];
			size_t c;

			if (e->depth)
				continue;
			c = find_col(g, pt_slot_of(s, e->start));
			if (c == g->ncols)
				continue;	/* a user-copy slot the kernel pgd lacks */
			if (e->user) {
				g->ucell[i * g->ncols + c] = e;
			} else {
				/*
				 * The master file gives no slot line to a top-level leaf that
				 * continues a range (32-bit ARM's section maps); the dump's
				 * master side shows the slot is there.
				 */
				if (e->mkind != PT_K_NONE && !g->ment[c])
					g->ment[c] = e;
				g->cell[i * g->ncols + c] = e;
				if (e->cls != PTSHARE_NONE)
					g->count[e->cls]++;
			}
		}
	}
	for (i = 0; i < g->ncols; i++)
		g->master_cells += (g->mcell[i] || g->ment[i]) + (g->user_row && g->mucell[i]);
	return 0;
}

static void free_grid(struct grid *g)
{
	free(g->cols);
	free(g->rows);
	free(g->cell);
	free(g->ucell);
	free(g->mcell);
	free(g->mucell);
	free(g->ment);
	free(g->alias);
	free(g->repeat);
}

static void html_esc(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", stdout);
			break;
		case '>':
			fputs("&gt;", stdout);
			break;
		case '&':
			fputs("&amp;", stdout);
			break;
		case '"':
			fputs("&quot;", stdout);
			break;
		default:
			putchar(*s);
		}
	}
}

/* kernel_table ttbr1: the grid's last column holds the process bands; other rows leave it empty. */
static void filler(const struct grid *g)
{
	if (g->ttbr1)
		printf("<div></div>");
}

static void side(const char *who, unsigned int kind, uint64_t raw, uint64_t pa)
{
	printf("&#10;%s: %s", who, pt_kind_name(kind));
	if (kind != PT_K_NONE)
		printf(" 0x%" PRIx64, raw);
	if (kind == PT_K_TABLE || kind == PT_K_LEAF)
		printf(" pa 0x%" PRIx64, pa);
}

/* In a master cell's title: the slot line. */
static void mslot_title(const struct pt_mslot *m)
{
	printf("&#10;%s 0x%" PRIx64 " pa 0x%" PRIx64 " ", pt_kind_name(m->kind), m->raw, m->pa);
	html_esc(m->flags ? m->flags : "-");
}

/* In a master cell's title: what of the slot is listed once (1.2). */
static void listed_once(const struct grid *g, size_t col, int user)
{
	uint32_t a = g->alias[col][user], r = g->repeat[col][user];

	if (a)
		printf("&#10;%u alias run%s: one frame mapped at every address", a,
		       a == 1 ? "" : "s");
	if (r)
		printf("&#10;%u repeated table%s: entries pointing to a table walked before", r,
		       r == 1 ? "" : "s");
}

/* Why a task's row is marked incomplete, for its label's title. */
static const char *incomplete_why(const struct pt_task *t)
{
	if (t->end == PT_TE_EXITED)
		return "exited while it was dumped";
	if (t->end == PT_TE_EXEC)
		return "called exec while it was dumped: the mm being dumped went";
	return "the module could not read some of its tables";
}

/* Region names: 10px monospace (6 px a character in DejaVu Sans Mono), one lane per line. */
#define LABEL_CHAR_W	6.5
#define LABEL_PAD	8
#define LANE_H		13
#define LABEL_COL_W	220

struct block {
	unsigned int lane;
	bool right;		/* anchored at the block's right end */
};

static unsigned int lanes_h(unsigned int nlanes)
{
	return nlanes * LANE_H + 3;
}

/*
 * Lanes for the region names above the blocks (runs of columns of one
 * region) so that no two overlap: each name goes to the first lane whose
 * last name ends before it starts. Returns the number of lanes; *@out is one
 * struct block per block (NULL: out of memory).
 */
static unsigned int place_labels(const struct pt_snapshot *s, const struct grid *g,
				 struct block **out)
{
	double end[64], grid_end = LABEL_COL_W + g->ncols * (cell_w(g) + 1.0);
	unsigned int nlanes = 1, l;
	size_t i, j, b = 0;

	*out = calloc(g->ncols + 1, sizeof(**out));
	if (!*out)
		return 0;
	for (i = 0; i < g->ncols; i = j, b++) {
		double x0, x1, w;

		for (j = i + 1; j < g->ncols && g->cols[j].place == g->cols[i].place; j++)
			;
		x0 = LABEL_COL_W + i * (cell_w(g) + 1.0);
		x1 = LABEL_COL_W + j * (cell_w(g) + 1.0);
		w = strlen(pt_place_name(s, g->cols[i].place)) * LABEL_CHAR_W + LABEL_PAD;
		if (x0 + w > grid_end) {
			(*out)[b].right = true;
			x0 = x1 - w;
		}
		for (l = 0; l < nlanes && end[l] > x0; l++)
			;
		if (l == nlanes && nlanes < 64)
			end[nlanes++] = 0;
		if (l == nlanes)
			l = nlanes - 1;	/* 64 lanes full: overlap rather than fail */
		end[l] = x0 + w;
		(*out)[b].lane = l;
	}
	return nlanes;
}

static void html_page(const struct pt_snapshot *s, const struct grid *g, const struct pt_cost *c)
{
	char b1[32], b2[32], b3[32], b4[32];
	struct block *blk;
	unsigned int nlanes = place_labels(s, g, &blk);
	size_t i, j, k, b;
	int cl;

	if (!blk) {
		pt_fail("out of memory");
		return;
	}

	printf("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	       "<title>ptshare map: ");
	html_esc(s->hdr.kernel);
	putchar(' ');
	html_esc(s->hdr.arch);
	printf("</title>\n<style>\n");
	printf("body{font:13px sans-serif;margin:16px;background:#fff;color:#222}\n"
	       "h1{font-size:18px;margin:0 0 6px}\n"
	       ".meta{color:#555;margin-bottom:10px}\n"
	       ".grid{display:grid;grid-template-columns:%dpx repeat(%zu,%dpx)%s;"
	       "column-gap:1px;row-gap:1px;align-items:stretch}\n"
	       ".lbl{height:%dpx;line-height:%dpx;font:11px monospace;white-space:nowrap;"
	       "overflow:hidden;padding-right:6px}\n"
	       ".reg{position:relative;background:#fffbe6;border-left:1px solid #bbb}\n"
	       ".rl{position:absolute;z-index:1;font:10px monospace;line-height:%dpx;color:#333;"
	       "white-space:nowrap;padding:0 2px;background:#fffbe6;border-left:1px solid #888}\n"
	       ".c{width:%dpx;height:%dpx}\n"
	       ".c:hover{outline:2px solid #000}\n",
	       LABEL_COL_W, g->ncols, cell_w(g), g->ttbr1 ? " minmax(480px,1fr)" : "", CELL_H,
	       CELL_H, LANE_H - 1, cell_w(g), CELL_H);
	for (cl = 0; cl < PTSHARE_NR_CLASSES; cl++)
		printf(".k%d{background:%s}\n", cl, class_colour[cl]);
	printf(".km{background:%s}\n"
	       "table.cost{border-collapse:collapse;margin-top:14px;font:12px monospace}\n"
	       "table.cost td,table.cost th{border:1px solid #ccc;padding:2px 8px;"
	       "text-align:right}\n"
	       ".legend{margin-bottom:6px}\n"
	       ".legend span{display:inline-block;margin-right:14px;font-weight:bold}\n",
	       MASTER_COLOUR);
	if (g->ttbr1)
		printf(".hw{background:%s;height:%dpx;line-height:%dpx;font:11px sans-serif;"
		       "white-space:nowrap;overflow:hidden;padding-left:6px}\n"
		       ".note{background:%s;border:1px solid #9bb;padding:6px 10px;margin:8px 0;"
		       "max-width:1100px}\n", TTBR1_COLOUR, CELL_H, CELL_H, TTBR1_COLOUR);
	printf("</style></head><body>\n");

	printf("<h1>ptshare: kernel-half top-level slots per process</h1>\n<div class=\"meta\">");
	html_esc(s->hdr.kernel);
	printf(" &middot; ");
	html_esc(s->hdr.arch);
	printf(" &middot; %u levels &middot; isolation ", s->hdr.levels);
	html_esc(s->hdr.isolation);
	printf(" %s", s->hdr.isolation_on ? "on" : "off");
	if (s->created) {
		printf(" &middot; snapshot ");
		html_esc(s->created);
	}
	if (g->ttbr1)
		printf(" &middot; %zu processes &middot; %zu slots of the master (slots %" PRIu64
		       "&ndash;%" PRIu64 " of the kernel half)</div>\n",
		       g->nrows, g->ncols, s->hdr.slot_first, s->hdr.slot_last);
	else
		printf(" &middot; %zu processes &times; %zu slots (slots %" PRIu64 "&ndash;%" PRIu64
		       " of the kernel half that anyone has)</div>\n",
		       g->nrows, g->ncols, s->hdr.slot_first, s->hdr.slot_last);
	if (g->ttbr1) {
		printf("<div class=\"note\" id=\"ttbr1\"><b>kernel_table ttbr1:</b> the kernel half"
		       " is shared by a hardware register. TTBR1_EL1 points every process at one"
		       " table, pa 0x%" PRIx64 " (%s); a process's own pgd (TTBR0_EL1) holds only"
		       " user space, so there are no per-process kernel-half entries to compare"
		       " and its row below is one band, not cells.", s->hdr.ktable_pa,
		       s->hdr.ktable_pa == s->hdr.master_pa ? "the master pgd" :
		       "<b>not</b> the master pgd");
		if (g->user_row)
			printf(" While user space runs, TTBR1_EL1 holds the KPTI trampoline table"
			       " (pa 0x%" PRIx64 "): its row is under the master's.",
			       s->hdr.muser_pa);
		printf("</div>\n");
	}
	printf("<div class=\"legend\">");
	printf("<span style=\"color:%s\">master has the slot</span>", MASTER_COLOUR);
	if (g->ttbr1)
		printf("<span>processes: the master's table through TTBR1_EL1</span>");
	else
		for (cl = PTSHARE_SHARED; cl < PTSHARE_NR_CLASSES; cl++)
			printf("<span style=\"color:%s\">%s %" PRIu64 "</span>", class_colour[cl],
			       pt_class_name(cl), g->count[cl]);
	{
		uint64_t a = 0, r = 0;

		for (i = 0; i < s->nmranges; i++) {
			a += s->mranges[i].kind == PT_MR_ALIAS;
			r += s->mranges[i].kind == PT_MR_REPEAT;
		}
		if (a || r)
			printf("<span>master: %" PRIu64 " alias run%s, %" PRIu64 " repeated table%s"
			       " (listed once; hover a master cell)</span>", a, a == 1 ? "" : "s",
			       r, r == 1 ? "" : "s");
	}
	printf("</div>\n");

	printf("<div class=\"grid\" id=\"grid\" data-rows=\"%zu\" data-cols=\"%zu\">\n",
	       g->nrows + 1 + g->user_row, g->ncols);
	/*
	 * Region header: one block per run of columns in the same region, its
	 * name above it in the first lane where it overlaps no other name (a
	 * name is wider than a narrow block), anchored at the block's right end
	 * where it would run past the grid's.
	 */
	printf("<div class=\"lbl\" style=\"height:%upx\">region</div>", lanes_h(nlanes));
	for (i = 0, b = 0; i < g->ncols; i = j, b++) {
		for (j = i + 1; j < g->ncols && g->cols[j].place == g->cols[i].place; j++)
			;
		printf("<div class=\"reg\" style=\"grid-column:span %zu;height:%upx\" title=\"",
		       j - i, lanes_h(nlanes));
		html_esc(pt_place_name(s, g->cols[i].place));
		printf(": slots %" PRIu64 "-%" PRIu64 "\"><span class=\"rl\" style=\"top:%upx;%s:0\">",
		       g->cols[i].slot, g->cols[j - 1].slot, blk[b].lane * LANE_H,
		       blk[b].right ? "right" : "left");
		html_esc(pt_place_name(s, g->cols[i].place));
		printf("</span></div>");
	}
	filler(g);
	printf("\n<div class=\"lbl\">master</div>");
	for (i = 0; i < g->ncols; i++) {
		const struct pt_mslot *m = g->mcell[i];
		const struct pt_entry *e = g->ment[i];

		printf("<div class=\"c %s\" title=\"master slot %" PRIu64 "&#10;0x%016" PRIx64
		       "-0x%016" PRIx64 "&#10;region ", m || e ? "km" : "k0", g->cols[i].slot,
		       g->cols[i].start, g->cols[i].last);
		html_esc(pt_place_name(s, g->cols[i].place));
		if (m)
			mslot_title(m);
		else if (e)
			side("master", e->mkind, e->mraw, e->mpa);
		else
			printf("&#10;not present");
		listed_once(g, i, 0);
		printf("\"></div>");
	}
	filler(g);
	putchar('\n');
	if (g->user_row) {
		printf("<div class=\"lbl\" title=\"the KPTI trampoline table: TTBR1_EL1 while user"
		       " space runs\">trampoline</div>");
		for (i = 0; i < g->ncols; i++) {
			const struct pt_mslot *m = g->mucell[i];

			printf("<div class=\"c %s\" title=\"trampoline table slot %" PRIu64
			       "&#10;0x%016" PRIx64 "-0x%016" PRIx64 "&#10;region ",
			       m ? "km" : "k0", g->cols[i].slot, g->cols[i].start,
			       g->cols[i].last);
			html_esc(pt_place_name(s, g->cols[i].place));
			if (m)
				mslot_title(m);
			else
				printf("&#10;not present");
			listed_once(g, i, 1);
			printf("\"></div>");
		}
		filler(g);
		putchar('\n');
	}
	for (k = 0; k < g->nrows; k++) {
		const struct pt_task *t = g->rows[k];

		printf("<div class=\"lbl\" title=\"");
		html_esc(t->comm);
		if (!pt_task_complete(t))
			printf(": incomplete: %s", incomplete_why(t));
		printf("\">%" PRId64 " ", t->tgid);
		html_esc(t->comm);
		if (!pt_task_complete(t))
			printf(" (incomplete)");
		printf("</div>");
		if (g->ttbr1) {
			/* one band: there is nothing per slot to colour */
			printf("<div class=\"hw\" style=\"grid-column:span %zu\" title=\"",
			       g->ncols + 1);
			html_esc(t->comm);
			printf(": pgd pa 0x%" PRIx64 " (TTBR0_EL1), %zu user-half slot%s",
			       t->pgd_pa, t->ucount, t->ucount == 1 ? "" : "s");
			for (i = t->ufirst; i < t->ufirst + t->ucount; i++)
				printf("&#10;slot %" PRIu64 " 0x%016" PRIx64 "-0x%016" PRIx64 " %s",
				       s->uslots[i].index, s->uslots[i].start, s->uslots[i].last,
				       pt_kind_name(s->uslots[i].kind));
			printf("\">kernel half: the master's table through TTBR1_EL1, shared by"
			       " hardware &middot; no kernel-half entries of its own &middot; %zu"
			       " user-half slot%s</div>\n", t->ucount, t->ucount == 1 ? "" : "s");
			continue;
		}
		for (i = 0; i < g->ncols; i++) {
			const struct pt_entry *e = g->cell[k * g->ncols + i];
			const struct pt_entry *u = g->ucell[k * g->ncols + i];
			int cls = e ? e->cls : PTSHARE_NONE;

			printf("<div class=\"c k%d\" title=\"%" PRId64 " ", cls, t->tgid);
			html_esc(t->comm);
			printf(" slot %" PRIu64 "&#10;0x%016" PRIx64 "-0x%016" PRIx64
			       "&#10;region ",
			       g->cols[i].slot, g->cols[i].start, g->cols[i].last);
			html_esc(pt_place_name(s, g->cols[i].place));
			printf("&#10;%s", pt_class_name(cls));
			if (e) {
				side("process", e->pkind, e->praw, e->ppa);
				side("master", e->mkind, e->mraw, e->mpa);
			}
			if (u)
				printf("&#10;user-mode copy: %s", pt_class_name(u->cls));
			printf("\"></div>");
		}
		putchar('\n');
	}
	printf("</div>\n<div class=\"meta\" style=\"margin-top:6px\">columns by region:");
	for (i = 0; i < g->ncols; i = j) {
		for (j = i + 1; j < g->ncols && g->cols[j].place == g->cols[i].place; j++)
			;
		printf(" ");
		html_esc(pt_place_name(s, g->cols[i].place));
		printf(" %zu%s", j - i, j < g->ncols ? " &middot;" : "");
	}
	printf("</div>\n");

	if (c && c->ttbr1) {
		printf("<h2 style=\"font-size:15px;margin-top:18px\">Page-table memory</h2>\n"
		       "<table class=\"cost\"><tr><th>tgid</th><th>comm</th><th>pt pages</th>"
		       "<th>pt bytes</th><th>user-half slots</th></tr>\n");
		for (i = 0; i < c->nrows; i++) {
			const struct pt_cost_row *r = &c->rows[i];

			printf("<tr><td>%" PRId64 "</td><td style=\"text-align:left\">",
			       r->row->tgid);
			html_esc(r->row->comm);
			printf("</td><td>%" PRId64 "</td><td>%s</td><td>", r->row->v[PT_C_PT_PAGES],
			       pt_human(r->pt_bytes, b1, sizeof(b1)));
			if (r->row->v[PT_C_USER_SLOTS] >= 0)
				printf("%" PRId64, r->row->v[PT_C_USER_SLOTS]);
			else
				printf("-");
			printf("</td></tr>\n");
		}
		printf("<tr><th colspan=\"3\" style=\"text-align:left\">total, %zu processes</th>"
		       "<th>%s</th><th></th></tr></table>\n", c->nrows,
		       pt_human(c->total_pt_bytes, b1, sizeof(b1)));
		printf("<p>Per process, the kernel half costs nothing by construction: a process's"
		       " tables hold only user space, and TTBR1_EL1 gives every process the"
		       " master's %s of kernel tables, paid once.</p>\n",
		       pt_human(c->master_pt_bytes, b2, sizeof(b2)));
	} else if (c) {
		printf("<h2 style=\"font-size:15px;margin-top:18px\">Page-table memory</h2>\n"
		       "<table class=\"cost\"><tr><th>tgid</th><th>comm</th><th>pt pages</th>"
		       "<th>pt bytes</th><th>kernel entries copied</th>"
		       "<th>private kernel tables</th>"
		       "<th>shared master tables</th></tr>\n");
		for (i = 0; i < c->nrows; i++) {
			const struct pt_cost_row *r = &c->rows[i];

			printf("<tr><td>%" PRId64 "</td><td style=\"text-align:left\">",
			       r->row->tgid);
			html_esc(r->row->comm);
			printf("</td><td>%" PRId64
			       "</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td>"
			       "</tr>\n",
			       r->row->v[PT_C_PT_PAGES], pt_human(r->pt_bytes, b1, sizeof(b1)),
			       pt_human(r->kcopy_bytes, b2, sizeof(b2)),
			       pt_human(r->kpriv_bytes, b3, sizeof(b3)),
			       pt_human(r->shared_bytes, b4, sizeof(b4)),
			       r->shared_exact ? "" : " ~");
		}
		/* the shared tables exist once, however many processes use them */
		printf("<tr><th colspan=\"3\" style=\"text-align:left\">total, %zu processes</th>"
		       "<th>%s</th><th>%s</th><th>%s</th><th>%s once</th></tr></table>\n",
		       c->nrows, pt_human(c->total_pt_bytes, b1, sizeof(b1)),
		       pt_human(c->total_kcopy_bytes, b2, sizeof(b2)),
		       pt_human(c->total_kpriv_bytes, b3, sizeof(b3)),
		       pt_human(c->master_table_bytes, b4, sizeof(b4)));
		printf("<p>The master's %s of kernel tables below its top-level slots serve every"
		       " process, once; private copies of what each process uses of them would"
		       " cost %s in all. The kernel's top-level entries copied into each pgd cost"
		       " %s per process.</p>\n", pt_human(c->master_table_bytes, b1, sizeof(b1)),
		       pt_human(c->unshared_bytes, b3, sizeof(b3)),
		       pt_human(c->nrows ? c->total_kcopy_bytes / c->nrows : 0, b2, sizeof(b2)));
	}
	if (s->summary_errors)
		printf("<p><b>INCOMPLETE:</b> the module could not read %u process(es);"
		       " they are not"
		       " counted.</p>\n",
		       s->summary_errors);
	printf("</body></html>\n");
	free(blk);
}

static void html_json(const struct pt_snapshot *s, const struct grid *g, const struct pt_cost *c)
{
	size_t i, k;
	int cl;

	jw_begin_doc("html");
	pt_source(s);
	jw_obj("grid");
	jw_str("kernel_table", pt_ktable_name(s->hdr.ktable));
	jw_u64("cell_width", cell_w(g));
	jw_u64("cell_height", CELL_H);
	jw_arr("master_rows");
	jw_str(NULL, "kernel");
	if (g->user_row)
		jw_str(NULL, "user");
	jw_arr_end();
	jw_obj("colours");
	jw_str("master", MASTER_COLOUR);
	for (cl = 0; cl < PTSHARE_NR_CLASSES; cl++)
		jw_str(pt_class_name(cl), class_colour[cl]);
	jw_obj_end();
	jw_arr("columns");
	for (i = 0; i < g->ncols; i++) {
		jw_obj(NULL);
		jw_u64("slot", g->cols[i].slot);
		jw_hex("start", g->cols[i].start);
		jw_hex("last", g->cols[i].last);
		pr_place(s, g->cols[i].place, NULL);
		jw_bool("master", g->mcell[i] || g->ment[i]);
		jw_bool("master_user", g->mucell[i] != NULL);
		if (s->hdr.minor >= 2) {
			jw_u64("master_alias", g->alias[i][0]);
			jw_u64("master_repeat", g->repeat[i][0]);
		} else {
			jw_null("master_alias");
			jw_null("master_repeat");
		}
		jw_obj_end();
	}
	jw_arr_end();
	jw_arr("rows");
	for (k = 0; k < g->nrows; k++) {
		const struct pt_task *t = g->rows[k];

		jw_obj(NULL);
		jw_i64("tgid", t->tgid);
		jw_str("comm", t->comm);
		jw_bool("complete", pt_task_complete(t));
		jw_str("end", pt_task_end_name(t->end));
		if (s->hdr.minor >= 1)
			jw_u64("user_slots", t->ucount);
		else
			jw_null("user_slots");
		if (g->ttbr1) {
			jw_null("cells");	/* one band: no kernel-half entries */
			jw_obj_end();
			continue;
		}
		jw_arr("cells");
		for (i = 0; i < g->ncols; i++) {
			const struct pt_entry *e = g->cell[k * g->ncols + i];

			jw_str(NULL, pt_class_name(e ? e->cls : PTSHARE_NONE));
		}
		jw_arr_end();
		jw_obj_end();
	}
	jw_arr_end();
	jw_obj("counts");
	jw_u64("master", g->master_cells);
	for (cl = PTSHARE_SHARED; cl < PTSHARE_NR_CLASSES; cl++)
		jw_u64(pt_class_name(cl), g->count[cl]);
	jw_obj_end();
	jw_obj_end();
	if (c)
		pt_cost_emit(c, s);
	else
		jw_null("cost");
	jw_end_doc();
}

/* Returns 0, 1 (drawn, but a task is incomplete and marked so) or -1. */
int pt_html_render(const struct pt_snapshot *s)
{
	struct pt_cost cost, *c = NULL;
	struct grid g;
	int ret = -1;
	size_t i;

	memset(&g, 0, sizeof(g));
	if (!s->has_dump || !s->has_master) {
		pt_error(s->name, 0, "the map needs a master and a dump section");
		return -1;
	}
	if (s->has_summary) {
		if (pt_cost_compute(s, &cost))
			goto oom;
		c = &cost;
	}
	if (build_grid(s, &g))
		goto oom;
	if (pt_json)
		html_json(s, &g, c);
	else
		html_page(s, &g, c);
	ret = 0;
	for (i = 0; i < g.nrows; i++)
		if (!pt_task_complete(g.rows[i]))
			ret = PT_EXIT_FAIL;	/* marked "(incomplete)" on the page */
	if (s->summary_errors)
		ret = PT_EXIT_FAIL;		/* said under the cost table */
	goto out;
oom:
	pt_fail("out of memory");
out:
	free_grid(&g);
	if (c)
		pt_cost_free(c);
	return ret;
}

static const char html_help[] =
	"usage: ptshare html [--json] [SNAPSHOT] > map.html\n"
	"\n"
	"One self-contained HTML page (no script, no network, no other files): a\n"
	"grid with a row per dumped process and a column per kernel-half top-level\n"
	"slot that the master or a process has, grouped by region, coloured by\n"
	"class; hovering a cell shows its address range, region, class and raw\n"
	"values. Below it, the figures of 'ptshare cost'. Live, every process is\n"
	"dumped. --json prints the grid as data instead (doc/JSON.md).\n"
	"With kernel_table ttbr1 (arm64) a process has no kernel-half entries: its\n"
	"row is one band saying so, and the KPTI trampoline table has a row under\n"
	"the master's.\n";

static void html_print_help(void)
{
	fputs(html_help, stdout);
}

int cmd_html(int argc, char **argv)
{
	static const struct pt_request rq = { .summary = true, .master = true, .kind = PT_SEL_ALL };

	return pt_run_simple(argc, argv, html_print_help, &rq, pt_html_render);
}

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

/*
 * The page is written from templates: fixed markup with slots "{{name}}",
 * each filled from a value of one kind. A text slot (TS) is always
 * HTML-escaped, whatever it holds, so nothing from the input reaches the
 * page as markup; only TR slots take markup, and only the templates' own.
 */
enum { V_TEXT, V_RAW, V_U64, V_I64, V_HEX, V_ADDR, V_SIZE };

struct tval {
	const char *name;
	int kind;
	const char *s;
	uint64_t u;
};

#define TS(n, v)	{ n, V_TEXT, (v), 0 }
#define TR(n, v)	{ n, V_RAW, (v), 0 }
#define TU(n, v)	{ n, V_U64, NULL, (uint64_t)(v) }
#define TI(n, v)	{ n, V_I64, NULL, (uint64_t)(int64_t)(v) }
#define TX(n, v)	{ n, V_HEX, NULL, (uint64_t)(v) }	/* 0x and the digits */
#define TA(n, v)	{ n, V_ADDR, NULL, (uint64_t)(v) }	/* 0x and 16 digits */
#define TZ(n, v)	{ n, V_SIZE, NULL, (uint64_t)(v) }	/* "4 KiB" */
#define TPL(t, ...)							\
	do {								\
		const struct tval tv_[] = { __VA_ARGS__ };		\
		tpl(t, tv_, sizeof(tv_) / sizeof(tv_[0]));		\
	} while (0)

static void tval_print(const struct tval *v)
{
	char b[32];

	switch (v->kind) {
	case V_TEXT:
		html_esc(v->s ? v->s : "-");
		break;
	case V_RAW:
		fputs(v->s, stdout);
		break;
	case V_U64:
		printf("%" PRIu64, v->u);
		break;
	case V_I64:
		printf("%" PRId64, (int64_t)v->u);
		break;
	case V_HEX:
		printf("0x%" PRIx64, v->u);
		break;
	case V_ADDR:
		printf("0x%016" PRIx64, v->u);
		break;
	default:
		fputs(pt_human(v->u, b, sizeof(b)), stdout);
	}
}

/* Print template @t with its slots filled from @v; a slot @v lacks prints nothing. */
static void tpl(const char *t, const struct tval *v, size_t n)
{
	const char *p, *e;
	size_t i;

	if (pt_json)
		return;	/* the page only: with --json the same functions emit the grid */
	while ((p = strstr(t, "{{"))) {
		fwrite(t, 1, p - t, stdout);
		e = strstr(p, "}}");
		if (!e)
			break;
		for (i = 0; i < n; i++)
			if (strlen(v[i].name) == (size_t)(e - p - 2) &&
			    !strncmp(v[i].name, p + 2, e - p - 2))
				break;
		if (i < n)
			tval_print(&v[i]);
		t = e + 2;
	}
	fputs(t, stdout);
}

/* Fixed markup of the page (nothing with --json). */
static void hp(const char *markup)
{
	if (!pt_json)
		fputs(markup, stdout);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* kernel_table ttbr1: the grid's last column holds the process bands; other rows leave it empty. */
static void filler(const struct grid *g)
{
	if (g->ttbr1)
		hp("<div></div>");
}

/* An entry's side in a cell's title. */
static void side(const char *who, unsigned int kind, uint64_t raw, uint64_t pa)
{
	TPL("&#10;{{who}}: {{kind}}", TS("who", who), TS("kind", pt_kind_name(kind)));
	if (kind != PT_K_NONE)
		TPL(" {{raw}}", TX("raw", raw));
	if (kind == PT_K_TABLE || kind == PT_K_LEAF)
		TPL(" pa {{pa}}", TX("pa", pa));
}

/* In a master cell's title: the slot line. */
static void mslot_title(const struct pt_mslot *m)
{
	TPL("&#10;{{kind}} {{raw}} pa {{pa}} {{flags}}", TS("kind", pt_kind_name(m->kind)),
	    TX("raw", m->raw), TX("pa", m->pa), TS("flags", m->flags));
}

/* In a master cell's title: what of the slot is listed once (1.2). */
static void listed_once(const struct grid *g, size_t col, int user)
{
	uint32_t a = g->alias[col][user], r = g->repeat[col][user];

	if (a)
		TPL("&#10;{{n}} alias run{{s}}: one frame mapped at every address", TU("n", a),
		    TR("s", plural(a)));
	if (r)
		TPL("&#10;{{n}} repeated table{{s}}: entries pointing to a table walked before",
		    TU("n", r), TR("s", plural(r)));
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
	end[0] = 0;
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

static const char page_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<title>ptshare map: {{kernel}} {{arch}}</title>\n<style>\n"
	"body{font:13px sans-serif;margin:16px;background:#fff;color:#222}\n"
	"h1{font-size:18px;margin:0 0 6px}\n"
	".meta{color:#555;margin-bottom:10px}\n"
	".grid{display:grid;grid-template-columns:{{label_w}}px repeat({{ncols}},{{cell_w}}px)"
	"{{band}};column-gap:1px;row-gap:1px;align-items:stretch}\n"
	".lbl{height:{{cell_h}}px;line-height:{{cell_h}}px;font:11px monospace;white-space:nowrap;"
	"overflow:hidden;padding-right:6px}\n"
	".reg{position:relative;background:#fffbe6;border-left:1px solid #bbb}\n"
	".rl{position:absolute;z-index:1;font:10px monospace;line-height:{{lane_h}}px;color:#333;"
	"white-space:nowrap;padding:0 2px;background:#fffbe6;border-left:1px solid #888}\n"
	".c{width:{{cell_w}}px;height:{{cell_h}}px}\n"
	".c:hover{outline:2px solid #000}\n"
	"{{class_css}}"
	".km{background:{{master_colour}}}\n"
	"table.cost{border-collapse:collapse;margin-top:14px;font:12px monospace}\n"
	"table.cost td,table.cost th{border:1px solid #ccc;padding:2px 8px;text-align:right}\n"
	".legend{margin-bottom:6px}\n"
	".legend span{display:inline-block;margin-right:14px;font-weight:bold}\n"
	"{{ttbr1_css}}"
	"</style></head><body>\n"
	"<h1>ptshare: kernel-half top-level slots per process</h1>\n<div class=\"meta\">"
	"{{kernel}} &middot; {{arch}} &middot; {{levels}} levels &middot; isolation {{isolation}}"
	" {{on}}";

#define STR_(x)	#x
#define STR(x)	STR_(x)
static const char ttbr1_css[] =
	".hw{background:" TTBR1_COLOUR ";height:" STR(CELL_H) "px;line-height:" STR(CELL_H) "px;"
	"font:11px sans-serif;"
	"white-space:nowrap;overflow:hidden;padding-left:6px}\n"
	".note{background:" TTBR1_COLOUR ";border:1px solid #9bb;padding:6px 10px;margin:8px 0;"
	"max-width:1100px}\n";

/* The head, the style, the title line and (ttbr1) the note saying why rows are bands. */
static void page_top(const struct pt_snapshot *s, const struct grid *g)
{
	char css[PTSHARE_NR_CLASSES * 40] = "";
	const struct pt_header *h = &s->hdr;
	int cl;

	pj_str("kernel_table", pt_ktable_name(h->ktable));
	pj_u64("cell_width", cell_w(g));
	pj_u64("cell_height", CELL_H);
	pr_arr("master_rows");
	pj_str(NULL, "kernel");
	if (g->user_row)
		pj_str(NULL, "user");	/* the trampoline table's row */
	pr_arr_end();
	pr_obj("colours");
	pj_str("master", MASTER_COLOUR);
	for (cl = 0; cl < PTSHARE_NR_CLASSES; cl++) {
		snprintf(css + strlen(css), sizeof(css) - strlen(css), ".k%d{background:%s}\n", cl,
			 class_colour[cl]);
		pj_str(pt_class_name(cl), class_colour[cl]);
	}
	pr_obj_end();
	TPL(page_head, TS("kernel", h->kernel), TS("arch", h->arch), TU("label_w", LABEL_COL_W),
	    TU("ncols", g->ncols), TU("cell_w", cell_w(g)), TU("cell_h", CELL_H),
	    TR("band", g->ttbr1 ? " minmax(480px,1fr)" : ""), TU("lane_h", LANE_H - 1),
	    TR("class_css", css), TR("master_colour", MASTER_COLOUR),
	    TR("ttbr1_css", g->ttbr1 ? ttbr1_css : ""), TU("levels", h->levels),
	    TS("isolation", h->isolation), TR("on", h->isolation_on ? "on" : "off"));
	if (s->created)
		TPL(" &middot; snapshot {{created}}", TS("created", s->created));
	if (g->ttbr1)
		TPL(" &middot; {{rows}} processes &middot; {{cols}} slots of the master (slots"
		    " {{first}}&ndash;{{last}} of the kernel half)</div>\n",
		    TU("rows", g->nrows), TU("cols", g->ncols), TU("first", h->slot_first),
		    TU("last", h->slot_last));
	else
		TPL(" &middot; {{rows}} processes &times; {{cols}} slots (slots {{first}}&ndash;"
		    "{{last}} of the kernel half that anyone has)</div>\n",
		    TU("rows", g->nrows), TU("cols", g->ncols), TU("first", h->slot_first),
		    TU("last", h->slot_last));
	if (!g->ttbr1)
		return;
	TPL("<div class=\"note\" id=\"ttbr1\"><b>kernel_table ttbr1:</b> the kernel half is shared"
	    " by a hardware register. TTBR1_EL1 points every process at one table, pa {{pa}}"
	    " ({{which}}); a process's own pgd (TTBR0_EL1) holds only user space, so there are"
	    " no per-process kernel-half entries to compare and its row below is one band, not"
	    " cells.", TX("pa", h->ktable_pa),
	    TR("which", h->ktable_pa == h->master_pa ? "the master pgd" :
			"<b>not</b> the master pgd"));
	if (g->user_row)
		TPL(" While user space runs, TTBR1_EL1 holds the KPTI trampoline table (pa {{pa}}):"
		    " its row is under the master's.", TX("pa", h->muser_pa));
	hp("</div>\n");
}

/* The legend: the class colours and counts, and what the master lists once. */
static void page_legend(const struct pt_snapshot *s, const struct grid *g)
{
	uint64_t a = 0, r = 0;
	size_t i;
	int cl;

	TPL("<div class=\"legend\"><span style=\"color:{{c}}\">master has the slot</span>",
	    TR("c", MASTER_COLOUR));
	pr_obj("counts");	/* coloured cells, the master's in all its rows */
	pj_u64("master", g->master_cells);
	if (g->ttbr1)
		hp("<span>processes: the master's table through TTBR1_EL1</span>");
	for (cl = PTSHARE_SHARED; cl < PTSHARE_NR_CLASSES; cl++) {
		if (!g->ttbr1)
			TPL("<span style=\"color:{{c}}\">{{class}} {{n}}</span>",
			    TR("c", class_colour[cl]), TR("class", pt_class_name(cl)),
			    TU("n", g->count[cl]));
		pj_u64(pt_class_name(cl), g->count[cl]);
	}
	pr_obj_end();
	for (i = 0; i < s->nmranges; i++) {
		a += s->mranges[i].kind == PT_MR_ALIAS;
		r += s->mranges[i].kind == PT_MR_REPEAT;
	}
	if (a || r)
		TPL("<span>master: {{a}} alias run{{as}}, {{r}} repeated table{{rs}} (listed once;"
		    " hover a master cell)</span>", TU("a", a), TR("as", plural(a)), TU("r", r),
		    TR("rs", plural(r)));
	hp("</div>\n");
}

/*
 * The region header: one block per run of columns in the same region, its
 * name above it in the lane place_labels() chose, anchored at the block's
 * right end where it would run past the grid's.
 */
static void page_regions(const struct pt_snapshot *s, const struct grid *g,
			 const struct block *blk, unsigned int nlanes)
{
	size_t i, j, b;

	TPL("<div class=\"lbl\" style=\"height:{{h}}px\">region</div>", TU("h", lanes_h(nlanes)));
	for (i = 0, b = 0; i < g->ncols; i = j, b++) {
		for (j = i + 1; j < g->ncols && g->cols[j].place == g->cols[i].place; j++)
			;
		TPL("<div class=\"reg\" style=\"grid-column:span {{span}};height:{{h}}px\""
		    " title=\"{{name}}: slots {{first}}-{{last}}\"><span class=\"rl\""
		    " style=\"top:{{top}}px;{{side}}:0\">{{name}}</span></div>",
		    TU("span", j - i), TU("h", lanes_h(nlanes)),
		    TS("name", pt_place_name(s, g->cols[i].place)), TU("first", g->cols[i].slot),
		    TU("last", g->cols[j - 1].slot), TU("top", blk[b].lane * LANE_H),
		    TR("side", blk[b].right ? "right" : "left"));
	}
	filler(g);
}

/* A column of the grid in JSON: its slot, regions, what the master lists there. */
static void page_column_json(const struct pt_snapshot *s, const struct grid *g, size_t i)
{
	if (!pt_json)
		return;
	pr_obj(NULL);
	pj_u64("slot", g->cols[i].slot);
	pj_hex("start", g->cols[i].start);
	pj_hex("last", g->cols[i].last);
	pr_place(s, g->cols[i].place, NULL);
	pj_bool("master", g->mcell[i] || g->ment[i]);
	pj_bool("master_user", g->mucell[i] != NULL);
	if (s->hdr.minor >= 2) {
		pj_u64("master_alias", g->alias[i][0]);
		pj_u64("master_repeat", g->repeat[i][0]);
	} else {
		pj_null("master_alias");
		pj_null("master_repeat");
	}
	pr_obj_end();
}

/* A master row (@user: the trampoline table's): a cell per column; with --json the columns. */
static void page_master_row(const struct pt_snapshot *s, const struct grid *g, int user)
{
	size_t i;

	if (user)
		hp("<div class=\"lbl\" title=\"the KPTI trampoline table: TTBR1_EL1 while user"
		      " space runs\">trampoline</div>");
	else
		hp("\n<div class=\"lbl\">master</div>");
	if (!user)
		pr_arr("columns");	/* the kernel row's cells are the grid's columns */
	for (i = 0; i < g->ncols; i++) {
		const struct pt_mslot *m = user ? g->mucell[i] : g->mcell[i];
		const struct pt_entry *e = user ? NULL : g->ment[i];

		if (!user)
			page_column_json(s, g, i);
		TPL("<div class=\"c {{k}}\" title=\"{{who}} slot {{slot}}&#10;{{start}}-{{last}}"
		    "&#10;region {{region}}", TR("k", m || e ? "km" : "k0"),
		    TR("who", user ? "trampoline table" : "master"), TU("slot", g->cols[i].slot),
		    TA("start", g->cols[i].start), TA("last", g->cols[i].last),
		    TS("region", pt_place_name(s, g->cols[i].place)));
		if (m)
			mslot_title(m);
		else if (e)
			side("master", e->mkind, e->mraw, e->mpa);
		else
			hp("&#10;not present");
		listed_once(g, i, user);
		hp("\"></div>");
	}
	if (!user)
		pr_arr_end();
	filler(g);
	hp("\n");
}

/* A process row: its label, then a cell per column, or (ttbr1) one band. */
static void page_task_row(const struct pt_snapshot *s, const struct grid *g, size_t k)
{
	const struct pt_task *t = g->rows[k];
	bool done = pt_task_complete(t);
	size_t i;

	pr_obj(NULL);
	pj_i64("tgid", t->tgid);
	pj_str("comm", t->comm);
	pj_bool("complete", done);
	pj_str("end", pt_task_end_name(t->end));
	if (s->hdr.minor >= 1)
		pj_u64("user_slots", t->ucount);
	else
		pj_null("user_slots");
	TPL("<div class=\"lbl\" title=\"{{comm}}{{why_head}}{{why}}\">{{tgid}} {{comm}}{{inc}}</div>",
	    TS("comm", t->comm), TR("why_head", done ? "" : ": incomplete: "),
	    TR("why", done ? "" : incomplete_why(t)), TI("tgid", t->tgid),
	    TR("inc", done ? "" : " (incomplete)"));
	if (g->ttbr1) {
		/* one band: there is nothing per slot to colour */
		TPL("<div class=\"hw\" style=\"grid-column:span {{span}}\" title=\"{{comm}}: pgd pa"
		    " {{pgd}} (TTBR0_EL1), {{n}} user-half slot{{s}}", TU("span", g->ncols + 1),
		    TS("comm", t->comm), TX("pgd", t->pgd_pa), TU("n", t->ucount),
		    TR("s", plural(t->ucount)));
		for (i = t->ufirst; i < t->ufirst + t->ucount; i++)
			TPL("&#10;slot {{slot}} {{start}}-{{last}} {{kind}}",
			    TU("slot", s->uslots[i].index), TA("start", s->uslots[i].start),
			    TA("last", s->uslots[i].last),
			    TS("kind", pt_kind_name(s->uslots[i].kind)));
		TPL("\">kernel half: the master's table through TTBR1_EL1, shared by hardware"
		    " &middot; no kernel-half entries of its own &middot; {{n}} user-half"
		    " slot{{s}}</div>\n", TU("n", t->ucount), TR("s", plural(t->ucount)));
		pj_null("cells");	/* one band: no kernel-half entries */
		pr_obj_end();
		return;
	}
	pr_arr("cells");
	for (i = 0; i < g->ncols; i++) {
		const struct pt_entry *e = g->cell[k * g->ncols + i];
		const struct pt_entry *u = g->ucell[k * g->ncols + i];
		int cls = e ? e->cls : PTSHARE_NONE;

		TPL("<div class=\"c k{{cls}}\" title=\"{{tgid}} {{comm}} slot {{slot}}&#10;{{start}}-"
		    "{{last}}&#10;region {{region}}&#10;{{class}}", TU("cls", cls),
		    TI("tgid", t->tgid), TS("comm", t->comm), TU("slot", g->cols[i].slot),
		    TA("start", g->cols[i].start), TA("last", g->cols[i].last),
		    TS("region", pt_place_name(s, g->cols[i].place)),
		    TR("class", pt_class_name(cls)));
		if (e) {
			side("process", e->pkind, e->praw, e->ppa);
			side("master", e->mkind, e->mraw, e->mpa);
		}
		if (u)
			TPL("&#10;user-mode copy: {{class}}", TR("class", pt_class_name(u->cls)));
		hp("\"></div>");
		pj_str(NULL, pt_class_name(cls));
	}
	pr_arr_end();
	pr_obj_end();
	hp("\n");
}

/* The cost table: the figures of 'ptshare cost'; the shared tables' total once. */
static void page_cost(const struct pt_cost *c)
{
	size_t i;

	fputs("<h2 style=\"font-size:15px;margin-top:18px\">Page-table memory</h2>\n"
	      "<table class=\"cost\"><tr><th>tgid</th><th>comm</th><th>pt pages</th>"
	      "<th>pt bytes</th>", stdout);
	hp(c->ttbr1 ? "<th>user-half slots</th></tr>\n" :
			 "<th>kernel entries copied</th><th>private kernel tables</th>"
			 "<th>shared master tables</th></tr>\n");
	for (i = 0; i < c->nrows; i++) {
		const struct pt_cost_row *r = &c->rows[i];
		int64_t us = r->row->v[PT_C_USER_SLOTS];

		TPL("<tr><td>{{tgid}}</td><td style=\"text-align:left\">{{comm}}</td><td>{{pages}}"
		    "</td><td>{{bytes}}</td>", TI("tgid", r->row->tgid), TS("comm", r->row->comm),
		    TI("pages", r->row->v[PT_C_PT_PAGES]), TZ("bytes", r->pt_bytes));
		if (c->ttbr1)
			TPL("<td>{{us}}</td></tr>\n", us < 0 ? (struct tval)TR("us", "-") :
						      (struct tval)TI("us", us));
		else
			TPL("<td>{{copy}}</td><td>{{priv}}</td><td>{{shared}}{{est}}</td></tr>\n",
			    TZ("copy", r->kcopy_bytes), TZ("priv", r->kpriv_bytes),
			    TZ("shared", r->shared_bytes), TR("est", r->shared_exact ? "" : " ~"));
	}
	if (c->ttbr1) {
		TPL("<tr><th colspan=\"3\" style=\"text-align:left\">total, {{n}} processes</th>"
		    "<th>{{bytes}}</th><th></th></tr></table>\n<p>Per process, the kernel half costs"
		    " nothing by construction: a process's tables hold only user space, and TTBR1_EL1"
		    " gives every process the master's {{master}} of kernel tables, paid once.</p>\n",
		    TU("n", c->nrows), TZ("bytes", c->total_pt_bytes),
		    TZ("master", c->master_pt_bytes));
		return;
	}
	/* the shared tables exist once, however many processes use them */
	TPL("<tr><th colspan=\"3\" style=\"text-align:left\">total, {{n}} processes</th>"
	    "<th>{{bytes}}</th><th>{{copy}}</th><th>{{priv}}</th><th>{{tables}} once</th></tr>"
	    "</table>\n<p>The master's {{tables}} of kernel tables below its top-level slots serve"
	    " every process, once; private copies of what each process uses of them would cost"
	    " {{unshared}} in all. The kernel's top-level entries copied into each pgd cost"
	    " {{each}} per process.</p>\n", TU("n", c->nrows), TZ("bytes", c->total_pt_bytes),
	    TZ("copy", c->total_kcopy_bytes), TZ("priv", c->total_kpriv_bytes),
	    TZ("tables", c->master_table_bytes), TZ("unshared", c->unshared_bytes),
	    TZ("each", c->nrows ? c->total_kcopy_bytes / c->nrows : 0));
}

/*
 * The page, or with --json the grid it draws as data: one pass over the
 * parts, each writing its markup (TPL, hp) or its members (pj_*, pr_*).
 * The cost figures are the cost command's: its JSON, or a table.
 */
static void html_view(const struct pt_snapshot *s, const struct grid *g, const struct pt_cost *c)
{
	struct block *blk;
	unsigned int nlanes = place_labels(s, g, &blk);
	size_t i, j, k;

	if (!blk) {
		pt_fail("out of memory");
		return;
	}
	if (pt_json) {
		jw_begin_doc("html");
		pt_source(s);
	}
	pr_obj("grid");
	page_top(s, g);
	page_legend(s, g);
	TPL("<div class=\"grid\" id=\"grid\" data-rows=\"{{rows}}\" data-cols=\"{{cols}}\">\n",
	    TU("rows", g->nrows + 1 + g->user_row), TU("cols", g->ncols));
	page_regions(s, g, blk, nlanes);
	page_master_row(s, g, 0);
	if (g->user_row)
		page_master_row(s, g, 1);
	pr_arr("rows");
	for (k = 0; k < g->nrows; k++)
		page_task_row(s, g, k);
	pr_arr_end();
	hp("</div>\n<div class=\"meta\" style=\"margin-top:6px\">columns by region:");
	for (i = 0; i < g->ncols; i = j) {
		for (j = i + 1; j < g->ncols && g->cols[j].place == g->cols[i].place; j++)
			;
		TPL(" {{name}} {{n}}{{sep}}", TS("name", pt_place_name(s, g->cols[i].place)),
		    TU("n", j - i), TR("sep", j < g->ncols ? " &middot;" : ""));
	}
	hp("</div>\n");
	pr_obj_end();
	if (c && pt_json)
		pt_cost_emit(c, s);
	else if (c)
		page_cost(c);
	else
		pj_null("cost");
	if (s->summary_errors)
		TPL("<p><b>INCOMPLETE:</b> the module could not read {{n}} process(es); they are"
		    " not counted.</p>\n", TU("n", s->summary_errors));
	hp("</body></html>\n");
	if (pt_json)
		jw_end_doc();
	free(blk);
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
	html_view(s, &g, c);
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

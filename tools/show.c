// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare show: one walk, of the master or of a process, twice: as
 * merged ranges (contiguous runs with the same flags, or for a process the
 * same class) and as the tree the module walked (region, slot, lower levels),
 * with region names, human sizes and classes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "commands.h"
#include "views.h"

struct show_opts {
	const struct pt_snapshot *s;
	int64_t task;			/* 0: the master */
	int region;			/* -1: all; else what overlaps it */
	int level;			/* -1: all (master), top level (task ranges) */
	const char *region_name, *level_name;
};

static bool want_region(const struct show_opts *o, unsigned int place)
{
	return o->region < 0 || pt_place_has(o->s, place, o->region);
}

/* ---- master ---- */

/*
 * A merged row: range and descend lines (@kind PT_MR_RANGE: a row shows no
 * frames), or alias lines of one frame (@kind PT_MR_ALIAS, @pa that frame),
 * or repeat lines of one table (PT_MR_REPEAT, @pa that table). Those three
 * are never merged with each other: an alias maps one frame at every
 * address, a repeat stands for a table whose lines are elsewhere.
 */
struct merged {
	uint64_t start, last, size, pa;
	const char *flags;
	uint8_t user, levels, kind;	/* levels: bit per level seen */
	uint16_t place;
	size_t count;
};

static bool want_mrange(const struct show_opts *o, const struct pt_mrange *r)
{
	return want_region(o, r->place) && (o->level < 0 || r->level == o->level);
}

/* Range and descend lines merge with each other: a merged row shows no frames. */
static bool same_merge_kind(unsigned int a, unsigned int b)
{
	return a == b || ((a == PT_MR_RANGE || a == PT_MR_DESCEND) &&
			  (b == PT_MR_RANGE || b == PT_MR_DESCEND));
}

/* Ranges and alias runs into @out (returns how many), repeats into @rep (*@nrep). */
static size_t merge_master(const struct pt_snapshot *s, const struct show_opts *o,
			   struct merged *out, struct merged *rep, size_t *nrep)
{
	size_t i, n = 0;

	*nrep = 0;
	for (i = 0; i < s->nmranges; i++) {
		const struct pt_mrange *r = &s->mranges[i];
		struct merged *arr = r->kind == PT_MR_REPEAT ? rep : out, *m;
		size_t *cnt = r->kind == PT_MR_REPEAT ? nrep : &n;

		if (r->kind == PT_MR_BAD || !want_mrange(o, r))
			continue;
		m = *cnt ? &arr[*cnt - 1] : NULL;
		if (m && m->user == r->user && m->last + 1 == r->start && m->place == r->place &&
		    same_merge_kind(m->kind, r->kind) && (m->kind != PT_MR_ALIAS || m->pa == r->pa) &&
		    (m->kind != PT_MR_REPEAT || m->pa == r->pa) &&
		    (r->kind == PT_MR_REPEAT || !strcmp(m->flags, r->flags))) {
			m->last = r->last;
			m->size += r->last - r->start + 1;
			m->levels |= 1 << r->level;
			m->count++;
			continue;
		}
		arr[(*cnt)++] = (struct merged){ .start = r->start,
						 .last = r->last,
						 .size = r->last - r->start + 1,
						 .pa = r->pa,
						 .flags = r->flags,
						 .user = r->user,
						 .levels = 1 << r->level,
						 .kind = r->kind == PT_MR_DESCEND ? PT_MR_RANGE :
							 r->kind,
						 .place = r->place,
						 .count = 1 };
	}
	return n;
}

/* How many lines of @kind the master has (format 1.2's alias and repeat). */
static size_t count_mranges(const struct pt_snapshot *s, unsigned int kind)
{
	size_t i, n = 0;

	for (i = 0; i < s->nmranges; i++)
		n += s->mranges[i].kind == kind;
	return n;
}

static const char *levels_text(unsigned int mask, char *buf, size_t size)
{
	size_t o = 0;
	int l;

	buf[0] = '\0';
	for (l = 0; l < PT_NR_LEVELS; l++)
		if (mask & (1 << l))
			o += snprintf(buf + o, size - o, "%s%s", o ? "+" : "", pt_level_name(l));
	return buf;
}

/*
 * The next slot line or range of pgd @user (kernel 0, user 1), in address
 * order, a slot before the ranges that start with it: one of *@sl and *@r is
 * set. @i and @k are the cursors into mslots and mranges. False at the end.
 */
static bool next_master_item(const struct pt_snapshot *s, int user, size_t *i, size_t *k,
			     const struct pt_mslot **sl, const struct pt_mrange **r)
{
	*sl = NULL;
	*r = NULL;
	while (*i < s->nmslots && s->mslots[*i].user != user)
		(*i)++;
	while (*k < s->nmranges && s->mranges[*k].user != user)
		(*k)++;
	if (*i < s->nmslots &&
	    (*k == s->nmranges || s->mslots[*i].start <= s->mranges[*k].start))
		*sl = &s->mslots[(*i)++];
	else if (*k < s->nmranges)
		*r = &s->mranges[(*k)++];
	else
		return false;
	return true;
}

/* The --region and --level given: text at the end of a heading line, JSON members. */
static void pr_filters(const struct show_opts *o)
{
	if (o->region_name)
		pr_str("region_filter", "; region %s", o->region_name);
	else
		pj_null("region_filter");
	if (o->level_name)
		pr_str("level_filter", "; level %s", o->level_name);
	else
		pj_null("level_filter");
}

enum { M_PGD, M_START, M_LAST, M_SIZE, M_LEVELS, M_FLAGS, M_TABLE, M_LINES, M_REGION, M_NR };

/* A merged row of ranges and alias runs (@rep false) or of repeats. */
static void merged_row(const struct pt_snapshot *s, struct pr_col *col, const struct merged *m)
{
	char b[64];

	pr_row(NULL);
	pr_cell_str(&col[M_PGD], m->user ? "user" : "kernel");
	pr_cell_hex(&col[M_START], m->start);
	pr_cell_hex(&col[M_LAST], m->last);
	pr_cell_size(&col[M_SIZE], m->size, NULL);
	pr_cell_str(&col[M_LEVELS], levels_text(m->levels, b, sizeof(b)));
	if (m->kind == PT_MR_REPEAT) {
		pr_cell_hex(&col[M_TABLE], m->pa);
	} else {
		pj_str("kind", pt_mrange_kind_name(m->kind));
		pr_cell_str(&col[M_FLAGS], m->flags);
	}
	pr_cell_i64(&col[M_LINES], m->count);
	pr_cell_place(&col[M_REGION], s, m->place);
	/* after the region, so that the columns stay those of a range */
	if (m->kind == PT_MR_ALIAS)
		pr_hex("alias_pa", "  alias: every page maps frame 0x%" PRIx64, m->pa);
	else if (m->kind != PT_MR_REPEAT)
		pj_null("alias_pa");
	pr_row_end();
}

static void merged_table(const struct pt_snapshot *s, const char *key, const struct merged *m,
			 size_t n, bool rep)
{
	struct pr_col col[M_NR] = {
		[M_PGD] = { .key = "pgd", .head = "pgd", .min = 6, .flags = PR_LEFT },
		[M_START] = { .key = "start", .head = "start", .min = 18, .flags = PR_LEFT },
		[M_LAST] = { .key = "last", .head = "last", .min = 18, .flags = PR_LEFT },
		[M_SIZE] = { .key = "size", .head = "size", .min = 10 },
		[M_LEVELS] = { .key = "levels", .head = rep ? "level" : "levels", .min = 9,
			       .flags = PR_LEFT },
		[M_FLAGS] = { .key = "flags", .head = rep ? NULL : "flags", .min = 12,
			      .flags = PR_LEFT },
		[M_TABLE] = { .key = "table_pa", .head = rep ? "table pa" : NULL, .min = 18,
			      .flags = PR_LEFT },
		[M_LINES] = { .key = "lines", .head = "lines", .min = 6 },
		[M_REGION] = { .key = "region", .head = "region", .flags = PR_NOPAD },
	};
	size_t i, pass;

	pr_table(col, M_NR, "  ");
	for (pass = pt_json; pass < 2; pass++) {
		pr_measure(!pass);
		if (pass)
			pr_table_head();
		if (pass)
			pr_arr(key);
		for (i = 0; i < n; i++)
			merged_row(s, col, &m[i]);
		if (pass)
			pr_arr_end();
	}
}

/* A master line below a slot: range, alias, descend, repeat or bad. */
static void mrange_item(const struct pt_snapshot *s, const struct pt_mrange *r)
{
	bool bad = r->kind == PT_MR_BAD;

	pr_obj(NULL);
	pj_str("type", pt_mrange_kind_name(r->kind));
	pr_text(bad ? "      bad " : "      ");
	pr_hex("start", "0x%016" PRIx64, r->start);
	pr_hex("last", "-0x%016" PRIx64, r->last);
	if (bad)
		pj_u64("size", r->last - r->start + 1);
	else
		pr_size("size", " %10s", r->last - r->start + 1);
	pr_str("level", " %s", pt_level_name(r->level));
	switch (r->kind) {
	case PT_MR_BAD:
		pr_hex("raw", " raw 0x%" PRIx64 "\n", r->raw);
		pj_null("flags");
		pj_null("pa");
		pj_null("table_pa");
		break;
	case PT_MR_REPEAT:
		pj_null("raw");
		pj_null("flags");
		pj_null("pa");
		pr_hex("table_pa", " repeat of table pa 0x%" PRIx64 ": walked before, not again\n",
		       r->pa);
		break;
	default:
		pj_null("raw");
		pr_str("flags", " %s", r->flags);
		pr_hex("pa", " pa 0x%" PRIx64, r->pa);
		pj_null("table_pa");
		pr_text("%s\n", r->kind == PT_MR_ALIAS ? " alias: every page maps this frame" :
				r->kind == PT_MR_DESCEND ? " descend: each next entry maps the"
							   " frame below" : "");
	}
	pr_place(s, r->place, NULL);
	pr_obj_end();
}

/* A slot with its "ranges" open; @sl NULL: ranges before any slot line (JSON nulls, no text). */
static void slot_begin(const struct pt_snapshot *s, const struct pt_mslot *sl, int user)
{
	pr_obj(NULL);
	pj_str("pgd", user ? "user" : "kernel");
	if (sl) {
		pr_u64("index", "  slot %" PRIu64, sl->index);
		pr_hex("start", " 0x%016" PRIx64, sl->start);
		pr_hex("last", "-0x%016" PRIx64, sl->last);
		pr_size(NULL, " %s", sl->last - sl->start + 1);
		pr_str("kind", " %s", pt_kind_name(sl->kind));
		pr_hex("raw", " raw 0x%" PRIx64, sl->raw);
		pr_hex("pa", " pa 0x%" PRIx64, sl->pa);
		pr_str("flags", " %s\n", sl->flags);
		pr_place(s, sl->place, NULL);
	} else {
		pj_null("index");
		pj_null("start");
		pj_null("last");
		pj_null("kind");
		pj_null("raw");
		pj_null("pa");
		pj_null("flags");
		pr_place(s, PT_NO_REGION, NULL);
	}
	pr_arr("ranges");
}

static void slot_end(void)
{
	pr_arr_end();
	pr_obj_end();
}

/*
 * The tree: per pgd, its slot lines and the ranges below each, in address
 * order; with --region or --level only the slots with a range wanted, each
 * shown before its first one; a region line where the region changes.
 */
static void master_tree(const struct pt_snapshot *s, const struct show_opts *o)
{
	bool filters = o->region >= 0 || o->level >= 0;
	int user;

	pr_text("\ntree (pgd, slot, region, leaf ranges):\n");
	pr_arr("slots");
	for (user = 0; user <= (int)s->hdr.has_user; user++) {
		const struct pt_mslot *cur = NULL, *sl;
		const struct pt_mrange *r;
		size_t i = 0, k = 0;
		bool open = false;
		int region = -1;

		pr_text("%s pgd%s\n", user ? "user" : "kernel",
			user && pt_ttbr1(s) ? " (the KPTI trampoline table)" : "");
		while (next_master_item(s, user, &i, &k, &sl, &r)) {
			if (sl) {
				if (open)
					slot_end();
				open = false;
				cur = sl;
				if (!filters) {
					slot_begin(s, cur, user);
					open = true;
					region = -1;
				}
				continue;
			}
			if (!want_mrange(o, r))
				continue;
			if (!open) {
				slot_begin(s, cur, user);
				open = true;
				region = -1;
			}
			if ((int)r->place != region) {
				pr_text("    region %s\n", pt_place_name(s, r->place));
				region = r->place;
			}
			mrange_item(s, r);
		}
		if (open)
			slot_end();
	}
	pr_arr_end();
}

static void show_master(const struct pt_snapshot *s, const struct show_opts *o,
			const struct merged *mg, size_t nmg, const struct merged *rp, size_t nrp)
{
	size_t i, nalias = count_mranges(s, PT_MR_ALIAS), nrepeat = count_mranges(s, PT_MR_REPEAT);
	bool alias_rows = false;

	if (pt_json)
		jw_begin_doc("show");
	pt_source(s);
	pj_str("view", "master");
	pr_text("\nmaster pgd 0x%" PRIx64 " (pa 0x%" PRIx64 ")", s->hdr.master_va,
		s->hdr.master_pa);
	if (s->hdr.has_user)
		pr_text(", %s 0x%" PRIx64 " (pa 0x%" PRIx64 ")",
			pt_ttbr1(s) ? "KPTI trampoline table (pgd user)" : "user-mode copy",
			s->hdr.muser_va, s->hdr.muser_pa);
	pr_filters(o);
	pr_text("\n");
	pj_bool("complete", !s->master_errors);
	if (s->master_errors)
		pr_text("INCOMPLETE: the module could not read %u table(s) of the master\n",
			s->master_errors);
	/* format 1.2 lines: null (not 0) for a file of a format that has none */
	if (s->hdr.minor >= 2) {
		pj_u64("alias_lines", nalias);
		pj_u64("repeat_lines", nrepeat);
	} else {
		pj_null("alias_lines");
		pj_null("repeat_lines");
	}
	if (nalias || nrepeat)
		pr_text("listed once (format 1.2): %zu alias run%s (one frame mapped at every"
			" address of the run)\nand %zu repeated table%s (entries pointing to a table"
			" walked before: not walked again)\n", nalias, nalias == 1 ? "" : "s",
			nrepeat, nrepeat == 1 ? "" : "s");

	pr_text("\nmerged ranges (contiguous, same flags and region):\n");
	merged_table(s, "merged", mg, nmg, false);
	for (i = 0; i < nmg; i++)
		alias_rows |= mg[i].kind == PT_MR_ALIAS;
	if (!nmg)
		pr_text("  (none)\n");
	if (alias_rows)
		pr_text("  (alias: one frame mapped at every address of the run, not contiguous"
			" frames)\n");
	if (s->hdr.minor < 2) {
		pj_null("repeats");
	} else if (nrp || pt_json) {
		pr_text("\nrepeated tables (entries pointing to a table walked before, listed"
			" once):\n");
		merged_table(s, "repeats", rp, nrp, true);
	}
	master_tree(s, o);
	if (pt_json)
		jw_end_doc();
}

/* ---- a task ---- */

struct trun {
	uint64_t start, last;
	size_t count;
	uint8_t user, cls, level;
	uint16_t place;
};

static bool entry_wanted(const struct show_opts *o, const struct pt_entry *e, bool ranges)
{
	if (!want_region(o, e->place))
		return false;
	if (o->level >= 0)
		return e->level == o->level;
	return !ranges || e->depth == 0;
}

static size_t merge_task(const struct pt_snapshot *s, const struct pt_task *t,
			 const struct show_opts *o, struct trun *out)
{
	size_t i, n = 0;

	for (i = t->first; i < t->first + t->count; i++) {
		const struct pt_entry *e = &s->entries[i];
		struct trun *r = n ? &out[n - 1] : NULL;

		if (!entry_wanted(o, e, true))
			continue;
		if (r && r->user == e->user && r->last + 1 == e->start && r->cls == e->cls &&
		    r->place == e->place && r->level == e->level) {
			r->last = e->last;
			r->count++;
			continue;
		}
		out[n++] = (struct trun){ .start = e->start, .last = e->last, .count = 1,
					  .user = e->user, .cls = e->cls, .level = e->level,
					  .place = e->place };
	}
	return n;
}

static const char *task_state(const struct pt_task *t)
{
	if (t->state == PT_T_NOMM)
		return "no mm (a kernel thread): nothing to show";
	if (t->state == PT_T_GONE)
		return "gone before it was dumped: nothing to show";
	if (t->end == PT_TE_EXITED)
		return "INCOMPLETE: it exited while it was dumped";
	if (t->end == PT_TE_EXEC)
		return "INCOMPLETE: it called exec while it was dumped (the mm being dumped went;"
		       " the process lives on with a new one)";
	if (t->errors)
		return "INCOMPLETE: the module could not read some of its tables";
	return "complete";
}

/* The user half has no regions: its uslot lines show unless a region or a lower level is asked for. */
static bool uslots_wanted(const struct show_opts *o)
{
	return o->region < 0 && o->level <= 0;
}

enum { U_INDEX, U_START, U_LAST, U_SIZE, U_KIND, U_RAW, U_PA, U_LINE, U_NR };

static void uslot_rows(const struct pt_snapshot *s, const struct pt_task *t, struct pr_col *col)
{
	size_t i;

	for (i = t->ufirst; i < t->ufirst + t->ucount; i++) {
		const struct pt_uslot *u = &s->uslots[i];

		pr_row(NULL);
		pr_cell_i64(&col[U_INDEX], u->index);
		pr_cell_hex(&col[U_START], u->start);
		pr_cell_hex(&col[U_LAST], u->last);
		pr_cell_size(&col[U_SIZE], u->last - u->start + 1, NULL);
		pr_cell_str(&col[U_KIND], pt_kind_name(u->kind));
		pr_cell_hex(&col[U_RAW], u->raw);
		if (u->kind == PT_K_BAD)
			pr_cell_null(&col[U_PA]);
		else
			pr_cell_xnum(&col[U_PA], u->pa);
		pr_cell_i64(&col[U_LINE], u->line);
		pr_row_end();
	}
}

static void show_uslots(const struct pt_snapshot *s, const struct pt_task *t,
			const struct show_opts *o)
{
	struct pr_col col[U_NR] = {
		[U_INDEX] = { .key = "index", .head = "slot", .min = 5 },
		[U_START] = { .key = "start", .head = "start", .min = 18, .flags = PR_LEFT },
		[U_LAST] = { .key = "last", .head = "last", .min = 18, .flags = PR_LEFT },
		[U_SIZE] = { .key = "size", .head = "size", .min = 10 },
		[U_KIND] = { .key = "kind", .head = "kind", .min = 5, .flags = PR_LEFT },
		[U_RAW] = { .key = "raw", .head = "raw", .min = 18, .flags = PR_LEFT },
		[U_PA] = { .key = "pa", .head = "pa", .flags = PR_NOPAD },
		[U_LINE] = { .key = "line" },
	};

	/* format 1.0 has no uslot lines: null, not an empty list */
	if (s->hdr.minor < 1) {
		pj_null("uslots");
		return;
	}
	pr_arr("uslots");
	if (uslots_wanted(o)) {
		pr_text("\nuser half: %zu present top-level slot%s of its pgd below the kernel half"
			" (its own, not compared):\n", t->ucount, t->ucount == 1 ? "" : "s");
		if (!t->ucount) {
			pr_text("  (none)\n");
		} else {
			pr_table(col, U_NR, "  ");
			if (!pt_json) {	/* the widths */
				pr_measure(true);
				uslot_rows(s, t, col);
				pr_measure(false);
			}
			pr_table_head();
			uslot_rows(s, t, col);
		}
	}
	pr_arr_end();
}

enum { T_PGD, T_START, T_LAST, T_SIZE, T_ENTRIES, T_LEVEL, T_CLASS, T_REGION, T_NR };

static void trun_rows(const struct pt_snapshot *s, const struct trun *tr, size_t n,
		      struct pr_col *col)
{
	size_t i;

	for (i = 0; i < n; i++) {
		pr_row(NULL);
		pr_cell_str(&col[T_PGD], tr[i].user ? "user" : "kernel");
		pr_cell_hex(&col[T_START], tr[i].start);
		pr_cell_hex(&col[T_LAST], tr[i].last);
		pr_cell_size(&col[T_SIZE], tr[i].last - tr[i].start + 1, NULL);
		pr_cell_i64(&col[T_ENTRIES], tr[i].count);
		pr_cell_str(&col[T_LEVEL], pt_level_name(tr[i].level));
		pr_cell_str(&col[T_CLASS], pt_class_name(tr[i].cls));
		pr_cell_place(&col[T_REGION], s, tr[i].place);
		pr_row_end();
	}
}

static void show_task_runs(const struct pt_snapshot *s, const struct show_opts *o,
			   const struct trun *tr, size_t n)
{
	struct pr_col col[T_NR] = {
		[T_PGD] = { .key = "pgd", .head = "pgd", .min = 6, .flags = PR_LEFT },
		[T_START] = { .key = "start", .head = "start", .min = 18, .flags = PR_LEFT },
		[T_LAST] = { .key = "last", .head = "last", .min = 18, .flags = PR_LEFT },
		[T_SIZE] = { .key = "size", .head = "size", .min = 10 },
		[T_ENTRIES] = { .key = "entries", .head = "entries", .min = 7 },
		[T_LEVEL] = { .key = "level" },
		[T_CLASS] = { .key = "class", .head = "class", .min = 7, .flags = PR_LEFT },
		[T_REGION] = { .key = "region", .head = "region", .flags = PR_NOPAD },
	};

	pr_text("\nmerged ranges (%s entries, contiguous, same class and region):\n",
		o->level_name ? o->level_name : "top-level");
	pr_table(col, T_NR, "  ");
	if (!pt_json) {	/* the widths */
		pr_measure(true);
		trun_rows(s, tr, n, col);
		pr_measure(false);
	}
	pr_table_head();
	pr_arr("merged");
	trun_rows(s, tr, n, col);
	pr_arr_end();
	if (!n)
		pr_text("  (none)\n");
}

/* An entry of the tree, indented by its depth. */
static void entry_item(const struct pt_snapshot *s, const struct pt_entry *e)
{
	pr_obj(NULL);
	pr_text("  %*s", e->depth * 2, "");
	pr_str("pgd", "%s", e->user ? "user" : "kernel");
	pj_u64("depth", e->depth);
	pr_str("level", " %s", pt_level_name(e->level));
	pr_hex("start", " 0x%016" PRIx64, e->start);
	pr_hex("last", "-0x%016" PRIx64, e->last);
	pr_size(NULL, " %s", e->last - e->start + 1);
	pr_str("class", " %s", pt_class_name(e->cls));
	pr_side("process", e->pkind, e->praw, e->ppa, false);
	pr_side("master", e->mkind, e->mraw, e->mpa, false);
	pr_place(s, e->place, " %s\n");
	pj_u64("line", e->line);
	pr_obj_end();
}

static void show_task(const struct pt_snapshot *s, const struct pt_task *t,
		      const struct show_opts *o, const struct trun *tr, size_t ntr)
{
	bool ok = t->state == PT_T_OK;
	size_t i;

	if (pt_json)
		jw_begin_doc("show");
	pt_source(s);
	pj_str("view", "task");
	pr_obj("task");
	pr_i64("tgid", "\ntask %" PRId64, t->tgid);
	pr_str("comm", " %s", t->comm);
	pr_u64("threads", " threads %" PRIu64, t->threads);
	pj_str("state", ok ? "ok" : t->state == PT_T_NOMM ? "no-mm" : "gone");
	pj_str("end", pt_task_end_name(t->end));
	pj_bool("complete", pt_task_complete(t));
	pj_u64("errors", t->errors);
	if (ok)
		pr_hex("pgd_pa", " pgd pa 0x%" PRIx64, t->pgd_pa);
	else
		pj_null("pgd_pa");
	if (t->has_upgd && ok)
		pr_hex("user_pgd_pa", " user pgd pa 0x%" PRIx64, t->upgd_pa);
	else if (t->has_upgd)
		pj_hex("user_pgd_pa", t->upgd_pa);
	else
		pj_null("user_pgd_pa");
	pr_obj_end();
	pr_text(": %s", task_state(t));
	pr_filters(o);
	pr_text("\n");
	if (!ok && !pt_json)
		return;		/* the text says why there is nothing to show */
	show_uslots(s, t, o);
	pj_bool("kernel_entries", !pt_ttbr1(s));
	if (pt_ttbr1(s))
		pr_text("\nkernel half: no entries in this process's pgd: with kernel_table ttbr1"
			" TTBR1_EL1 gives it\nthe master's table (pa 0x%" PRIx64 ") itself;"
			" 'ptshare show --master' shows that table\n", s->hdr.ktable_pa);
	if (!pt_ttbr1(s) || pt_json)
		show_task_runs(s, o, tr, ntr);
	if (!pt_ttbr1(s))
		pr_text("\ntree (each slot against the master's; non-SHARED entries followed"
			" down):\n");
	pr_arr("entries");
	for (i = t->first; i < t->first + t->count; i++)
		if (entry_wanted(o, &s->entries[i], false))
			entry_item(s, &s->entries[i]);
	pr_arr_end();
	if (pt_json)
		jw_end_doc();
}

/* @task 0: the master. @level -1: all. Returns 0, 1 (shown, but incomplete) or -1. */
int pt_show_render(const struct pt_snapshot *s, int64_t task, const char *region_name, int level)
{
	struct show_opts o = { .s = s, .task = task, .region = -1, .level = level,
			       .region_name = region_name,
			       .level_name = level >= 0 ? pt_level_name(level) : NULL };
	const struct pt_task *t;
	size_t nruns, nreps = 0;
	void *runs, *reps = NULL;
	int ret;

	if (o.region_name) {
		o.region = pt_region_by_name(s, o.region_name);
		if (o.region < 0) {
			pt_error(s->name, 0, "no region '%s' in this report", o.region_name);
			return -1;
		}
	}
	if (task) {
		t = pt_find_task(s, task);
		if (!t) {
			pt_error(s->name, 0, "task %" PRId64 " is not in its dump%s", task,
				 s->has_dump ? "" : " (it has no dump)");
			return -1;
		}
		runs = calloc(t->count + 1, sizeof(struct trun));
		if (!runs)
			goto oom;
		nruns = merge_task(s, t, &o, runs);
		show_task(s, t, &o, runs, nruns);
		ret = pt_task_complete(t) ? 0 : PT_EXIT_FAIL;
	} else {
		if (!s->has_master) {
			pt_error(s->name, 0, "has no master section");
			return -1;
		}
		runs = calloc(s->nmranges + 1, sizeof(struct merged));
		reps = calloc(s->nmranges + 1, sizeof(struct merged));
		if (!runs || !reps) {
			free(runs);
			free(reps);
			goto oom;
		}
		nruns = merge_master(s, &o, runs, reps, &nreps);
		show_master(s, &o, runs, nruns, reps, nreps);
		ret = s->master_errors ? PT_EXIT_FAIL : 0;
	}
	free(runs);
	free(reps);
	return ret;
oom:
	pt_fail("out of memory");
	return -1;
}

static const char show_help[] =
	"usage: ptshare show [--json] [SNAPSHOT] [--task PID | --master]\n"
	"                    [--region NAME] [--level L]\n"
	"\n"
	"The walk of the master (default) or of one process, as merged ranges and\n"
	"as a tree, with region names, human sizes and, for a process, the class\n"
	"of every entry against the master's, after the top-level slots of its user\n"
	"half (format 1.1). With kernel_table ttbr1 (arm64) a process's pgd has no\n"
	"kernel-half entries: only its user-half slots are shown.\n"
	"Format 1.2 lists what repeats once: an alias run (one frame mapped at every\n"
	"address of the run) is a merged row of its own, marked 'alias'; a repeat\n"
	"(entries pointing to a table walked before) is listed under 'repeated\n"
	"tables'. A task whose dump ended with exec is shown INCOMPLETE, as exec.\n"
	"\n"
	"  --task PID     a process (from the snapshot's dump; live: dumped now)\n"
	"  --master       the master's kernel half (the default)\n"
	"  --region NAME  only this region (names: the snapshot's region lines)\n"
	"  --level L      only entries or ranges at level L (pgd p4d pud pmd pte)\n"
	"  --json         one JSON document (doc/JSON.md)\n"
	"  --help         this text\n";

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, PT_OPT_JSON },
		{ "task", required_argument, NULL, 't' },
		{ "master", no_argument, NULL, 'm' },
		{ "region", required_argument, NULL, 'r' },
		{ "level", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct show_opts o = { .region = -1, .level = -1 };
	struct pt_request rq = { .summary = false };
	struct pt_snapshot s;
	const char *path = NULL;
	bool master = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(show_help, stdout);
			return 0;
		case PT_OPT_JSON:
			pt_json = true;
			break;
		case 't':
			if (o.task || pt_parse_pid(optarg, &o.task))
				return pt_usage_error("--task: one pid, not '%s'", optarg);
			break;
		case 'm':
			master = true;
			break;
		case 'r':
			o.region_name = optarg;
			break;
		case 'l':
			o.level_name = optarg;
			for (o.level = 0; o.level < PT_NR_LEVELS; o.level++)
				if (!strcmp(optarg, pt_level_name(o.level)))
					break;
			if (o.level == PT_NR_LEVELS)
				return pt_usage_error(
					"--level: '%s' is not pgd, p4d, pud, pmd or pte", optarg);
			break;
		default:
			return pt_usage_error("bad option");
		}
	}
	if (master && o.task)
		return pt_usage_error("--task or --master, not both");
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc)
		return pt_usage_error("unexpected argument '%s'", argv[optind]);

	if (o.task) {
		rq.kind = PT_SEL_PIDS;
		rq.pids = &o.task;
		rq.npids = 1;
	} else {
		rq.master = true;
	}
	if (pt_load(&s, path, &rq)) {
		pt_snapshot_free(&s);
		return pt_finish_error(PT_EXIT_FAIL);
	}
	ret = pt_show_render(&s, o.task, o.region_name, o.level);
	pt_snapshot_free(&s);
	return ret < 0 ? pt_finish_error(PT_EXIT_FAIL) : ret;
}

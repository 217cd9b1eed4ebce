// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare diff: what changed between two snapshots (processes and
 * dumped tasks that appeared or went, entries that changed class or value,
 * master slots and ranges), per region; or two processes of one snapshot; or
 * a process against the master. Exit status like diff(1): 0 same,
 * 1 different, 2 trouble. Entries are matched by a linear merge on
 * (pgd, start, level), the order the module writes them in, so two snapshots
 * of a million records each take a fraction of a second.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "commands.h"
#include "views.h"

#define EXIT_SAME	0
#define EXIT_DIFFERENT	1
#define EXIT_TROUBLE	2

struct region_count {
	const char *name;
	uint64_t count;
};

struct dstate {
	const struct pt_snapshot *a, *b;
	uint64_t changes;
	struct region_count regions[256];
	size_t nregions;
	bool uslots;			/* --user-slots: list and count user-half changes */
	const char *note;		/* why some changes come from the format (A B) */
	char notebuf[320];
	uint64_t uslot_changes;		/* user-half slot changes, listed or not */
};

/* The per-region count of user-half slot changes (the user half has no regions). */
#define USER_HALF	"(user half)"

/* One more change of region @name (a change that spans regions counts in each). */
static void count_name(struct dstate *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nregions; i++) {
		if (d->regions[i].name == name || !strcmp(d->regions[i].name, name)) {
			d->regions[i].count++;
			return;
		}
	}
	if (d->nregions < sizeof(d->regions) / sizeof(d->regions[0]))
		d->regions[d->nregions++] = (struct region_count){ name, 1 };
}

/* A change counts in every region its entry overlaps, or under "-". */
static void count_region(struct dstate *d, const struct pt_snapshot *s, unsigned int place)
{
	size_t i;

	d->changes++;
	if (place >= s->nplaces) {
		count_name(d, "-");
		return;
	}
	for (i = 0; i < s->places[place].n; i++)
		count_name(d, s->hdr.regions[s->places[place].r[i]].name);
}

/* ---- entries ---- */

static int entry_cmp(const struct pt_entry *x, const struct pt_entry *y)
{
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	return 0;
}

static bool entry_same(const struct pt_entry *x, const struct pt_entry *y, bool process_only)
{
	if (x->cls != y->cls || x->pkind != y->pkind || x->praw != y->praw || x->ppa != y->ppa)
		return false;
	if (process_only)
		return true;
	return x->mkind == y->mkind && x->mraw == y->mraw && x->mpa == y->mpa;
}

/*
 * One side of an entry change, the object @key {class, process_*, master_*,
 * line}; the text " CLASS process SIDE [master SIDE]" (@with_master), or
 * none unless @text.
 */
static void entry_side(const char *key, const struct pt_entry *e, bool with_master, bool text)
{
	if (!text && !pt_json)
		return;
	pr_obj(key);
	pr_str("class", " %s", pt_class_name(e->cls));
	pr_side("process", e->pkind, e->praw, e->ppa, true);
	if (with_master || pt_json)
		pr_side("master", e->mkind, e->mraw, e->mpa, true);
	pj_u64("line", e->line);
	pr_obj_end();
}

/* The tasks a change is between: "  [A / B]", or "  [A]" when one side tells. */
static void who_text(const char *who_a, const char *who_b, bool both, bool a_side)
{
	pj_str("a", who_a);
	pj_str("b", who_b);
	if (both && strcmp(who_a, who_b))
		pr_text("  [%s / %s]\n", who_a, who_b);
	else
		pr_text("  [%s]\n", a_side ? who_a : who_b);
}

/*
 * An entry that appeared (@x NULL), went (@y NULL), changed, or that differs
 * from the master's (@x == @y, task-master).
 */
static void entry_change(struct dstate *d, const char *who_a, const char *who_b,
			 const struct pt_entry *x, const struct pt_entry *y, bool with_master)
{
	const struct pt_entry *e = x ? x : y;
	const struct pt_snapshot *s = x ? d->a : d->b;

	count_region(d, s, e->place);
	pr_obj(NULL);
	pj_str("what", "entry");
	pj_str("change", !x ? "appeared" : !y ? "went" : x == y ? "differs" : "changed");
	pr_text("%c ", !x ? '+' : !y ? '-' : x == y ? '!' : '~');
	pr_str("pgd", "%s", e->user ? "user" : "kernel");
	pr_str("level", " %s", pt_level_name(e->level));
	pr_hex("start", " 0x%016" PRIx64, e->start);
	pr_hex("last", "-0x%016" PRIx64, e->last);
	pr_place(s, e->place, " %s:");
	if (x)
		entry_side("old", x, with_master, true);
	else
		pj_null("old");
	if (x && y && x != y)
		pr_text(" ->");
	if (y)
		entry_side("new", y, with_master, x != y);
	else
		pj_null("new");
	who_text(who_a, who_b, x && y && x != y, x && x != y);
	pr_obj_end();
}

/* Merge the entries of @ta (in d->a) and @tb (in d->b). */
static void diff_entries(struct dstate *d, const struct pt_task *ta, const struct pt_task *tb,
			 const char *who_a, const char *who_b, bool process_only)
{
	const struct pt_entry *x = NULL, *xe = NULL, *y = NULL, *ye = NULL;

	/* no entry lines at all (kernel_table ttbr1): no array either */
	if (ta->count) {
		x = d->a->entries + ta->first;
		xe = x + ta->count;
	}
	if (tb->count) {
		y = d->b->entries + tb->first;
		ye = y + tb->count;
	}
	while (x < xe || y < ye) {
		int c = x == xe ? 1 : y == ye ? -1 : entry_cmp(x, y);

		if (c < 0) {
			entry_change(d, who_a, who_b, x++, NULL, !process_only);
		} else if (c > 0) {
			entry_change(d, who_a, who_b, NULL, y++, !process_only);
		} else {
			if (!entry_same(x, y, process_only))
				entry_change(d, who_a, who_b, x, y, !process_only);
			x++;
			y++;
		}
	}
}

/* ---- user-half slots (1.1) ---- */

/* One side of a uslot change: the object @key (as show's uslots), text " KIND RAW [pa PA]". */
static void uslot_side(const char *key, const struct pt_uslot *u)
{
	if (!u) {
		pj_null(key);
		return;
	}
	pr_obj(key);
	pj_u64("index", u->index);
	pj_hex("start", u->start);
	pj_hex("last", u->last);
	pj_u64("size", u->last - u->start + 1);
	pr_str("kind", " %s", pt_kind_name(u->kind));
	pr_hex("raw", " 0x%" PRIx64, u->raw);
	if (u->kind == PT_K_BAD)
		pj_null("pa");
	else
		pr_hex("pa", " pa 0x%" PRIx64, u->pa);
	pj_u64("line", u->line);
	pr_obj_end();
}

/*
 * A user-half slot that appeared (@x NULL), went (@y NULL) or changed. The
 * user half is the process's own business: listed and counted as a
 * difference only with --user-slots, otherwise only counted apart.
 */
static void uslot_change(struct dstate *d, const char *who_a, const char *who_b,
			 const struct pt_uslot *x, const struct pt_uslot *y)
{
	const struct pt_uslot *u = x ? x : y;

	d->uslot_changes++;
	if (!d->uslots)
		return;
	d->changes++;
	count_name(d, USER_HALF);
	pr_obj(NULL);
	pj_str("what", "uslot");
	pj_str("change", !x ? "appeared" : !y ? "went" : "changed");
	pr_text("%c uslot ", !x ? '+' : !y ? '-' : '~');
	pr_u64("index", "%" PRIu64, u->index);
	pr_text(" 0x%016" PRIx64 "-0x%016" PRIx64 ":", u->start, u->last);
	uslot_side("old", x);
	if (x && y)
		pr_text(" ->");
	uslot_side("new", y);
	who_text(who_a, who_b, x && y, x);
	pr_obj_end();
}

static bool uslot_same(const struct pt_uslot *x, const struct pt_uslot *y)
{
	return x->start == y->start && x->last == y->last && x->kind == y->kind &&
	       x->raw == y->raw && x->pa == y->pa;
}

/* Merge the uslot lines of @ta (in d->a) and @tb (in d->b) by index. */
static void diff_uslots(struct dstate *d, const struct pt_task *ta, const struct pt_task *tb,
			const char *who_a, const char *who_b)
{
	const struct pt_uslot *x = NULL, *xe = NULL, *y = NULL, *ye = NULL;

	if (ta->ucount) {
		x = d->a->uslots + ta->ufirst;
		xe = x + ta->ucount;
	}
	if (tb->ucount) {
		y = d->b->uslots + tb->ufirst;
		ye = y + tb->ucount;
	}
	while (x < xe || y < ye) {
		if (y == ye || (x < xe && x->index < y->index)) {
			uslot_change(d, who_a, who_b, x++, NULL);
		} else if (x == xe || y->index < x->index) {
			uslot_change(d, who_a, who_b, NULL, y++);
		} else {
			if (!uslot_same(x, y))
				uslot_change(d, who_a, who_b, x, y);
			x++;
			y++;
		}
	}
}

/* ---- tasks and processes ---- */

static void task_event(struct dstate *d, const char *what, const char *change, int64_t tgid,
		       const char *comm, const char *detail)
{
	d->changes++;
	pr_obj(NULL);
	pr_text("%c ", change[0] == 'a' ? '+' : change[0] == 'w' ? '-' : '~');
	pr_str("what", "%s", what);
	if (strcmp(what, "master") && strcmp(what, "kernel")) {
		pr_i64("tgid", " %" PRId64, tgid);
		pr_str("comm", " %s", comm);
	} else {
		pj_i64("tgid", tgid);
		pj_str("comm", comm);
	}
	pr_str("change", " %s", change);
	if (detail)
		pr_str("detail", ": %s", detail);
	else
		pj_null("detail");
	pr_text("\n");
	pr_obj_end();
}

static int tgid_cmp(const void *p, const void *q)
{
	const struct pt_task *x = *(const struct pt_task *const *)p;
	const struct pt_task *y = *(const struct pt_task *const *)q;

	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

static const struct pt_task **sorted_tasks(const struct pt_snapshot *s)
{
	const struct pt_task **v = calloc(s->ntasks + 1, sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < s->ntasks; i++)
		v[i] = &s->tasks[i];
	qsort(v, s->ntasks, sizeof(*v), tgid_cmp);
	return v;
}

static int srow_cmp(const void *p, const void *q)
{
	const struct pt_srow *x = *(const struct pt_srow *const *)p;
	const struct pt_srow *y = *(const struct pt_srow *const *)q;

	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

/* Process rows sorted by tgid, for lookups that stay fast on huge inputs. */
static const struct pt_srow **sorted_rows(const struct pt_snapshot *s)
{
	const struct pt_srow **v = calloc(s->nsrows + 1, sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 1; i < s->nsrows; i++)
		v[i - 1] = &s->srows[i];
	if (s->nsrows > 1)
		qsort(v, s->nsrows - 1, sizeof(*v), srow_cmp);
	return v;
}

static const struct pt_srow *find_row(const struct pt_srow **v, size_t n, int64_t tgid)
{
	struct pt_srow key = { .tgid = tgid };
	const struct pt_srow *kp = &key, **r;

	r = bsearch(&kp, v, n, sizeof(*v), srow_cmp);
	return r ? *r : NULL;
}

static bool has_task(const struct pt_task **v, size_t n, int64_t tgid)
{
	struct pt_task key = { .tgid = tgid };
	const struct pt_task *kp = &key;

	return bsearch(&kp, v, n, sizeof(*v), tgid_cmp) != NULL;
}

static bool same_process(int64_t tga, const char *ca, int64_t tgb, const char *cb)
{
	return tga == tgb && !strcmp(ca, cb);
}

static const char *count_text(int64_t v, char *buf, size_t size)
{
	if (v < 0)
		return "-";
	snprintf(buf, size, "%" PRId64, v);
	return buf;
}

/* A count that became "-" or stopped being "-" changed; "-" and "-" are equal. */
static void count_changes(const struct pt_srow *o, const struct pt_srow *r, char *detail,
			  size_t size)
{
	static const char *const col[PT_NR_COUNTS] = {
		"present", "shared", "same", "copy", "diff", "missing", "extra", "u_present",
		"u_shared", "u_same", "u_copy", "u_diff", "u_missing", "u_extra", "pt_pages",
		"kpriv_pages", "user_slots",
	};
	char b1[32], b2[32];
	size_t k, n = 0;

	detail[0] = '\0';
	for (k = 0; k < PT_NR_COUNTS; k++)
		if (o->v[k] != r->v[k] && n + 64 < size)
			n += snprintf(detail + n, size - n, "%s%s %s -> %s", n ? ", " : "", col[k],
				      count_text(o->v[k], b1, sizeof(b1)),
				      count_text(r->v[k], b2, sizeof(b2)));
}

static int diff_summary_rows(struct dstate *d)
{
	const struct pt_snapshot *a = d->a, *b = d->b;
	const struct pt_srow **ra = sorted_rows(a), **rb = sorted_rows(b);
	const struct pt_task **ta = sorted_tasks(a), **tb = sorted_tasks(b);
	size_t na = a->nsrows ? a->nsrows - 1 : 0, nb = b->nsrows ? b->nsrows - 1 : 0, i;
	char detail[512];
	int ret = -1;

	if (!ra || !rb || !ta || !tb)
		goto out;
	for (i = 0; i < na; i++) {
		const struct pt_srow *r = ra[i], *o = find_row(rb, nb, r->tgid);

		if (has_task(ta, a->ntasks, r->tgid) || has_task(tb, b->ntasks, r->tgid))
			continue;	/* the dumps tell */
		if (!o || strcmp(o->comm, r->comm))
			task_event(d, "process", "went", r->tgid, r->comm, NULL);
	}
	for (i = 0; i < nb; i++) {
		const struct pt_srow *r = rb[i], *o = find_row(ra, na, r->tgid);

		if (has_task(ta, a->ntasks, r->tgid) || has_task(tb, b->ntasks, r->tgid))
			continue;
		if (!o || strcmp(o->comm, r->comm)) {
			task_event(d, "process", "appeared", r->tgid, r->comm, NULL);
			continue;
		}
		count_changes(o, r, detail, sizeof(detail));
		if (detail[0])
			task_event(d, "process", "changed", r->tgid, r->comm, detail);
	}
	if (a->nsrows && b->nsrows) {
		count_changes(&a->srows[0], &b->srows[0], detail, sizeof(detail));
		if (detail[0])
			task_event(d, "master", "changed", 0, "-", detail);
	}
	ret = 0;
out:
	free(ra);
	free(rb);
	free(ta);
	free(tb);
	return ret;
}

static int diff_tasks(struct dstate *d)
{
	const struct pt_task **va = sorted_tasks(d->a), **vb = sorted_tasks(d->b);
	size_t i = 0, j = 0;
	char who_a[64], who_b[64];

	if (!va || !vb) {
		free(va);
		free(vb);
		return -1;
	}
	while (i < d->a->ntasks || j < d->b->ntasks) {
		const struct pt_task *x = i < d->a->ntasks ? va[i] : NULL;
		const struct pt_task *y = j < d->b->ntasks ? vb[j] : NULL;

		if (x && (!y || x->tgid < y->tgid)) {
			task_event(d, "task", "went", x->tgid, x->comm, NULL);
			i++;
		} else if (y && (!x || y->tgid < x->tgid)) {
			task_event(d, "task", "appeared", y->tgid, y->comm, NULL);
			j++;
		} else if (!same_process(x->tgid, x->comm, y->tgid, y->comm)) {
			task_event(d, "task", "went", x->tgid, x->comm, NULL);
			task_event(d, "task", "appeared", y->tgid, y->comm, NULL);
			i++;
			j++;
		} else {
			snprintf(who_a, sizeof(who_a), "task %" PRId64 " %s", x->tgid, x->comm);
			if (pt_task_complete(x) != pt_task_complete(y) || x->state != y->state)
				task_event(d, "task", "changed", x->tgid, x->comm,
					   pt_task_complete(y) ? "now complete" : "now incomplete");
			memcpy(who_b, who_a, sizeof(who_b));
			diff_uslots(d, x, y, who_a, who_b);
			diff_entries(d, x, y, who_a, who_b, false);
			i++;
			j++;
		}
	}
	free(va);
	free(vb);
	return 0;
}

/* ---- master ---- */

/*
 * One side of a master change, the object @key (@kind: the slot's kind for
 * a slot, else the line's); text " LAST SIZE LEVEL [KIND] FLAGS pa PA",
 * " LAST SIZE LEVEL bad raw RAW" for a bad line or slot, or "... repeat of
 * table pa TABLE".
 */
static void master_side(const char *key, const struct pt_mrange *r, const char *kind, bool slot)
{
	bool bad = !strcmp(kind, "bad"), repeat = !slot && r->kind == PT_MR_REPEAT;

	pr_obj(key);
	pj_str("kind", kind);
	pr_hex("last", " 0x%016" PRIx64, r->last);
	pr_size(NULL, " %s", r->last - r->start + 1);
	pr_str("level", " %s", pt_level_name(r->level));
	if (bad) {
		pj_str("flags", r->flags);
		pr_hex("raw", " bad raw 0x%" PRIx64, r->raw);
		pj_null("pa");
		pj_null("table_pa");
	} else if (repeat) {
		pj_str("flags", r->flags);
		pj_null("raw");
		pj_null("pa");
		pr_hex("table_pa", " repeat of table pa 0x%" PRIx64, r->pa);
	} else {
		pr_text("%s", slot ? "" : r->kind == PT_MR_ALIAS ? " alias" :
			      r->kind == PT_MR_DESCEND ? " descend" : "");
		pr_str("flags", " %s", r->flags);
		if (slot)
			pj_hex("raw", r->raw);
		else
			pj_null("raw");
		pr_hex("pa", " pa 0x%" PRIx64, r->pa);
		pj_null("table_pa");
	}
	pj_u64("line", r->line);
	pr_obj_end();
}

/*
 * A master slot (@what "slot"; @xk, @yk the slot kinds) or a line below the
 * slots (@what "range": range, alias, repeat or bad, @xk, @yk NULL) that
 * appeared (@x NULL), went (@y NULL) or changed, its kind included: an
 * alias or repeat at the start of a range is a change of that line.
 */
static void master_change(struct dstate *d, const char *what, const struct pt_mrange *x,
			  const struct pt_mrange *y, const char *xk, const char *yk)
{
	const struct pt_mrange *r = x ? x : y;
	const struct pt_snapshot *s = x ? d->a : d->b;
	bool slot = xk || yk;

	count_region(d, s, r->place);
	pr_obj(NULL);
	pj_str("what", what);
	pj_str("change", !x ? "appeared" : !y ? "went" : "changed");
	pr_text("%c master ", !x ? '+' : !y ? '-' : '~');
	pr_str("pgd", "%s", r->user ? "user" : "kernel");
	pr_text(" %s", what);
	pr_hex("start", " 0x%016" PRIx64, r->start);
	pr_place(s, r->place, " %s:");
	if (x)
		master_side("old", x, slot ? xk : pt_mrange_kind_name(x->kind), slot);
	else
		pj_null("old");
	if (x && y)
		pr_text(" ->");
	if (y)
		master_side("new", y, slot ? yk : pt_mrange_kind_name(y->kind), slot);
	else
		pj_null("new");
	pr_text("\n");
	pr_obj_end();
}

static bool mrange_same(const struct pt_mrange *x, const struct pt_mrange *y)
{
	return x->last == y->last && x->level == y->level && x->kind == y->kind &&
	       x->pa == y->pa && x->raw == y->raw &&
	       (x->flags == y->flags || (x->flags && y->flags && !strcmp(x->flags, y->flags)));
}

static void diff_master(struct dstate *d)
{
	const struct pt_mrange *x = d->a->mranges, *xe = x + d->a->nmranges;
	const struct pt_mrange *y = d->b->mranges, *ye = y + d->b->nmranges;
	const struct pt_mslot *p = d->a->mslots, *pe = p + d->a->nmslots;
	const struct pt_mslot *q = d->b->mslots, *qe = q + d->b->nmslots;

	while (p < pe || q < qe) {
		int c = p == pe ? 1 : q == qe ? -1 :
			p->user != q->user ? (p->user < q->user ? -1 : 1) :
			p->index != q->index ? (p->index < q->index ? -1 : 1) : 0;
		struct pt_mrange rx, ry;

		if (c == 0 && p->raw == q->raw && p->pa == q->pa && p->kind == q->kind) {
			p++;
			q++;
			continue;
		}
		/* report slots through the range printer: start, last, pa, flags */
		if (c <= 0)
			rx = (struct pt_mrange){ .start = p->start, .last = p->last, .pa = p->pa,
						 .raw = p->raw, .flags = p->flags, .user = p->user,
						 .place = p->place, .line = p->line };
		if (c >= 0)
			ry = (struct pt_mrange){ .start = q->start, .last = q->last, .pa = q->pa,
						 .raw = q->raw, .flags = q->flags, .user = q->user,
						 .place = q->place, .line = q->line };
		master_change(d, "slot", c <= 0 ? &rx : NULL, c >= 0 ? &ry : NULL,
			      c <= 0 ? pt_kind_name(p->kind) : NULL,
			      c >= 0 ? pt_kind_name(q->kind) : NULL);
		if (c <= 0)
			p++;
		if (c >= 0)
			q++;
	}
	while (x < xe || y < ye) {
		int c = x == xe ? 1 : y == ye ? -1 :
			x->user != y->user ? (x->user < y->user ? -1 : 1) :
			x->start != y->start ? (x->start < y->start ? -1 : 1) : 0;

		if (c < 0) {
			master_change(d, "range", x++, NULL, NULL, NULL);
		} else if (c > 0) {
			master_change(d, "range", NULL, y++, NULL, NULL);
		} else {
			if (!mrange_same(x, y))
				master_change(d, "range", x, y, NULL, NULL);
			x++;
			y++;
		}
	}
}

/* ---- output around the changes ---- */

/* The document's head and the "changes" array open (JSON; the text's heads are the callers'). */
static void begin(struct dstate *d, const char *mode)
{
	if (!pt_json)
		return;
	jw_begin_doc("diff");
	jw_str("mode", mode);
	if (d->a == d->b) {
		pt_source(d->a);
	} else {
		jw_obj("a");
		pt_source(d->a);
		jw_obj_end();
		jw_obj("b");
		pt_source(d->b);
		jw_obj_end();
	}
	jw_arr("changes");
}

static int finish(struct dstate *d)
{
	size_t i;

	pr_arr_end();
	pj_u64("user_slot_changes", d->uslot_changes);
	pj_bool("user_slots_listed", d->uslots);
	if (d->nregions)
		pr_text("\nper region:\n");
	pr_arr("regions");
	for (i = 0; i < d->nregions; i++) {
		pr_obj(NULL);
		/* outside every region: null, as everywhere in JSON */
		pr_str("region", "  %-16s",
		       strcmp(d->regions[i].name, "-") ? d->regions[i].name : NULL);
		pr_u64("changes", " %" PRIu64 "\n", d->regions[i].count);
		pr_obj_end();
	}
	pr_arr_end();
	pr_text("%s", d->nregions ? "\n" : "");
	pr_u64("differences", "%" PRIu64, d->changes);
	pr_text(" difference%s\n", d->changes == 1 ? "" : "s");
	pj_bool("same", !d->changes);
	pj_str("format_note", d->note);
	if (d->uslot_changes && !d->uslots)
		pr_text("(and %" PRIu64 " user-half slot change%s, not counted: the"
			" processes' own; --user-slots lists them)\n", d->uslot_changes,
			d->uslot_changes == 1 ? "" : "s");
	if (pt_json)
		jw_end_doc();
	return d->changes ? EXIT_DIFFERENT : EXIT_SAME;
}

/* kernel_table ttbr1: no per-process entries; say why a task comparison finds nothing. */
static void ttbr1_note(struct dstate *d)
{
	if (pt_ttbr1(d->a))
		pr_text("(kernel_table ttbr1: a process's pgd holds no kernel-half entries; every"
			" process uses\n the master's table through TTBR1_EL1, so there is"
			" nothing per process to compare)\n");
}

static int diff_snapshots(struct dstate *d)
{
	pr_text("--- %s%s%s (kernel %s)\n", d->a->name, d->a->created ? " created " : "",
		d->a->created ? d->a->created : "", d->a->hdr.kernel);
	pr_text("+++ %s%s%s (kernel %s)\n", d->b->name, d->b->created ? " created " : "",
		d->b->created ? d->b->created : "", d->b->hdr.kernel);
	/*
	 * Format 1.2 counts each table page once in the master's pt_pages and in
	 * kpriv_pages (1.1 counted one per entry pointing to it), and lists
	 * tables and frames that repeat once (alias, repeat): across that
	 * boundary those counts and lines differ with the same kernel state.
	 */
	if ((d->a->hdr.minor < 2) != (d->b->hdr.minor < 2)) {
		snprintf(d->notebuf, sizeof(d->notebuf),
			 "format %d.%d -> %d.%d: from 1.2 on the master's pt_pages and kpriv_pages"
			 " count each table page once, and tables and frames that repeat are"
			 " alias and repeat lines; some changes come from the format, not the"
			 " kernel", d->a->hdr.major, d->a->hdr.minor, d->b->hdr.major,
			 d->b->hdr.minor);
		d->note = d->notebuf;
	}
	if (d->note)
		pr_text("(%s)\n", d->note);
	begin(d, "snapshots");
	if (strcmp(d->a->hdr.kernel, d->b->hdr.kernel) || strcmp(d->a->hdr.arch, d->b->hdr.arch))
		task_event(d, "kernel", "changed", 0, "-",
			   "another kernel: addresses differ anyway");
	if (d->a->hdr.ktable != d->b->hdr.ktable || d->a->hdr.ktable_pa != d->b->hdr.ktable_pa) {
		char detail[128], pa[2][24];
		const struct pt_header *h[2] = { &d->a->hdr, &d->b->hdr };
		int i;

		for (i = 0; i < 2; i++) {
			pa[i][0] = '\0';
			if (h[i]->ktable == PT_KT_TTBR1)
				snprintf(pa[i], sizeof(pa[i]), " 0x%" PRIx64, h[i]->ktable_pa);
		}
		snprintf(detail, sizeof(detail), "kernel_table %s%s -> %s%s",
			 pt_ktable_name(h[0]->ktable), pa[0], pt_ktable_name(h[1]->ktable), pa[1]);
		task_event(d, "kernel", "changed", 0, "-", detail);
	}
	if (diff_summary_rows(d) || diff_tasks(d))
		return -1;
	diff_master(d);
	return finish(d);
}

static const struct pt_task *need_task(const struct pt_snapshot *s, int64_t tgid)
{
	const struct pt_task *t = pt_find_task(s, tgid);

	if (!t)
		pt_error(s->name, 0, "task %" PRId64 " is not in its dump%s", tgid,
			 s->has_dump ? "" : " (it has no dump)");
	else if (t->state != PT_T_OK)
		pt_error(s->name, t->line, "task %" PRId64 " has no page tables (%s)", tgid,
			 t->state == PT_T_NOMM ? "no mm" : "gone");
	else if (!pt_task_complete(t))
		pt_error(s->name, t->line, "task %" PRId64 "'s dump is incomplete", tgid);
	else
		return t;
	return NULL;
}

static int diff_two_tasks(struct dstate *d, int64_t p, int64_t q)
{
	const struct pt_task *tp = need_task(d->a, p), *tq;
	char who_a[64], who_b[64];

	if (!tp)
		return -1;
	tq = need_task(d->a, q);
	if (!tq)
		return -1;
	snprintf(who_a, sizeof(who_a), "task %" PRId64 " %s", tp->tgid, tp->comm);
	snprintf(who_b, sizeof(who_b), "task %" PRId64 " %s", tq->tgid, tq->comm);
	pr_text("--- %s\n+++ %s\n", who_a, who_b);
	begin(d, "tasks");
	ttbr1_note(d);
	diff_uslots(d, tp, tq, who_a, who_b);
	diff_entries(d, tp, tq, who_a, who_b, true);
	return finish(d);
}

static int diff_task_master(struct dstate *d, int64_t p)
{
	const struct pt_task *t = need_task(d->a, p);
	char who[64];
	size_t i;

	if (!t)
		return -1;
	snprintf(who, sizeof(who), "task %" PRId64 " %s", t->tgid, t->comm);
	pr_text("--- master\n+++ %s\n", who);
	begin(d, "task-master");
	ttbr1_note(d);
	for (i = t->first; i < t->first + t->count; i++) {
		const struct pt_entry *e = &d->a->entries[i];

		if (e->cls == PTSHARE_SHARED || e->cls == PTSHARE_SAME || e->cls == PTSHARE_NONE)
			continue;
		entry_change(d, "master", who, e, e, true);
	}
	return finish(d);
}

int pt_diff_render_snapshots(const struct pt_snapshot *a, const struct pt_snapshot *b,
			     bool uslots)
{
	struct dstate d = { .a = a, .b = b, .uslots = uslots };

	return diff_snapshots(&d);
}

int pt_diff_render_tasks(const struct pt_snapshot *s, int64_t p, int64_t q, bool uslots)
{
	struct dstate d = { .a = s, .b = s, .uslots = uslots };

	return q ? diff_two_tasks(&d, p, q) : diff_task_master(&d, p);
}

struct loader {
	struct pt_snapshot *s;
	const char *path;
	int ret;
};

static void *load_thread(void *arg)
{
	struct loader *l = arg;

	l->ret = pt_load_file(l->s, l->path);
	return NULL;
}

/* Parse the two snapshots side by side, one per core. */
static int load_two(struct pt_snapshot *a, const char *pa, struct pt_snapshot *b, const char *pb)
{
	struct loader lb = { .s = b, .path = pb };
	pthread_t th;
	bool threaded = !pthread_create(&th, NULL, load_thread, &lb);
	int ra = pt_load_file(a, pa);

	if (threaded)
		pthread_join(th, NULL);
	else
		load_thread(&lb);
	return ra || lb.ret ? -1 : 0;
}

static const char diff_help[] =
	"usage: ptshare diff [--json] [--user-slots] A B\n"
	"       ptshare diff [--json] [--user-slots] --task P --task Q [SNAPSHOT]\n"
	"       ptshare diff [--json] --task P --master [SNAPSHOT]\n"
	"\n"
	"A B: what changed between two snapshots: processes and dumped tasks that\n"
	"appeared or went, entries that changed class or value, master slots and\n"
	"ranges, and the count per region. Lines start with '+' (only in B), '-'\n"
	"(only in A), '~' (changed) or '!' (--master: not SHARED). Format 1.2's alias\n"
	"and repeat lines compare like ranges, by start, their kind included.\n"
	"--task P --task Q: the entries of two processes (their own side).\n"
	"--task P --master: the entries of P that are not SHARED or SAME.\n"
	"Without SNAPSHOT the tasks are dumped live.\n"
	"\n"
	"The top-level slots of a task's user half (uslot lines, format 1.1) change\n"
	"with what the process does: they are only counted apart, and do not make\n"
	"A and B different, unless --user-slots lists them (as 'uslot' lines) and\n"
	"counts them as differences.\n"
	"\n"
	"Exit status: 0 same, 1 different, 2 trouble.\n"
	"  --user-slots  list and count user-half slot changes of dumped tasks\n"
	"  --json        one JSON document (doc/JSON.md)\n"
	"  --help        this text\n";

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, PT_OPT_JSON },
		{ "task", required_argument, NULL, 't' },
		{ "master", no_argument, NULL, 'm' },
		{ "user-slots", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct pt_snapshot a, b;
	struct pt_request rq = { 0 };
	int64_t tasks[2];
	int ntasks = 0, c, ret;
	bool master = false, uslots = false;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(diff_help, stdout);
			return 0;
		case PT_OPT_JSON:
			pt_json = true;
			break;
		case 't':
			if (ntasks == 2 || pt_parse_pid(optarg, &tasks[ntasks]))
				return pt_usage_error("--task: at most two pids, not '%s'", optarg);
			ntasks++;
			break;
		case 'm':
			master = true;
			break;
		case 'u':
			uslots = true;
			break;
		default:
			return pt_usage_error("bad option");
		}
	}
	if (ntasks) {
		if (!(ntasks == 2 && !master) && !(ntasks == 1 && master))
			return pt_usage_error("give --task P --task Q, or --task P --master");
		if (master && uslots)
			return pt_usage_error("--user-slots: the master has no user half");
		if (argc - optind > 1)
			return pt_usage_error("one SNAPSHOT at most with --task");
		rq.kind = PT_SEL_PIDS;
		rq.pids = tasks;
		rq.npids = ntasks;
		if (pt_load(&a, optind < argc ? argv[optind] : NULL, &rq))
			goto trouble;
		ret = pt_diff_render_tasks(&a, tasks[0], master ? 0 : tasks[1], uslots);
	} else {
		if (master)
			return pt_usage_error("--master needs --task P");
		if (argc - optind != 2)
			return pt_usage_error("give two snapshots");
		if (!strcmp(argv[optind], "-") && !strcmp(argv[optind + 1], "-"))
			return pt_usage_error("only one of A and B can be standard input ('-')");
		if (load_two(&a, argv[optind], &b, argv[optind + 1]))
			goto trouble;
		ret = pt_diff_render_snapshots(&a, &b, uslots);
	}
	if (ret < 0)
		goto trouble;
	pt_snapshot_free(&a);
	pt_snapshot_free(&b);
	return ret;
trouble:
	pt_snapshot_free(&a);
	pt_snapshot_free(&b);
	return pt_finish_error(EXIT_TROUBLE);
}

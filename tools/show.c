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
			m->size += r->size;
			m->levels |= 1 << r->level;
			m->count++;
			continue;
		}
		arr[(*cnt)++] = (struct merged){ .start = r->start,
						 .last = r->last,
						 .size = r->size,
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

static void print_slot(const struct pt_mslot *sl)
{
	char b[32];

	printf("  slot %" PRIu64 " 0x%016" PRIx64 "-0x%016" PRIx64 " %s %s raw 0x%" PRIx64
	       " pa 0x%" PRIx64 " %s\n", sl->index, sl->start, sl->last,
	       pt_human(sl->last - sl->start + 1, b, sizeof(b)), pt_kind_name(sl->kind), sl->raw,
	       sl->pa, sl->flags);
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

static void show_master_text(const struct pt_snapshot *s, const struct show_opts *o,
			     const struct merged *mg, size_t nmg, const struct merged *rp,
			     size_t nrp)
{
	size_t i, nalias = count_mranges(s, PT_MR_ALIAS), nrepeat = count_mranges(s, PT_MR_REPEAT);
	char b1[32], b2[32];
	int user, region, fw = 12;
	bool alias_rows = false;

	for (i = 0; i < nmg; i++)
		if ((int)strlen(mg[i].flags) > fw)
			fw = strlen(mg[i].flags);
	pt_source(s);
	printf("\nmaster pgd 0x%" PRIx64 " (pa 0x%" PRIx64 ")", s->hdr.master_va, s->hdr.master_pa);
	if (s->hdr.has_user)
		printf(", %s 0x%" PRIx64 " (pa 0x%" PRIx64 ")",
		       pt_ttbr1(s) ? "KPTI trampoline table (pgd user)" : "user-mode copy",
		       s->hdr.muser_va, s->hdr.muser_pa);
	printf("%s%s%s%s\n", o->region_name ? "; region " : "",
	       o->region_name ? o->region_name : "", o->level_name ? "; level " : "",
	       o->level_name ? o->level_name : "");
	if (s->master_errors)
		printf("INCOMPLETE: the module could not read %u table(s) of the master\n",
		       s->master_errors);
	if (nalias || nrepeat)
		printf("listed once (format 1.2): %zu alias run%s (one frame mapped at every"
		       " address of the run)\nand %zu repeated table%s (entries pointing to a table"
		       " walked before: not walked again)\n", nalias, nalias == 1 ? "" : "s",
		       nrepeat, nrepeat == 1 ? "" : "s");

	printf("\nmerged ranges (contiguous, same flags and region):\n");
	printf("  %-6s %-18s %-18s %10s %-9s %-*s %6s %s\n", "pgd", "start", "last", "size",
	       "levels", fw, "flags", "lines", "region");
	for (i = 0; i < nmg; i++) {
		printf("  %-6s 0x%016" PRIx64 " 0x%016" PRIx64 " %10s %-9s %-*s %6zu %s",
		       mg[i].user ? "user" : "kernel", mg[i].start, mg[i].last,
		       pt_human(mg[i].size, b1, sizeof(b1)),
		       levels_text(mg[i].levels, b2, sizeof(b2)), fw, mg[i].flags, mg[i].count,
		       pt_place_name(s, mg[i].place));
		/* after the region, so that the columns stay those of a range */
		if (mg[i].kind == PT_MR_ALIAS) {
			printf("  alias: every page maps frame 0x%" PRIx64, mg[i].pa);
			alias_rows = true;
		}
		putchar('\n');
	}
	if (!nmg)
		printf("  (none)\n");
	if (alias_rows)
		printf("  (alias: one frame mapped at every address of the run, not contiguous"
		       " frames)\n");
	if (nrp) {
		printf("\nrepeated tables (entries pointing to a table walked before, listed"
		       " once):\n");
		printf("  %-6s %-18s %-18s %10s %-9s %-18s %6s %s\n", "pgd", "start", "last", "size",
		       "level", "table pa", "lines", "region");
		for (i = 0; i < nrp; i++)
			printf("  %-6s 0x%016" PRIx64 " 0x%016" PRIx64 " %10s %-9s 0x%016" PRIx64
			       " %6zu %s\n", rp[i].user ? "user" : "kernel", rp[i].start, rp[i].last,
			       pt_human(rp[i].size, b1, sizeof(b1)),
			       levels_text(rp[i].levels, b2, sizeof(b2)), rp[i].pa, rp[i].count,
			       pt_place_name(s, rp[i].place));
	}

	printf("\ntree (pgd, slot, region, leaf ranges):\n");
	for (user = 0; user <= (int)s->hdr.has_user; user++) {
		const struct pt_mslot *cur = NULL;
		bool shown = false;
		size_t k = 0;

		printf("%s pgd%s\n", user ? "user" : "kernel",
		       user && pt_ttbr1(s) ? " (the KPTI trampoline table)" : "");
		region = -1;
		/* slot lines and ranges merged by address: every range once, under its slot */
		i = 0;
		for (;;) {
			const struct pt_mslot *sl;
			const struct pt_mrange *r;

			if (!next_master_item(s, user, &i, &k, &sl, &r))
				break;
			if (sl) {
				cur = sl;
				shown = false;
				if (o->region < 0 && o->level < 0) {
					print_slot(sl);
					shown = true;
					region = -1;
				}
				continue;
			}
			if (!want_mrange(o, r))
				continue;
			if (cur && !shown) {
				print_slot(cur);
				shown = true;
				region = -1;
			}
			if ((int)r->place != region) {
				printf("    region %s\n", pt_place_name(s, r->place));
				region = r->place;
			}
			switch (r->kind) {
			case PT_MR_BAD:
				printf("      bad 0x%016" PRIx64 "-0x%016" PRIx64 " %s raw 0x%" PRIx64
				       "\n", r->start, r->last, pt_level_name(r->level), r->raw);
				break;
			case PT_MR_REPEAT:
				printf("      0x%016" PRIx64 "-0x%016" PRIx64 " %10s %s repeat of table pa"
				       " 0x%" PRIx64 ": walked before, not again\n", r->start, r->last,
				       pt_human(r->size, b1, sizeof(b1)), pt_level_name(r->level),
				       r->pa);
				break;
			default:
				printf("      0x%016" PRIx64 "-0x%016" PRIx64 " %10s %s %s pa 0x%" PRIx64
				       "%s\n", r->start, r->last, pt_human(r->size, b1, sizeof(b1)),
				       pt_level_name(r->level), r->flags, r->pa,
				       r->kind == PT_MR_ALIAS ? " alias: every page maps this frame" :
				       r->kind == PT_MR_DESCEND ? " descend: each next entry maps the"
				       " frame below" : "");
			}
		}
	}
}

static void json_mrange(const struct pt_snapshot *s, const struct pt_mrange *r)
{
	jw_obj(NULL);
	jw_str("type", pt_mrange_kind_name(r->kind));
	jw_hex("start", r->start);
	jw_hex("last", r->last);
	jw_u64("size", r->last - r->start + 1);
	jw_str("level", pt_level_name(r->level));
	if (r->kind == PT_MR_BAD)
		jw_hex("raw", r->raw);
	else
		jw_null("raw");
	if (r->kind == PT_MR_RANGE || r->kind == PT_MR_ALIAS || r->kind == PT_MR_DESCEND) {
		jw_str("flags", r->flags);
		jw_hex("pa", r->pa);
	} else {
		jw_null("flags");
		jw_null("pa");
	}
	if (r->kind == PT_MR_REPEAT)
		jw_hex("table_pa", r->pa);
	else
		jw_null("table_pa");
	pt_json_place(s, r->place);
	jw_obj_end();
}

/* A slot object with its "ranges" array open; @sl NULL: ranges before any slot line. */
static void json_slot_begin(const struct pt_snapshot *s, const struct pt_mslot *sl, int user)
{
	jw_obj(NULL);
	jw_str("pgd", user ? "user" : "kernel");
	if (sl) {
		jw_u64("index", sl->index);
		jw_hex("start", sl->start);
		jw_hex("last", sl->last);
		jw_str("kind", pt_kind_name(sl->kind));
		jw_hex("raw", sl->raw);
		jw_hex("pa", sl->pa);
		jw_str("flags", sl->flags);
		pt_json_place(s, sl->place);
	} else {
		jw_null("index");
		jw_null("start");
		jw_null("last");
		jw_null("kind");
		jw_null("raw");
		jw_null("pa");
		jw_null("flags");
		pt_json_place(s, PT_NO_REGION);
	}
	jw_arr("ranges");
}

static void json_slot_end(void)
{
	jw_arr_end();
	jw_obj_end();
}

/* A merged row of @mg (ranges and alias runs) or of @rp (repeats). */
static void json_merged(const struct pt_snapshot *s, const struct merged *m)
{
	char b[64];

	jw_obj(NULL);
	jw_str("pgd", m->user ? "user" : "kernel");
	jw_hex("start", m->start);
	jw_hex("last", m->last);
	jw_u64("size", m->size);
	jw_str("levels", levels_text(m->levels, b, sizeof(b)));
	if (m->kind == PT_MR_REPEAT) {
		jw_hex("table_pa", m->pa);
	} else {
		jw_str("kind", pt_mrange_kind_name(m->kind));
		jw_str("flags", m->flags);
		if (m->kind == PT_MR_ALIAS)
			jw_hex("alias_pa", m->pa);
		else
			jw_null("alias_pa");
	}
	jw_u64("lines", m->count);
	pt_json_place(s, m->place);
	jw_obj_end();
}

static void show_master_json(const struct pt_snapshot *s, const struct show_opts *o,
			     const struct merged *mg, size_t nmg, const struct merged *rp,
			     size_t nrp)
{
	size_t i;
	int user;

	jw_begin_doc("show");
	pt_source(s);
	jw_str("view", "master");
	jw_str("region_filter", o->region_name);
	jw_str("level_filter", o->level_name);
	jw_bool("complete", !s->master_errors);
	/* format 1.2 lines: null (not 0) for a file of a format that has none */
	if (s->hdr.minor >= 2) {
		jw_u64("alias_lines", count_mranges(s, PT_MR_ALIAS));
		jw_u64("repeat_lines", count_mranges(s, PT_MR_REPEAT));
	} else {
		jw_null("alias_lines");
		jw_null("repeat_lines");
	}
	jw_arr("merged");
	for (i = 0; i < nmg; i++)
		json_merged(s, &mg[i]);
	jw_arr_end();
	if (s->hdr.minor >= 2) {
		jw_arr("repeats");
		for (i = 0; i < nrp; i++)
			json_merged(s, &rp[i]);
		jw_arr_end();
	} else {
		jw_null("repeats");
	}
	jw_arr("slots");
	for (user = 0; user <= (int)s->hdr.has_user; user++) {
		const struct pt_mslot *cur = NULL;
		bool open = false, filters = o->region >= 0 || o->level >= 0;
		size_t k = 0;

		i = 0;
		for (;;) {
			const struct pt_mslot *sl;
			const struct pt_mrange *r;

			if (!next_master_item(s, user, &i, &k, &sl, &r))
				break;
			if (sl) {
				if (open)
					json_slot_end();
				open = false;
				cur = sl;
				if (!filters) {
					json_slot_begin(s, cur, user);
					open = true;
				}
				continue;
			}
			if (!want_mrange(o, r))
				continue;
			if (!open) {
				json_slot_begin(s, cur, user);
				open = true;
			}
			json_mrange(s, r);
		}
		if (open)
			json_slot_end();
	}
	jw_arr_end();
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

static void side_text(const char *who, unsigned int kind, uint64_t raw, uint64_t pa)
{
	if (kind == PT_K_NONE)
		printf(" %s none", who);
	else if (kind == PT_K_BAD)
		printf(" %s bad 0x%" PRIx64, who, raw);
	else
		printf(" %s %s 0x%" PRIx64 " pa 0x%" PRIx64, who, pt_kind_name(kind), raw, pa);
}

/* The user half has no regions: its uslot lines show unless a region or a lower level is asked for. */
static bool uslots_wanted(const struct show_opts *o)
{
	return o->region < 0 && o->level <= 0;
}

static void show_uslots_text(const struct pt_snapshot *s, const struct pt_task *t)
{
	char b1[32];
	size_t i;

	printf("\nuser half: %zu present top-level slot%s of its pgd below the kernel half"
	       " (its own, not compared):\n", t->ucount, t->ucount == 1 ? "" : "s");
	if (!t->ucount) {
		printf("  (none)\n");
		return;
	}
	printf("  %5s %-18s %-18s %10s %-5s %-18s %s\n", "slot", "start", "last", "size", "kind",
	       "raw", "pa");
	for (i = t->ufirst; i < t->ufirst + t->ucount; i++) {
		const struct pt_uslot *u = &s->uslots[i];

		printf("  %5" PRIu64 " 0x%016" PRIx64 " 0x%016" PRIx64 " %10s %-5s 0x%016" PRIx64,
		       u->index, u->start, u->last,
		       pt_human(u->last - u->start + 1, b1, sizeof(b1)), pt_kind_name(u->kind),
		       u->raw);
		if (u->kind == PT_K_BAD)
			printf(" -\n");
		else
			printf(" 0x%" PRIx64 "\n", u->pa);
	}
}

static void show_task_text(const struct pt_snapshot *s, const struct pt_task *t,
			   const struct show_opts *o, const struct trun *tr, size_t ntr)
{
	char b1[32];
	size_t i;

	pt_source(s);
	printf("\ntask %" PRId64 " %s threads %" PRIu64, t->tgid, t->comm, t->threads);
	if (t->state == PT_T_OK) {
		printf(" pgd pa 0x%" PRIx64, t->pgd_pa);
		if (t->has_upgd)
			printf(" user pgd pa 0x%" PRIx64, t->upgd_pa);
	}
	printf(": %s%s%s%s%s\n", task_state(t), o->region_name ? "; region " : "",
	       o->region_name ? o->region_name : "", o->level_name ? "; level " : "",
	       o->level_name ? o->level_name : "");
	if (t->state != PT_T_OK)
		return;
	/* 1.1 files list the user half's slots; 1.0 files do not have them */
	if (s->hdr.minor >= 1 && uslots_wanted(o))
		show_uslots_text(s, t);
	if (pt_ttbr1(s)) {
		printf("\nkernel half: no entries in this process's pgd: with kernel_table ttbr1"
		       " TTBR1_EL1 gives it\nthe master's table (pa 0x%" PRIx64 ") itself;"
		       " 'ptshare show --master' shows that table\n", s->hdr.ktable_pa);
		return;
	}

	printf("\nmerged ranges (%s entries, contiguous, same class and region):\n",
	       o->level_name ? o->level_name : "top-level");
	printf("  %-6s %-18s %-18s %10s %7s %-7s %s\n", "pgd", "start", "last", "size", "entries",
	       "class", "region");
	for (i = 0; i < ntr; i++)
		printf("  %-6s 0x%016" PRIx64 " 0x%016" PRIx64 " %10s %7zu %-7s %s\n",
		       tr[i].user ? "user" : "kernel", tr[i].start, tr[i].last,
		       pt_human(tr[i].last - tr[i].start + 1, b1, sizeof(b1)), tr[i].count,
		       pt_class_name(tr[i].cls), pt_place_name(s, tr[i].place));
	if (!ntr)
		printf("  (none)\n");

	printf("\ntree (each slot against the master's; non-SHARED entries followed down):\n");
	for (i = t->first; i < t->first + t->count; i++) {
		const struct pt_entry *e = &s->entries[i];

		if (!entry_wanted(o, e, false))
			continue;
		printf("  %*s%s %s 0x%016" PRIx64 "-0x%016" PRIx64 " %s %s", e->depth * 2, "",
		       e->user ? "user" : "kernel", pt_level_name(e->level), e->start, e->last,
		       pt_human(e->last - e->start + 1, b1, sizeof(b1)), pt_class_name(e->cls));
		side_text("process", e->pkind, e->praw, e->ppa);
		side_text("master", e->mkind, e->mraw, e->mpa);
		printf(" %s\n", pt_place_name(s, e->place));
	}
}

static void json_side(const char *key, unsigned int kind, uint64_t raw, uint64_t pa)
{
	jw_obj(key);
	jw_str("kind", pt_kind_name(kind));
	jw_hex("raw", raw);
	if (kind == PT_K_TABLE || kind == PT_K_LEAF)
		jw_hex("pa", pa);
	else
		jw_null("pa");
	jw_obj_end();
}

void pt_json_entry(const struct pt_snapshot *s, const struct pt_entry *e)
{
	jw_obj(NULL);
	jw_str("pgd", e->user ? "user" : "kernel");
	jw_u64("depth", e->depth);
	jw_str("level", pt_level_name(e->level));
	jw_hex("start", e->start);
	jw_hex("last", e->last);
	jw_str("class", pt_class_name(e->cls));
	json_side("process", e->pkind, e->praw, e->ppa);
	json_side("master", e->mkind, e->mraw, e->mpa);
	pt_json_place(s, e->place);
	jw_u64("line", e->line);
	jw_obj_end();
}

void pt_json_task(const struct pt_task *t)
{
	jw_i64("tgid", t->tgid);
	jw_str("comm", t->comm);
	jw_u64("threads", t->threads);
	jw_str("state", t->state == PT_T_OK ? "ok" : t->state == PT_T_NOMM ? "no-mm" : "gone");
	jw_str("end", pt_task_end_name(t->end));
	jw_bool("complete", pt_task_complete(t));
	jw_u64("errors", t->errors);
	if (t->state == PT_T_OK)
		jw_hex("pgd_pa", t->pgd_pa);
	else
		jw_null("pgd_pa");
	if (t->has_upgd)
		jw_hex("user_pgd_pa", t->upgd_pa);
	else
		jw_null("user_pgd_pa");
}

/* A uslot as a JSON object, member @key (NULL: an array element). */
void pt_json_uslot(const char *key, const struct pt_uslot *u)
{
	jw_obj(key);
	jw_u64("index", u->index);
	jw_hex("start", u->start);
	jw_hex("last", u->last);
	jw_u64("size", u->last - u->start + 1);
	jw_str("kind", pt_kind_name(u->kind));
	jw_hex("raw", u->raw);
	if (u->kind == PT_K_BAD)
		jw_null("pa");
	else
		jw_hex("pa", u->pa);
	jw_u64("line", u->line);
	jw_obj_end();
}

static void show_task_json(const struct pt_snapshot *s, const struct pt_task *t,
			   const struct show_opts *o, const struct trun *tr, size_t ntr)
{
	size_t i;

	jw_begin_doc("show");
	pt_source(s);
	jw_str("view", "task");
	jw_str("region_filter", o->region_name);
	jw_str("level_filter", o->level_name);
	jw_obj("task");
	pt_json_task(t);
	jw_obj_end();
	/* format 1.0 has no uslot lines: null, not an empty list */
	if (s->hdr.minor >= 1) {
		jw_arr("uslots");
		for (i = t->ufirst; uslots_wanted(o) && i < t->ufirst + t->ucount; i++)
			pt_json_uslot(NULL, &s->uslots[i]);
		jw_arr_end();
	} else {
		jw_null("uslots");
	}
	jw_bool("kernel_entries", !pt_ttbr1(s));
	jw_arr("merged");
	for (i = 0; i < ntr; i++) {
		jw_obj(NULL);
		jw_str("pgd", tr[i].user ? "user" : "kernel");
		jw_hex("start", tr[i].start);
		jw_hex("last", tr[i].last);
		jw_u64("size", tr[i].last - tr[i].start + 1);
		jw_u64("entries", tr[i].count);
		jw_str("level", pt_level_name(tr[i].level));
		jw_str("class", pt_class_name(tr[i].cls));
		pt_json_place(s, tr[i].place);
		jw_obj_end();
	}
	jw_arr_end();
	jw_arr("entries");
	for (i = t->first; i < t->first + t->count; i++)
		if (entry_wanted(o, &s->entries[i], false))
			pt_json_entry(s, &s->entries[i]);
	jw_arr_end();
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
		if (pt_json)
			show_task_json(s, t, &o, runs, nruns);
		else
			show_task_text(s, t, &o, runs, nruns);
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
		if (pt_json)
			show_master_json(s, &o, runs, nruns, reps, nreps);
		else
			show_master_text(s, &o, runs, nruns, reps, nreps);
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

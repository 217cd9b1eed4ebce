// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own page-table dumper as an oracle for ptshare's master walk.
 *
 * On kernels built with it (x86-64 PTDUMP_DEBUGFS, arm ARM_PTDUMP_DEBUGFS,
 * arm64 PTDUMP_DEBUGFS) the kernel prints its page tables in debugfs:
 * /sys/kernel/debug/page_tables/kernel and current_user (x86-64: init_mm's
 * pgd, and the PTI user copy of this process's pgd, whose kernel half is the
 * master's user copy), /sys/kernel/debug/kernel_page_tables (arm, arm64).
 * Both files are expanded into sets of [start, last] intervals of mapped
 * addresses, each with its level and its permission bits in one normalized
 * vocabulary (doc/PTDUMP.md), and the two sets are compared address by
 * address over the kernel half: lines are never compared, because ptdump
 * merges runs by attributes only and ptshare splits them at physical
 * discontinuities and region markers.
 *
 * Kernel tables change while the two files are read (vmalloc, modules,
 * fixmap, KASAN's vmalloc shadow; with DEBUG_PAGEALLOC or KFENCE the direct
 * map too). Both are read, and on a mismatch read again once: a mismatch in a
 * region that moves fails only when the second round shows it again; one in
 * any other region fails at once.
 *
 * ptdump_oracle --files ARCH MASTER PTDUMP [PTDUMP_USER] compares files
 * instead of the live ones (any mismatch fails): the host-side check of the
 * parsers, selftests/ptshare/oracle/check.sh. PTDUMP_ORACLE_PERTURB=N in the
 * environment flips the write bit of ptshare's N-th interval of the kernel
 * pgd after parsing, to see the test fail where it runs.
 */
#include "ptshare_test.h"

#include <ctype.h>
#include <time.h>

typedef unsigned long long u64;

#define PTDUMP_X86_KERNEL	"/sys/kernel/debug/page_tables/kernel"
#define PTDUMP_X86_USER		"/sys/kernel/debug/page_tables/current_user"
#define PTDUMP_ARM		"/sys/kernel/debug/kernel_page_tables"

enum { AR_X86, AR_ARM, AR_ARM_LPAE, AR_ARM64 };
enum { L_PGD, L_P4D, L_PUD, L_PMD, L_PTE, L_NONE };
static const char *const level_names[] = { "pgd", "p4d", "pud", "pmd", "pte", "unmapped" };

/* The normalized vocabulary (doc/PTDUMP.md). */
#define A_RW		0x0001
#define A_USR		0x0002
#define A_PWT		0x0004
#define A_PCD		0x0008
#define A_GLB		0x0010
#define A_NX		0x0020	/* x86 NX, arm XN, arm64 PXN */
#define A_UXN		0x0040
#define A_NG		0x0080
#define A_CONT		0x0100
#define A_SHD		0x0200
#define A_NOAP		0x0400	/* arm classic section: ptdump names no access */
#define A_UNK		0x0800	/* a token this test does not know */
#define A_MT_SHIFT	12
#define A_MT		(7 << A_MT_SHIFT)	/* arm64 memory type, MT_* below */
enum { MT_NORMAL, MT_TAGGED, MT_NC, MT_DEV_NGNRNE, MT_DEV_NGNRE, MT_OTHER };

static const struct { unsigned int bit; const char *name; } attr_names[] = {
	{ A_RW, "RW" }, { A_USR, "USR" }, { A_PWT, "PWT" }, { A_PCD, "PCD" }, { A_GLB, "GLB" },
	{ A_NX, "NX" }, { A_UXN, "UXN" }, { A_NG, "nG" }, { A_CONT, "CONT" }, { A_SHD, "SHD" },
	{ A_NOAP, "no-AP" }, { A_UNK, "unknown-token" },
};
static const char *const mt_names[] = { "normal", "tagged", "nc", "dev-nGnRnE", "dev", "other-mt" };

static int arch;
static unsigned int cmp_mask;	/* the attributes both vocabularies have */
static int file_mode;		/* --files: no live reads, no retry */

struct ivl {
	u64 start, last;
	int level;
	unsigned int attr;
	int line;		/* 1-based line of its text; 0: expanded from a repeat */
};

struct ivls {
	struct ivl *v;
	int n, cap;
	int disorder;		/* lines out of address order */
};

static void ivl_add(struct ivls *s, u64 start, u64 last, int level, unsigned int attr, int line)
{
	struct ivl *p = s->n ? &s->v[s->n - 1] : NULL;

	if (p && start <= p->last) {
		s->disorder++;
		return;
	}
	if (p && p->last + 1 == start && p->level == level && p->attr == attr) {
		p->last = last;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			ksft_bail("out of memory");
	}
	s->v[s->n++] = (struct ivl){ start, last, level, attr, line };
}

/* Excluded ranges are collected out of order, then sorted and merged. */
static void excl_add(struct ivls *s, u64 start, u64 last)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			ksft_bail("out of memory");
	}
	s->v[s->n++] = (struct ivl){ start, last, L_PGD, 0, 0 };	/* "inside" */
}

static int ivl_cmp(const void *a, const void *b)
{
	const struct ivl *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void excl_finish(struct ivls *s)
{
	int i, o = 0;

	qsort(s->v, s->n, sizeof(*s->v), ivl_cmp);
	for (i = 0; i < s->n; i++) {
		if (o && s->v[i].start <= s->v[o - 1].last + 1 && s->v[o - 1].last != ~0ULL) {
			if (s->v[i].last > s->v[o - 1].last)
				s->v[o - 1].last = s->v[i].last;
			continue;
		}
		s->v[o++] = s->v[i];
	}
	s->n = o;
}

static const char *attr_str(int level, unsigned int attr)
{
	static char buf[4][160];
	static int k;
	char *b = buf[k++ & 3];
	size_t i;

	if (level == L_NONE)
		return "unmapped";
	snprintf(b, 160, "%s", level_names[level]);
	if (!(attr & A_RW))
		strcat(b, " ro");
	for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (attr & attr_names[i].bit) {
			strcat(b, " ");
			strcat(b, attr_names[i].name);
		}
	if (arch == AR_ARM64) {
		strcat(b, " ");
		strcat(b, mt_names[(attr & A_MT) >> A_MT_SHIFT]);
	}
	return b;
}

static int level_of(const char *s)
{
	int i;

	for (i = 0; i < L_NONE; i++)
		if (!strcasecmp(s, level_names[i]))
			return i;
	return -1;
}

/* ---- ptshare's vocabulary ---- */

/*
 * FLAGS of a range/alias line: 1 mapped (attributes in *attr), 0 not.
 * 32-bit ARM classic pairs start with the kinds of their two 1 MiB halves:
 * *half is 0 (both mapped), 1 (the first only) or 2 (the second only).
 */
static int norm_ptshare(const char *flags, unsigned int *attr, int *half)
{
	char buf[256], *tok, *save;
	int mapped = 1, first = 1;

	*attr = 0;
	*half = 0;
	snprintf(buf, sizeof(buf), "%s", flags);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), first = 0) {
		if (first && arch == AR_ARM && strlen(tok) == 2 && strchr("ST-", tok[0]) &&
		    strchr("ST-", tok[1])) {
			if (!strcmp(tok, "S-"))
				*half = 1;
			else if (!strcmp(tok, "-S"))
				*half = 2;
			else if (strcmp(tok, "SS"))
				*attr |= A_UNK;
			continue;
		}
		if (!strcmp(tok, "NP")) {
			/* 32-bit ARM's dumper does not look at the valid bit: see doc. */
			if (arch == AR_X86 || arch == AR_ARM64)
				mapped = 0;
		} else if (!strcmp(tok, "RW")) {
			*attr |= A_RW;
		} else if (!strcmp(tok, "ro") || !strcmp(tok, "x") || !strcmp(tok, "-") ||
			   !strcmp(tok, "SWP")) {
			;
		} else if (!strcmp(tok, "USR")) {
			*attr |= A_USR;
		} else if (!strcmp(tok, "PWT")) {
			*attr |= A_PWT;
		} else if (!strcmp(tok, "PCD")) {
			*attr |= A_PCD;
		} else if (!strcmp(tok, "GLB")) {
			*attr |= A_GLB;
		} else if (!strcmp(tok, "NX") || !strcmp(tok, "XN")) {
			*attr |= A_NX;
		} else if (!strcmp(tok, "PXN")) {
			/* arm64's PXN is ptdump's NX; LPAE's PXN has no ptdump name */
			if (arch == AR_ARM64)
				*attr |= A_NX;
		} else if (!strcmp(tok, "UXN")) {
			*attr |= A_UXN;
		} else if (!strcmp(tok, "nG")) {
			*attr |= A_NG;
		} else if (!strcmp(tok, "CONT")) {
			*attr |= A_CONT;
		} else if (!strcmp(tok, "S")) {
			*attr |= A_SHD;
		} else if (!strcmp(tok, "tag")) {
			*attr |= MT_TAGGED << A_MT_SHIFT;
		} else if (!strcmp(tok, "nc")) {
			*attr |= MT_NC << A_MT_SHIFT;
		} else if (!strcmp(tok, "dev")) {
			*attr |= MT_DEV_NGNRE << A_MT_SHIFT;
		} else if (!strcmp(tok, "dev-nGnRnE")) {
			*attr |= MT_DEV_NGNRNE << A_MT_SHIFT;
		} else if (!strncmp(tok, "attr", 4)) {
			*attr |= MT_OTHER << A_MT_SHIFT;
		} else if (!strncmp(tok, "dom", 3)) {
			;
		} else {
			*attr |= A_UNK;
		}
	}
	*attr &= cmp_mask;
	return mapped;
}

struct region {
	u64 start, last;
	char name[32];
};

struct master {
	struct ivls sec[2];	/* kernel, user */
	struct ivls excl[2];	/* repeats that could not be expanded */
	int has_user;
	int lines, ranges, aliases, repeats, repeats_inferred, errors, bad;
	int descends;	/* counted in ranges too */
	u64 lo, hi;
	struct region reg[64];
	int nreg;
	int shift[L_NONE];
	char **line;		/* the text's lines, for messages */
	int nlines;
};

/* A table met again at LEVEL: where its contents were first printed. */
struct seen_table {
	int section, level;
	u64 pa, block;
};

static struct seen_table seen[256];
static int nseen;

static struct seen_table *seen_find(int section, int level, u64 pa)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (seen[i].section == section && seen[i].level == level && seen[i].pa == pa)
			return &seen[i];
	return NULL;
}

static void seen_add(int section, int level, u64 pa, u64 block)
{
	if (nseen < (int)(sizeof(seen) / sizeof(seen[0])) && !seen_find(section, level, pa))
		seen[nseen++] = (struct seen_table){ section, level, pa, block };
}

/*
 * "repeat START LAST LEVEL PA": each entry at LEVEL in [START, LAST] points to
 * the table at PA whose contents this section printed where it first met it.
 * Where that was: a slot line naming PA (top level), else the block just below
 * the first repeat of PA (the walk meets the table, then its repeats; the
 * KASAN early shadow is that), recorded for later repeats of PA. Expanded by
 * copying the intervals of that block; when no block can be named, excluded.
 */
static void expand_repeat(struct master *m, int sec, u64 start, u64 last, int level, u64 pa)
{
	struct ivls *s = &m->sec[sec];
	struct seen_table *t = seen_find(sec, level, pa);
	u64 span = 1ULL << m->shift[level], block, k, n, off;
	int i, first, inferred = 0;

	if (!t) {
		if (start < span || start - span < m->lo) {
			excl_add(&m->excl[sec], start, last);
			return;
		}
		seen_add(sec, level, pa, start - span);
		t = seen_find(sec, level, pa);
		inferred = 1;
		if (!t) {
			excl_add(&m->excl[sec], start, last);
			return;
		}
	}
	m->repeats_inferred += inferred;
	block = t->block;
	/* the intervals of the block, found before the copies are appended */
	for (first = 0; first < s->n && s->v[first].last < block; first++)
		;
	n = (last - start + 1) / span;
	for (k = 0; k < n; k++) {
		off = start + k * span - block;
		for (i = first; i < s->n && s->v[i].start <= block + span - 1; i++) {
			u64 a = s->v[i].start < block ? block : s->v[i].start;
			u64 b = s->v[i].last > block + span - 1 ? block + span - 1 : s->v[i].last;

			if (s->v[i].start >= start)	/* our own copies */
				break;
			ivl_add(s, a + off, b + off, s->v[i].level, s->v[i].attr, 0);
		}
	}
}

static void parse_master(char *text, struct master *m)
{
	char *line, kw[16], lvl[16], flags[256], name[32];
	u64 start, last, size, pa, raw;
	int sec = -1, level, mapped, half, idx, cap = 0, nr;
	unsigned int attr;
	size_t pos = 0;

	memset(m, 0, sizeof(*m));
	nseen = 0;
	while ((line = pt_next_line(text, &pos))) {
		if (m->nlines == cap) {
			cap = cap ? cap * 2 : 4096;
			m->line = realloc(m->line, cap * sizeof(*m->line));
			if (!m->line)
				ksft_bail("out of memory");
		}
		m->line[m->nlines++] = line;
		m->lines++;
		if (sscanf(line, "%15s", kw) != 1)
			continue;
		if (!strcmp(kw, "kernel_half")) {
			sscanf(line, "kernel_half %llx %llx", &m->lo, &m->hi);
		} else if (!strcmp(kw, "level") && sscanf(line, "level %15s %d", lvl, &nr) == 2 &&
			   level_of(lvl) >= 0) {
			m->shift[level_of(lvl)] = nr;
		} else if (!strcmp(kw, "region") && m->nreg < 64 &&
			   sscanf(line, "region %llx %llx %31s", &start, &last, name) == 3) {
			m->reg[m->nreg].start = start;
			m->reg[m->nreg].last = last;
			snprintf(m->reg[m->nreg++].name, 32, "%s", name);
		} else if (!strcmp(kw, "pgd")) {
			sec = !strncmp(line, "pgd user", 8);
			m->has_user |= sec;
		} else if (sec < 0) {
			continue;
		} else if (!strcmp(kw, "slot")) {
			if (sscanf(line, "slot %d %llx %llx table %llx %llx", &idx, &start, &last,
				   &raw, &pa) == 5)
				seen_add(sec, L_PGD, pa, start);
		} else if (!strcmp(kw, "range") || !strcmp(kw, "alias") || !strcmp(kw, "descend")) {
			if (sscanf(line, "%*s %llx %llx %llx %15s %255s %llx", &start, &last, &size,
				   lvl, flags, &pa) != 6 || (level = level_of(lvl)) < 0 ||
			    size != last - start + 1)
				ksft_bail("bad master line %d: %s", m->nlines, line);
			if (kw[0] == 'a')
				m->aliases++;
			else
				m->ranges++;
			m->descends += kw[0] == 'd';
			mapped = norm_ptshare(flags, &attr, &half);
			if (!mapped)
				continue;
			/*
			 * ARM classic: a 1 MiB line is one half of a pair whose
			 * sections differ (S- then -S): the line is what it maps.
			 */
			if (!half || last - start + 1 == 1 << 20) {
				ivl_add(&m->sec[sec], start, last, level, attr, m->nlines);
				continue;
			}
			/* ARM classic: only one 1 MiB half of each pair is a section */
			for (; start < last; start += 2 << 20)
				ivl_add(&m->sec[sec], start + (half == 2 ? 1 << 20 : 0),
					start + (half == 2 ? 2 << 20 : 1 << 20) - 1, level, attr,
					m->nlines);
		} else if (!strcmp(kw, "repeat")) {
			/* "repeat START LAST SIZE LEVEL PA" (FORMAT.md 1.2), or without SIZE */
			if (sscanf(line, "repeat %llx %llx %llx %15s %llx", &start, &last, &size,
				   lvl, &pa) == 5) {
				if (size != last - start + 1)
					ksft_bail("bad master line %d: %s", m->nlines, line);
			} else if (sscanf(line, "repeat %llx %llx %15s %llx", &start, &last, lvl,
					  &pa) != 4) {
				lvl[0] = '\0';
			}
			if ((level = level_of(lvl)) < 0 || !m->shift[level])
				ksft_bail("bad master line %d: %s", m->nlines, line);
			m->repeats++;
			expand_repeat(m, sec, start, last, level, pa);
		} else if (!strcmp(kw, "error")) {
			m->errors++;
			ksft_info("master line %d: %s", m->nlines, line);
		} else if (!strcmp(kw, "bad")) {
			m->bad++;
		}
		/* marker, end and line kinds this test does not know: nothing mapped */
	}
	excl_finish(&m->excl[0]);
	excl_finish(&m->excl[1]);
}

static int region_at(const struct master *m, u64 x);
static int is_moving(const struct master *m, int r, u64 x);

/*
 * PTDUMP_ORACLE_PERTURB=N: flip RW of ptshare's N-th kernel-pgd interval
 * among those in regions that do not move, to see the test fail.
 */
static void perturb(struct master *m)
{
	const char *e = getenv("PTDUMP_ORACLE_PERTURB");
	struct ivls *s = &m->sec[0];
	int i, n;

	if (!e)
		return;
	for (i = 0, n = atoi(e); i < s->n; i++) {
		if (s->v[i].start < m->lo || is_moving(m, region_at(m, s->v[i].start),
						       s->v[i].start) || n--)
			continue;
		s->v[i].attr ^= A_RW;
		ksft_info("PTDUMP_ORACLE_PERTURB: RW of ptshare's 0x%llx-0x%llx flipped",
			  s->v[i].start, s->v[i].last);
		return;
	}
}

/* ---- the kernel's vocabulary ---- */

struct ptdump {
	struct ivls map;
	struct ivls excl;	/* addresses the dump does not describe */
	int lines, ranges, skipped;
	u64 kasan_start, kasan_end;	/* from its markers; 0 when none */
	char **line;
	int nlines;
};

static int norm_ptdump(char **tok, int ntok, int *level, unsigned int *attr)
{
	int i, lv, ap = 0, mt = 0, first, last;

	*attr = 0;
	if (arch == AR_X86) {
		/* prot tokens, then the level; nothing before it: not present */
		lv = ntok ? level_of(tok[ntok - 1]) : -1;
		first = 0;
		last = ntok - 1;
	} else {
		/* the level, then (arm classic) a domain, then prot tokens */
		lv = ntok ? level_of(tok[0]) : -1;
		first = 1;
		last = ntok;
	}
	if (lv < 0)
		return -1;
	*level = lv;
	if (first == last)
		return 0;		/* a hole (x86: not present) */
	for (i = first; i < last; i++) {
		const char *t = tok[i];

		if (!strcmp(t, "F")) {
			return 0;	/* arm64: not valid, not empty */
		} else if (!strcmp(t, "RW")) {
			*attr |= A_RW;
			ap = 1;
		} else if (!strcmp(t, "ro")) {
			ap = 1;
		} else if (!strcmp(t, "USR")) {
			*attr |= A_USR;
		} else if (!strcmp(t, "PWT")) {
			*attr |= A_PWT;
		} else if (!strcmp(t, "PCD")) {
			*attr |= A_PCD;
		} else if (!strcmp(t, "GLB")) {
			*attr |= A_GLB;
		} else if (!strcmp(t, "NX")) {
			*attr |= A_NX;
		} else if (!strcmp(t, "UXN")) {
			*attr |= A_UXN;
		} else if (!strcmp(t, "NG")) {
			*attr |= A_NG;
		} else if (!strcmp(t, "CON")) {
			*attr |= A_CONT;
		} else if (!strcmp(t, "SHD")) {
			*attr |= A_SHD;
		} else if (arch == AR_ARM64 && !strcmp(t, "MEM/NORMAL")) {
			mt = 1;
		} else if (arch == AR_ARM64 && !strcmp(t, "MEM/NORMAL-TAGGED")) {
			*attr |= MT_TAGGED << A_MT_SHIFT;
			mt = 1;
		} else if (arch == AR_ARM64 && !strcmp(t, "MEM/NORMAL-NC")) {
			*attr |= MT_NC << A_MT_SHIFT;
			mt = 1;
		} else if (arch == AR_ARM64 && !strcmp(t, "DEVICE/nGnRE")) {
			*attr |= MT_DEV_NGNRE << A_MT_SHIFT;
			mt = 1;
		} else if (arch == AR_ARM64 && !strcmp(t, "DEVICE/nGnRnE")) {
			*attr |= MT_DEV_NGNRNE << A_MT_SHIFT;
			mt = 1;
		} else if (!strcmp(t, "x") || !strcmp(t, "PSE") || !strcmp(t, "PAT") ||
			   !strcmp(t, "AF") || !strcmp(t, "BLK") || !strcmp(t, "GP") ||
			   !strcmp(t, "KERNEL") || !strcmp(t, "USER") || !strcmp(t, "IO") ||
			   !strcmp(t, "VECTORS") || !strcmp(t, "unknown") ||
			   ((arch == AR_ARM || arch == AR_ARM_LPAE) && strchr(t, '/'))) {
			;	/* not in ptshare's vocabulary (arm: memory types) */
		} else {
			*attr |= A_UNK;
		}
	}
	if (arch == AR_ARM64 && !mt)	/* an attribute index ptdump has no name for */
		*attr |= MT_OTHER << A_MT_SHIFT;
	if (arch == AR_ARM && lv == L_PGD) {
		/*
		 * Classic sections: ptdump names the AP combination ("    ro" =
		 * APX|AP_WRITE, "    RW" = AP_WRITE, "USR ro" = AP_READ, "USR RW"
		 * = AP_READ|AP_WRITE); ptshare says ro for APX and USR for
		 * AP_READ, so both USR forms are RW,USR in its words.
		 */
		if (!ap)
			*attr |= A_NOAP;
		else if (*attr & A_USR)
			*attr |= A_RW;
	}
	*attr &= cmp_mask;
	return 1;
}

static u64 unit_mult(char c)
{
	static const char units[] = "BKMGTPE";
	const char *p = strchr(units, c);
	int shift;

	if (!p || !c)
		return 0;
	/* x86 counts bytes ("BKMGTPE"), arm and arm64 KiB ("KMGTPE"): same letters */
	shift = (p - units) * 10;
	return 1ULL << shift;
}

static void parse_ptdump(char *text, struct ptdump *d)
{
	char *line, *tok[32], *save, *p, unit, marker[64];
	u64 start, end, last, num, prev_end = 0, size;
	int ntok, level, mapped, have_prev = 0, skipped = 0, cap = 0, pending_kasan = 0;
	unsigned int attr;
	size_t pos = 0;

	memset(d, 0, sizeof(*d));
	while ((line = pt_next_line(text, &pos))) {
		if (d->nlines == cap) {
			cap = cap ? cap * 2 : 4096;
			d->line = realloc(d->line, cap * sizeof(*d->line));
			if (!d->line)
				ksft_bail("out of memory");
		}
		d->line[d->nlines++] = line;
		d->lines++;
		if (!strncmp(line, "---[ ", 5)) {
			snprintf(marker, sizeof(marker), "%s", line + 5);
			pending_kasan = 0;
			if (!strncasecmp(marker, "KASAN shadow", 12))
				pending_kasan = strstr(marker, " end") ? 2 : 1;
			continue;
		}
		if (!strncmp(line, "... ", 4) && strstr(line, "skipped")) {
			skipped = 1;
			d->skipped++;
			continue;
		}
		if (sscanf(line, "0x%llx-0x%llx %llu%c", &start, &end, &num, &unit) != 4)
			ksft_bail("ptdump line %d not understood: %s", d->nlines, line);
		last = end - 1;
		if (!end && arch != AR_X86 && arch != AR_ARM64)
			last = 0xffffffffULL;	/* a 32-bit dump's end of space */
		size = num * unit_mult(unit);
		if (!unit_mult(unit) || size != last - start + 1)
			ksft_bail("ptdump line %d: size %llu%c is not %#llx: %s", d->nlines, num,
				  unit, last - start + 1, line);
		/* the tokens after the address range and the size */
		p = line + strcspn(line, " ");
		while (*p == ' ')
			p++;
		p += strcspn(p, " ");	/* skip the size */
		ntok = 0;
		{
			char *copy = strdup(p);

			for (tok[ntok] = strtok_r(copy, " ", &save); tok[ntok] && ntok < 31;
			     tok[++ntok] = strtok_r(NULL, " ", &save))
				;
			mapped = norm_ptdump(tok, ntok, &level, &attr);
			free(copy);
		}
		if (mapped < 0)
			ksft_bail("ptdump line %d: no level: %s", d->nlines, line);
		if (pending_kasan == 1)
			d->kasan_start = start;
		else if (pending_kasan == 2)
			d->kasan_end = start;
		pending_kasan = 0;
		/*
		 * x86-64 and arm64 print holes too, so consecutive lines meet;
		 * where they do not, lines were skipped (x86's max_lines, ESPfix):
		 * the dump says nothing there. 32-bit ARM prints mapped runs only.
		 */
		if (have_prev && start != prev_end) {
			if (skipped && start > prev_end)
				excl_add(&d->excl, prev_end, start - 1);
			else if (arch == AR_X86 || arch == AR_ARM64)
				ksft_bail("ptdump line %d does not start where the previous one "
					  "ended (0x%llx): %s", d->nlines, prev_end, line);
		}
		skipped = 0;
		have_prev = 1;
		prev_end = end;
		d->ranges++;
		if (mapped)
			ivl_add(&d->map, start, last, level, attr, d->nlines);
	}
	excl_finish(&d->excl);
}

/* ---- comparing ---- */

struct diff {
	u64 start, last;
	int la, lb;		/* ptshare's and ptdump's level (L_NONE: unmapped) */
	unsigned int aa, ab;
	int linea, lineb;
	int region;		/* index into master regions, -1 none */
	int moving;
	int noise;		/* presence only, in a direct map that moves: see below */
};

struct diffs {
	struct diff *v;
	int n, cap;
	int ivl_a, ivl_b;	/* mapped intervals of each side, compared addresses only */
	u64 bytes_a, bytes_b;	/* mapped bytes of each side, compared addresses only */
	u64 bytes_excluded;	/* addresses of the window left out */
};

static const char *moving_names[] = { "vmalloc", "modules", "fixmap", "pkmap", "ldt-remap" };
static const char *direct_names[] = { "direct-map", "lowmem", "linear-map" };
static int direct_moves;	/* DEBUG_PAGEALLOC or KFENCE change the direct map */
static u64 kasan_start, kasan_end;

static int region_at(const struct master *m, u64 x)
{
	int i, r = -1;

	/* innermost: a region inside another is listed after it */
	for (i = 0; i < m->nreg; i++)
		if (m->reg[i].start <= x && x <= m->reg[i].last)
			r = i;
	return r;
}

/* The next address after x where the region classification may change. */
static u64 region_next(const struct master *m, u64 x)
{
	u64 n = ~0ULL;
	int i;

	for (i = 0; i < m->nreg; i++) {
		if (m->reg[i].start > x && m->reg[i].start - 1 < n)
			n = m->reg[i].start - 1;
		if (m->reg[i].last >= x && m->reg[i].last < n)
			n = m->reg[i].last;
	}
	if (kasan_end) {
		if (kasan_start > x && kasan_start - 1 < n)
			n = kasan_start - 1;
		if (kasan_end - 1 >= x && kasan_end - 1 < n)
			n = kasan_end - 1;
	}
	return n;
}

static int is_moving(const struct master *m, int r, u64 x)
{
	size_t i;

	if (kasan_end && x >= kasan_start && x < kasan_end)
		return 1;	/* KASAN's shadow of vmalloc is populated on demand */
	if (r < 0)
		return 0;
	for (i = 0; i < sizeof(moving_names) / sizeof(moving_names[0]); i++)
		if (!strcmp(m->reg[r].name, moving_names[i]))
			return 1;
	for (i = 0; direct_moves && i < sizeof(direct_names) / sizeof(direct_names[0]); i++)
		if (!strcmp(m->reg[r].name, direct_names[i]))
			return 1;
	return 0;
}

static int is_direct(const struct master *m, int r)
{
	size_t i;

	for (i = 0; r >= 0 && i < sizeof(direct_names) / sizeof(direct_names[0]); i++)
		if (!strcmp(m->reg[r].name, direct_names[i]))
			return 1;
	return 0;
}

/*
 * With DEBUG_PAGEALLOC a page of the direct map is present while allocated
 * and not present while free, and both readers allocate while they walk
 * (ptshare notes the tables it has walked in an xarray per record: slab
 * pages that come and go with each read, at the same addresses each time).
 * So in a direct map that moves, a range that one side maps with ptes and
 * the other leaves unmapped is the allocator's, not a walker's, when it is
 * no larger than the largest allocation (4 MiB, MAX_PAGE_ORDER 10): counted
 * and shown, never a failure. Both sides mapping it differently still is.
 */
#define NOISE_MAX	(4ULL << 20)

static int is_noise(const struct master *m, const struct diff *p)
{
	return direct_moves && is_direct(m, p->region) && p->last - p->start + 1 <= NOISE_MAX &&
	       ((p->la == L_NONE && p->lb == L_PTE) || (p->lb == L_NONE && p->la == L_PTE));
}

struct cursor {
	const struct ivls *s;
	int i;
};

/* Key of the side at x: level (L_NONE unmapped), attr, line; *end its extent. */
static int cursor_at(struct cursor *c, u64 x, unsigned int *attr, int *line, u64 *end)
{
	const struct ivls *s = c->s;

	while (c->i < s->n && s->v[c->i].last < x)
		c->i++;
	if (c->i < s->n && s->v[c->i].start <= x) {
		*attr = s->v[c->i].attr;
		*line = s->v[c->i].line;
		*end = s->v[c->i].last;
		return s->v[c->i].level;
	}
	*attr = 0;
	*line = 0;
	*end = c->i < s->n ? s->v[c->i].start - 1 : ~0ULL;
	return L_NONE;
}

static void compare(const struct master *m, const struct ivls *a, const struct ivls *b,
		    const struct ivls *ex1, const struct ivls *ex2, u64 lo, u64 hi,
		    struct diffs *out)
{
	struct cursor ca = { a, 0 }, cb = { b, 0 }, ce1 = { ex1, 0 }, ce2 = { ex2, 0 };
	u64 x = lo, ea, eb, ee, next;
	unsigned int aa, ab, dummy;
	int la, lb, linea, lineb, r, dl;
	struct diff *p;

	int lasta = -1, lastb = -1;

	memset(out, 0, sizeof(*out));
	for (;;) {
		la = cursor_at(&ca, x, &aa, &linea, &ea);
		lb = cursor_at(&cb, x, &ab, &lineb, &eb);
		next = ea < eb ? ea : eb;
		if (next > hi)
			next = hi;
		if (region_next(m, x) < next)
			next = region_next(m, x);
		if (cursor_at(&ce1, x, &dummy, &dl, &ee) != L_NONE ||
		    cursor_at(&ce2, x, &dummy, &dl, &ee) != L_NONE) {
			/* excluded: on to its end */
			if (cursor_at(&ce1, x, &dummy, &dl, &ee) != L_NONE && ee < next)
				next = ee;
			if (cursor_at(&ce2, x, &dummy, &dl, &ee) != L_NONE && ee < next)
				next = ee;
			out->bytes_excluded += next - x + 1;
		} else {
			if (ce1.i < ex1->n && ex1->v[ce1.i].start - 1 < next)
				next = ex1->v[ce1.i].start - 1;
			if (ce2.i < ex2->n && ex2->v[ce2.i].start - 1 < next)
				next = ex2->v[ce2.i].start - 1;
			if (la != L_NONE) {
				out->bytes_a += next - x + 1;
				out->ivl_a += ca.i != lasta;
				lasta = ca.i;
			}
			if (lb != L_NONE) {
				out->bytes_b += next - x + 1;
				out->ivl_b += cb.i != lastb;
				lastb = cb.i;
			}
			if (la != lb || aa != ab) {
				r = region_at(m, x);
				p = out->n ? &out->v[out->n - 1] : NULL;
				if (p && p->last + 1 == x && p->la == la && p->lb == lb &&
				    p->aa == aa && p->ab == ab && p->region == r) {
					p->last = next;
				} else {
					if (out->n == out->cap) {
						out->cap = out->cap ? out->cap * 2 : 64;
						out->v = realloc(out->v, out->cap * sizeof(*out->v));
						if (!out->v)
							ksft_bail("out of memory");
					}
					out->v[out->n++] = (struct diff){ x, next, la, lb, aa, ab,
									   linea, lineb, r,
									   is_moving(m, r, x), 0 };
				}
			}
		}
		if (next >= hi)
			break;
		x = next + 1;
	}
	for (dl = 0; dl < out->n; dl++)
		out->v[dl].noise = is_noise(m, &out->v[dl]);
}

static void show_one(const char *what, const struct master *m, const struct ptdump *d,
		     const struct diff *p)
{
	ksft_info("%s differ 0x%llx-0x%llx (%s%s%s): ptshare %s | ptdump %s", what, p->start,
		  p->last, p->region >= 0 ? m->reg[p->region].name : "no region",
		  p->moving ? ", moves" : "", p->noise ? ", allocator" : "",
		  attr_str(p->la, p->aa), attr_str(p->lb, p->ab));
	if (p->linea)
		ksft_info("    ptshare line %d: %s", p->linea, m->line[p->linea - 1]);
	if (p->lineb)
		ksft_info("    ptdump line %d: %s", p->lineb, d->line[p->lineb - 1]);
}

/* The first @max differences that can count, then the first three of the allocator's. */
static void show_diffs(const char *what, const struct master *m, const struct ptdump *d,
		       const struct diffs *df, int max)
{
	int i, shown = 0, noise = 0, left = 0;

	for (i = 0; i < df->n; i++) {
		if (!df->v[i].noise && shown < max) {
			show_one(what, m, d, &df->v[i]);
			shown++;
		} else if (df->v[i].noise && noise < 3) {
			noise++;
		} else {
			left++;
		}
	}
	for (i = 0, noise = 0; i < df->n && noise < 3; i++)
		if (df->v[i].noise) {
			show_one(what, m, d, &df->v[i]);
			noise++;
		}
	if (left)
		ksft_info("%s: %d more differing ranges", what, left);
}

/* The parts of moving diffs in @b that @a shows as well, with the same keys. */
static int persistent(const struct diffs *a, const struct diffs *b, struct diffs *out)
{
	int i, j;

	memset(out, 0, sizeof(*out));
	for (j = 0; j < b->n; j++) {
		const struct diff *q = &b->v[j];

		if (!q->moving || q->noise)
			continue;
		for (i = 0; i < a->n; i++) {
			const struct diff *p = &a->v[i];
			struct diff c = *q;

			if (p->last < q->start || p->start > q->last || p->la != q->la ||
			    p->lb != q->lb || p->aa != q->aa || p->ab != q->ab)
				continue;
			c.start = p->start > q->start ? p->start : q->start;
			c.last = p->last < q->last ? p->last : q->last;
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 16;
				out->v = realloc(out->v, out->cap * sizeof(*out->v));
				if (!out->v)
					ksft_bail("out of memory");
			}
			out->v[out->n++] = c;
		}
	}
	return out->n;
}

static int count_stable(const struct diffs *df)
{
	int i, n = 0;

	for (i = 0; i < df->n; i++)
		n += !df->v[i].moving;
	return n;
}

static int count_noise(const struct diffs *df, u64 *bytes)
{
	int i, n = 0;

	*bytes = 0;
	for (i = 0; i < df->n; i++)
		if (df->v[i].noise) {
			n++;
			*bytes += df->v[i].last - df->v[i].start + 1;
		}
	return n;
}

/* ---- reading ---- */

/*
 * Buffers are allocated and touched before the first read, and the files are
 * read interleaved: the master's first chunk (its seq_file buffer exists from
 * then), the kernel's dumps whole and kept open (theirs stay allocated),
 * then the rest of the master. With DEBUG_PAGEALLOC every page the readers
 * allocate appears in the direct map; this way both walks see the same ones.
 */
struct rbuf {
	char *p;
	size_t cap, len;
};

static void rbuf_init(struct rbuf *b, size_t cap)
{
	b->p = malloc(cap + 1);
	if (!b->p)
		ksft_bail("out of memory");
	memset(b->p, 0, cap + 1);
	b->cap = cap;
	b->len = 0;
}

static int rbuf_read(struct rbuf *b, int fd, size_t max)
{
	ssize_t n;

	while (max) {
		if (b->len == b->cap) {
			b->cap *= 2;
			b->p = realloc(b->p, b->cap + 1);
			if (!b->p)
				ksft_bail("out of memory");
		}
		/* at most 1 MiB a call: a timer's signal gets in between */
		n = b->cap - b->len < max ? b->cap - b->len : max;
		n = read(fd, b->p + b->len, n < (1 << 20) ? n : (1 << 20));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			break;
		b->len += n;
		if (max != (size_t)-1)
			max -= n;
	}
	b->p[b->len] = '\0';
	return 0;
}

struct round {
	struct rbuf master, kern, user;
	double t_master, t_ptdump;	/* seconds spent reading each */
};

static void round_init(struct round *r, int user)
{
	rbuf_init(&r->master, 16 << 20);
	rbuf_init(&r->kern, 4 << 20);
	if (user)
		rbuf_init(&r->user, 1 << 20);
}

static void read_round(struct round *r, const char *kpath, const char *upath)
{
	int fm, fk, fu = -1;

	double t = pt_now();

	r->master.len = r->kern.len = r->user.len = 0;
	fm = open(pt_path("master"), O_RDONLY);
	if (fm < 0 || rbuf_read(&r->master, fm, 4096))
		ksft_bail("read %s/master: %s", pt_dir(), strerror(errno));
	r->t_master = pt_now() - t;
	t = pt_now();
	fk = open(kpath, O_RDONLY);
	if (fk < 0 || rbuf_read(&r->kern, fk, (size_t)-1))
		ksft_bail("read %s: %s", kpath, strerror(errno));
	if (upath) {
		fu = open(upath, O_RDONLY);
		if (fu < 0 || rbuf_read(&r->user, fu, (size_t)-1))
			ksft_bail("read %s: %s", upath, strerror(errno));
	}
	r->t_ptdump = pt_now() - t;
	t = pt_now();
	if (rbuf_read(&r->master, fm, (size_t)-1))
		ksft_bail("read %s/master: %s", pt_dir(), strerror(errno));
	r->t_master += pt_now() - t;
	close(fm);
	close(fk);
	if (fu >= 0)
		close(fu);
	if (!pt_complete(r->master.p))
		ksft_bail("master has no end line (%zu bytes read)", r->master.len);
}

/* ---- one comparison of everything, and the verdicts ---- */

struct result {
	struct master m;
	struct ptdump dk, du;
	struct diffs dfk, dfu;
};

static void window_excl(const struct master *m, struct ivls *ex)
{
	int i;

	memset(ex, 0, sizeof(*ex));
	/* x86-64: ptdump never walks the guard hole (GUARD_HOLE_*_ADDR) */
	for (i = 0; arch == AR_X86 && i < m->nreg; i++)
		if (!strcmp(m->reg[i].name, "guard-hole"))
			excl_add(ex, m->reg[i].start, m->reg[i].last);
	excl_finish(ex);
}

static void merge_excl(struct ivls *into, const struct ivls *a, const struct ivls *b)
{
	int i;

	memset(into, 0, sizeof(*into));
	for (i = 0; i < a->n; i++)
		excl_add(into, a->v[i].start, a->v[i].last);
	for (i = 0; i < b->n; i++)
		excl_add(into, b->v[i].start, b->v[i].last);
	excl_finish(into);
}

static void do_compare(struct result *res, char *master, char *kern, char *user)
{
	struct ivls wex, ex1;

	parse_master(master, &res->m);
	if (!res->m.hi)
		ksft_bail("master has no kernel_half line");
	parse_ptdump(kern, &res->dk);
	if (res->dk.kasan_end) {
		kasan_start = res->dk.kasan_start;
		kasan_end = res->dk.kasan_end;
	}
	perturb(&res->m);
	window_excl(&res->m, &wex);
	merge_excl(&ex1, &wex, &res->m.excl[0]);
	compare(&res->m, &res->m.sec[0], &res->dk.map, &ex1, &res->dk.excl, res->m.lo,
		res->m.hi, &res->dfk);
	if (user) {
		parse_ptdump(user, &res->du);
		merge_excl(&ex1, &wex, &res->m.excl[1]);
		compare(&res->m, &res->m.sec[1], &res->du.map, &ex1, &res->du.excl, res->m.lo,
			res->m.hi, &res->dfu);
	}
}

static u64 excl_bytes(const struct ivls *s)
{
	u64 n = 0;
	int i;

	for (i = 0; i < s->n; i++)
		n += s->v[i].last - s->v[i].start + 1;
	return n;
}

static void report_parse(const char *what, const struct ptdump *d, const struct diffs *df)
{
	ksft_info("%s: %d lines, %d ranges, %d runs of skipped lines (%llu bytes not described), "
		  "%d mapped intervals in the kernel half", what, d->lines, d->ranges, d->skipped,
		  excl_bytes(&d->excl), df->ivl_b);
}

static int set_arch(const char *a)
{
	if (!strcmp(a, "x86_64")) {
		arch = AR_X86;
		cmp_mask = A_RW | A_USR | A_PWT | A_PCD | A_GLB | A_NX | A_UNK;
	} else if (!strcmp(a, "arm") || !strcmp(a, "arm-lpae")) {
		arch = strcmp(a, "arm") ? AR_ARM_LPAE : AR_ARM;
		cmp_mask = A_RW | A_USR | A_NX | A_SHD | A_NOAP | A_UNK;
	} else if (!strcmp(a, "arm64")) {
		arch = AR_ARM64;
		cmp_mask = A_RW | A_USR | A_NX | A_UXN | A_NG | A_CONT | A_SHD | A_MT | A_UNK;
	} else {
		return -1;
	}
	return 0;
}

/*
 * One side's verdict. Round 1 (@r1) is always there; @r2 is the second
 * round when round 1 differed. Fails on a difference in a region that does
 * not move (either round), or on one in a region that moves seen in both.
 */
static void verdict(const char *what, int min, const struct master *m1,
		    const struct ptdump *d1, const struct diffs *r1, const struct master *m2,
		    const struct ptdump *d2, const struct diffs *r2)
{
	struct diffs pers;
	int stable1 = count_stable(r1), stable2 = r2 ? count_stable(r2) : 0, np = 0, nn1, nn2 = 0;
	u64 nb1, nb2 = 0;

	nn1 = count_noise(r1, &nb1);
	if (r2)
		nn2 = count_noise(r2, &nb2);
	if (r1->n) {
		ksft_info("%s, round 1: %d differing ranges (%d in regions that do not move; %d, "
			  "%llu KiB, the allocator's in the direct map)", what, r1->n, stable1, nn1,
			  nb1 >> 10);
		show_diffs(what, m1, d1, r1, 8);
	}
	if (r2) {
		ksft_info("%s, round 2: %d differing ranges (%d in regions that do not move; %d, "
			  "%llu KiB, the allocator's in the direct map)", what, r2->n, stable2, nn2,
			  nb2 >> 10);
		show_diffs(what, m2, d2, r2, 8);
		np = persistent(r1, r2, &pers);
		if (np) {
			ksft_info("%s: %d differences in regions that move, seen in both rounds:",
				  what, np);
			show_diffs(what, m2, d2, &pers, 8);
		}
	}
	ksft_result(!stable1 && !stable2 && !np && r1->ivl_a >= min && r1->ivl_b >= min,
		    "%s: %d ptshare intervals (%llu KiB) vs %d ptdump intervals (%llu KiB), %llu "
		    "GiB left out: round 1 %d differing ranges (%d where nothing moves)%s%s", what,
		    r1->ivl_a, r1->bytes_a >> 10, r1->ivl_b, r1->bytes_b >> 10,
		    r1->bytes_excluded >> 30, r1->n, stable1, r2 ? ", round 2 " : "",
		    r2 ? (np ? "repeated some" : "repeated none that count") : "");
}

static char *slurp(const char *path)
{
	char *t = pt_read(path);

	if (!t)
		ksft_bail("read %s: %s", path, strerror(errno));
	return t;
}

static int files_main(int argc, char **argv)
{
	static struct result res;
	char *master, *kern, *user = NULL;
	int fails;

	if (argc < 5 || set_arch(argv[2]))
		ksft_bail("usage: %s --files ARCH MASTER PTDUMP [PTDUMP_USER]", argv[0]);
	file_mode = 1;
	master = slurp(argv[3]);
	kern = slurp(argv[4]);
	if (argc > 5)
		user = slurp(argv[5]);
	ksft_plan(user ? 2 : 1);
	do_compare(&res, master, kern, user);
	report_parse("ptdump kernel", &res.dk, &res.dfk);
	ksft_info("master: %d lines, %d ranges (%d descend), %d aliases, %d repeats (%d placed by "
		  "inference, %llu bytes excluded)", res.m.lines, res.m.ranges, res.m.descends,
		  res.m.aliases, res.m.repeats,
		  res.m.repeats_inferred, excl_bytes(&res.m.excl[0]) + excl_bytes(&res.m.excl[1]));
	fails = res.dfk.n;
	show_diffs("kernel pgd", &res.m, &res.dk, &res.dfk, 8);
	ksft_result(!res.dfk.n && !res.m.sec[0].disorder && !res.dk.map.disorder,
		    "kernel pgd: %d ptshare intervals vs %d ptdump intervals: %d differing ranges",
		    res.dfk.ivl_a, res.dfk.ivl_b, res.dfk.n);
	if (user) {
		report_parse("ptdump user", &res.du, &res.dfu);
		show_diffs("user copy", &res.m, &res.du, &res.dfu, 8);
		fails += res.dfu.n;
		ksft_result(!res.dfu.n, "user copy: %d ptshare intervals vs %d ptdump intervals: "
			    "%d differing ranges", res.dfu.ivl_a, res.dfu.ivl_b, res.dfu.n);
	}
	(void)fails;
	ksft_finish();
}

/*
 * The bound. Most of the time goes to reading master: on the x86-64 KASAN
 * debug kernel it is 16 MB (200000 lines: the real KASAN shadow is mapped
 * page by page from scattered frames, one range each).
 */
#define PTDUMP_ORACLE_SECONDS	600

static void on_alarm(int sig)
{
	static const char msg[] = "Bail out! ptdump_oracle: not done after 600 s\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(KSFT_FAIL);
	_exit(KSFT_FAIL);
}

int main(int argc, char **argv)
{
	static struct result res1, res2;
	static struct round rd1, rd2;
	const char *a, *kpath, *upath = NULL, *v;
	static char first[1 << 16];
	char cmdline[4096], kfence[64];
	int pti = 0, user, again;
	double t0, t1, t2 = 0;
	sigset_t alrm;
	u64 nb;

	if (argc > 1 && !strcmp(argv[1], "--files"))
		return files_main(argc, argv);

	/* a parent may have blocked it; the bound must hold */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	signal(SIGALRM, on_alarm);
	alarm(PTDUMP_ORACLE_SECONDS);
	/* the header is all this needs: the first 64 KiB */
	if (pt_read_into(pt_path("master"), 4096, first, sizeof(first)) < 0)
		ksft_bail("read master: %s", strerror(errno));
	a = pt_agree_arch(first);
	if (set_arch(a))
		ksft_skip("no ptdump vocabulary for this architecture");
	kpath = arch == AR_X86 ? PTDUMP_X86_KERNEL : PTDUMP_ARM;
	if (access(kpath, R_OK))
		ksft_skip("no kernel page-table dumper (PTDUMP_DEBUGFS / ARM_PTDUMP_DEBUGFS) in "
			  "this kernel");
	if (arch == AR_X86 || arch == AR_ARM64)
		pti = pt_agree_isolation(first);
	v = pt_header(first, "master_user_pgd");
	pt_agree(!!strcmp(v ? v : "- -", "- -") == pti,
		 "module master_user_pgd '%s' agrees with isolation %s", v ? v : "(none)",
		 pti ? "on" : "off");
	user = arch == AR_X86 && pti;
	if (user) {
		upath = PTDUMP_X86_USER;
		if (access(upath, R_OK))
			ksft_bail("PTI on but no %s", upath);
	}
	/* Regions whose direct map changes as pages come and go. */
	pt_file_line("/proc/cmdline", cmdline, sizeof(cmdline));
	pt_file_line("/sys/module/kfence/parameters/sample_interval", kfence, sizeof(kfence));
	direct_moves = strstr(cmdline, "debug_pagealloc=on") || (kfence[0] && strcmp(kfence, "0"));

	ksft_plan(user ? 3 : 2);
	ksft_info("the direct map %s (debug_pagealloc=on on the command line: %s, KFENCE "
		  "sample_interval: %s)", direct_moves ? "moves" : "does not move",
		  strstr(cmdline, "debug_pagealloc=on") ? "yes" : "no", kfence[0] ? kfence : "-");
	round_init(&rd1, user);
	round_init(&rd2, user);

	t0 = pt_now();
	read_round(&rd1, kpath, upath);
	t1 = pt_now();
	do_compare(&res1, rd1.master.p, rd1.kern.p, user ? rd1.user.p : NULL);
	report_parse("ptdump kernel", &res1.dk, &res1.dfk);
	if (user)
		report_parse("ptdump current_user", &res1.du, &res1.dfu);
	ksft_info("KASAN shadow per ptdump's markers: 0x%llx-0x%llx", kasan_start,
		  kasan_end ? kasan_end - 1 : 0);
	/* (arm64 KPTI: master has the trampoline section, ptdump no file for it) */
	ksft_result(!res1.m.errors && !res1.m.sec[0].disorder && !res1.m.sec[1].disorder &&
		    !res1.dk.map.disorder && res1.m.has_user == pti,
		    "master read and parsed: %d lines, %d ranges (%d descend), %d aliases, %d "
		    "repeats (%d placed by inference, %llu bytes not expanded), %d bad, %d errors; "
		    "%s user section", res1.m.lines, res1.m.ranges, res1.m.descends, res1.m.aliases,
		    res1.m.repeats,
		    res1.m.repeats_inferred,
		    excl_bytes(&res1.m.excl[0]) + excl_bytes(&res1.m.excl[1]), res1.m.bad,
		    res1.m.errors, res1.m.has_user ? "a" : "no");

	/* differences that are all the allocator's never count: no second round for them */
	again = res1.dfk.n > count_noise(&res1.dfk, &nb) ||
		(user && res1.dfu.n > count_noise(&res1.dfu, &nb));
	if (again) {
		ksft_info("round 1 differs: reading both again");
		t2 = pt_now();
		read_round(&rd2, kpath, upath);
		do_compare(&res2, rd2.master.p, rd2.kern.p, user ? rd2.user.p : NULL);
		t2 = pt_now() - t2;
	}
	ksft_info("round 1: master %zu bytes read in %.1f s, ptdump %zu + %zu bytes in %.1f s; "
		  "compared in %.1f s; round 2 (both again) %.1f s", rd1.master.len,
		  rd1.t_master, rd1.kern.len, rd1.user.len, rd1.t_ptdump, pt_now() - t1 - t2, t2);
	(void)t0;
	verdict("kernel pgd", 10, &res1.m, &res1.dk, &res1.dfk, &res2.m, &res2.dk,
		again ? &res2.dfk : NULL);
	if (user)
		verdict("PTI user copy", 3, &res1.m, &res1.du, &res1.dfu, &res2.m, &res2.du,
			again ? &res2.dfu : NULL);
	else
		ksft_info("%s: no user copy to compare (%s)", a,
			  arch == AR_ARM64 && pti ? "KPTI's trampoline table has no ptdump file" :
			  "no page-table isolation");
	ksft_finish();
}

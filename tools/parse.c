// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare: the parser. Reads the module's summary, master and dump
 * files (doc/FORMAT.md) and snapshot files that embed them, into one
 * struct pt_snapshot. Strict: a version we know must contain only the lines
 * and fields we know (a newer minor version may add lines and trailing fields,
 * which are skipped), an unknown major version is refused, numbers must fit,
 * and every file must end with its "end" line. Each error names the file and
 * the line. Lines are split in place, in the buffer they were read into;
 * only the few strings the model keeps are copied (keep()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model.h"
#include "out.h"

#define MAX_FIELDS	32

static const char *const class_names[] = { PTSHARE_CLASS_NAMES };
static const char *const level_names[PT_NR_LEVELS] = { "pgd", "p4d", "pud", "pmd", "pte" };
static const char *const kind_names[] = { "none", "table", "leaf", "bad" };
static const char *const mrange_kind_names[PT_MR_NR] = {
	"range", "alias", "repeat", "bad", "descend"
};
static const char *const task_end_names[] = { "ok", "exited", "skipped", "exec" };

const char *pt_level_name(unsigned int level)
{
	return level < PT_NR_LEVELS ? level_names[level] : "?";
}

const char *pt_kind_name(unsigned int kind)
{
	return kind < 4 ? kind_names[kind] : "?";
}

const char *pt_mrange_kind_name(unsigned int kind)
{
	return kind < PT_MR_NR ? mrange_kind_names[kind] : "?";
}

const char *pt_task_end_name(unsigned int end)
{
	return end < 4 ? task_end_names[end] : "?";
}

const char *pt_class_name(unsigned int cls)
{
	return cls < PTSHARE_NR_CLASSES ? class_names[cls] : "?";
}

/*
 * The index of @s in @names, or -1. The first two characters are compared
 * before strcmp(): on the parser's hot path (every entry line names a
 * level, a class and two kinds) most candidates differ there.
 */
static inline int name_index(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[0] == names[i][0] && s[1] == names[i][1] && !strcmp(s, names[i]))
			return i;
	return -1;
}

int pt_class_from_name(const char *s)
{
	return name_index(s, class_names, PTSHARE_NR_CLASSES);
}

static int kind_from_name(const char *s)
{
	return name_index(s, kind_names, 4);
}

static int level_from_name(const char *s)
{
	return name_index(s, level_names, PT_NR_LEVELS);
}

/* Strict numbers: "0x" and 1-16 hex digits, or 1-20 decimal digits; no overflow. */
static int parse_hex(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0;
	unsigned int d;

	if (s[0] != '0' || s[1] != 'x')
		return -1;
	for (s += 2; *s; s++, n++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		if (x >> 60)
			return -1;
		x = x << 4 | d;
	}
	if (!n)
		return -1;
	*v = x;
	return 0;
}

static int parse_dec(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (x > (UINT64_MAX - (*s - '0')) / 10)
			return -1;
		x = x * 10 + (*s - '0');
	}
	*v = x;
	return 0;
}

int pt_parse_u64(const char *s, uint64_t *v)
{
	return s[0] == '0' && s[1] == 'x' ? parse_hex(s, v) : parse_dec(s, v);
}

/* ---- lines ---- */

/*
 * A control byte (NUL, ESC, CR, tab...; anything below 0x20 but the line
 * feed, and DEL) is never part of a ptshare file: the module writes a comm's
 * as \ooo escapes. Each input is scanned for them before it is parsed
 * (check_text()), so none can reach a terminal or a page; the same scan
 * counts its lines, which a snapshot's sections are checked against.
 *
 * Sixteen bytes at a time (GCC's and clang's vector extensions: SSE2 on
 * x86-64, NEON on ARM, plain code elsewhere): is one of them a control byte
 * other than '\n' (below 0x20), or DEL? Bytes of 0x80 and above are not.
 */
typedef unsigned char pt_v16 __attribute__((vector_size(16)));
typedef uint64_t pt_v2 __attribute__((vector_size(16)));

/*
 * 64 bytes at @p: true if one is a control byte; if none is, their line
 * feeds are added to @nl, a lane for each position modulo 16 (4 at most).
 */
static inline bool scan64(const unsigned char *p, pt_v16 *nl)
{
	pt_v16 v, bad = { 0 }, lf = { 0 };
	pt_v2 w;
	int i;

	for (i = 0; i < 64; i += 16) {
		memcpy(&v, p + i, sizeof(v));
		bad |= (pt_v16)((v < 0x20) & (v != '\n')) | (pt_v16)(v == 0x7f);
		lf -= (pt_v16)(v == '\n');	/* a true comparison is all ones: -1 */
	}
	memcpy(&w, &bad, sizeof(w));
	if (w[0] | w[1])
		return true;
	*nl += lf;
	return false;
}

/* The sum of @v's 16 lanes (each up to 255). */
static uint64_t lane_sum(pt_v16 v)
{
	const uint64_t even = 0x00ff00ff00ff00ffULL;
	uint64_t x;
	pt_v2 w;

	memcpy(&w, &v, sizeof(w));
	x = (w[0] & even) + (w[0] >> 8 & even) + (w[1] & even) + (w[1] >> 8 & even);
	return x * 0x0001000100010001ULL >> 48;	/* the four 16-bit sums in x added */
}

/*
 * The offset of the first control byte of the @len bytes at @text (@len if
 * there is none); the line feeds before it are added to *@lines.
 */
static size_t scan_text(const char *text, size_t len, uint64_t *lines)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;

	/* 64 bytes at a time, 63 blocks to a count (a lane holds 255) */
	while (end - p >= 64) {
		pt_v16 nl = { 0 };
		int k;

		for (k = 0; k < 63 && end - p >= 64 && !scan64(p, &nl); k++)
			p += 64;
		*lines += lane_sum(nl);
		if (k < 63 && end - p >= 64)
			break;		/* the block at p has a control byte */
	}
	/* then the last bytes, and those of a block that has one */
	for (; p < end; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			break;
		*lines += *p == '\n';
	}
	return p - (const unsigned char *)text;
}

/*
 * Where lines come from: a text in memory (pt_load_buffer(), pt_load_part()),
 * or a regular file read through a buffer of READ_CHUNK bytes, well inside a
 * core's L2 cache, refilled as lines are asked for (pt_load_file()). A line
 * lasts until the next one is asked for: what the model keeps of it is
 * copied (keep()).
 */
#define READ_CHUNK	(256 << 10)

struct cursor {
	const char *name;
	char *p, *end;		/* what is in memory and not returned yet */
	size_t lineno;		/* number of the line last returned */
	size_t stop;		/* a section's last line: none after it; SIZE_MAX */
	uint64_t nlines;	/* the input's line feeds, counted by check_text() */
	/* a file read in pieces */
	FILE *fp;		/* NULL: the whole text is in memory */
	char *buf;		/* @cap bytes and a NUL */
	size_t cap;
	uint64_t left;		/* bytes of the file not read yet */
};

/*
 * What the buffer holds has no '\n': move the line begun there to its
 * front (doubling the buffer when the line fills it) and read on. Returns
 * the line's '\n', or NULL at the end of the file, where c->end ends the
 * last line. The file was checked whole before: a control byte now means it
 * changed since, and ends the reading like an error.
 */
static char *refill(struct cursor *c)
{
	size_t have = c->end - c->p, want, got;
	uint64_t lines = 0;		/* counted before */
	char *nbuf, *nl;

	while (c->left) {
		memmove(c->buf, c->p, have);
		c->p = c->buf;
		c->end = c->buf + have;
		if (have == c->cap) {
			nbuf = c->cap <= SIZE_MAX / 4 ? realloc(c->buf, 2 * c->cap + 1) : NULL;
			if (!nbuf) {
				pt_error(c->name, c->lineno + 1, "out of memory");
				break;
			}
			c->buf = c->p = nbuf;
			c->end = nbuf + have;
			c->cap *= 2;
		}
		want = c->cap - have < c->left ? c->cap - have : c->left;
		got = fread(c->end, 1, want, c->fp);
		if (got < want && ferror(c->fp)) {
			pt_error(c->name, 0, "read failed: %s", strerror(errno));
			break;
		}
		if (scan_text(c->end, got, &lines) < got) {
			pt_error(c->name, 0, "the file changed while it was read");
			break;
		}
		c->left = got < want ? 0 : c->left - got;	/* short: it shrank */
		nl = memchr(c->end, '\n', got);
		c->end += got;
		*c->end = '\0';
		if (nl)
			return nl;
		have = c->end - c->p;
	}
	c->left = 0;
	return NULL;
}

/* Next line, NUL-terminated in place; NULL at the end or on a line without '\n'. */
static char *next_line(struct cursor *c, int *unterminated)
{
	char *line, *nl;

	*unterminated = 0;
	if (c->lineno == c->stop)
		return NULL;
	nl = memchr(c->p, '\n', c->end - c->p);
	if (!nl && c->fp)
		nl = refill(c);
	if (c->p >= c->end)
		return NULL;
	line = c->p;
	c->lineno++;
	if (!nl) {
		*unterminated = 1;
		c->p = c->end;
		return NULL;
	}
	*nl = '\0';
	c->p = nl + 1;
	return line;
}

/* Nothing after the line last returned? */
static bool at_end(const struct cursor *c)
{
	return c->p == c->end && !(c->fp && c->left);
}

/* Split on single spaces; -1 on an empty field (two spaces, leading or trailing space). */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	if (!*line)
		return -1;
	for (;;) {
		char *sp;

		if (n == max)
			return -2;
		f[n++] = p;
		sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
		if (!*p || *p == ' ')
			return -1;
		if (sp == f[n - 1])
			return -1;
	}
	if (!*f[0])
		return -1;
	return n;
}

/* ---- per-file parsing state ---- */

struct fstate {
	struct pt_snapshot *s;
	struct cursor *c;
	const char *kind;		/* summary, master, dump */
	struct pt_header *h;
	int major, minor;		/* this file's version */
	bool strict;			/* a version we know fully: no unknown lines or fields */
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define ERR(st, ...)                                                                               \
	do {                                                                                       \
		pt_error((st)->c->name, (st)->c->lineno, __VA_ARGS__);                             \
		return -1;                                                                         \
	} while (0)

static int need_fields(struct fstate *st, int n, int want, const char *what)
{
	if (n < want) {
		pt_error(st->c->name, st->c->lineno, "%s line has %d fields, expected %d", what, n,
			 want);
		return -1;
	}
	if (n > want && st->strict) {
		pt_error(st->c->name, st->c->lineno,
			 "%s line has %d fields, expected %d (format %d.%d)", what, n, want,
			 st->major, st->minor);
		return -1;
	}
	return 0;
}

static int get_hex(struct fstate *st, const char *s, uint64_t *v, const char *what)
{
	if (parse_hex(s, v)) {
		pt_error(st->c->name, st->c->lineno,
			 "%s: '%.40s' is not a 0x number that fits 64 bits", what, s);
		return -1;
	}
	return 0;
}

static int get_dec(struct fstate *st, const char *s, uint64_t *v, uint64_t max, const char *what)
{
	if (parse_dec(s, v) || *v > max) {
		pt_error(st->c->name, st->c->lineno,
			 "%s: '%.40s' is not a decimal number up to %llu", what, s,
			 (unsigned long long)max);
		return -1;
	}
	return 0;
}

/* hex or "-" */
static int get_hex_opt(struct fstate *st, const char *s, uint64_t *v, bool *has, const char *what)
{
	if (!strcmp(s, "-")) {
		*v = 0;
		*has = false;
		return 0;
	}
	*has = true;
	return get_hex(st, s, v, what);
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap < *cap || ncap > SIZE_MAX / size)
		return -1;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/*
 * A copy of @str among the model's strings (NULL: out of memory). They are
 * short (names, comms, flags) and few beside the entries: blocks of
 * STRINGS_BLOCK bytes, a longer one in a block of its own.
 */
#define STRINGS_BLOCK	(16 << 10)

static const char *keep(struct pt_snapshot *s, const char *str)
{
	struct pt_strings *b = s->strings;
	size_t len = strlen(str) + 1;
	char *p;

	if (!b || b->size - b->used < len) {
		size_t size = len > STRINGS_BLOCK ? len : STRINGS_BLOCK;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = s->strings;
		s->strings = b;
	}
	p = b->text + b->used;
	memcpy(p, str, len);
	b->used += len;
	return p;
}

/* *@dst: a copy of the field @str, which lasts only as long as its line. */
static int keep_field(struct fstate *st, const char **dst, const char *str)
{
	*dst = keep(st->s, str);
	if (!*dst)
		ERR(st, "out of memory");
	return 0;
}

/* ---- header ---- */

static const char *const ktable_names[] = { "pgd", "ttbr1" };

const char *pt_ktable_name(unsigned int ktable)
{
	return ktable < 2 ? ktable_names[ktable] : "?";
}

/* The header's state between lines: levels seen, the regions' capacity. */
struct hstate {
	struct fstate *st;
	struct pt_header *h;
	int nlevel;
	size_t rcap;
};

#define HERR(hs, ...)	(pt_error((hs)->st->c->name, (hs)->st->c->lineno, __VA_ARGS__), -1)

static int h_kernel(struct hstate *hs, char **f)
{
	return keep_field(hs->st, &hs->h->kernel, f[1]);
}

static int h_arch(struct hstate *hs, char **f)
{
	return keep_field(hs->st, &hs->h->arch, f[1]);
}

static int h_page_size(struct hstate *hs, char **f)
{
	uint64_t *ps = &hs->h->page_size;

	if (get_dec(hs->st, f[1], ps, 1ULL << 30, "page_size"))
		return -1;
	if (*ps < 512 || (*ps & (*ps - 1)))
		return HERR(hs, "page_size %llu is not a power of two >= 512",
			    (unsigned long long)*ps);
	return 0;
}

static int h_levels(struct hstate *hs, char **f)
{
	uint64_t v;

	if (get_dec(hs->st, f[1], &v, 5, "levels"))
		return -1;
	if (v < 2)
		return HERR(hs, "levels %llu: expected 2 to 5", (unsigned long long)v);
	hs->h->levels = v;
	return 0;
}

static int h_level(struct hstate *hs, char **f)
{
	struct pt_level *l = &hs->h->level[hs->nlevel];
	uint64_t shift, entries;

	if (strcmp(f[1], level_names[hs->nlevel]))
		return HERR(hs, "level '%.8s': expected '%s'", f[1], level_names[hs->nlevel]);
	if (get_dec(hs->st, f[2], &shift, 63, "level shift") ||
	    get_dec(hs->st, f[3], &entries, 1 << 20, "level entries"))
		return -1;
	if (strcmp(f[4], "real") && strcmp(f[4], "folded"))
		return HERR(hs, "level: '%.10s' is not real|folded", f[4]);
	l->name = level_names[hs->nlevel];
	l->shift = shift;
	l->entries = entries;
	l->folded = !strcmp(f[4], "folded");
	hs->nlevel++;
	return 0;
}

static int h_khalf(struct hstate *hs, char **f)
{
	struct pt_header *h = hs->h;

	if (get_hex(hs->st, f[1], &h->khalf_first, "kernel_half") ||
	    get_hex(hs->st, f[2], &h->khalf_last, "kernel_half"))
		return -1;
	if (h->khalf_first > h->khalf_last)
		return HERR(hs, "kernel_half ends before it starts");
	return 0;
}

static int h_kslots(struct hstate *hs, char **f)
{
	struct pt_header *h = hs->h;

	if (get_dec(hs->st, f[1], &h->slot_first, 1 << 20, "kernel_slots") ||
	    get_dec(hs->st, f[2], &h->slot_last, 1 << 20, "kernel_slots"))
		return -1;
	if (h->slot_first > h->slot_last || h->slot_last >= h->level[0].entries)
		return HERR(hs, "kernel_slots %llu %llu do not fit a pgd of %u entries",
			    (unsigned long long)h->slot_first, (unsigned long long)h->slot_last,
			    h->level[0].entries);
	return 0;
}

static int h_mpgd(struct hstate *hs, char **f)
{
	struct pt_header *h = hs->h;

	if (get_hex(hs->st, f[1], &h->master_va, "master_pgd") ||
	    get_hex(hs->st, f[2], &h->master_pa, "master_pgd"))
		return -1;
	return keep_field(hs->st, &h->master_source, f[3]);
}

static int h_mupgd(struct hstate *hs, char **f)
{
	struct pt_header *h = hs->h;

	h->has_user = strcmp(f[1], "-") != 0;
	if (h->has_user)
		return get_hex(hs->st, f[1], &h->muser_va, "master_user_pgd") ||
		       get_hex(hs->st, f[2], &h->muser_pa, "master_user_pgd") ? -1 : 0;
	if (strcmp(f[2], "-"))
		return HERR(hs, "master_user_pgd: '- %.20s'", f[2]);
	return 0;
}

static int h_mlock(struct hstate *hs, char **f)
{
	return keep_field(hs->st, &hs->h->master_lock, f[1]);
}

static int h_isolation(struct hstate *hs, char **f)
{
	if (strcmp(f[2], "on") && strcmp(f[2], "off"))
		return HERR(hs, "isolation: '%.10s' is not on|off", f[2]);
	hs->h->isolation_on = !strcmp(f[2], "on");
	return keep_field(hs->st, &hs->h->isolation, f[1]);
}

/* 1.1: "kernel_table pgd -" or "kernel_table ttbr1 PA" */
static int h_ktable(struct hstate *hs, char **f)
{
	struct pt_header *h = hs->h;

	if (!strcmp(f[1], "pgd")) {
		h->ktable = PT_KT_PGD;
		if (strcmp(f[2], "-"))
			return HERR(hs, "kernel_table pgd: '%.20s' where '-' belongs", f[2]);
		return 0;
	}
	if (strcmp(f[1], "ttbr1"))
		return HERR(hs, "kernel_table: '%.20s' is not pgd|ttbr1", f[1]);
	h->ktable = PT_KT_TTBR1;
	return get_hex(hs->st, f[2], &h->ktable_pa, "kernel_table ttbr1");
}

static int h_region(struct hstate *hs, char **f)
{
	struct pt_header *h = hs->h;
	const struct pt_region *p;
	struct pt_region *r;

	if (h->nregions >= PT_MAX_REGIONS)
		return HERR(hs, "too many regions");
	if (grow((void **)&h->regions, &hs->rcap, h->nregions, sizeof(*r)))
		return HERR(hs, "out of memory");
	p = h->nregions ? &h->regions[h->nregions - 1] : NULL;	/* grow() may move them */
	r = &h->regions[h->nregions];
	if (get_hex(hs->st, f[1], &r->start, "region") ||
	    get_hex(hs->st, f[2], &r->last, "region"))
		return -1;
	if (r->start > r->last)
		return HERR(hs, "region ends before it starts");
	/*
	 * By start; regions may nest, an enclosing region before the ones
	 * inside it, so one starting where the previous one does must lie
	 * inside it.
	 */
	if (p && (r->start < p->start || (r->start == p->start && r->last > p->last)))
		return HERR(hs, "regions not in address order (an enclosing region comes"
			    " before those inside it)");
	r->reach = p && p->reach > r->last ? p->reach : r->last;
	if (keep_field(hs->st, &r->name, f[3]))
		return -1;
	h->nregions++;
	return 0;
}

/*
 * The header lines, in the order they must come: each with its field count
 * and parser. level comes once per level (PT_NR_LEVELS times), region any
 * number of times (last); kernel_table from format minor 1 on.
 */
enum { H_LEVEL = 4, H_KTABLE = 11, H_REGION = 12, H_NR = 13 };
static const struct {
	const char *key;
	int fields;
	int (*parse)(struct hstate *hs, char **f);
} hlines[H_NR] = {
	{ "kernel", 2, h_kernel },
	{ "arch", 2, h_arch },
	{ "page_size", 2, h_page_size },
	{ "levels", 2, h_levels },
	[H_LEVEL] = { "level", 5, h_level },
	{ "kernel_half", 3, h_khalf },
	{ "kernel_slots", 3, h_kslots },
	{ "master_pgd", 4, h_mpgd },
	{ "master_user_pgd", 3, h_mupgd },
	{ "master_lock", 2, h_mlock },
	{ "isolation", 3, h_isolation },
	[H_KTABLE] = { "kernel_table", 3, h_ktable },
	[H_REGION] = { "region", 4, h_region },
};

/* Lines that end the header: the body's first line kinds. */
static bool body_line(const char *key)
{
	return !strcmp(key, "columns") || !strcmp(key, "pgd") || !strcmp(key, "selection") ||
	       !strcmp(key, "end");
}

/* Parse the header lines after "ptshare KIND M.m"; stops at the first body line (returned). */
static char *parse_header(struct fstate *st, int *err)
{
	struct hstate hs = { .st = st, .h = st->h };
	char *line, *f[MAX_FIELDS];
	int n, k, i, next = 0, unterm;

	*err = -1;
	while ((line = next_line(st->c, &unterm))) {
		char *save = line;

		n = split(line, f, MAX_FIELDS);
		if (n < 0) {
			pt_error(st->c->name, st->c->lineno,
				 n == -1 ? "empty field (stray space) in \"%.40s\"" :
					   "too many fields in \"%.40s\"", save);
			return NULL;
		}
		for (k = 0; k < H_NR && strcmp(f[0], hlines[k].key); k++)
			;
		if (k == H_NR && body_line(f[0])) {
			/* hand the line back with the spaces split() replaced */
			for (i = 1; i < n; i++)
				f[i][-1] = ' ';
			break;
		}
		if (k == H_NR && st->strict) {
			pt_error(st->c->name, st->c->lineno, "unknown header line '%.40s'", f[0]);
			return NULL;
		}
		if (k == H_NR)
			continue;	/* a newer minor's line */
		if (k != next) {
			pt_error(st->c->name, st->c->lineno, "header line '%s' where '%s' belongs",
				 f[0], hlines[next].key);
			return NULL;
		}
		if (need_fields(st, n, hlines[k].fields, hlines[k].key) || hlines[k].parse(&hs, f))
			return NULL;
		next = k == H_REGION || (k == H_LEVEL && hs.nlevel < PT_NR_LEVELS) ? k : k + 1;
		/* 1.0 has no kernel_table line (it means pgd); from 1.1 on it is required */
		if (next == H_KTABLE && st->minor < 1)
			next = H_REGION;
	}
	if (!line) {
		pt_error(st->c->name, st->c->lineno, unterm ? "last line has no newline: truncated" :
			 "no \"end\" line: the file is truncated");
		return NULL;
	}
	if (next != H_REGION) {
		pt_error(st->c->name, st->c->lineno, "header incomplete: no '%s' line",
			 hlines[next].key);
		return NULL;
	}
	if (st->h->levels && st->h->level[0].shift == 0) {
		pt_error(st->c->name, st->c->lineno, "pgd level has shift 0");
		return NULL;
	}
	st->h->valid = true;
	*err = 0;
	return line;
}

/* ---- helpers on the model ---- */

const char *pt_region_name(const struct pt_snapshot *s, unsigned int region)
{
	return region < s->hdr.nregions ? s->hdr.regions[region].name : "-";
}

int pt_region_by_name(const struct pt_snapshot *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->hdr.nregions; i++)
		if (!strcmp(s->hdr.regions[i].name, name))
			return i;
	return -1;
}

/*
 * The innermost region holding @va: of the regions that start at or below
 * it, the last one that covers it (regions nest, enclosing ones first). The
 * walk back stops where no earlier region reaches @va: at once when regions
 * do not nest.
 */
unsigned int pt_region_of(const struct pt_snapshot *s, uint64_t va)
{
	const struct pt_region *r = s->hdr.regions;
	size_t lo = 0, hi = s->hdr.nregions;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r[mid].start <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo && r[lo - 1].reach >= va; lo--)
		if (va <= r[lo - 1].last)
			return lo - 1;
	return PT_NO_REGION;
}

/* The top-level index of @va: what pgd_index() computes. */
uint64_t pt_slot_of(const struct pt_snapshot *s, uint64_t va)
{
	unsigned int shift = s->hdr.level[0].shift;
	uint64_t entries = s->hdr.level[0].entries;

	if (shift > 63)
		return 0;
	if (entries && !(entries & (entries - 1)))
		return (va >> shift) & (entries - 1);
	return ((va - s->hdr.khalf_first) >> shift) + s->hdr.slot_first;
}

const struct pt_task *pt_find_task(const struct pt_snapshot *s, int64_t tgid)
{
	size_t i;

	for (i = 0; i < s->ntasks; i++)
		if (s->tasks[i].tgid == tgid)
			return &s->tasks[i];
	return NULL;
}

/*
 * The regions [@start, @last] overlaps, into @out (at most @max): at each
 * address the innermost region holding it, in address order, each once.
 * The walk goes from boundary to boundary (a region's start or the address
 * after its last), so it costs the regions' number once per region crossed.
 */
size_t pt_regions_in(const struct pt_snapshot *s, uint64_t start, uint64_t last, uint16_t *out,
		     size_t max)
{
	const struct pt_region *rg = s->hdr.regions;
	uint64_t a = start, next;
	size_t n = 0, i, j;
	unsigned int r;

	for (;;) {
		r = pt_region_of(s, a);
		for (j = 0; j < n && out[j] != r; j++)
			;
		if (r != PT_NO_REGION && j == n && n < max)
			out[n++] = r;
		/* the nearest boundary after a, inside the range */
		next = a;
		for (i = 0; i < s->hdr.nregions; i++) {
			if (rg[i].start > a && rg[i].start <= last &&
			    (next == a || rg[i].start < next))
				next = rg[i].start;
			if (rg[i].last >= a && rg[i].last < last &&
			    (next == a || rg[i].last + 1 < next))
				next = rg[i].last + 1;
		}
		if (next == a)
			break;
		a = next;
	}
	return n;
}

/*
 * Remember @place for the widest interval around @start without a region
 * boundary (a region's start, or the address after its last), if
 * [@start, @last] lies inside it: the entries that follow mostly do too.
 */
static int place_cache(struct pt_snapshot *s, uint64_t start, uint64_t last, int place)
{
	const struct pt_region *rg = s->hdr.regions;
	uint64_t lo = 0, hi = UINT64_MAX, b[2];
	size_t i, k;

	for (i = 0; i < s->hdr.nregions; i++) {
		b[0] = rg[i].start;
		b[1] = rg[i].last + 1;	/* 0 for a region up to the top: no boundary */
		for (k = 0; k < 2; k++) {
			if (!b[k])
				continue;
			if (b[k] <= start && b[k] > lo)
				lo = b[k];
			else if (b[k] > start && b[k] - 1 < hi)
				hi = b[k] - 1;
		}
	}
	if (last <= hi) {
		s->place_lo = lo;
		s->place_hi = hi;
		s->place_last = place;
		s->place_cached = true;
	}
	return place;
}

/* The place of [@start, @last], added to @s's places if new. */
int pt_place_of(struct pt_snapshot *s, uint64_t start, uint64_t last)
{
	struct pt_place p = { 0 }, *q;
	size_t i, len = 0;

	if (s->place_cached && start >= s->place_lo && last <= s->place_hi)
		return s->place_last;
	p.n = pt_regions_in(s, start, last, p.r, PT_PLACE_MAX);
	if (!p.n)
		return place_cache(s, start, last, PT_NO_REGION);
	for (i = s->nplaces; i-- > 0;) {
		q = &s->places[i];
		if (q->n == p.n && !memcmp(q->r, p.r, p.n * sizeof(p.r[0])))
			return place_cache(s, start, last, i);
	}
	if (s->nplaces >= PT_NO_REGION - 1 ||
	    grow((void **)&s->places, &s->cap_places, s->nplaces, sizeof(p)))
		return -1;
	for (i = 0; i < p.n; i++)
		len += strlen(s->hdr.regions[p.r[i]].name) + 1;
	p.name = malloc(len);
	if (!p.name)
		return -1;
	for (i = 0, len = 0; i < p.n; i++)
		len += sprintf(p.name + len, "%s%s", i ? "," : "", s->hdr.regions[p.r[i]].name);
	s->places[s->nplaces] = p;
	return place_cache(s, start, last, s->nplaces++);
}

const char *pt_place_name(const struct pt_snapshot *s, unsigned int place)
{
	return place < s->nplaces ? s->places[place].name : "-";
}

bool pt_place_has(const struct pt_snapshot *s, unsigned int place, unsigned int region)
{
	size_t i;

	if (place >= s->nplaces)
		return false;
	for (i = 0; i < s->places[place].n; i++)
		if (s->places[place].r[i] == region)
			return true;
	return false;
}

static unsigned int region_by_name_cached(struct fstate *st, const char *name, unsigned int *cache)
{
	struct pt_header *h = st->h;
	size_t i;

	if (name[0] == '-' && !name[1])
		return PT_NO_REGION;
	if (*cache < h->nregions && !strcmp(h->regions[*cache].name, name))
		return *cache;
	for (i = 0; i < h->nregions; i++)
		if (!strcmp(h->regions[i].name, name))
			return *cache = i;
	return PT_NO_REGION - 1;
}

/*
 * The range must be in order and reach into the kernel half. It may start
 * below it: on 32-bit ARM with LPAE the kernel half begins inside a slot.
 */
static int in_khalf(struct fstate *st, uint64_t start, uint64_t last)
{
	if (start > last || last < st->h->khalf_first || start > st->h->khalf_last) {
		pt_error(st->c->name, st->c->lineno,
			 "range 0x%llx 0x%llx is not in the kernel half",
			 (unsigned long long)start, (unsigned long long)last);
		return -1;
	}
	return 0;
}

static int end_missing(struct fstate *st, int unterm)
{
	if (unterm)
		pt_error(st->c->name, st->c->lineno, "last line has no newline: truncated");
	else
		pt_error(st->c->name, st->c->lineno,
			 "no \"end\" line: the %s file is truncated", st->kind);
	return -1;
}

/* ---- summary ---- */

static const char summary_columns[] =
	"columns kind tgid comm threads present shared same copy diff missing extra u_present "
	"u_shared u_same u_copy u_diff u_missing u_extra pt_pages kpriv_pages user_slots";
#define COLUMNS_1_0_LEN (sizeof(summary_columns) - 1 - sizeof(" user_slots") + 1)

/*
 * Which counts of a row may be "-". The master row: all but present and
 * pt_pages, user_slots must be. A process row: with kernel_table pgd every
 * count of its pgd and kpriv_pages are numbers, the u_* group is all
 * numbers or all "-" (no user-mode copy); with kernel_table ttbr1 it has
 * no kernel-half entries, so everything but pt_pages and user_slots is "-".
 */
static int check_row(struct fstate *st, const struct pt_srow *r, int ncounts)
{
	bool ttbr1 = st->h->ktable == PT_KT_TTBR1;
	int i;

	if (r->v[PT_C_PT_PAGES] < 0)
		ERR(st, "row without pt_pages");
	if (ncounts > PT_C_USER_SLOTS && (r->v[PT_C_USER_SLOTS] < 0) != r->master)
		ERR(st, r->master ? "master row with a number for user_slots"
				  : "process row with '-' for user_slots");
	if (r->master) {
		if (r->v[PT_C_PRESENT] < 0)
			ERR(st, "master row without present");
		return 0;
	}
	if (ttbr1) {
		for (i = PT_C_PRESENT; i <= PT_C_U_EXTRA; i++)
			if (r->v[i] >= 0)
				ERR(st, "process row with a number for a class count: with"
				    " kernel_table ttbr1 a process has no kernel-half entries");
		if (r->v[PT_C_KPRIV] >= 0)
			ERR(st, "process row with a number for kpriv_pages: with kernel_table"
			    " ttbr1 a process has no kernel-half tables");
		return 0;
	}
	if (r->v[PT_C_PRESENT] < 0)
		ERR(st, "process row without present (only kernel_table ttbr1 has none)");
	for (i = PT_C_SHARED; i <= PT_C_EXTRA; i++)
		if (r->v[i] < 0)
			ERR(st, "process row with '-' for a class count (only kernel_table"
			    " ttbr1 has none)");
	if (r->v[PT_C_KPRIV] < 0)
		ERR(st, "process row with '-' for kpriv_pages");
	for (i = PT_C_U_SHARED; i <= PT_C_U_EXTRA; i++)
		if ((r->v[i] < 0) != (r->v[PT_C_U_PRESENT] < 0))
			ERR(st, "process row with a partial u_* group");
	return 0;
}

static int parse_summary(struct fstate *st, char *line)
{
	struct pt_snapshot *s = st->s;
	char *f[MAX_FIELDS];
	int n, i, unterm, ncounts;
	size_t clen;
	uint64_t v;

	if (s->has_summary) {
		pt_error(st->c->name, st->c->lineno, "a second summary");
		return -1;
	}
	s->has_summary = true;
	/* 1.0 has no user_slots column */
	ncounts = st->minor < 1 ? PT_NR_COUNTS - 1 : PT_NR_COUNTS;
	clen = st->minor < 1 ? COLUMNS_1_0_LEN : sizeof(summary_columns) - 1;
	if (strncmp(line, summary_columns, clen) ||
	    (line[clen] && (st->strict || line[clen] != ' ')))
		ERR(st, "expected the columns line \"%.60s...%s\" (format %d.%d)",
		    summary_columns, st->minor < 1 ? "kpriv_pages" : "user_slots", st->major,
		    st->minor);
	while ((line = next_line(st->c, &unterm))) {
		struct pt_srow *r;

		n = split(line, f, MAX_FIELDS);
		if (n < 0)
			ERR(st, "empty field or too many fields");
		if (!strcmp(f[0], "end")) {
			if (need_fields(st, n, 2, "end") ||
			    get_dec(st, f[1], &v, 1ULL << 40, "end"))
				return -1;
			if (!s->nsrows)
				ERR(st, "no master row");
			if (v != s->nsrows - 1)
				ERR(st, "end line says %llu rows, the file has %zu",
				    (unsigned long long)v, s->nsrows - 1);
			return 0;
		}
		if (!strcmp(f[0], "error")) {
			/* a row the module could not read: "error ERRNO mm TGID" */
			if (need_fields(st, n, 4, "error"))
				return -1;
			if (strcmp(f[2], "mm") || get_dec(st, f[3], &v, 1ULL << 31, "tgid"))
				ERR(st, "expected \"error ERRNO mm TGID\"");
			s->summary_errors++;
			continue;
		}
		if (strcmp(f[0], "master") && strcmp(f[0], "mm")) {
			if (st->strict)
				ERR(st, "not a summary row: '%.20s'", f[0]);
			continue;
		}
		if (need_fields(st, n, 4 + ncounts, "summary row"))
			return -1;
		if (!strcmp(f[0], "master") != !s->nsrows)
			ERR(st, s->nsrows ? "a second master row"
					  : "the first row is not the master's");
		if (grow((void **)&s->srows, &s->cap_srows, s->nsrows, sizeof(*r)))
			ERR(st, "out of memory");
		r = &s->srows[s->nsrows];
		memset(r, 0, sizeof(*r));
		r->master = !s->nsrows;
		r->line = st->c->lineno;
		if (get_dec(st, f[1], &v, 1ULL << 31, "tgid") ||
		    get_dec(st, f[3], &r->threads, 1ULL << 31, "threads"))
			return -1;
		r->tgid = v;
		if (!r->master && s->nsrows > 1 && r->tgid <= s->srows[s->nsrows - 1].tgid)
			ERR(st, "process row %lld after %lld: rows are in ascending tgid order, "
			    "each once", (long long)r->tgid, (long long)s->srows[s->nsrows - 1].tgid);
		if (keep_field(st, &r->comm, f[2]))
			return -1;
		for (i = 0; i < PT_NR_COUNTS; i++) {
			if (i >= ncounts || !strcmp(f[4 + i], "-")) {
				r->v[i] = -1;
				continue;
			}
			if (get_dec(st, f[4 + i], &v, 1ULL << 48, "count"))
				return -1;
			r->v[i] = v;
		}
		if (check_row(st, r, ncounts))
			return -1;
		s->nsrows++;
	}
	return end_missing(st, unterm);
}

/*
 * "range START LAST SIZE LEVEL FLAGS PA", "alias START LAST SIZE LEVEL
 * FLAGS PA" (1.2), "repeat START LAST SIZE LEVEL PA" (1.2), "descend START
 * LAST SIZE LEVEL FLAGS PA" (1.3) or "bad START LAST LEVEL RAW" of pgd
 * @user. A descend run holds at least two entries of its level. An alias is a run of whole leaves at LEVEL
 * inside one slot; a repeat is whole entries at LEVEL, which point to a
 * table, so LEVEL is not the lowest one. Both are checked for that (range
 * lines never were, and keep their old checks).
 */
static int parse_mrange(struct fstate *st, char **f, int n, int kind, int user)
{
	static const int nfields[PT_MR_NR] = { 7, 7, 6, 5, 7 };
	static const char *const size_what[PT_MR_NR] = {
		"range size", "alias size", "repeat size", NULL, "descend size"
	};
	static const char *const pa_what[PT_MR_NR] = {
		"range pa", "alias pa", "repeat table pa", NULL, "descend pa"
	};
	struct pt_snapshot *s = st->s;
	const char *what = pt_mrange_kind_name(kind);
	struct pt_mrange *r;
	int lv, lowest, place;
	uint64_t size;

	if (need_fields(st, n, nfields[kind], what))
		return -1;
	if (grow((void **)&s->mranges, &s->cap_mranges, s->nmranges, sizeof(*r)))
		ERR(st, "out of memory");
	r = &s->mranges[s->nmranges];
	memset(r, 0, sizeof(*r));
	if (get_hex(st, f[1], &r->start, what) || get_hex(st, f[2], &r->last, what))
		return -1;
	if (in_khalf(st, r->start, r->last))
		return -1;
	if (kind == PT_MR_BAD) {
		lv = level_from_name(f[3]);
		if (get_hex(st, f[4], &r->raw, "bad raw"))
			return -1;
	} else {
		if (get_hex(st, f[3], &size, size_what[kind]))
			return -1;
		if (size != r->last - r->start + 1)
			ERR(st, "%s size 0x%llx does not match its bounds", what,
			    (unsigned long long)size);
		lv = level_from_name(f[4]);
		if (kind != PT_MR_REPEAT && keep_field(st, &r->flags, f[5]))
			return -1;
		if (get_hex(st, f[kind == PT_MR_REPEAT ? 5 : 6], &r->pa, pa_what[kind]))
			return -1;
	}
	if (lv < 0)
		ERR(st, "unknown level '%.10s'", kind == PT_MR_BAD ? f[3] : f[4]);
	if (kind == PT_MR_DESCEND && (st->h->level[lv].folded || r->last - r->start + 1 <= 1ULL <<
				      st->h->level[lv].shift))
		ERR(st, "descend at level %s: not two entries of a level that is not folded",
		    f[4]);
	if (kind == PT_MR_ALIAS || kind == PT_MR_REPEAT) {
		unsigned int shift = st->h->level[lv].shift;
		uint64_t mask = shift < 64 ? (1ULL << shift) - 1 : ~0ULL;

		for (lowest = PT_NR_LEVELS - 1; lowest > 0 && st->h->level[lowest].folded; lowest--)
			;
		if (st->h->level[lv].folded)
			ERR(st, "%s at level %s, which is folded", what, f[4]);
		if (kind == PT_MR_REPEAT && lv == lowest)
			ERR(st, "repeat at level %s: entries of the lowest level point to no table",
			    f[4]);
		if ((r->start & mask) || ((r->last + 1) & mask))
			ERR(st, "%s 0x%llx 0x%llx does not cover whole %s entries", what,
			    (unsigned long long)r->start, (unsigned long long)r->last, f[4]);
		if (kind == PT_MR_ALIAS && pt_slot_of(s, r->start) != pt_slot_of(s, r->last))
			ERR(st, "alias spans more than one top-level slot");
	}
	r->level = lv;
	r->kind = kind;
	r->user = user;
	place = pt_place_of(s, r->start, r->last);
	if (place < 0)
		ERR(st, "out of memory");
	r->place = place;
	r->line = st->c->lineno;
	s->nmranges++;
	return 0;
}

/* ---- master ---- */

static int parse_master(struct fstate *st, char *line)
{
	struct pt_snapshot *s = st->s;
	char *f[MAX_FIELDS];
	int n, user = -1, unterm = 0, kind, place;
	uint64_t v, prev_end = 0;
	bool have_prev = false;

	if (s->has_master)
		ERR(st, "a second master");
	s->has_master = true;
	for (;; line = next_line(st->c, &unterm)) {
		if (!line)
			return end_missing(st, unterm);
		n = split(line, f, MAX_FIELDS);
		if (n < 0)
			ERR(st, "empty field or too many fields");
		if (!strcmp(f[0], "end")) {
			if (need_fields(st, n, 1, "end"))
				return -1;
			if (user < 0)
				ERR(st, "no pgd section");
			return 0;
		}
		if (!strcmp(f[0], "pgd")) {
			uint64_t va, pa;

			if (need_fields(st, n, 4, "pgd"))
				return -1;
			if (!strcmp(f[1], "kernel") && user == -1)
				user = 0;
			else if (!strcmp(f[1], "user") && user == 0 && st->h->has_user)
				user = 1;
			else
				ERR(st, "unexpected 'pgd %.10s' section", f[1]);
			if (get_hex(st, f[2], &va, "pgd") || get_hex(st, f[3], &pa, "pgd"))
				return -1;
			have_prev = false;
			continue;
		}
		if (user < 0)
			ERR(st, "'%.10s' before the first pgd line", f[0]);
		if (!strcmp(f[0], "marker")) {
			uint64_t a, b;

			if (need_fields(st, n, 4, "marker") || get_hex(st, f[1], &a, "marker") ||
			    get_hex(st, f[2], &b, "marker"))
				return -1;
			if (pt_region_by_name(s, f[3]) < 0)
				ERR(st, "marker for unknown region '%.20s'", f[3]);
			continue;
		}
		if (!strcmp(f[0], "slot")) {
			struct pt_mslot *m;

			if (need_fields(st, n, 8, "slot"))
				return -1;
			if (grow((void **)&s->mslots, &s->cap_mslots, s->nmslots, sizeof(*m)))
				ERR(st, "out of memory");
			m = &s->mslots[s->nmslots];
			memset(m, 0, sizeof(*m));
			if (get_dec(st, f[1], &m->index, st->h->slot_last, "slot index") ||
			    get_hex(st, f[2], &m->start, "slot") ||
			    get_hex(st, f[3], &m->last, "slot") ||
			    get_hex(st, f[5], &m->raw, "slot raw") ||
			    get_hex(st, f[6], &m->pa, "slot pa"))
				return -1;
			if (m->index < st->h->slot_first)
				ERR(st, "slot %llu is not in the kernel half",
				    (unsigned long long)m->index);
			if (in_khalf(st, m->start, m->last))
				return -1;
			if (pt_slot_of(s, m->start) != m->index)
				ERR(st, "slot %llu does not start at 0x%llx",
				    (unsigned long long)m->index, (unsigned long long)m->start);
			kind = kind_from_name(f[4]);
			if (kind <= PT_K_NONE)
				ERR(st, "slot kind '%.10s' is not table|leaf|bad", f[4]);
			if (have_prev && m->start <= prev_end)
				ERR(st, "slot not in address order");
			m->kind = kind;
			if (keep_field(st, &m->flags, f[7]))
				return -1;
			m->user = user;
			place = pt_place_of(s, m->start, m->last);
			if (place < 0)
				ERR(st, "out of memory");
			m->place = place;
			m->line = st->c->lineno;
			prev_end = m->last;
			have_prev = true;
			s->nmslots++;
			continue;
		}
		kind = !strcmp(f[0], "range") ? PT_MR_RANGE :
		       !strcmp(f[0], "bad") ? PT_MR_BAD :
		       /* 1.2; in older files unknown lines */
		       st->minor >= 2 && !strcmp(f[0], "alias") ? PT_MR_ALIAS :
		       st->minor >= 2 && !strcmp(f[0], "repeat") ? PT_MR_REPEAT :
		       /* 1.3 */
		       st->minor >= 3 && !strcmp(f[0], "descend") ? PT_MR_DESCEND : -1;
		if (kind >= 0) {
			if (parse_mrange(st, f, n, kind, user))
				return -1;
			continue;
		}
		if (!strcmp(f[0], "error")) {
			if (need_fields(st, n, 3, "error") || get_hex(st, f[2], &v, "error"))
				return -1;
			s->master_errors++;
			continue;
		}
		if (st->strict)
			ERR(st, "unknown line '%.20s' in master", f[0]);
	}
}

/* ---- dump ---- */

/*
 * "uslot INDEX START LAST KIND RAW PA" (1.1): a present top-level entry of
 * the process's pgd whose range begins below the kernel half, after the
 * task line and before its entry lines, in index order.
 */
static int parse_uslot(struct fstate *st, struct pt_task *t, char **f, int n)
{
	struct pt_snapshot *s = st->s;
	struct pt_uslot *u;
	int kind;
	bool has;

	if (!t || t->state != PT_T_OK || t->end != 0xff)
		ERR(st, "uslot outside a task");
	if (t->count)
		ERR(st, "uslot after the task's entry lines");
	if (need_fields(st, n, 7, "uslot"))
		return -1;
	if (grow((void **)&s->uslots, &s->cap_uslots, s->nuslots, sizeof(*u)))
		ERR(st, "out of memory");
	u = &s->uslots[s->nuslots];
	memset(u, 0, sizeof(*u));
	if (get_dec(st, f[1], &u->index, 1 << 20, "uslot index") ||
	    get_hex(st, f[2], &u->start, "uslot start") ||
	    get_hex(st, f[3], &u->last, "uslot last") ||
	    get_hex(st, f[5], &u->raw, "uslot raw") ||
	    get_hex_opt(st, f[6], &u->pa, &has, "uslot pa"))
		return -1;
	kind = kind_from_name(f[4]);
	if (kind <= PT_K_NONE)
		ERR(st, "uslot kind '%.10s' is not table|leaf|bad", f[4]);
	if (has != (kind != PT_K_BAD))
		ERR(st, kind == PT_K_BAD ? "a bad uslot with a pa (expected '-')" :
		    "a %s uslot without a pa", f[4]);
	if (u->index >= st->h->level[0].entries)
		ERR(st, "uslot %llu: the pgd has %u entries", (unsigned long long)u->index,
		    st->h->level[0].entries);
	if (u->start > u->last || u->start >= st->h->khalf_first)
		ERR(st, "uslot 0x%llx 0x%llx does not begin below the kernel half",
		    (unsigned long long)u->start, (unsigned long long)u->last);
	if (pt_slot_of(s, u->start) != u->index || pt_slot_of(s, u->last) != u->index)
		ERR(st, "uslot %llu is not the slot of 0x%llx-0x%llx",
		    (unsigned long long)u->index, (unsigned long long)u->start,
		    (unsigned long long)u->last);
	if (t->ucount && u->index <= s->uslots[s->nuslots - 1].index)
		ERR(st, "uslot lines not in index order");
	u->kind = kind;
	u->line = st->c->lineno;
	s->nuslots++;
	t->ucount++;
	return 0;
}

static int cmp_tgid(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The tasks of this dump, from @first on, are in no earlier dump section: a
 * snapshot of more than 64 pids has one section per 64, never one twice.
 * (Inside one section a process may come twice: selected by two of its
 * threads.)
 */
static int dump_once(struct fstate *st, size_t first)
{
	struct pt_snapshot *s = st->s;
	int64_t *seen;
	size_t i, j;

	if (!first)
		return 0;
	seen = malloc(first * sizeof(*seen));
	if (!seen)
		ERR(st, "out of memory");
	for (i = 0; i < first; i++)
		seen[i] = s->tasks[i].tgid;
	qsort(seen, first, sizeof(*seen), cmp_tgid);
	for (i = first; i < s->ntasks; i++) {
		if (!bsearch(&s->tasks[i].tgid, seen, first, sizeof(*seen), cmp_tgid))
			continue;
		for (j = 0; s->tasks[j].tgid != s->tasks[i].tgid; j++)
			;
		free(seen);
		pt_error(st->c->name, s->tasks[i].line,
			 "task %lld is in two dump sections (also at line %u)",
			 (long long)s->tasks[i].tgid, s->tasks[j].line);
		return -1;
	}
	free(seen);
	return 0;
}

/* A dump's state between lines: the current task, the stack of open entries. */
struct dump_state {
	struct fstate *st;
	struct pt_task *t;
	size_t ntasks_here;
	int sp, cur_user;
	uint64_t stack_last[PT_NR_LEVELS], stack_start[PT_NR_LEVELS];
	uint8_t stack_level[PT_NR_LEVELS];
	unsigned int rcache;
};

/* An entry line's fields into @e: sides, class, level, region. */
static int entry_fields(struct dump_state *ds, struct pt_entry *e, char **f)
{
	struct fstate *st = ds->st;
	int cls, lvl, kind;
	bool has;

	if (f[1][0] == 'k' && !strcmp(f[1], "kernel"))
		e->user = 0;
	else if (!strcmp(f[1], "user") && ds->t->has_upgd)
		e->user = 1;
	else
		ERR(st, "entry for '%.10s': expected kernel%s", f[1],
		    ds->t->has_upgd ? " or user" : " (the task has no user pgd)");
	lvl = level_from_name(f[2]);
	if (lvl < 0 || st->h->level[lvl].folded)
		ERR(st, "entry level '%.10s' is not a real level", f[2]);
	if (get_hex(st, f[3], &e->start, "entry start") ||
	    get_hex(st, f[4], &e->last, "entry last") || in_khalf(st, e->start, e->last))
		return -1;
	cls = pt_class_from_name(f[5]);
	if (cls < 0)
		ERR(st, "unknown class '%.10s'", f[5]);
	kind = kind_from_name(f[6]);
	if (kind < 0)
		ERR(st, "unknown kind '%.10s'", f[6]);
	e->pkind = kind;
	kind = kind_from_name(f[9]);
	if (kind < 0)
		ERR(st, "unknown kind '%.10s'", f[9]);
	e->mkind = kind;
	if (get_hex(st, f[7], &e->praw, "raw") || get_hex_opt(st, f[8], &e->ppa, &has, "pa") ||
	    get_hex(st, f[10], &e->mraw, "raw") || get_hex_opt(st, f[11], &e->mpa, &has, "pa"))
		return -1;
	switch (cls) {
	case PTSHARE_NONE:
		if (e->pkind || e->mkind)
			ERR(st, "class none with an entry present");
		break;
	case PTSHARE_MISSING:
		if (e->pkind || !e->mkind)
			ERR(st, "class MISSING needs none on the process side only");
		break;
	case PTSHARE_EXTRA:
		if (!e->pkind || e->mkind)
			ERR(st, "class EXTRA needs none on the master side only");
		break;
	default:
		if (!e->pkind || !e->mkind)
			ERR(st, "class %s needs entries on both sides", f[5]);
	}
	e->cls = cls;
	e->level = lvl;
	if (region_by_name_cached(st, f[12], &ds->rcache) == PT_NO_REGION - 1)
		ERR(st, "unknown region '%.20s'", f[12]);
	return 0;
}

/* Where @e sits: parents first, children inside them, in address order. */
static int entry_nesting(struct dump_state *ds, struct pt_entry *e)
{
	struct fstate *st = ds->st;
	struct pt_snapshot *s = st->s;

	if (ds->cur_user != e->user) {
		if (ds->cur_user > e->user)
			ERR(st, "kernel entry after the user entries");
		ds->cur_user = e->user;
		ds->sp = 0;
	}
	while (ds->sp && ds->stack_last[ds->sp - 1] < e->start)
		ds->sp--;
	if (ds->sp) {
		if (e->start < ds->stack_start[ds->sp - 1] || e->last > ds->stack_last[ds->sp - 1] ||
		    e->level <= ds->stack_level[ds->sp - 1])
			ERR(st, "entry overlaps the one before it");
	} else if (ds->t->count) {
		const struct pt_entry *prev = &s->entries[s->nentries - 1];

		if (prev->user == e->user && e->start <= prev->last)
			ERR(st, "entries not in address order");
	}
	if (ds->sp == PT_NR_LEVELS)
		ERR(st, "entries nested too deep");
	if (!ds->sp && pt_slot_of(s, e->start) != pt_slot_of(s, e->last))
		ERR(st, "top-level entry spans more than one slot");
	e->depth = ds->sp;
	ds->stack_start[ds->sp] = e->start;
	ds->stack_last[ds->sp] = e->last;
	ds->stack_level[ds->sp] = e->level;
	ds->sp++;
	return 0;
}

static int d_entry(struct dump_state *ds, char **f, int n)
{
	struct fstate *st = ds->st;
	struct pt_snapshot *s = st->s;
	struct pt_entry *e;
	int place;

	(void)n;
	if (!ds->t || ds->t->state != PT_T_OK || ds->t->end != 0xff)
		ERR(st, "entry outside a task");
	if (st->h->ktable == PT_KT_TTBR1)
		ERR(st, "entry line with kernel_table ttbr1: a process has no kernel-half entries"
		    " there");
	if (grow((void **)&s->entries, &s->cap_entries, s->nentries, sizeof(*e)))
		ERR(st, "out of memory");
	e = &s->entries[s->nentries];
	if (entry_fields(ds, e, f))
		return -1;
	place = pt_place_of(s, e->start, e->last);
	if (place < 0)
		ERR(st, "out of memory");
	e->place = place;
	if (entry_nesting(ds, e))
		return -1;
	e->line = st->c->lineno;
	e->task = ds->t - s->tasks;
	s->nentries++;
	ds->t->count++;
	return 0;
}

static int d_uslot(struct dump_state *ds, char **f, int n)
{
	return parse_uslot(ds->st, ds->t, f, n);
}

static int d_task(struct dump_state *ds, char **f, int n)
{
	struct fstate *st = ds->st;
	struct pt_snapshot *s = st->s;
	struct pt_task *t;
	uint64_t tg;

	(void)n;
	if (ds->t && ds->t->end == 0xff)
		ERR(st, "task line before the previous task's taskend");
	if (grow((void **)&s->tasks, &s->cap_tasks, s->ntasks, sizeof(*t)))
		ERR(st, "out of memory");
	t = &s->tasks[s->ntasks];
	memset(t, 0, sizeof(*t));
	if (get_dec(st, f[1], &tg, 1ULL << 31, "tgid") ||
	    get_dec(st, f[3], &t->threads, 1ULL << 31, "threads"))
		return -1;
	t->tgid = tg;
	if (keep_field(st, &t->comm, f[2]))
		return -1;
	t->line = st->c->lineno;
	t->first = s->nentries;
	t->ufirst = s->nuslots;
	t->end = 0xff;
	if (!strcmp(f[6], "ok")) {
		t->state = PT_T_OK;
		if (get_hex(st, f[4], &t->pgd_pa, "pgd") ||
		    get_hex_opt(st, f[5], &t->upgd_pa, &t->has_upgd, "user pgd"))
			return -1;
	} else if (!strcmp(f[6], "no-mm") || !strcmp(f[6], "gone")) {
		t->state = f[6][0] == 'n' ? PT_T_NOMM : PT_T_GONE;
		if (strcmp(f[4], "-") || strcmp(f[5], "-"))
			ERR(st, "a %s task with a pgd", f[6]);
	} else {
		ERR(st, "task state '%.10s' is not ok|no-mm|gone", f[6]);
	}
	ds->t = t;
	ds->cur_user = -1;
	ds->sp = 0;
	s->ntasks++;
	ds->ntasks_here++;
	return 0;
}

static int d_taskend(struct dump_state *ds, char **f, int n)
{
	struct fstate *st = ds->st;
	struct pt_task *t = ds->t;
	uint64_t v;

	(void)n;
	if (get_dec(st, f[1], &v, 1ULL << 31, "tgid"))
		return -1;
	if (!t || t->end != 0xff || (int64_t)v != t->tgid)
		ERR(st, "taskend %llu without its task line", (unsigned long long)v);
	if (!strcmp(f[2], "ok"))
		t->end = PT_TE_OK;
	else if (!strcmp(f[2], "exited"))
		t->end = PT_TE_EXITED;
	else if (!strcmp(f[2], "skipped"))
		t->end = PT_TE_SKIPPED;
	else if (st->minor >= 2 && !strcmp(f[2], "exec"))
		t->end = PT_TE_EXEC;	/* 1.2 */
	else
		ERR(st, "taskend state '%.10s' is not ok|exited|%sskipped", f[2],
		    st->minor >= 2 ? "exec|" : "");
	if ((t->state != PT_T_OK) != (t->end == PT_TE_SKIPPED))
		ERR(st, "taskend %s does not match the task's state", f[2]);
	return 0;
}

static int d_error(struct dump_state *ds, char **f, int n)
{
	uint64_t v;

	(void)n;
	if (get_hex(ds->st, f[2], &v, "error"))
		return -1;
	if (!ds->t || ds->t->end != 0xff)
		ERR(ds->st, "error line outside a task");
	ds->t->errors++;
	return 0;
}

/*
 * The dump's body lines after "selection": each with the format minor it
 * appeared in, its field count (0: the parser checks) and parser; "end"
 * closes the file (parse_dump).
 */
static const struct {
	const char *key;
	int minor, fields;
	int (*parse)(struct dump_state *ds, char **f, int n);
} dlines[] = {
	{ "entry", 0, 13, d_entry },	/* first: nearly every line is one */
	{ "uslot", 1, 0, d_uslot },
	{ "task", 0, 7, d_task },
	{ "taskend", 0, 3, d_taskend },
	{ "error", 0, 3, d_error },
};

/* "entry", without a call: stops at the first byte that differs, the NUL included. */
static inline bool is_entry(const char *k)
{
	return k[0] == 'e' && k[1] == 'n' && k[2] == 't' && k[3] == 'r' && k[4] == 'y' && !k[5];
}

static int parse_dump(struct fstate *st, char *line)
{
	struct dump_state ds = { .st = st, .cur_user = -1 };
	struct pt_snapshot *s = st->s;
	char *f[MAX_FIELDS];
	int n, i, unterm;
	uint64_t v;

	n = split(line, f, MAX_FIELDS);
	if (n < 2 || strcmp(f[0], "selection"))
		ERR(st, "expected the selection line");
	for (i = 1; i < n; i++)
		f[i][-1] = ' ';
	if (!s->dump_selection && keep_field(st, &s->dump_selection, f[1]))
		return -1;
	s->has_dump = true;

	while ((line = next_line(st->c, &unterm))) {
		n = split(line, f, MAX_FIELDS);
		if (n < 0)
			ERR(st, "empty field or too many fields");
		/* the hot path: nearly every line is an entry line of 13 fields */
		if (is_entry(f[0]) && n == 13) {
			if (d_entry(&ds, f, n))
				return -1;
			continue;
		}
		for (i = 0; i < (int)ARRAY_SIZE(dlines); i++)
			if (!strcmp(f[0], dlines[i].key) && st->minor >= dlines[i].minor)
				break;
		if (i < (int)ARRAY_SIZE(dlines)) {
			if ((dlines[i].fields && need_fields(st, n, dlines[i].fields, f[0])) ||
			    dlines[i].parse(&ds, f, n))
				return -1;
			continue;
		}
		if (!strcmp(f[0], "end")) {
			if (need_fields(st, n, 2, "end") || get_dec(st, f[1], &v, 1ULL << 40, "end"))
				return -1;
			if (ds.t && ds.t->end == 0xff)
				ERR(st, "end before task %lld's taskend", (long long)ds.t->tgid);
			if (v != ds.ntasks_here)
				ERR(st, "end line says %llu tasks, the file has %zu",
				    (unsigned long long)v, ds.ntasks_here);
			return dump_once(st, s->ntasks - ds.ntasks_here);
		}
		if (st->strict)
			ERR(st, "unknown line '%.20s' in dump", f[0]);
	}
	return end_missing(st, unterm);
}

/* ---- one module file ---- */

static int same_header(struct fstate *st, const struct pt_header *a, const struct pt_header *b)
{
	if (a->ktable != b->ktable || a->ktable_pa != b->ktable_pa)
		ERR(st, "the %s file's kernel_table (%s) does not match the first file's (%s)",
		    st->kind, pt_ktable_name(b->ktable), pt_ktable_name(a->ktable));
	if (strcmp(a->kernel, b->kernel) || strcmp(a->arch, b->arch) ||
	    a->page_size != b->page_size || a->khalf_first != b->khalf_first ||
	    a->slot_first != b->slot_first || a->master_pa != b->master_pa ||
	    a->nregions != b->nregions || a->has_user != b->has_user)
		ERR(st,
		    "the %s file's header does not match the first file's"
		    " (another kernel or boot?)",
		    st->kind);
	return 0;
}

/* Parse one module file whose first line the cursor returns next. */
static int parse_module_file(struct pt_snapshot *s, struct cursor *c, char *kind_out)
{
	struct pt_header tmp, *h;
	struct fstate st = { .s = s, .c = c };
	char *line, kind[16], *body;
	int unterm, major, minor, nread = 0, err;

	line = next_line(c, &unterm);
	if (!line) {
		pt_error(c->name, c->lineno ? c->lineno : 1, unterm ? "no newline: truncated" :
			 "empty file");
		return -1;
	}
	if (sscanf(line, "ptshare %15[a-z] %d.%d%n", kind, &major, &minor, &nread) != 3 ||
	    line[nread] != '\0' || major < 0 || minor < 0) {
		pt_error(c->name, c->lineno, "not a ptshare file (first line: \"%.40s\")", line);
		return -1;
	}
	if (major != PTSHARE_FORMAT_MAJOR) {
		pt_error(
			c->name, c->lineno,
			"format version %d.%d: this tool reads %d.x;"
			 " use a tool that matches the module",
			major, minor, PTSHARE_FORMAT_MAJOR);
		return -1;
	}
	if (strcmp(kind, "summary") && strcmp(kind, "master") && strcmp(kind, "dump")) {
		pt_error(c->name, c->lineno, "unknown file kind '%s'", kind);
		return -1;
	}
	st.kind = kind;
	strcpy(kind_out, kind);
	h = s->hdr.valid ? &tmp : &s->hdr;
	memset(&tmp, 0, sizeof(tmp));
	h->major = major;
	h->minor = minor;
	st.h = h;
	st.major = major;
	st.minor = minor;
	st.strict = minor <= PT_FORMAT_MINOR;
	body = parse_header(&st, &err);
	if (!body) {
		if (h == &tmp)
			free(tmp.regions);
		return -1;
	}
	if (h == &tmp) {
		err = same_header(&st, &s->hdr, &tmp);
		free(tmp.regions);
		if (err)
			return -1;
		st.h = &s->hdr;
	}
	if (!strcmp(body, "end") || !strncmp(body, "end ", 4)) {
		pt_error(c->name, c->lineno, "the %s file has no body", kind);
		return -1;
	}
	if (!strcmp(kind, "summary"))
		return parse_summary(&st, body);
	if (!strcmp(kind, "master")) {
		if (strncmp(body, "pgd ", 4)) {
			pt_error(c->name, c->lineno, "expected a pgd line");
			return -1;
		}
		/* feed the pgd line back through the loop */
		return parse_master(&st, body);
	}
	return parse_dump(&st, body);
}

/* ---- snapshot container ---- */

/*
 * A section of @want lines: one complete module file of the kind @kind
 * names. One of a kind this tool does not know is refused in a snapshot of
 * a known version (@strict) and skipped whole in a newer minor version, as
 * the minor-version rule says. @kind lies in the section's line, which the
 * lines read after it may replace in the cursor's buffer.
 */
static int parse_section(struct pt_snapshot *s, struct cursor *c, const char *kind, uint64_t want,
			 bool strict)
{
	size_t start_line = c->lineno;
	uint64_t avail = c->nlines > c->lineno ? c->nlines - c->lineno : 0;
	const char *known = !strcmp(kind, "summary") ? "summary" :
			    !strcmp(kind, "master") ? "master" :
			    !strcmp(kind, "dump") ? "dump" : NULL;
	char got[16];
	int unterm;

	if (!known && strict) {
		pt_error(c->name, c->lineno, "unknown section '%.20s'", kind);
		return -1;
	}
	if (want > avail) {
		pt_error(c->name, start_line,
			 "section %s: %llu lines announced, the file ends after %llu: truncated",
			 kind, (unsigned long long)want, (unsigned long long)avail);
		return -1;
	}
	/* The cursor returns the section's lines and stops. */
	c->stop = c->lineno + want;
	if (!known) {
		while (next_line(c, &unterm))
			;
		c->stop = SIZE_MAX;
		return 0;
	}
	if (parse_module_file(s, c, got))
		return -1;
	if (c->lineno != c->stop) {
		pt_error(c->name, c->lineno + 1, "section %s: lines after its end line", known);
		return -1;
	}
	c->stop = SIZE_MAX;
	if (strcmp(known, got)) {
		pt_error(c->name, start_line + 1, "section %s holds a %s file", known, got);
		return -1;
	}
	if (strcmp(s->hdr.kernel, s->kernel) || strcmp(s->hdr.arch, s->arch)) {
		pt_error(c->name, start_line + 1,
			 "the section's kernel or arch differ from the snapshot's");
		return -1;
	}
	return 0;
}

static int parse_snapshot(struct pt_snapshot *s, struct cursor *c)
{
	char *line, *f[MAX_FIELDS], *save;
	int n, unterm, major, minor, nread = 0;
	size_t sections = 0;
	uint64_t v, want;
	bool strict;

	line = next_line(c, &unterm);
	if (!line || sscanf(line, "ptshare-snapshot %d.%d%n", &major, &minor, &nread) != 2 ||
	    line[nread] || major < 0 || minor < 0) {
		pt_error(c->name, 1, "not a ptshare snapshot");
		return -1;
	}
	if (major != PT_SNAP_MAJOR) {
		pt_error(c->name, 1, "snapshot format version %d.%d: this tool reads %d.x", major,
			 minor, PT_SNAP_MAJOR);
		return -1;
	}
	s->is_snapshot = true;
	s->snap_major = major;
	s->snap_minor = minor;
	strict = minor <= PT_SNAP_MINOR;
	for (;;) {
		line = next_line(c, &unterm);
		if (!line) {
			if (unterm)
				pt_error(c->name, c->lineno, "last line has no newline: truncated");
			else
				pt_error(c->name, c->lineno,
					 "no \"end\" line: the snapshot is truncated");
			return -1;
		}
		save = line;
		n = split(line, f, MAX_FIELDS);
		if (n < 0) {
			pt_error(c->name, c->lineno, "empty field or too many fields: \"%.40s\"",
				 save);
			return -1;
		}
		if (!strcmp(f[0], "section")) {
			if (n < 3 || (strict && n > 3) || parse_dec(f[2], &want) ||
			    want > (1ULL << 40)) {
				pt_error(c->name, c->lineno, "bad section line");
				return -1;
			}
			if (!s->kernel || !s->arch || !s->host_format) {
				pt_error(c->name, c->lineno,
					 "section before the kernel, arch and format lines");
				return -1;
			}
			if (parse_section(s, c, f[1], want, strict))
				return -1;
			sections++;
			continue;
		}
		if (!strcmp(f[0], "end")) {
			if (n != 2 || parse_dec(f[1], &v)) {
				pt_error(c->name, c->lineno, "bad end line");
				return -1;
			}
			if (v != sections) {
				pt_error(c->name, c->lineno,
					 "end line says %llu sections, the file has %zu",
					 (unsigned long long)v, sections);
				return -1;
			}
			if (!at_end(c)) {
				pt_error(c->name, c->lineno + 1, "text after the end line");
				return -1;
			}
			if (!s->has_summary || !s->has_master) {
				pt_error(c->name, c->lineno,
					 "a snapshot needs a summary and a master section");
				return -1;
			}
			return 0;
		}
		if (sections) {
			pt_error(c->name, c->lineno, "'%.20s' after the first section", f[0]);
			return -1;
		}
		if (!strcmp(f[0], "created") || !strcmp(f[0], "kernel") || !strcmp(f[0], "arch") ||
		    !strcmp(f[0], "format") || !strcmp(f[0], "selection")) {
			const char **dst = f[0][0] == 'c'   ? &s->created
					   : f[0][0] == 'k' ? &s->kernel
					   : f[0][0] == 'a' ? &s->arch
					   : f[0][0] == 'f' ? &s->host_format
							    : &s->selection;
			int i;

			if (n < 2 || (strict && n > 2 && f[0][0] != 's')) {
				pt_error(c->name, c->lineno, "bad %s line", f[0]);
				return -1;
			}
			if (*dst) {
				pt_error(c->name, c->lineno, "a second %s line", f[0]);
				return -1;
			}
			for (i = 2; i < n; i++)
				f[i][-1] = ' ';
			*dst = keep(s, f[1]);
			if (!*dst) {
				pt_error(c->name, c->lineno, "out of memory");
				return -1;
			}
			if (f[0][0] == 'f') {
				if (sscanf(f[1], "%d.%d%n", &major, &minor, &nread) != 2 ||
				    f[1][nread]) {
					pt_error(c->name, c->lineno, "bad format line");
					return -1;
				}
				if (major != PTSHARE_FORMAT_MAJOR) {
					pt_error(
						c->name, c->lineno,
						"module format version %d.%d: this tool reads %d.x",
						major, minor, PTSHARE_FORMAT_MAJOR);
					return -1;
				}
			}
			continue;
		}
		if (strict) {
			pt_error(c->name, c->lineno, "unknown snapshot line '%.20s'", f[0]);
			return -1;
		}
	}
}

/* Up to @n bytes of @p for a message: printable ASCII as is, the rest as \ooo. */
static const char *quote_bytes(const char *p, size_t n, char *buf, size_t size)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < size; i++) {
		unsigned char ch = p[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			buf[o++] = ch;
		else
			o += snprintf(buf + o, size - o, "\\%03o", ch);
	}
	buf[o] = '\0';
	return buf;
}

/*
 * The first line of a file, checked before the rest is read or parsed: it
 * must begin "ptshare-snapshot " or "ptshare " and end in LF alone. With
 * @complete false, @text is what was read so far and may end anywhere: a
 * first line not ended yet within PT_FIRST_LINE_MAX bytes is refused, a
 * shorter one waits. Returns 1 to read on, 0 when the line is good, -1 after
 * an error.
 */
int pt_check_first_line(const char *name, const char *text, size_t len, bool complete)
{
	size_t n = len < PT_FIRST_LINE_MAX ? len : PT_FIRST_LINE_MAX;
	const char *nl = memchr(text, '\n', n);
	char q[200];

	if (!nl && !complete && len < PT_FIRST_LINE_MAX)
		return 1;
	if (!len)
		return 0;	/* the parser says "empty file" */
	n = nl ? (size_t)(nl - text) : n;
	if (memchr(text, '\0', n)) {
		pt_error(name, 1, "a NUL byte: not a ptshare file");
		return -1;
	}
	if (strncmp(text, "ptshare-snapshot ", n < 17 ? n : 17) &&
	    strncmp(text, "ptshare ", n < 8 ? n : 8)) {
		pt_error(name, 1, "not a ptshare file (first line: \"%s\"%s)",
			 quote_bytes(text, n < 40 ? n : 40, q, sizeof(q)), n > 40 ? "..." : "");
		return -1;
	}
	if (nl && n && text[n - 1] == '\r') {
		pt_error(name, 1, "CRLF line endings: a ptshare file ends its lines with LF alone "
			 "(dos2unix converts it)");
		return -1;
	}
	if (!nl && len >= PT_FIRST_LINE_MAX) {
		pt_error(name, 1, "not a ptshare file (no line end in its first %d bytes)",
			 PT_FIRST_LINE_MAX);
		return -1;
	}
	return 0;
}

/*
 * Refuse a control byte in the @len bytes at @text (see scan_text()),
 * naming its line. The line feeds before it are added to *@lines, which
 * counts those of the file's earlier pieces.
 */
static int check_text(const char *name, const char *text, size_t len, uint64_t *lines)
{
	size_t at = scan_text(text, len, lines);
	char q8[8];

	if (at == len)
		return 0;
	if (!text[at])
		pt_error(name, *lines + 1, "a NUL byte: not a ptshare file");
	else
		pt_error(name, *lines + 1,
			 "a control byte (%s): ptshare files write them as \\ooo escapes",
			 quote_bytes(text + at, 1, q8, sizeof(q8)));
	return -1;
}

static bool is_snapshot_text(const char *text, size_t len)
{
	return len >= 17 && !memcmp(text, "ptshare-snapshot ", 17);
}

/* Parse what @c reads: a snapshot file, or one bare module file (its kind into @kind). */
static int parse_input(struct pt_snapshot *s, struct cursor *c, bool snapshot, char *kind)
{
	if (snapshot)
		return parse_snapshot(s, c);
	if (parse_module_file(s, c, kind))
		return -1;
	if (!at_end(c)) {
		pt_error(c->name, c->lineno + 1, "text after the \"end\" line");
		return -1;
	}
	s->kernel = s->hdr.kernel;
	s->arch = s->hdr.arch;
	return 0;
}

void pt_snapshot_init(struct pt_snapshot *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
}

/* Parse one bare module file (a live read) into @s. */
int pt_load_part(struct pt_snapshot *s, const char *name, char *text, size_t len, char *kind)
{
	struct cursor c = { .name = name, .p = text, .end = text + len, .stop = SIZE_MAX };
	int ret = -1;

	if (!check_text(name, text, len, &c.nlines))
		ret = parse_input(s, &c, false, kind);
	free(text);
	return ret;
}

int pt_load_buffer(struct pt_snapshot *s, const char *name, char *text, size_t len)
{
	struct cursor c = { .name = name, .p = text, .end = text + len, .stop = SIZE_MAX };
	char kind[16];
	int ret = -1;

	pt_snapshot_init(s, name);
	if (!len)
		pt_error(name, 1, "empty file");
	else if (!pt_check_first_line(name, text, len, true) &&
		 !check_text(name, text, len, &c.nlines))
		ret = parse_input(s, &c, is_snapshot_text(text, len), kind);
	free(text);
	return ret;
}

static void too_large(const char *name)
{
	pt_error(name, 0, "larger than %llu MiB, the most ptshare reads (see ptshare(1), LIMITS)",
		 (unsigned long long)PT_MAX_INPUT >> 20);
}

/*
 * A regular file of @size bytes is read twice through one buffer of
 * READ_CHUNK bytes, and its text is never in memory whole (a dump of a
 * million entries is 123 MB of text, 64 MB of entries): first checked as
 * pt_load_buffer() checks a text (the first line, the size, control bytes)
 * and its lines counted, then parsed.
 */
_Static_assert(READ_CHUNK > PT_FIRST_LINE_MAX, "the first read holds the first line");

static int load_regular(struct pt_snapshot *s, const char *name, FILE *fp, uint64_t size)
{
	struct cursor c = { .name = name, .fp = fp, .stop = SIZE_MAX, .cap = READ_CHUNK };
	bool snapshot = false;
	uint64_t len = 0;
	char kind[16];
	int ret = -1;
	size_t got;

	c.buf = malloc(c.cap + 1);
	if (!c.buf) {
		pt_error(name, 0, "read failed: out of memory");
		return -1;
	}
	while ((got = fread(c.buf, 1, c.cap, fp))) {
		if (!len) {
			/* a short file whole, or more than its first line may take */
			if (pt_check_first_line(name, c.buf, got, got < c.cap))
				goto out;
			snapshot = is_snapshot_text(c.buf, got);
		}
		if (size > PT_MAX_INPUT || got > PT_MAX_INPUT - len) {
			too_large(name);
			goto out;
		}
		len += got;
		if (check_text(name, c.buf, got, &c.nlines))
			goto out;
	}
	if (ferror(fp) || fseek(fp, 0, SEEK_SET)) {
		pt_error(name, 0, "read failed: %s", strerror(errno));
		goto out;
	}
	if (!len) {
		pt_error(name, 1, "empty file");
		goto out;
	}
	c.p = c.end = c.buf;
	c.left = len;
	ret = parse_input(s, &c, snapshot, kind);
out:
	free(c.buf);
	return ret;
}

/*
 * Read @path ("-": standard input) and parse it. The first line is checked
 * as soon as it is in (so /dev/zero or a video fails at once), and no more
 * than PT_MAX_INPUT bytes are read. A regular file that has a size is read
 * in pieces (load_regular()); standard input, a pipe or a debugfs file,
 * which can be read only once, is read whole, in doubling chunks.
 */
int pt_load_file(struct pt_snapshot *s, const char *path)
{
	size_t cap = 1 << 16, len = 0, want;
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? PT_STDIN_NAME : path;
	int first = 1, err = 0;
	char *buf, *nbuf;
	struct stat st = { 0 };
	FILE *fp;
	size_t got;

	pt_snapshot_init(s, name);
	fp = is_stdin ? stdin : fopen(path, "r");
	if (!fp) {
		pt_error(path, 0, "%s", strerror(errno));
		return -1;
	}
	if (!fstat(fileno(fp), &st) && S_ISREG(st.st_mode) && st.st_size > 0 && !is_stdin) {
		int ret = load_regular(s, name, fp, st.st_size);

		fclose(fp);
		return ret;
	}
	/* Standard input in one piece if it is regular; a pipe or debugfs file in doubling chunks. */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= PT_MAX_INPUT)
		cap = st.st_size + 1;
	buf = malloc(cap + 1);
	while (buf) {
		/* The first line's worth first, then all that fits. */
		want = first > 0 && cap - len > PT_FIRST_LINE_MAX ? PT_FIRST_LINE_MAX : cap - len;
		got = fread(buf + len, 1, want, fp);
		if (!got)
			break;
		len += got;
		if (first > 0) {
			first = pt_check_first_line(name, buf, len, false);
			if (first < 0) {
				err = 1;
				break;
			}
		}
		if (len > PT_MAX_INPUT || (!first && S_ISREG(st.st_mode) &&
					   (uint64_t)st.st_size > PT_MAX_INPUT)) {
			too_large(name);
			err = 1;
			break;
		}
		if (len == cap) {
			cap *= 2;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf)
				free(buf);
			buf = nbuf;
		}
	}
	if (!err && (!buf || ferror(fp)))
		pt_error(name, 0, "read failed: %s", buf ? strerror(errno) : "out of memory");
	if (err || !buf || ferror(fp)) {
		free(buf);
		if (!is_stdin)
			fclose(fp);
		return -1;
	}
	if (!is_stdin)
		fclose(fp);
	buf[len] = '\0';
	return pt_load_buffer(s, name, buf, len);
}

void pt_snapshot_free(struct pt_snapshot *s)
{
	struct pt_strings *b, *next;
	size_t i;

	for (b = s->strings; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s->hdr.regions);
	for (i = 0; i < s->nplaces; i++)
		free(s->places[i].name);
	free(s->places);
	free(s->srows);
	free(s->mslots);
	free(s->mranges);
	free(s->tasks);
	free(s->entries);
	free(s->uslots);
	memset(s, 0, sizeof(*s));
}

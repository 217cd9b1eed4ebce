// SPDX-License-Identifier: GPL-2.0
/*
 * The physical addresses in master against the kernel's own walk: a helper
 * module (vmtest/ptshare_leafpa.ko) looks kernel addresses up with the
 * kernel's accessors (init_mm, p?d_offset(), p?d_leaf(), p?d_pfn()). For
 * each present range, descend (1.3) and alias line of the kernel pgd, at
 * its start, in its second entry and in its last entry: the helper must
 * find a present leaf at the line's level, mapping the byte where the line
 * says (range: PA plus the offset; descend: each entry one entry size below
 * the one before; alias: the one frame). Lines in regions that move
 * (vmalloc) may have changed between the read and the lookups: an address
 * that disagrees is looked up again between two new reads, up to three
 * times, and fails only where both reads of every round still hold its
 * line and the kernel disagrees each time. Where the kernel itself maps and
 * unmaps pages as they are allocated and freed (the linear map under
 * DEBUG_PAGEALLOC, the KFENCE pool: the helper says so), a page master saw
 * mapped may be absent at the lookup and back by the next read (the same
 * page, reused): there only a present leaf of another level or frame fails.
 * Needs init_mm in /proc/kallsyms (the helper finds it there).
 */
#include "ptshare_test.h"

#include <sys/syscall.h>

#define PARAM		"/sys/module/ptshare_leafpa/parameters/"
#define MAX_LEVELS	5

/* How often an address that disagrees is looked at again. */
#define ROUNDS		3

struct check {
	unsigned long long va, want, got;
	char level[16], glvl[16], line[160];
	int found, ok, toggles;
};

static struct {
	char name[16];
	int shift;
} levels[MAX_LEVELS];
static int nlevels;

static int level_shift(const char *name)
{
	int i;

	for (i = 0; i < nlevels; i++)
		if (!strcmp(levels[i].name, name))
			return levels[i].shift;
	return -1;
}

/*
 * The helper's answer for @va: 1 and *@level, *@pa for a present leaf;
 * *@toggles where the kernel maps and unmaps the page on its own.
 */
static int lookup(unsigned long long va, char *level, unsigned long long *pa, int *toggles)
{
	char buf[96], present[4];
	unsigned long long got;
	size_t len;
	int n;

	n = snprintf(buf, sizeof(buf), "0x%llx", va);
	if (pt_write(PARAM "va", buf, n))
		ksft_bail("write %s: %s", PARAM "va", strerror(errno));
	if (!pt_file_line(PARAM "result", buf, sizeof(buf)))
		ksft_bail("read %s: %s", PARAM "result", strerror(errno));
	len = strlen(buf);
	*toggles = len > 2 && !strcmp(buf + len - 2, " T");
	if (sscanf(buf, "%llx %7s %llx %3s", &got, level, pa, present) != 4 || got != va)
		return 0;
	return !strcmp(present, "P");
}

/*
 * Where @line (a range, descend or alias line of a present leaf) says the
 * byte at @va is; @esz is the size of an entry at its level.
 */
static unsigned long long expect(const char *kind, unsigned long long start,
				 unsigned long long pa, unsigned long long esz,
				 unsigned long long va)
{
	unsigned long long e0 = start & ~(esz - 1), frame0 = pa - (start - e0);

	if (!strcmp(kind, "range"))
		return pa + (va - start);
	if (!strcmp(kind, "alias"))
		return (pa & ~(esz - 1)) + (va & (esz - 1));
	/* descend: entry k maps the frame k entries below that of the first */
	return frame0 - ((va & ~(esz - 1)) - e0) + (va & (esz - 1));
}

/* Does @text (the kernel pgd's part of a master file) hold @line whole? */
static int master_has(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if (p > text && p[-1] == '\n' && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

/* A new read of master, cut after the kernel pgd's part. */
static char *master_kernel_pgd(void)
{
	char *text = pt_read(pt_path("master")), *user;

	if (!text || !pt_complete(text))
		ksft_bail("read master: %s", text ? "truncated" : strerror(errno));
	user = strstr(text, "\npgd user");
	if (user)
		user[1] = '\0';
	return text;
}

int main(void)
{
	struct check *checks = NULL, *again = NULL;
	size_t cap = 0;
	int nchecks = 0, nagain = 0, nlines[3] = { 0 }, wrong = 0, moved = 0, i, section = 0, round;
	unsigned long long start, last, size, pa, esz, got, cand[3];
	char *text, *line, kind[16], lvl[16], flags[96], glvl[8];
	size_t pos = 0;
	int shift, ptrs, toggles, toggled = 0;

	if (!pt_fact_kallsyms_has("init_mm"))
		ksft_skip("init_mm is not in /proc/kallsyms: the helper cannot find the tables");
	if (access(pt_path("master"), R_OK))
		ksft_skip("ptshare is not loaded");
	pt_insmod("PTSHARE_LEAFPA_KO", "/ptshare/ptshare_leafpa.ko", "");
	ksft_plan(1);

	text = pt_read(pt_path("master"));
	if (!text || !pt_complete(text))
		ksft_bail("read master: %s", text ? "truncated" : strerror(errno));
	while ((line = pt_next_line(text, &pos))) {
		if (nlevels < MAX_LEVELS &&
		    sscanf(line, "level %15s %d %d", lvl, &shift, &ptrs) == 3) {
			snprintf(levels[nlevels].name, sizeof(levels[0].name), "%s", lvl);
			levels[nlevels++].shift = shift;
			continue;
		}
		if (!strncmp(line, "pgd ", 4)) {
			if (section++)
				break;	/* the kernel pgd only: the helper walks init_mm */
			continue;
		}
		if (!section || sscanf(line, "%15s %llx %llx %llx %15s %95s %llx", kind, &start,
				       &last, &size, lvl, flags, &pa) != 7)
			continue;
		if (strcmp(kind, "range") && strcmp(kind, "descend") && strcmp(kind, "alias"))
			continue;
		if (pt_has_flag(flags, "NP"))
			continue;	/* x86 keeps some frames of absent entries inverted */
		shift = level_shift(lvl);
		if (shift <= 0)
			ksft_bail("master line of an unknown level: %s", line);
		esz = 1ULL << shift;
		/*
		 * Its start, the start of its second entry and of its last one
		 * (ARM classic: a pgd entry, a pair of 1 MiB sections, is 2 MiB);
		 * each once, and only inside the line.
		 */
		cand[0] = start;
		cand[1] = (start & ~(esz - 1)) + esz;
		cand[2] = last & ~(esz - 1);
		nlines[kind[0] == 'r' ? 0 : kind[0] == 'd' ? 1 : 2]++;
		for (i = 0; i < 3; i++) {
			if (cand[i] < start || cand[i] > last || (i && cand[i] <= cand[i - 1]))
				continue;
			if ((size_t)nchecks == cap) {
				cap = cap ? 2 * cap : 4096;
				checks = realloc(checks, cap * sizeof(*checks));
				again = realloc(again, cap * sizeof(*again));
				if (!checks || !again)
					ksft_bail("out of memory");
			}
			checks[nchecks].va = cand[i];
			checks[nchecks].want = expect(kind, start, pa, esz, cand[i]);
			snprintf(checks[nchecks].level, sizeof(checks[0].level), "%s", lvl);
			snprintf(checks[nchecks].line, sizeof(checks[0].line), "%s", line);
			nchecks++;
		}
	}
	free(text);

	for (i = 0; i < nchecks; i++) {
		struct check *c = &checks[i];

		if (lookup(c->va, glvl, &got, &toggles) && got == c->want && !strcmp(glvl, c->level))
			continue;
		again[nagain++] = checks[i];
	}
	/*
	 * What disagreed is looked at again, up to ROUNDS times, between two
	 * new reads of master: it fails only where both reads still hold its
	 * line and the kernel disagrees every time. Where a line left master,
	 * the region moved under us (vmalloc, KASAN's vmalloc shadow).
	 */
	for (round = 0; nagain && round < ROUNDS; round++) {
		char *before = master_kernel_pgd(), *after;
		int kept = 0;

		for (i = 0; i < nagain; i++) {
			struct check *c = &again[i];

			c->found = lookup(c->va, c->glvl, &c->got, &c->toggles);
			c->ok = c->found && c->got == c->want && !strcmp(c->glvl, c->level);
		}
		after = master_kernel_pgd();
		for (i = 0; i < nagain; i++) {
			struct check *c = &again[i];

			if (c->ok)
				continue;
			if (!c->found && c->toggles) {
				/* DEBUG_PAGEALLOC or KFENCE unmapped it (freed, or a guard) */
				toggled++;
				continue;
			}
			if (!master_has(before, c->line) || !master_has(after, c->line)) {
				if (moved++ < 4)
					ksft_info("changed: 0x%llx in '%s'", c->va, c->line);
				continue;
			}
			again[kept++] = *c;
		}
		nagain = kept;
		free(before);
		free(after);
	}
	for (i = 0; i < nagain; i++) {
		struct check *c = &again[i];

		if (wrong++ < 8)
			ksft_info("0x%llx: master '%s' says %s pa 0x%llx; the kernel: %s pa 0x%llx",
				  c->va, c->line, c->level, c->want,
				  c->found ? c->glvl : "no present leaf", c->got);
	}
	ksft_result(nchecks > 0 && !wrong,
		    "%d addresses in %d range, %d descend and %d alias lines: the kernel's walk finds "
		    "the level and pa master gives; %d differ (%d more changed between the reads, "
		    "%d unmapped by DEBUG_PAGEALLOC or KFENCE)",
		    nchecks, nlines[0], nlines[1], nlines[2], wrong, moved, toggled);
	ksft_finish();
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/ptshare: the in-memory model of the module's files (doc/FORMAT.md)
 * and of snapshot files that hold them. The model keeps no text: the few
 * strings it has (names, comms, flags) are copied into blocks it owns
 * (struct pt_strings), so that a large dump costs its records alone.
 * Addresses and raw values are uint64_t everywhere: 32-bit ARM has a 32-bit
 * long.
 */
#ifndef PTSHARE_MODEL_H
#define PTSHARE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptshare_format.h"

#define PT_NR_LEVELS	5	/* pgd p4d pud pmd pte */
#define PT_NO_REGION	0xffff
#define PT_MAX_REGIONS	1024	/* x86-64 has 11, 32-bit ARM and arm64 7 */
#define PT_NR_COUNTS	17	/* summary columns after threads (16 in format 1.0) */

/*
 * The newest minor version of the module's format (PTSHARE_FORMAT_MAJOR.x)
 * this tool knows line by line: 1.1 added the kernel_table header line, the
 * summary's user_slots column and the dump's uslot lines; 1.2 the master's
 * alias and repeat lines and "taskend TGID exec"; 1.3 the master's descend
 * lines; 1.4 the riscv64 arch (no new line: its flags are words like any
 * other). Files of a newer minor version are read too, skipping what 1.4
 * does not have.
 */
#define PT_FORMAT_MINOR	4
_Static_assert(PTSHARE_FORMAT_MINOR <= PT_FORMAT_MINOR,
	       "the module writes a format minor version that tools/ptshare does not know yet");

/* Snapshot container version (doc/FORMAT.md, "Snapshot files"). */
#define PT_SNAP_MAJOR	1
#define PT_SNAP_MINOR	0

enum pt_kind { PT_K_NONE, PT_K_TABLE, PT_K_LEAF, PT_K_BAD };

/* Indices of pt_srow.v[], in the order of the summary's columns. */
enum {
	PT_C_PRESENT, PT_C_SHARED, PT_C_SAME, PT_C_COPY, PT_C_DIFF, PT_C_MISSING, PT_C_EXTRA,
	PT_C_U_PRESENT, PT_C_U_SHARED, PT_C_U_SAME, PT_C_U_COPY, PT_C_U_DIFF, PT_C_U_MISSING,
	PT_C_U_EXTRA, PT_C_PT_PAGES, PT_C_KPRIV, PT_C_USER_SLOTS,
};

/*
 * Where a process finds the kernel half (the kernel_table header line, 1.1):
 * in its own pgd, whose kernel-half entries are compared with the master's
 * (x86-64, 32-bit ARM, every 1.0 file), or through the TTBR1 register,
 * which points every process at one table (arm64): nothing per process.
 */
enum pt_ktable { PT_KT_PGD, PT_KT_TTBR1 };

struct pt_level {
	const char *name;
	unsigned int shift, entries;
	bool folded;
};

/*
 * Regions may nest (arm64's kernel text lies inside vmalloc): they are in
 * order of start, an enclosing region before those inside it. @reach is the
 * highest last address of this region and every one before it, so that a
 * lookup knows when no earlier region can hold an address.
 */
struct pt_region {
	uint64_t start, last, reach;
	const char *name;
};

/*
 * Where an entry, a slot or a master line lies: the regions it overlaps (at
 * each of its addresses, the innermost region holding it), in address order,
 * at most PT_PLACE_MAX of them. One rule for the whole tool: --region
 * selects what overlaps the region, and a slot is labelled by every region
 * it holds (x86-64's last slot: kernel-image, modules, fixmap). Interned per
 * snapshot: entries hold the index of theirs, PT_NO_REGION for none.
 */
#define PT_PLACE_MAX	8

struct pt_place {
	uint16_t n, r[PT_PLACE_MAX];	/* indices into the header's regions */
	char *name;			/* their names joined by ',' */
};

/* The common header of summary, master and dump. */
struct pt_header {
	bool valid;
	int major, minor;
	const char *kernel, *arch;
	uint64_t page_size;
	unsigned int levels;
	struct pt_level level[PT_NR_LEVELS];
	uint64_t khalf_first, khalf_last;
	uint64_t slot_first, slot_last;
	uint64_t master_va, master_pa;
	const char *master_source;
	bool has_user;
	uint64_t muser_va, muser_pa;
	const char *master_lock;
	const char *isolation;		/* e.g. "pti" */
	bool isolation_on;
	uint8_t ktable;			/* enum pt_ktable; PT_KT_PGD for 1.0 files */
	uint64_t ktable_pa;		/* PT_KT_TTBR1: the table TTBR1_EL1 pointed to */
	struct pt_region *regions;
	size_t nregions;
};

/* One summary row; v[] is -1 for "-" (and user_slots of a 1.0 file). */
struct pt_srow {
	bool master;
	int64_t tgid;
	const char *comm;		/* escaped as in the file */
	uint64_t threads;
	int64_t v[PT_NR_COUNTS];
	uint32_t line;
};

/* A master "slot" line. */
struct pt_mslot {
	uint64_t index, start, last, raw, pa;
	const char *flags;
	uint8_t kind, user;
	uint16_t place;			/* see struct pt_place */
	uint32_t line;
};

/*
 * What a master line below the slots stands for. A range maps contiguous
 * frames from pa; an alias (1.2) maps the one frame at pa at every address
 * (KASAN's early shadow), its level being the leaves' even where it spans
 * whole upper-level entries; a repeat (1.2) is entries at its level that
 * point to the table at pa, walked and listed earlier in the same section
 * (espfix), so nothing below them is listed again; a bad entry is never
 * followed; a descend run (1.3) maps pa at start and, from each entry of its
 * level to the next, the frame one entry below (memblock's top-down
 * allocations: arm64's KASAN shadow).
 */
enum pt_mrange_kind { PT_MR_RANGE, PT_MR_ALIAS, PT_MR_REPEAT, PT_MR_BAD, PT_MR_DESCEND, PT_MR_NR };

/*
 * A master "range", "alias", "repeat", "descend" or "bad" line. pa: the
 * first frame (range, descend), the one frame (alias), the repeated table
 * (repeat) or the raw value (bad: size 0). flags: NULL for repeat and bad, which have none.
 */
struct pt_mrange {
	uint64_t start, last, pa, raw;	/* raw: a bad line's value (pa 0); size: last - start + 1 */
	const char *flags;
	uint8_t level, user, kind;	/* kind: enum pt_mrange_kind */
	uint16_t place;
	uint32_t line;
};

/* A dump "entry" line. */
struct pt_entry {
	uint64_t start, last;
	uint64_t praw, ppa, mraw, mpa;
	uint32_t line;
	uint32_t task;			/* index into pt_snapshot.tasks */
	uint8_t user;			/* 0 kernel pgd, 1 user-mode copy */
	uint8_t level;			/* 0..4 */
	uint8_t cls;			/* enum ptshare_class */
	uint8_t pkind, mkind;		/* enum pt_kind */
	uint8_t depth;			/* 0 for a top-level slot, from the nesting */
	uint16_t place;			/* see struct pt_place; the module's region field is checked */
};

/* A dump "uslot" line (1.1): a present top-level entry of the user half. */
struct pt_uslot {
	uint64_t index, start, last, raw, pa;
	uint32_t line;
	uint8_t kind;			/* PT_K_TABLE, PT_K_LEAF or PT_K_BAD (pa 0) */
};

enum pt_task_state { PT_T_OK, PT_T_NOMM, PT_T_GONE };
/* PT_TE_EXEC (1.2): the mm being dumped went because the process called exec. */
enum pt_task_end { PT_TE_OK, PT_TE_EXITED, PT_TE_SKIPPED, PT_TE_EXEC };

struct pt_task {
	int64_t tgid;
	const char *comm;
	uint64_t threads;
	uint64_t pgd_pa, upgd_pa;
	bool has_upgd;
	uint8_t state, end;
	size_t first, count;		/* its entries: entries[first .. first + count) */
	size_t ufirst, ucount;		/* its uslot lines, in uslots[] likewise */
	uint32_t errors;		/* "error" lines inside it */
	uint32_t line;
};

/*
 * The model's strings, copied out of the lines they were read from (those
 * last only as long as the parser's buffer holds them): one block after
 * another, none moved or freed before the snapshot is.
 */
struct pt_strings {
	struct pt_strings *next;
	size_t used, size;
	char text[];
};

/* One parsed source: a snapshot file, or the module's files read live. */
struct pt_snapshot {
	const char *name;		/* file name for messages */
	struct pt_strings *strings;	/* owned; every string of the model is in them */
	bool is_snapshot;		/* a container file, not a bare module file */
	int snap_major, snap_minor;
	const char *created, *kernel, *arch, *selection, *host_format;

	struct pt_header hdr;		/* from the first module file */
	bool has_summary, has_master, has_dump;

	struct pt_srow *srows;		/* srows[0] is the master row */
	size_t nsrows;
	uint32_t summary_errors;	/* rows the module could not read */

	struct pt_mslot *mslots;
	size_t nmslots;
	struct pt_mrange *mranges;
	size_t nmranges;
	uint32_t master_errors;

	struct pt_task *tasks;
	size_t ntasks;
	struct pt_entry *entries;
	size_t nentries;
	struct pt_uslot *uslots;
	size_t nuslots;
	const char *dump_selection;

	struct pt_place *places;
	size_t nplaces;
	/* the last place found, for every range inside [place_lo, place_hi] (no region boundary there) */
	uint64_t place_lo, place_hi;
	int place_last;
	bool place_cached;

	/* the parser's */
	size_t cap_srows, cap_mslots, cap_mranges, cap_tasks, cap_entries, cap_uslots, cap_places;
};

/* parse.c */
/*
 * Input limits: the longest first line looked at before the rest is read,
 * and the most bytes read from one file (far above any real report: a dump
 * of every process of a machine with 10,000 is some hundreds of MB).
 */
#define PT_FIRST_LINE_MAX	4096
#define PT_MAX_INPUT		((uint64_t)(SIZE_MAX >> 1) < (2ULL << 30) ? \
				 (uint64_t)(SIZE_MAX >> 2) : (2ULL << 30))
#define PT_STDIN_NAME		"(stdin)"
int pt_check_first_line(const char *name, const char *text, size_t len, bool complete);
/* @path "-": standard input. */
int pt_load_file(struct pt_snapshot *s, const char *path);
/* Both take @text (of @len bytes and a NUL), which they free when parsed. */
int pt_load_buffer(struct pt_snapshot *s, const char *name, char *text, size_t len);
void pt_snapshot_init(struct pt_snapshot *s, const char *name);
int pt_load_part(struct pt_snapshot *s, const char *name, char *text, size_t len, char *kind);
void pt_snapshot_free(struct pt_snapshot *s);
int pt_parse_u64(const char *s, uint64_t *v);
const char *pt_level_name(unsigned int level);
const char *pt_kind_name(unsigned int kind);
const char *pt_class_name(unsigned int cls);
int pt_class_from_name(const char *s);
const char *pt_region_name(const struct pt_snapshot *s, unsigned int region);
int pt_region_by_name(const struct pt_snapshot *s, const char *name);
unsigned int pt_region_of(const struct pt_snapshot *s, uint64_t va);
size_t pt_regions_in(const struct pt_snapshot *s, uint64_t start, uint64_t last, uint16_t *out,
		     size_t max);
int pt_place_of(struct pt_snapshot *s, uint64_t start, uint64_t last);	/* -1: out of memory */
const char *pt_place_name(const struct pt_snapshot *s, unsigned int place);	/* "-": none */
bool pt_place_has(const struct pt_snapshot *s, unsigned int place, unsigned int region);
uint64_t pt_slot_of(const struct pt_snapshot *s, uint64_t va);
const struct pt_task *pt_find_task(const struct pt_snapshot *s, int64_t tgid);
const char *pt_ktable_name(unsigned int ktable);
const char *pt_mrange_kind_name(unsigned int kind);
const char *pt_task_end_name(unsigned int end);

/* The kernel half comes through TTBR1: no kernel-half entries per process. */
static inline bool pt_ttbr1(const struct pt_snapshot *s)
{
	return s->hdr.ktable == PT_KT_TTBR1;
}

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptshare: internal interfaces between the module's layers.
 *
 *   master.c   finds and validates the master table (init_mm / swapper_pg_dir)
 *   walk.c     reads page-table entries and walks one tree or a pair of trees
 *   report.c   renders summary, master and dump through seq_file
 *   select.c   the select file and parameter: which tasks dump covers
 *   main.c     module parameters, the files (debugfs or /proc), init and exit
 *   arch/ARCH.c per-architecture knowledge: regions, flags, kernel half, PTI
 */
#ifndef PTSHARE_H
#define PTSHARE_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "../include/ptshare_format.h"

enum ptshare_level {
	PTSHARE_PGD,
	PTSHARE_P4D,
	PTSHARE_PUD,
	PTSHARE_PMD,
	PTSHARE_PTE,
	PTSHARE_NR_LEVELS
};

struct ptshare_level_info {
	const char *name;
	unsigned int shift;	/* log2 of the span of one entry */
	unsigned int ptrs;	/* entries per table */
	bool folded;		/* level does not exist at run time */
};

extern struct ptshare_level_info ptshare_levels[PTSHARE_NR_LEVELS];
/* First address of the kernel half and its first top-level slot. */
extern unsigned long ptshare_kernel_lo;
extern unsigned int ptshare_first_slot;
/* The kernel half is in a table of its own, not in process pgds (arm64). */
extern bool ptshare_kernel_separate;

/* What a subtree maps when it maps one frame throughout: a leaf's view. */
struct ptshare_uniform {
	bool valid;
	enum ptshare_level level;	/* of the leaves */
	u64 raw;			/* of the first leaf */
	phys_addr_t pa;			/* the frame every leaf maps */
};

/* One entry as read, exactly once, from a live table. */
struct ptshare_entry {
	enum ptshare_level level;
	unsigned long start;	/* first virtual address covered */
	unsigned long last;	/* last virtual address covered (inclusive) */
	u64 raw;		/* value as read */
	bool present;
	bool leaf;
	bool bad;		/* present, not a leaf, not a valid table */
	enum ptshare_level next_level;
	void *next;		/* first entry of the next real table */
	phys_addr_t pa;		/* of the next table, or of the leaf's frame */
	bool repeat;		/* its table was walked before in this walk */
	struct ptshare_uniform uniform;	/* (repeat) what that table maps, if uniform */
};

int ptshare_levels_init(void);
void ptshare_kernel_half_init(void);
unsigned int ptshare_levels_in_use(void);
unsigned long ptshare_slot_va(unsigned int slot);
unsigned int ptshare_nr_slots(void);
unsigned int ptshare_slot_index(unsigned long va);
unsigned int ptshare_nr_user_slots(void);
unsigned long ptshare_user_slot_va(unsigned int slot);
unsigned long ptshare_entry_size(enum ptshare_level level);

int ptshare_read_entry(enum ptshare_level level, void *table, unsigned int index,
		       unsigned long start, struct ptshare_entry *e);
int ptshare_read_slot(pgd_t *pgd, unsigned int slot, struct ptshare_entry *e);
int ptshare_read_child(const struct ptshare_entry *parent, unsigned int index,
		       struct ptshare_entry *e);
unsigned int ptshare_child_count(const struct ptshare_entry *parent);
unsigned int ptshare_first_kernel_child(const struct ptshare_entry *parent);
bool ptshare_translate(pgd_t *pgd, unsigned long va, phys_addr_t *pa);

typedef unsigned long (*ptshare_lookup_fn)(const char *name);

/* The walker calls back for every present entry, parents before children. */
enum ptshare_walk_action {
	PTSHARE_WALK_DESCEND,	/* go on, into this entry's table if it has one */
	PTSHARE_WALK_SKIP,	/* go on, but not below this entry */
	PTSHARE_WALK_STOP,	/* end the walk */
};

struct ptshare_walker;
struct ptshare_cost;
typedef enum ptshare_walk_action (*ptshare_walk_fn)(struct ptshare_walker *w,
						     const struct ptshare_entry *e);
#define PTSHARE_WALK_UNIFORM	16

/*
 * Tables walked so far (by pfn): in this record's walk (seen), and in the
 * earlier records of the same read (earlier: checked again before use).
 */
struct ptshare_walk_memo {
	struct xarray seen;
	struct xarray earlier;
	struct ptshare_uniform uniform[PTSHARE_WALK_UNIFORM];
	unsigned int nr_uniform;
	unsigned int nr_earlier_uniform;
};

void ptshare_memo_init(struct ptshare_walk_memo *memo);
void ptshare_memo_destroy(struct ptshare_walk_memo *memo);
void ptshare_memo_begin(struct ptshare_walk_memo *memo);
void ptshare_memo_commit(struct ptshare_walk_memo *memo);

struct ptshare_walker {
	ptshare_walk_fn fn;
	int error;		/* -EFAULT if a table could not be read */
	unsigned long fault_va;	/* first address of what could not be read */
	struct ptshare_walk_memo *memo;	/* optional */
	bool count_only;	/* counting: unreadable tables are passed over */
	unsigned long tables;	/* counted by ptshare_count_table(s) */
};

int ptshare_walk(struct ptshare_walker *w, pgd_t *pgd, unsigned long lo,
		 unsigned long hi);
enum ptshare_class ptshare_classify(const struct ptshare_entry *proc,
				    const struct ptshare_entry *master,
				    struct ptshare_cost *cost);
int ptshare_count_tables(struct ptshare_walker *w, const struct ptshare_entry *e);
void ptshare_count_table(struct ptshare_walker *w, const struct ptshare_entry *e);

/* Distinct table pages of a process that are not the master's. */
struct ptshare_cost {
	struct ptshare_walker w;	/* w.tables: the count; w.memo: &memo */
	struct ptshare_walk_memo memo;
};

/* master.c */

struct ptshare_master {
	pgd_t *pgd;			/* validated master pgd */
	pgd_t *user_pgd;		/* its user-mode copy (PTI), or NULL */
	struct mm_struct *mm;		/* init_mm when found, else NULL */
	const char *source;		/* how it was found */
};

extern struct ptshare_master ptshare_master;
int ptshare_master_find(unsigned long param_pgd, bool use_lookup);
int ptshare_master_lock(void);
void ptshare_master_unlock(void);

/* report.c */
const char *ptshare_region_name(unsigned long va);

/* A flag bit and what to print when it is set or clear (NULL: nothing). */
struct ptshare_flag_name {
	u64 mask;
	const char *set;
	const char *clear;
};

void ptshare_show_flag_names(struct seq_file *m, const struct ptshare_flag_name *f,
			     unsigned int n, u64 raw, const char **sep);
extern const struct file_operations ptshare_summary_fops;
extern const struct file_operations ptshare_master_fops;
extern const struct file_operations ptshare_dump_fops;

/* select.c */
enum ptshare_select_kind { PTSHARE_SELECT_ALL, PTSHARE_SELECT_PIDS, PTSHARE_SELECT_COMM };

struct ptshare_selection {
	enum ptshare_select_kind kind;
	unsigned int nr_pids;
	struct pid *pids[PTSHARE_SELECT_MAX_PIDS];
	char comm[TASK_COMM_LEN];
};

extern const struct file_operations ptshare_select_fops;
void ptshare_select_get(struct ptshare_selection *sel);
void ptshare_select_put(struct ptshare_selection *sel);
void ptshare_select_exit(void);

/* arch/<arch>.c: what differs between architectures */
struct ptshare_region {
	unsigned long start;
	unsigned long last;	/* inclusive */
	const char *name;
};

/* Every architecture defines: */
int ptshare_arch_init(void);
const char *ptshare_arch_name(void);
unsigned long ptshare_arch_kernel_start(void);
int ptshare_arch_judge_top(struct ptshare_entry *e, const pgd_t *val);
const struct ptshare_region *ptshare_arch_regions(unsigned int *nr);
pgd_t *ptshare_arch_user_pgd(pgd_t *pgd);
unsigned int ptshare_arch_pgd_pages(void);
void ptshare_arch_show_isolation(struct seq_file *m);
u64 ptshare_arch_compare_mask(enum ptshare_level level);
u64 ptshare_arch_flags(enum ptshare_level level, u64 raw);
phys_addr_t ptshare_arch_leaf_pa(enum ptshare_level level, u64 raw);
phys_addr_t ptshare_arch_table_pa(enum ptshare_level level, u64 raw);
bool ptshare_arch_leaf_mapped(enum ptshare_level level, u64 raw);
bool ptshare_arch_callable(unsigned long addr);
void ptshare_arch_show_flags(struct seq_file *m, enum ptshare_level level,
			     u64 raw, bool leaf);
int ptshare_arch_master_candidates(ptshare_lookup_fn lookup, pgd_t **cand, int max,
				   const char **source);
const char *ptshare_arch_check_master(pgd_t *pgd, ptshare_lookup_fn lookup);
/* The kernel's p4d_offset() and pud_offset() (riscv64's are not exported). */
p4d_t *ptshare_arch_p4d_offset(pgd_t *pgd, unsigned long va);
pud_t *ptshare_arch_pud_offset(p4d_t *p4d, unsigned long va);

/*
 * What only some architectures need: each arch/ file defines
 * ptshare_arch_ops with the members it has something to say about; the
 * wrappers below give the default for a NULL member.
 */
struct ptshare_arch_ops {
	/* the geometry in use, where it differs from the one built (arm64 LPA2) */
	void (*levels)(struct ptshare_level_info *levels);
	/* a register holds the kernel half for every process (arm64 TTBR1) */
	bool (*kernel_table)(phys_addr_t *pa);
	/* a present non-leaf entry the MMU walks although p?d_bad() rejects it */
	bool (*hw_table)(enum ptshare_level level, u64 raw);
	/* where a call to a function's address goes (ARM Thumb-2) */
	unsigned long (*call_address)(unsigned long addr);
	/* a top-level leaf the MMU sees as two (ARM classic section pairs) */
	unsigned int (*leaf_parts)(const struct ptshare_entry *e,
				   struct ptshare_entry parts[2]);
	/* read an entry wider than a word with one load (ARM LPAE) */
	bool (*read_wide)(const void *src, void *dst);
	/* more regions from kallsyms (arm64's kernel text) */
	void (*symbols)(ptshare_lookup_fn lookup);
	/* the master's user-mode copy, found otherwise than a process's */
	pgd_t *(*master_user_pgd)(pgd_t *pgd);
	/* locks beyond the mmap lock around what the walker reads (x86 LDT) */
	void (*lock_mm)(struct mm_struct *mm);
	void (*unlock_mm)(struct mm_struct *mm);
};

extern const struct ptshare_arch_ops ptshare_arch_ops;

static inline void ptshare_arch_levels(struct ptshare_level_info *levels)
{
	if (ptshare_arch_ops.levels)
		ptshare_arch_ops.levels(levels);
}

/* Default: each process pgd holds the kernel half; no table of its own. */
static inline bool ptshare_arch_kernel_table(phys_addr_t *pa)
{
	return ptshare_arch_ops.kernel_table && ptshare_arch_ops.kernel_table(pa);
}

/* Default: the kernel's accessors match the hardware (bad is bad). */
static inline bool ptshare_arch_hw_table(enum ptshare_level level, u64 raw)
{
	return ptshare_arch_ops.hw_table && ptshare_arch_ops.hw_table(level, raw);
}

static inline unsigned long ptshare_arch_call_address(unsigned long addr)
{
	return ptshare_arch_ops.call_address ? ptshare_arch_ops.call_address(addr) : addr;
}

/* Default: a leaf maps its whole range with one set of attributes (0). */
static inline unsigned int ptshare_arch_leaf_parts(const struct ptshare_entry *e,
						   struct ptshare_entry parts[2])
{
	return ptshare_arch_ops.leaf_parts ? ptshare_arch_ops.leaf_parts(e, parts) : 0;
}

/* Default: no such load (false): the caller compares two reads. */
static inline bool ptshare_arch_read_wide(const void *src, void *dst)
{
	return ptshare_arch_ops.read_wide && ptshare_arch_ops.read_wide(src, dst);
}

static inline void ptshare_arch_symbols(ptshare_lookup_fn lookup)
{
	if (ptshare_arch_ops.symbols)
		ptshare_arch_ops.symbols(lookup);
}

/* Default: found as any process's. */
static inline pgd_t *ptshare_arch_master_user_pgd(pgd_t *pgd)
{
	return ptshare_arch_ops.master_user_pgd ? ptshare_arch_ops.master_user_pgd(pgd) :
						  ptshare_arch_user_pgd(pgd);
}

static inline void ptshare_arch_lock_mm(struct mm_struct *mm)
{
	if (ptshare_arch_ops.lock_mm)
		ptshare_arch_ops.lock_mm(mm);
}

static inline void ptshare_arch_unlock_mm(struct mm_struct *mm)
{
	if (ptshare_arch_ops.unlock_mm)
		ptshare_arch_ops.unlock_mm(mm);
}

bool ptshare_symbol_is(unsigned long addr, const char *name, unsigned long *offset);
pgd_t *ptshare_scan_symbols(unsigned long lo, unsigned long hi, const char *const *names,
			    unsigned int nr);

#endif /* PTSHARE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: reading page-table entries and walking trees of them.
 *
 * Every entry is judged from one read of it, with copy_from_kernel_nofault(),
 * into a local copy: a walk reads 64 bytes of entries at a time, passes over
 * those of all zero bytes (absent everywhere) and judges the others from
 * that block, one load each where an entry is a word (a wider one, which
 * two loads could tear, is read again by itself); the next table is found
 * only from that copy. Levels that are
 * folded at run time (p4d on 4-level x86, pud/pmd on 32-bit ARM) are passed
 * through with the kernel's own *_offset() helpers applied to the local copy,
 * and an entry is judged (none, leaf, table) at the deepest folded level of
 * its chain, which is the level the hardware really has.
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "ptshare.h"
#include "compat.h"

struct ptshare_level_info ptshare_levels[PTSHARE_NR_LEVELS];
unsigned long ptshare_kernel_lo;
unsigned int ptshare_first_slot;
bool ptshare_kernel_separate;

int ptshare_levels_init(void)
{
	static const char *const names[PTSHARE_NR_LEVELS] = {
		"pgd", "p4d", "pud", "pmd", "pte"
	};
	const unsigned int shifts[PTSHARE_NR_LEVELS] = {
		PGDIR_SHIFT, P4D_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT
	};
	const unsigned int ptrs[PTSHARE_NR_LEVELS] = {
		PTRS_PER_PGD, PTRS_PER_P4D, PTRS_PER_PUD, PTRS_PER_PMD, PTRS_PER_PTE
	};
	int i;

	for (i = 0; i < PTSHARE_NR_LEVELS; i++) {
		ptshare_levels[i].name = names[i];
		ptshare_levels[i].shift = shifts[i];
		ptshare_levels[i].ptrs = ptrs[i];
		ptshare_levels[i].folded = i != PTSHARE_PGD && ptrs[i] == 1;
	}
	/* Geometry the kernel chooses at boot (arm64 LPA2 kernels without LPA2). */
	ptshare_arch_levels(ptshare_levels);
	for (i = 0; i < PTSHARE_NR_LEVELS; i++)
		if (!ptshare_levels[i].ptrs || !is_power_of_2(ptshare_levels[i].ptrs) ||
		    ptshare_levels[i].shift >= BITS_PER_LONG)
			return -EINVAL;
	return 0;
}

/* After ptshare_arch_init(): where the kernel half begins. */
void ptshare_kernel_half_init(void)
{
	ptshare_kernel_lo = ptshare_arch_kernel_start();
	ptshare_kernel_separate = ptshare_arch_kernel_table(NULL);
	ptshare_first_slot = ptshare_slot_index(ptshare_kernel_lo);
}

unsigned int ptshare_nr_slots(void)
{
	return ptshare_levels[PTSHARE_PGD].ptrs;
}

/* Top-level index of @va, with the geometry in use at run time. */
unsigned int ptshare_slot_index(unsigned long va)
{
	return (va >> ptshare_levels[PTSHARE_PGD].shift) & (ptshare_nr_slots() - 1);
}

/*
 * Top-level slots of a process pgd that cover user addresses: all of them
 * where the kernel half has a table of its own (arm64), else those up to the
 * one holding the last user address (on ARM LPAE that one is shared).
 */
unsigned int ptshare_nr_user_slots(void)
{
	if (ptshare_kernel_separate)
		return ptshare_nr_slots();
	return ptshare_slot_index(ptshare_kernel_lo - 1) + 1;
}

unsigned long ptshare_user_slot_va(unsigned int slot)
{
	if (ptshare_kernel_separate)
		return (unsigned long)slot << ptshare_levels[PTSHARE_PGD].shift;
	return ptshare_slot_va(slot);
}

unsigned int ptshare_levels_in_use(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < PTSHARE_NR_LEVELS; i++)
		n += !ptshare_levels[i].folded;
	return n;
}

unsigned long ptshare_entry_size(enum ptshare_level level)
{
	return 1UL << ptshare_levels[level].shift;
}

/*
 * Virtual address of top-level slot @slot of a table holding the kernel half:
 * sign-extended where one table covers the whole VA space, counted from the
 * kernel half's start where the kernel has a table of its own (arm64 TTBR1).
 */
unsigned long ptshare_slot_va(unsigned int slot)
{
	unsigned int shift = ptshare_levels[PTSHARE_PGD].shift;
	unsigned int bits = shift + ilog2(ptshare_nr_slots());
	unsigned long va = (unsigned long)slot << shift;

	if (ptshare_kernel_separate)
		return ptshare_kernel_lo + va;
	if (bits < BITS_PER_LONG && (va >> (bits - 1)) & 1)
		va |= ~0UL << bits;
	return va;
}

/*
 * Read one entry into @dst. Where an entry is wider than a word (32-bit ARM:
 * LPAE descriptors, classic pgd pairs) copy_from_kernel_nofault() makes two
 * loads, which can tear against a concurrent write: read it again with one
 * atomic load where the architecture has one (LPAE), else until two reads
 * in a row agree, as a reader of a seqcount would (classic pairs, whose two
 * words the kernel writes one by one anyway).
 */
static int ptshare_copy_entry(void *dst, const void *src, size_t size)
{
	u64 again;
	int tries;

	BUILD_BUG_ON(sizeof(pgd_t) > sizeof(u64) || sizeof(pte_t) > sizeof(u64));
	if (copy_from_kernel_nofault(dst, src, size))
		return -EFAULT;
	if (size <= sizeof(long))
		return 0;
	/* (readable: just read) one atomic load where the architecture has one */
	if (ptshare_arch_read_wide(src, dst))
		return 0;
	for (tries = 0; tries < 16; tries++) {
		if (copy_from_kernel_nofault(&again, src, size))
			return -EFAULT;
		if (!memcmp(&again, dst, size))
			return 0;
		memcpy(dst, &again, size);
		cpu_relax();
	}
	return -EAGAIN;
}

static int ptshare_set_leaf(struct ptshare_entry *e, enum ptshare_level judged)
{
	e->present = true;
	e->leaf = true;
	e->pa = ptshare_arch_leaf_pa(judged, e->raw);
	return 0;
}

/* @judged: the level whose accessors judged the entry (the deepest folded one). */
static int ptshare_set_table(struct ptshare_entry *e, enum ptshare_level judged,
			     enum ptshare_level next_level, void *next)
{
	e->present = true;
	e->pa = ptshare_arch_table_pa(judged, e->raw);
	/* Never follow an address that is not memory the kernel manages. */
	if (!pfn_valid(PHYS_PFN(e->pa))) {
		e->bad = true;
		return 0;
	}
	e->next_level = next_level;
	e->next = next;
	return 0;
}

union ptshare_any_entry {
	pgd_t pgd;
	p4d_t p4d;
	pud_t pud;
	pmd_t pmd;
	pte_t pte;
};

static size_t ptshare_level_bytes(enum ptshare_level level)
{
	switch (level) {
	case PTSHARE_P4D:
		return sizeof(p4d_t);
	case PTSHARE_PUD:
		return sizeof(pud_t);
	case PTSHARE_PMD:
		return sizeof(pmd_t);
	default:
		return sizeof(pte_t);
	}
}

static size_t ptshare_entry_bytes(enum ptshare_level level)
{
	return level == PTSHARE_PGD ? sizeof(pgd_t) : ptshare_level_bytes(level);
}

/*
 * Judge one entry of @level at @start from @val, a copy of it read whole
 * (the next table is found from a copy on this stack).
 */
static int ptshare_decode_entry(enum ptshare_level level, const void *val,
				unsigned long start, struct ptshare_entry *e)
{
	union ptshare_any_entry v;
	p4d_t *p4dp;
	pud_t *pudp;
	pmd_t *pmdp;

	memcpy(&v, val, ptshare_entry_bytes(level));
	memset(e, 0, sizeof(*e));
	e->level = level;
	e->start = start;
	e->last = start + (ptshare_entry_size(level) - 1);

	switch (level) {
	case PTSHARE_PGD:
		e->raw = pgd_val(v.pgd);
		if (ptshare_arch_judge_top(e, &v.pgd) != -ENOENT)
			return 0;
		if (!ptshare_levels[PTSHARE_P4D].folded) {
			if (pgd_none(v.pgd))
				return 0;
			if (ptshare_pgd_leaf(v.pgd))
				return ptshare_set_leaf(e, PTSHARE_PGD);
			if (pgd_bad(v.pgd) && !ptshare_arch_hw_table(PTSHARE_PGD, e->raw))
				goto bad;
			return ptshare_set_table(e, PTSHARE_PGD, PTSHARE_P4D,
						 ptshare_arch_p4d_offset(&v.pgd, start));
		}
		p4dp = ptshare_arch_p4d_offset(&v.pgd, start);
		goto p4d_level;
	case PTSHARE_P4D:
		e->raw = p4d_val(v.p4d);
		p4dp = &v.p4d;
p4d_level:
		if (!ptshare_levels[PTSHARE_PUD].folded) {
			if (p4d_none(*p4dp))
				return 0;
			if (ptshare_p4d_leaf(*p4dp))
				return ptshare_set_leaf(e, PTSHARE_P4D);
			if (p4d_bad(*p4dp) && !ptshare_arch_hw_table(PTSHARE_P4D, e->raw))
				goto bad;
			return ptshare_set_table(e, PTSHARE_P4D, PTSHARE_PUD,
						 ptshare_arch_pud_offset(p4dp, start));
		}
		pudp = ptshare_arch_pud_offset(p4dp, start);
		goto pud_level;
	case PTSHARE_PUD:
		e->raw = pud_val(v.pud);
		pudp = &v.pud;
pud_level:
		if (!ptshare_levels[PTSHARE_PMD].folded) {
			if (pud_none(*pudp))
				return 0;
			if (ptshare_pud_leaf(*pudp))
				return ptshare_set_leaf(e, PTSHARE_PUD);
			if (pud_bad(*pudp) && !ptshare_arch_hw_table(PTSHARE_PUD, e->raw))
				goto bad;
			return ptshare_set_table(e, PTSHARE_PUD, PTSHARE_PMD,
						 pmd_offset(pudp, start));
		}
		pmdp = pmd_offset(pudp, start);
		goto pmd_level;
	case PTSHARE_PMD:
		e->raw = pmd_val(v.pmd);
		pmdp = &v.pmd;
pmd_level:
		if (pmd_none(*pmdp))
			return 0;
		if (ptshare_pmd_leaf(*pmdp))
			return ptshare_set_leaf(e, PTSHARE_PMD);
		if (pmd_bad(*pmdp) && !ptshare_arch_hw_table(PTSHARE_PMD, e->raw))
			goto bad;
		return ptshare_set_table(e, PTSHARE_PMD, PTSHARE_PTE,
					 pte_offset_kernel(pmdp, start));
	case PTSHARE_PTE:
		e->raw = pte_val(v.pte);
		if (pte_none(v.pte))
			return 0;
		return ptshare_set_leaf(e, PTSHARE_PTE);
	default:
		return -EINVAL;
	}
bad:
	e->present = true;
	e->bad = true;
	return 0;
}

int ptshare_read_entry(enum ptshare_level level, void *table, unsigned int index,
		       unsigned long start, struct ptshare_entry *e)
{
	union ptshare_any_entry v;
	size_t size = ptshare_entry_bytes(level);

	if (ptshare_copy_entry(&v, (char *)table + index * size, size))
		return -EFAULT;
	return ptshare_decode_entry(level, &v, start, e);
}

int ptshare_read_slot(pgd_t *pgd, unsigned int slot, struct ptshare_entry *e)
{
	return ptshare_read_entry(PTSHARE_PGD, pgd, slot, ptshare_slot_va(slot), e);
}

unsigned int ptshare_child_count(const struct ptshare_entry *parent)
{
	return parent->next ? ptshare_levels[parent->next_level].ptrs : 0;
}

/*
 * Index of the first child of @parent inside the kernel half. A top-level
 * slot can straddle the boundary (32-bit ARM LPAE: the modules GiB also
 * holds user space); entries below ptshare_kernel_lo are never compared.
 */
unsigned int ptshare_first_kernel_child(const struct ptshare_entry *parent)
{
	if (!parent->next || parent->start >= ptshare_kernel_lo)
		return 0;
	return (ptshare_kernel_lo - parent->start) >> ptshare_levels[parent->next_level].shift;
}

int ptshare_read_child(const struct ptshare_entry *parent, unsigned int index,
		       struct ptshare_entry *e)
{
	unsigned long start = parent->start + index * ptshare_entry_size(parent->next_level);

	return ptshare_read_entry(parent->next_level, parent->next, index, start, e);
}

static bool ptshare_uniform_same(const struct ptshare_uniform *a,
				 const struct ptshare_uniform *b)
{
	return a->valid && b->valid && a->level == b->level && a->pa == b->pa &&
	       ptshare_arch_flags(a->level, a->raw) == ptshare_arch_flags(b->level, b->raw);
}

/*
 * What the memo keeps per table page, in one xarray value (31 bits, for
 * 32-bit kernels): the index + 1 of what it maps when uniform (0: not
 * uniform), whether its entries were all listed (FULL), and a 16-bit hash
 * of them. A table whose walk a record's end cut (SPLIT) keeps the hash of
 * all its entries at that moment, whether what was walked of it so far maps
 * one frame (SOFAR) and, in UNI, that frame if there was one yet.
 */
#define PTSHARE_MEMO_UNI	GENMASK(4, 0)
#define PTSHARE_MEMO_FULL	BIT(5)
#define PTSHARE_MEMO_HASH	GENMASK(21, 6)
#define PTSHARE_MEMO_SPLIT	BIT(22)
#define PTSHARE_MEMO_SOFAR	BIT(23)

static unsigned long ptshare_memo_value(unsigned int uni, bool full, u32 hash)
{
	return FIELD_PREP(PTSHARE_MEMO_UNI, uni) | (full ? PTSHARE_MEMO_FULL : 0) |
	       FIELD_PREP(PTSHARE_MEMO_HASH, hash);
}

/* Where an earlier record's end cut the walk of a table, and what it had seen. */
struct ptshare_split {
	u32 hash;			/* of all its entries when the record ended */
	bool uniform;			/* what was walked maps one frame so far */
	struct ptshare_uniform ref;	/* that frame, once a child gave one */
};

/* FNV-1a over the comparable bits of an entry, folded to 16 bits at the end. */
/* FNV-1a a word at a time (a byte at a time was 8 rounds an entry) */
static u32 ptshare_hash_raw(u32 h, u64 v)
{
	h = (h ^ lower_32_bits(v)) * 16777619;
	return (h ^ upper_32_bits(v)) * 16777619;
}

static u32 ptshare_hash_entry(u32 h, const struct ptshare_entry *c)
{
	return ptshare_hash_raw(h, c->raw & ptshare_arch_compare_mask(c->level));
}

static u32 ptshare_hash_fold(u32 h)
{
	return (h ^ (h >> 16)) & 0xffff;
}

/*
 * Entry @i of a block (@b: an array) of @level's entries, as
 * ptshare_read_entry() sets ->raw.
 */
static u64 ptshare_block_raw(const void *b, enum ptshare_level level, unsigned int i)
{
	switch (level) {
	case PTSHARE_P4D:
		return p4d_val(((const p4d_t *)b)[i]);
	case PTSHARE_PUD:
		return pud_val(((const pud_t *)b)[i]);
	case PTSHARE_PMD:
		return pmd_val(((const pmd_t *)b)[i]);
	default:
		return pte_val(((const pte_t *)b)[i]);
	}
}

/*
 * Entries @i to at most @last of @e's table, as many as @words u64 words
 * hold, copied raw into @buf with one copy_from_kernel_nofault(): how many,
 * or 0 if unreadable. Entry j of them is ptshare_block_raw(buf, level, j).
 */
static unsigned int ptshare_read_block(const struct ptshare_entry *e, unsigned int i,
				       unsigned int last, u64 *buf, size_t words)
{
	size_t size = ptshare_level_bytes(e->next_level);
	unsigned int k = min_t(size_t, last - i + 1, words * sizeof(u64) / size);

	return copy_from_kernel_nofault(buf, (char *)e->next + i * size, k * size) ? 0 : k;
}

/*
 * The hash of the entries of @e's table as they are now, as a walk of it
 * whole hashes them; ~0 if unreadable. A block at a time, raw values only:
 * a record that ends inside a table hashes it, and the record resuming it
 * hashes it again (32-bit ARM's vmalloc area ends one inside a pte table in
 * most records). An entry torn by a write meanwhile (two words on 32-bit)
 * can only make the table look changed, and then it is walked again.
 */
static u32 ptshare_hash_table(const struct ptshare_entry *e)
{
	enum ptshare_level level = e->next_level;
	unsigned int i, j, k, n = ptshare_child_count(e);
	u64 mask = ptshare_arch_compare_mask(level);
	u32 h = 2166136261u;
	u64 b[32];

	if (level == PTSHARE_PGD)
		return ~0u;
	for (i = 0; i < n; i += k) {
		k = ptshare_read_block(e, i, n - 1, b, ARRAY_SIZE(b));
		if (!k)
			return ~0u;
		for (j = 0; j < k; j++)
			h = ptshare_hash_raw(h, ptshare_block_raw(b, level, j) & mask);
	}
	return ptshare_hash_fold(h);
}

/*
 * Note @e's table in the memo: being walked (@full false), or walked whole
 * with entries hashing to @hash and, with @u, mapping one frame throughout.
 * A failed store only costs a second walk of that table later, except for
 * counting.
 */
static int ptshare_walk_note(struct ptshare_walker *w, const struct ptshare_entry *e,
			     bool full, u32 hash, const struct ptshare_uniform *u)
{
	struct ptshare_walk_memo *memo = w->memo;
	unsigned int uni = 0;

	if (u && memo->nr_uniform < PTSHARE_WALK_UNIFORM) {
		memo->uniform[memo->nr_uniform] = *u;
		uni = ++memo->nr_uniform;
	}
	return xa_err(xa_store(&memo->seen, PHYS_PFN(e->pa),
			       xa_mk_value(ptshare_memo_value(uni, full, hash)), GFP_KERNEL));
}

/*
 * A record ends inside the walk of @e's table: note the hash of all its
 * entries now and what the walk had seen, so that the record that resumes
 * it can tell the table is listed whole (ptshare_walk_split()).
 */
static void ptshare_walk_note_split(struct ptshare_walker *w, const struct ptshare_entry *e,
				    u32 hash, bool uniform, const struct ptshare_uniform *ref)
{
	struct ptshare_walk_memo *memo = w->memo;
	unsigned int uni = 0;

	if (hash == ~0u)
		return;		/* unreadable: it will be walked again */
	if (uniform && ref->valid) {
		if (memo->nr_uniform >= PTSHARE_WALK_UNIFORM)
			return;
		memo->uniform[memo->nr_uniform] = *ref;
		uni = ++memo->nr_uniform;
	}
	xa_store(&memo->seen, PHYS_PFN(e->pa),
		 xa_mk_value(ptshare_memo_value(uni, false, hash) | PTSHARE_MEMO_SPLIT |
			     (uniform ? PTSHARE_MEMO_SOFAR : 0)), GFP_KERNEL);
}

/* Did an earlier record end inside the walk of @e's table? What it saw, in @sp. */
static bool ptshare_walk_split(struct ptshare_walker *w, const struct ptshare_entry *e,
			       struct ptshare_split *sp)
{
	struct ptshare_walk_memo *memo = w->memo;
	void *entry = xa_load(&memo->earlier, PHYS_PFN(e->pa));
	unsigned long v;

	if (!entry)
		return false;
	v = xa_to_value(entry);
	if (!(v & PTSHARE_MEMO_SPLIT))
		return false;
	sp->hash = FIELD_GET(PTSHARE_MEMO_HASH, v);
	sp->uniform = v & PTSHARE_MEMO_SOFAR;
	sp->ref = (struct ptshare_uniform){};
	if (FIELD_GET(PTSHARE_MEMO_UNI, v))
		sp->ref = memo->uniform[FIELD_GET(PTSHARE_MEMO_UNI, v) - 1];
	return true;
}

/*
 * Was @e's table walked before? In this walk (record), yes if the memo says
 * so. In an earlier record of the same read (no lock was held in between:
 * the page may have been freed and reused), only if it was walked whole and
 * its entries still hash the same. With what it maps in @u when that is one
 * frame. Changes nothing: seq_file may show one record twice.
 */
static bool ptshare_walk_seen(struct ptshare_walker *w, const struct ptshare_entry *e,
			      struct ptshare_uniform *u)
{
	struct ptshare_walk_memo *memo = w->memo;
	unsigned long v;
	void *entry;

	u->valid = false;
	entry = xa_load(&memo->seen, PHYS_PFN(e->pa));
	if (!entry) {
		entry = xa_load(&memo->earlier, PHYS_PFN(e->pa));
		if (!entry)
			return false;
		v = xa_to_value(entry);
		if (!(v & PTSHARE_MEMO_FULL) ||
		    FIELD_GET(PTSHARE_MEMO_HASH, v) != ptshare_hash_table(e))
			return false;
	}
	v = xa_to_value(entry);
	if (FIELD_GET(PTSHARE_MEMO_UNI, v))
		*u = memo->uniform[FIELD_GET(PTSHARE_MEMO_UNI, v) - 1];
	return true;
}

static enum ptshare_walk_action ptshare_walk_entry(struct ptshare_walker *w,
						   const struct ptshare_entry *e,
						   unsigned long lo, unsigned long hi,
						   struct ptshare_uniform *sum)
{
	unsigned int shift, first, last, i;
	struct ptshare_uniform ref = {}, csum;
	unsigned int blk_first, blk_n = 0, blk_ok = 0;
	enum ptshare_walk_action act;
	struct ptshare_split sp;
	struct ptshare_entry c;
	bool full, uniform, resumed, have_ref;
	u32 hash = 2166136261u;
	unsigned long csize_va;
	size_t csize;
	int ret;
	u64 blk[8];		/* per level of the recursion: 64 bytes */

	sum->valid = false;
	if (e->leaf)
		*sum = (struct ptshare_uniform){
			.valid = true, .level = e->level, .raw = e->raw, .pa = e->pa,
		};
	if (e->next && w->memo && ptshare_walk_seen(w, e, &csum)) {
		/* A table met before: report it as such, do not walk it again. */
		c = *e;
		c.repeat = true;
		c.uniform = csum;
		*sum = csum;
		return w->fn(w, &c);
	}
	act = w->fn(w, e);
	if (act != PTSHARE_WALK_DESCEND || !e->next)
		return act;
	/* A walk can be long (a debug kernel, a big machine): let kill end it. */
	if (fatal_signal_pending(current)) {
		w->error = -EINTR;
		return PTSHARE_WALK_STOP;
	}
	if (w->memo && ptshare_walk_note(w, e, false, 0, NULL) && w->count_only) {
		w->error = -ENOMEM;
		return PTSHARE_WALK_STOP;
	}
	/* Counting tables: a pte table holds none, its entries need no reading. */
	if (w->count_only && e->next_level == PTSHARE_PTE)
		return PTSHARE_WALK_DESCEND;
	cond_resched();
	shift = ptshare_levels[e->next_level].shift;
	first = lo > e->start ? (lo - e->start) >> shift : 0;
	last = hi < e->last ? (hi - e->start) >> shift : ptshare_child_count(e) - 1;
	full = !first && last == ptshare_child_count(e) - 1;
	blk_first = first;
	csize = ptshare_level_bytes(e->next_level);
	csize_va = ptshare_entry_size(e->next_level);
	/*
	 * A walk that resumes where an earlier record's end cut it: the two
	 * parts list the table whole if it did not change in between (the
	 * hash of all its entries, checked at the end). So where records end
	 * does not decide whether the table is walked again when met again.
	 */
	resumed = first && last == ptshare_child_count(e) - 1 && w->memo && !w->count_only &&
		  ptshare_walk_split(w, e, &sp);
	uniform = full || (resumed && sp.uniform);
	have_ref = resumed && sp.ref.valid;
	if (have_ref)
		ref = sp.ref;
	for (i = first; i <= last; i++) {
		/*
		 * Entries of all zero bytes are absent at every level on every
		 * architecture: most of a sparse table. Read a block of raw
		 * values at a time and pass over those without decoding them
		 * (hashed as a decoded one is: a raw 0).
		 */
		if (i - blk_first >= blk_n) {
			blk_first = i;
			blk_ok = ptshare_read_block(e, i, last, blk, ARRAY_SIZE(blk));
			/* unreadable: one by one, and the entry's error says where */
			blk_n = blk_ok ?: 1;
		}
		if (blk_ok && !ptshare_block_raw(blk, e->next_level, i - blk_first)) {
			hash = ptshare_hash_raw(hash, 0);
			uniform = false;
			continue;
		}
		/*
		 * A word-sized entry is judged from the block (one load each:
		 * no tearing); a wider one is read again by itself.
		 */
		if (blk_ok && csize <= sizeof(long))
			ret = ptshare_decode_entry(e->next_level,
						   (char *)blk + (i - blk_first) * csize,
						   e->start + i * csize_va, &c);
		else
			ret = ptshare_read_child(e, i, &c);
		if (ret) {
			full = false;
			uniform = false;
			if (w->count_only)
				continue;	/* count what can be read */
			w->error = -EFAULT;
			w->fault_va = e->start + i * ptshare_entry_size(e->next_level);
			return PTSHARE_WALK_STOP;
		}
		hash = ptshare_hash_entry(hash, &c);
		if (!c.present) {
			uniform = false;
			continue;
		}
		if (ptshare_walk_entry(w, &c, lo, hi, &csum) == PTSHARE_WALK_STOP) {
			/* The record is full (not an error): where this table's walk stopped */
			if (w->memo && !w->error && !w->count_only && (full || resumed))
				ptshare_walk_note_split(w, e,
							resumed ? sp.hash : ptshare_hash_table(e),
							uniform && (!have_ref || ref.valid), &ref);
			return PTSHARE_WALK_STOP;
		}
		if (!have_ref) {
			ref = csum;
			have_ref = true;
		} else if (!ptshare_uniform_same(&ref, &csum)) {
			uniform = false;
		}
	}
	if (resumed && ptshare_hash_table(e) == sp.hash) {
		full = true;
		hash = sp.hash;
	} else {
		hash = ptshare_hash_fold(hash);
	}
	uniform = uniform && full && ref.valid;
	if (uniform)
		*sum = ref;
	if (w->memo && full)
		ptshare_walk_note(w, e, true, hash, uniform ? &ref : NULL);
	return PTSHARE_WALK_DESCEND;
}

/*
 * Walk [lo, hi] (inclusive) of the tree under @pgd, calling w->fn in address
 * order. With w->memo (ptshare_memo_init(), kept across the walks of one
 * read), each table is walked once: an entry pointing to a table walked
 * before is reported with ->repeat set, and with ->uniform when that table
 * maps a single frame throughout (KASAN's early shadow), and not descended.
 */
int ptshare_walk(struct ptshare_walker *w, pgd_t *pgd, unsigned long lo, unsigned long hi)
{
	unsigned int slot = ptshare_slot_index(lo), last = ptshare_slot_index(hi);
	struct ptshare_uniform sum;
	struct ptshare_entry e;

	w->error = 0;
	for (; slot <= last; slot++) {
		if (ptshare_read_slot(pgd, slot, &e)) {
			w->fault_va = ptshare_slot_va(slot);
			return -EFAULT;
		}
		if (e.present && ptshare_walk_entry(w, &e, lo, hi, &sum) == PTSHARE_WALK_STOP)
			break;
		cond_resched();
	}
	return w->error;
}

/* Count @e's table in w->tables unless the memo has it; note it there. */
void ptshare_count_table(struct ptshare_walker *w, const struct ptshare_entry *e)
{
	if (!e->next || xa_load(&w->memo->seen, PHYS_PFN(e->pa)))
		return;
	if (ptshare_walk_note(w, e, false, 0, NULL))
		w->error = -ENOMEM;
	else
		w->tables++;
}

void ptshare_memo_init(struct ptshare_walk_memo *memo)
{
	memset(memo, 0, sizeof(*memo));
	xa_init(&memo->seen);
	xa_init(&memo->earlier);
}

/* Most summary rows walk nothing: xa_destroy() would lock and unlock each. */
void ptshare_memo_destroy(struct ptshare_walk_memo *memo)
{
	if (!xa_empty(&memo->seen))
		xa_destroy(&memo->seen);
	if (!xa_empty(&memo->earlier))
		xa_destroy(&memo->earlier);
}

/* A record's walk begins (again: seq_file may show a record twice). */
void ptshare_memo_begin(struct ptshare_walk_memo *memo)
{
	xa_destroy(&memo->seen);
	xa_init(&memo->seen);
	memo->nr_uniform = memo->nr_earlier_uniform;
}

/* The record was shown: what its walk noted is of an earlier record now. */
void ptshare_memo_commit(struct ptshare_walk_memo *memo)
{
	unsigned long index;
	void *entry;

	xa_for_each(&memo->seen, index, entry)
		xa_store(&memo->earlier, index, entry, GFP_KERNEL);	/* or walked again */
	xa_destroy(&memo->seen);
	xa_init(&memo->seen);
	memo->nr_earlier_uniform = memo->nr_uniform;
}

static enum ptshare_walk_action ptshare_count_fn(struct ptshare_walker *w,
						 const struct ptshare_entry *e)
{
	if (e->next && !e->repeat)
		w->tables++;	/* ptshare_walk_entry() notes it as seen */
	return PTSHARE_WALK_DESCEND;
}

/*
 * Add to w->tables the table pages in the tree below @e (its own next table
 * included) that are not in the memo yet, kernel-half part only: each
 * distinct page once, however many entries point to it.
 */
int ptshare_count_tables(struct ptshare_walker *w, const struct ptshare_entry *e)
{
	struct ptshare_uniform sum;

	w->fn = ptshare_count_fn;
	w->count_only = true;
	if (!e->present || !e->next)
		return w->error;
	ptshare_walk_entry(w, e, max(e->start, ptshare_kernel_lo), e->last, &sum);
	return w->error;
}

static bool ptshare_equal(const struct ptshare_entry *a, const struct ptshare_entry *b)
{
	return !((a->raw ^ b->raw) & ptshare_arch_compare_mask(a->level));
}

/*
 * Class of a process entry @proc against the master's @master for the same
 * addresses. Descends only where the two do not share a table. With @cost,
 * counts the process's own table pages met on the way. May sleep
 * (cond_resched() per table): callers hold only sleeping locks.
 */
enum ptshare_class ptshare_classify(const struct ptshare_entry *proc,
				    const struct ptshare_entry *master,
				    struct ptshare_cost *cost)
{
	struct ptshare_entry pc, mc;
	enum ptshare_class cls, sub;
	unsigned int i;

	if (!proc->present && !master->present)
		return PTSHARE_NONE;
	if (!proc->present)
		return PTSHARE_MISSING;
	if (!master->present) {
		if (cost)
			ptshare_count_tables(&cost->w, proc);
		return PTSHARE_EXTRA;
	}
	if (!proc->next || !master->next)
		return proc->leaf == master->leaf && ptshare_equal(proc, master) ?
			PTSHARE_SAME : PTSHARE_DIFF;
	if (proc->pa == master->pa)
		return ptshare_equal(proc, master) ? PTSHARE_SHARED : PTSHARE_DIFF;

	if (cost)
		ptshare_count_table(&cost->w, proc);
	cond_resched();
	cls = ptshare_arch_flags(proc->level, proc->raw) ==
	      ptshare_arch_flags(master->level, master->raw) ? PTSHARE_COPY : PTSHARE_DIFF;
	for (i = ptshare_first_kernel_child(proc); i < ptshare_child_count(proc); i++) {
		if (cls == PTSHARE_DIFF && !cost)
			break;
		if (ptshare_read_child(proc, i, &pc) || ptshare_read_child(master, i, &mc)) {
			cls = PTSHARE_DIFF;
			continue;
		}
		sub = ptshare_classify(&pc, &mc, cost);
		if (sub != PTSHARE_NONE && sub != PTSHARE_SHARED && sub != PTSHARE_SAME &&
		    sub != PTSHARE_COPY)
			cls = PTSHARE_DIFF;
	}
	return cls;
}

/* Translate @va through the tree under @pgd; false if it is not mapped. */
bool ptshare_translate(pgd_t *pgd, unsigned long va, phys_addr_t *pa)
{
	struct ptshare_entry e, c;

	if (ptshare_read_slot(pgd, ptshare_slot_index(va), &e))
		return false;
	while (e.present && e.next) {
		unsigned int i = (va - e.start) >> ptshare_levels[e.next_level].shift;

		if (ptshare_read_child(&e, i, &c))
			return false;
		e = c;
	}
	if (!e.present || !e.leaf || !ptshare_arch_leaf_mapped(e.level, e.raw))
		return false;
	*pa = e.pa + (va - e.start);
	return true;
}

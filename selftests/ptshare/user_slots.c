// SPDX-License-Identifier: GPL-2.0
/*
 * The user half of a process pgd, as summary (user_slots) and dump (uslot
 * lines) show it, on every architecture: mapping a page in a top-level slot
 * the process has not used makes that slot appear, with its address range,
 * in that process's dump and adds one to its summary count; another process
 * is unaffected. The process observed is a quiet child that maps and unmaps
 * on request: this test's own reads allocate memory, which can take a new
 * top-level slot (2 MiB ones on 32-bit ARM) between two reads.
 */
#include "ptshare_test.h"

#include <sys/mman.h>

/* Child: on each address received, map (or, the second time, unmap) a page there. */
static void mapper(int cmd, int reply)
{
	unsigned long addr;
	void *p = NULL;
	char ok;

	while (read(cmd, &addr, sizeof(addr)) == sizeof(addr)) {
		if (!p) {
			p = mmap((void *)addr, 4096, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			ok = p == (void *)addr;
			if (ok)
				*(volatile char *)p = 1;
			else
				p = NULL;
		} else {
			ok = !munmap(p, 4096);
		}
		if (write(reply, &ok, 1) != 1)
			break;
	}
	_exit(0);
}

/* Ask the mapper to map or unmap at @addr; its answer. */
static int ask(int cmd, int reply, unsigned long addr)
{
	char ok = 0;

	if (write(cmd, &addr, sizeof(addr)) != sizeof(addr) || read(reply, &ok, 1) != 1)
		return 0;
	return ok;
}

#define MAX_USLOTS	4096

struct uslots {
	int n;
	unsigned int index[MAX_USLOTS];
	unsigned long long start[MAX_USLOTS], last[MAX_USLOTS];
};

static void read_uslots(int pid, struct uslots *u)
{
	char *text = pt_dump_of(pid), *line;
	size_t pos = 0;
	unsigned int idx;
	unsigned long long start, last;

	u->n = 0;
	while ((line = pt_next_line(text, &pos)))
		if (sscanf(line, "uslot %u %llx %llx", &idx, &start, &last) == 3 &&
		    u->n < MAX_USLOTS) {
			u->index[u->n] = idx;
			u->start[u->n] = start;
			u->last[u->n] = last;
			u->n++;
		}
	free(text);
}

static long user_slots_of(int pid)
{
	struct pt_row *rows, *r;
	char *text = pt_read(pt_path("summary"));
	long v;
	int n;

	if (!text)
		ksft_bail("read summary: %s", strerror(errno));
	n = pt_summary_rows(text, &rows);
	if (n < 0)
		ksft_bail("summary rows do not parse");
	r = pt_find_row(rows, n, pid);
	v = r ? r->v[PT_USER_SLOTS] : -2;
	free(rows);
	free(text);
	return v;
}

static int has_index(const struct uslots *u, unsigned int idx)
{
	int i;

	for (i = 0; i < u->n; i++)
		if (u->index[i] == idx)
			return i;
	return -1;
}

int main(void)
{
	static struct uslots before, after, other_before, other_after;
	unsigned long long span, kernel_lo, top;
	unsigned int shift, ptrs, nuser, idx;
	char *text, name[8], state[8];
	const char *v;
	long count_before, count_after;
	size_t pos = 0;
	char *line;
	unsigned long want;
	int p2c[2], c2p[2], i, k, same, ttbr1, levels;
	pid_t other, child;

	/*
	 * i386 with PAE: the CPU loads all four top-level entries with CR3, and
	 * pgd_alloc() gives each of the three user slots its pmd table at once
	 * (PREALLOCATED_PMDS): no process has an unused user slot.
	 */
	if (!strcmp(pt_fact_arch(), "x86-pae"))
		ksft_skip("PAE: every user slot has its pmd table from pgd_alloc() on: none to fill");
	text = pt_read(pt_path("summary"));
	if (!text)
		ksft_bail("read summary: %s", strerror(errno));
	/* Which slots are user slots follows from the architecture (uname). */
	ttbr1 = !strcmp(pt_fact_arch(), "arm64");
	v = pt_header(text, "kernel_table");
	pt_agree(v && !strncmp(v, ttbr1 ? "ttbr1 " : "pgd -", ttbr1 ? 6 : 5),
		 "module kernel_table '%s' agrees with uname (%s)", v ? v : "(none)", pt_fact_arch());
	v = pt_header(text, "kernel_half");
	if (!v || sscanf(v, "%llx", &kernel_lo) != 1)
		ksft_bail("no kernel_half line");
	shift = ptrs = 0;
	while ((line = pt_next_line(text, &pos)))
		if (sscanf(line, "level %7s %u %u %7s", name, &shift, &ptrs, state) == 4 &&
		    !strcmp(name, "pgd"))
			break;
	if (!ptrs)
		ksft_bail("no pgd level line");
	if (!strcmp(pt_fact_arch(), "x86_64")) {
		levels = pt_fact_x86_levels();
		pt_agree(shift == (levels == 5 ? 48u : 39u),
			 "module pgd shift %u agrees with cpuinfo/cmdline (%d levels)", shift,
			 levels);
	}
	free(text);
	span = 1ULL << shift;

	if (pipe(p2c) || pipe(c2p))
		ksft_bail("pipe: %s", strerror(errno));
	child = fork();
	if (child < 0)
		ksft_bail("fork: %s", strerror(errno));
	if (!child)
		mapper(p2c[0], c2p[1]);
	other = pt_spawn_sleeper();
	if (pt_wait_asleep(other, 120) || pt_wait_asleep(child, 120))
		ksft_bail("a child never slept");

	read_uslots(child, &before);
	count_before = user_slots_of(child);

	/*
	 * A user slot the child does not use, halfway up the user half: every
	 * slot of the pgd where the kernel has a table of its own (arm64), else
	 * those up to the one holding the last address below the kernel half.
	 */
	nuser = ttbr1 ? ptrs : (unsigned int)(((kernel_lo - 1) >> shift) & (ptrs - 1)) + 1;
	idx = nuser;
	for (i = nuser / 2; i > 0; i--)
		if (has_index(&before, i) < 0) {
			idx = i;
			break;
		}
	/* Half the user slots are never all in use: not a reason to skip. */
	if (idx == nuser)
		ksft_bail("no free user slot below slot %u of %u", nuser / 2, nuser);
	want = (unsigned long)((unsigned long long)idx * span + span / 2);
	ksft_plan(6);

	/* Every uslot is a whole slot below the kernel half, in index order. */
	k = before.n > 0;
	for (i = 0; i < before.n; i++) {
		top = before.start[i] + span - 1;
		k &= before.start[i] == (unsigned long long)before.index[i] * span &&
		     before.last[i] == top && before.start[i] < kernel_lo &&
		     (!i || before.index[i] > before.index[i - 1]);
	}
	ksft_result(k, "%d uslot lines: whole %llu-byte slots below the kernel half, in order",
		    before.n, span);
	ksft_result(count_before == before.n,
		    "summary user_slots equals the dump's uslot lines (%ld, %d)", count_before,
		    before.n);

	read_uslots(other, &other_before);
	if (!ask(p2c[1], c2p[0], want))
		ksft_bail("the child could not map a page at %#lx", want);
	read_uslots(child, &after);
	read_uslots(other, &other_after);
	count_after = user_slots_of(child);

	i = has_index(&after, idx);
	ksft_result(i >= 0 && after.start[i] <= want && after.last[i] >= want,
		    "a page mapped at %#lx brings uslot %u [%#llx, %#llx]", want, idx,
		    i >= 0 ? after.start[i] : 0, i >= 0 ? after.last[i] : 0);
	ksft_result(after.n == before.n + 1 && count_after == count_before + 1,
		    "one more user slot in dump and summary (%d -> %d, %ld -> %ld)", before.n,
		    after.n, count_before, count_after);
	same = other_after.n == other_before.n;
	for (i = 0; same && i < other_after.n; i++)
		same = other_after.index[i] == other_before.index[i];
	ksft_result(same && has_index(&other_after, idx) < 0,
		    "another process's user slots are unchanged (%d)", other_after.n);
	/* The pgd entry outlives the mapping or not: reported, not judged. */
	if (!ask(p2c[1], c2p[0], want))
		ksft_bail("the child could not unmap its page");
	read_uslots(child, &after);
	ksft_info("after munmap uslot %u is %s", idx, has_index(&after, idx) >= 0 ?
		  "still there (its lower tables are kept)" : "gone (its tables were freed)");
	ksft_result(after.n == before.n + (has_index(&after, idx) >= 0),
		    "after munmap nothing else changed (%d uslots)", after.n);
	close(p2c[1]);
	pt_reap(child);
	pt_reap(other);
	pt_select("all");
	ksft_finish();
}

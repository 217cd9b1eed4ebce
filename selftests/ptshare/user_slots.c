// SPDX-License-Identifier: GPL-2.0
/*
 * The user half of a process pgd, as summary (user_slots) and dump (uslot
 * lines) show it, on every architecture: mapping a page in a top-level slot
 * the process has not used makes that slot appear, with its address range,
 * in this process's dump and adds one to its summary count; another process
 * is unaffected.
 */
#include "ptshare_test.h"

#include <sys/mman.h>

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
	char *text = pt_read(PT_DIR "/summary");
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
	void *want, *got;
	pid_t other;
	int i, k, same;

	text = pt_read(PT_DIR "/summary");
	if (!text)
		ksft_bail("read summary: %s", strerror(errno));
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
	free(text);
	span = 1ULL << shift;

	read_uslots(getpid(), &before);
	count_before = user_slots_of(getpid());

	/* A user slot this process does not use, halfway up the user half. */
	nuser = 0;
	while (nuser < ptrs && ((unsigned long long)nuser + 1) * span - 1 < kernel_lo)
		nuser++;
	idx = nuser;
	for (i = nuser / 2; i > 0; i--)
		if (has_index(&before, i) < 0) {
			idx = i;
			break;
		}
	if (idx == nuser)
		ksft_skip("no free user slot to map into");
	want = (void *)(unsigned long)((unsigned long long)idx * span + span / 2);
	got = mmap(want, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (got != want) {
		ksft_info("mmap at %p: %s", want, got == MAP_FAILED ? strerror(errno) : "elsewhere");
		ksft_skip("cannot map a page in a free user slot");
	}
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

	other = pt_spawn_sleeper();
	read_uslots(other, &other_before);
	*(volatile char *)got = 1;
	read_uslots(getpid(), &after);
	read_uslots(other, &other_after);
	count_after = user_slots_of(getpid());

	i = has_index(&after, idx);
	ksft_result(i >= 0 && after.start[i] <= (unsigned long)got && after.last[i] >= (unsigned long)got,
		    "a page mapped at %p brings uslot %u [%#llx, %#llx]", got, idx,
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
	munmap(got, 4096);
	read_uslots(getpid(), &after);
	ksft_info("after munmap uslot %u is %s", idx, has_index(&after, idx) >= 0 ?
		  "still there (its lower tables are kept)" : "gone (its tables were freed)");
	ksft_result(has_index(&after, idx) < 0 || after.n == before.n + 1,
		    "after munmap nothing else changed (%d uslots)", after.n);
	pt_reap(other);
	pt_select("all");
	ksft_finish();
}

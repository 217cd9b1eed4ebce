// SPDX-License-Identifier: GPL-2.0
/*
 * Every tools/ptshare command, live in the guest: snapshot (which restores
 * the selection), summary, show, diff of two snapshots and of two tasks and
 * of a task with the master, cost, html, --json and --help, each with a
 * concrete outcome checked.
 */
#include "ptshare_test.h"

static char out[4 << 20];

/* LPAE's top-level entry of the GiB with the modules area: a pmd table per process. */
#define LPAE_MODULES_GIB	"kernel pgd 0x0000000080000000-0x00000000bfffffff "

/* Run @cmd through sh; its stdout+stderr in out; the exit status or -1. */
static int __attribute__((format(printf, 1, 2))) sh(const char *fmt, ...)
{
	static char drain[65536];
	char cmd[1024];
	va_list ap;
	size_t n;
	FILE *p;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	/*
	 * Read what does not fit to its end: closing the pipe early kills the
	 * command with SIGPIPE (show --json of a KASAN kernel's 2.7 MB master).
	 */
	while (fread(drain, 1, sizeof(drain), p) > 0)
		;
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A result; when it fails, the last command's output (up to 40 lines) follows. */
#define check(ok, ...) do {						\
	if (!ksft_result(ok, __VA_ARGS__))				\
		dump_out();						\
} while (0)

static void dump_out(void)
{
	const char *p = out, *nl;
	int lines = 0;

	while (*p && lines++ < 40) {
		nl = strchrnul(p, '\n');
		ksft_info("| %.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

/*
 * In the output of "diff --task self --task CHILD": the number of difference
 * lines other than the one starting with @skip (NULL: none), or -1 when one
 * of them is not an entry of @region ("modules") that CHILD lacks
 * (MISSING on its side).
 */
/* Does the line [@p, @p + @n) name @region in its region list ("... efi,modules: ")? */
static int names_region(const char *p, size_t n, const char *region)
{
	static const char *const fmt[] = { " %s: ", ",%s: ", " %s,", ",%s," };
	char pat[48];
	size_t i;

	for (i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		snprintf(pat, sizeof(pat), fmt[i], region);
		if (memmem(p, n, pat, strlen(pat)))
			return 1;
	}
	return 0;
}

static int child_lacks(int child, const char *region, const char *skip)
{
	char side[64];
	const char *p = out, *nl;
	int n = 0;

	snprintf(side, sizeof(side), "MISSING process none  [task %d ", child);
	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		if (strncmp(p, "~ ", 2) && strncmp(p, "+ ", 2) && strncmp(p, "- ", 2))
			continue;
		if (skip && !strncmp(p + 2, skip, strlen(skip)))
			continue;
		if (!names_region(p, nl - p, region))
			return -1;
		if (p[0] == '~' && !memmem(p, nl - p, "-> MISSING process none", 23))
			return -1;
		if (p[0] == '+' && !memmem(p, nl - p, side, strlen(side)))
			return -1;
		if (p[0] == '-')
			return -1;
		n++;
	}
	return n;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* First and last address of region @name in snapshot @path (its first region line). */
static int region_of(const char *path, const char *name, unsigned long long *lo,
		     unsigned long long *hi)
{
	char *text = pt_read(path), *line, n[32];
	size_t pos = 0;
	int found = 0;

	while (text && !found && (line = pt_next_line(text, &pos)))
		found = sscanf(line, "region %llx %llx %31s", lo, hi, n) == 3 && !strcmp(n, name);
	free(text);
	return found;
}

/*
 * Check a "ptshare show" of the master (in out) positively: every merged
 * range row and every leaf of the tree is at @level (NULL: any) and, when
 * @lo <= @hi, inside [@lo, @hi] and in @region. Counts the leaves in *leaves.
 */
static int show_only(const char *region, unsigned long long lo, unsigned long long hi,
		     const char *level, int *leaves)
{
	char *text = strdup(out), *line, which[8], lv[16], reg[32];
	unsigned long long start, last, pa;
	int rows = 0, bad = 0, lines;
	size_t pos = 0;

	*leaves = 0;
	while (text && (line = pt_next_line(text, &pos))) {
		if (sscanf(line, "  %7s 0x%llx 0x%llx %*s %*s %15s %*s %d %31s", which, &start,
			   &last, lv, &lines, reg) == 6 &&
		    (!strcmp(which, "kernel") || !strcmp(which, "user"))) {
			rows++;
		} else if (sscanf(line, "      0x%llx-0x%llx %*s %*s %15s %*s pa 0x%llx", &start,
				  &last, lv, &pa) == 4) {
			(*leaves)++;
			snprintf(reg, sizeof(reg), "%s", region ? region : "");
		} else if (sscanf(line, "    region %31s", reg) == 1) {
			if (region && strcmp(reg, region)) {
				ksft_info("tree: %s", line);
				bad++;
			}
			continue;
		} else {
			continue;
		}
		if ((level && strcmp(lv, level)) || (region && strcmp(reg, region)) ||
		    (lo <= hi && (start < lo || last > hi))) {
			ksft_info("not %s%s%s: %s", region ?: "", region && level ? " " : "",
				  level ?: "", line);
			bad++;
		}
	}
	free(text);
	return rows > 0 && *leaves > 0 && !bad;
}

static int select_is(const char *want)
{
	char buf[256];
	size_t n;

	if (pt_read_into(pt_select_path(), 64, buf, sizeof(buf)) < 0)
		return 0;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (strcmp(buf, want))
		ksft_info("select is '%s', expected '%s'", buf, want);
	return !strcmp(buf, want);
}

/*
 * i386 with PAE and PTI: the difference lines of the last output, which
 * must all be the kernel GiB's top-level entry of the pgd and of its user
 * copy, each a table of the process's own with the master's entries
 * (COPY); -1 if another line differs.
 */
#define PAE_KERNEL_GIB	"pgd 0x00000000c0000000-0x00000000ffffffff "
static int pae_copies(void)
{
	char *p = out, *nl;
	int n = 0;

	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		if (strncmp(p, "~ ", 2) && strncmp(p, "! ", 2) && strncmp(p, "+ ", 2) &&
		    strncmp(p, "- ", 2))
			continue;
		if ((!memmem(p, nl - p, "kernel " PAE_KERNEL_GIB, strlen("kernel " PAE_KERNEL_GIB)) &&
		     !memmem(p, nl - p, "user " PAE_KERNEL_GIB, strlen("user " PAE_KERNEL_GIB))) ||
		    !memmem(p, nl - p, ": COPY process table", 20))
			return -1;
		n++;
	}
	return n;
}

int main(void)
{
	static const char *const cmds[] = { "snapshot", "summary", "show", "diff", "cost", "html" };
	int me = getpid(), rc, child, bad, i, arm64, lpae, pae_pti, leaves = 0, ok, lacks;
	unsigned long long vlo = 1, vhi = 0;
	char needle[64], sel[32], meltdown[128];
	const char *arch = pt_fact_arch();

	if (access(pt_path("summary"), R_OK))
		ksft_skip("no module files (summary not readable)");
	if (system("command -v ptshare >/dev/null 2>&1"))
		ksft_skip("no ptshare in PATH");
	arm64 = !strcmp(arch, "arm64");
	lpae = !strcmp(arch, "arm-lpae");
	pae_pti = !strcmp(arch, "x86-pae") && pt_fact_x86_pti(meltdown, sizeof(meltdown)) == 1;

	ksft_plan(17);

	snprintf(sel, sizeof(sel), "pid %d", me);
	pt_select(sel);
	rc = sh("ptshare snapshot --all -o /tmp/tc-a.snap 2>&1");
	check(rc == 0 && select_is(sel) &&
		    !sh("head -n 1 /tmp/tc-a.snap | grep -qx 'ptshare-snapshot 1.0'") &&
		    !sh("grep -q '^selection all$' /tmp/tc-a.snap"),
		    "snapshot --all: exit %d, a snapshot file, select '%s' restored", rc, sel);

	rc = sh("ptshare summary /tmp/tc-a.snap 2>&1");
	check(rc == 0 && strstr(out, "kind ") && strstr(out, " processes\n") &&
		    count(out, "\nmm ") > 2,
		    "summary SNAPSHOT: exit %d, %d process rows", rc, count(out, "\nmm "));

	snprintf(needle, sizeof(needle), "task %d ", me);
	rc = sh("ptshare show --task %d 2>&1", me);
	if (arm64)
		check(rc == 0 && strstr(out, needle) && strstr(out, "user half: ") &&
			    strstr(out, "kernel half: no entries") && !strstr(out, " SHARED ") &&
			    select_is(sel),
			    "show --task self live (arm64): exit %d, user-half slots, no kernel-half "
			    "entries, select kept", rc);
	else
		check(rc == 0 && strstr(out, needle) && strstr(out, "user half: ") &&
			    strstr(out, "merged ranges") && strstr(out, "\ntree") &&
			    strstr(out, " SHARED ") && select_is(sel),
			    "show --task self live: exit %d, user-half slots, ranges and tree with "
			    "SHARED, select kept", rc);

	/* (Each verdict is computed before the result line that prints its figures.) */
	rc = sh("ptshare show /tmp/tc-a.snap --master --region vmalloc 2>&1");
	ok = rc == 0 && region_of("/tmp/tc-a.snap", "vmalloc", &vlo, &vhi) &&
	     show_only("vmalloc", vlo, vhi, NULL, &leaves);
	check(ok, "show --master --region vmalloc: exit %d, every merged row and all %d leaves "
	      "in vmalloc [%#llx, %#llx]", rc, leaves, vlo, vhi);

	rc = sh("ptshare show /tmp/tc-a.snap --level pte 2>&1");
	ok = rc == 0 && show_only(NULL, 1, 0, "pte", &leaves);
	check(ok, "show --level pte: exit %d, every merged row and all %d leaves at pte level",
	      rc, leaves);

	child = pt_spawn_sleeper();
	rc = sh("ptshare snapshot -o /tmp/tc-b.snap --all 2>&1");
	rc = rc ? rc : sh("ptshare diff /tmp/tc-a.snap /tmp/tc-b.snap 2>&1");
	snprintf(needle, sizeof(needle), "+ task %d ", child);
	check(rc == 1 && strstr(out, needle) && strstr(out, " differences\n"),
		    "diff A B: exit %d, the new child %d appeared", rc, child);

	rc = sh("ptshare diff /tmp/tc-a.snap /tmp/tc-a.snap 2>&1");
	check(rc == 0 && strstr(out, "\n0 differences\n"), "diff A A: exit %d, 0 differences",
		    rc);

	/*
	 * What a fork shares, per architecture. x86-64: the kernel-half
	 * entries are copied from the master, so two processes forked since
	 * the last module load have equal ones (0 differences); classic ARM
	 * too, but for vmalloc pairs that reach the child lazily (below).
	 * arm64: nothing per process to compare. LPAE: each process has its own
	 * pmd table for the modules GiB (it also maps user space), so the
	 * top-level entry of that GiB always differs (its table address); its
	 * modules pmd entries are filled in lazily, by a translation fault when
	 * the process runs module code: this process has read ptshare's files,
	 * the quiet child has not, so the child may lack modules entries (how
	 * many varies from run to run: 0 and 13 seen on 6.1 and on 6.12) and
	 * has nothing this process lacks.
	 */
	rc = sh("ptshare diff --task %d --task %d 2>&1", me, child);
	if (pae_pti) {
		/* Each process's kernel pmd (and its user copy's) is its own copy. */
		lacks = pae_copies();
		check(rc == 1 && lacks == 2 && strstr(out, "\n2 differences\n"),
		      "PAE with PTI: diff --task self --task child live: exit %d, %d differences: "
		      "the kernel GiB's pmd table of each pgd and of its user copy, both COPY",
		      rc, lacks);
	} else if (lpae) {
		lacks = child_lacks(child, "modules", LPAE_MODULES_GIB);
		check(rc == 1 && strstr(out, "\n~ " LPAE_MODULES_GIB) && lacks >= 0,
		      "LPAE: diff --task self --task child live: exit %d, the modules GiB's "
		      "table differs, the child lacks %d modules entries and nothing else", rc,
		      lacks);
	} else if (!arm64 && strcmp(arch, "x86_64")) {
		/*
		 * Classic ARM: the quiet child gets vmalloc pairs made after its
		 * fork only when it is next switched to; this process, which
		 * runs, has them. So 0 differences, or only vmalloc entries the
		 * child lacks (seen once: a pair at 0xf1e00000).
		 */
		lacks = child_lacks(child, "vmalloc", NULL);
		check(lacks >= 0 && rc == (lacks > 0) &&
		      (lacks || strstr(out, "\n0 differences\n")),
		      "classic: diff --task self --task child live: exit %d, %d differences, all "
		      "vmalloc entries the child lacks", rc, lacks);
	} else
		check(rc == 0 && strstr(out, "\n0 differences\n") &&
			    (!arm64 || strstr(out, "nothing per process to compare")),
			    "%s: diff --task self --task child live: exit %d, 0 differences (%s)",
			    arch, rc, arm64 ? "no kernel half per process" :
			    "a fork shares the kernel half");

	/*
	 * This process against the master: the same on x86-64, classic ARM
	 * (forked after the last module load; vmalloc pairs synced at each
	 * switch_mm) and arm64 (nothing to compare). LPAE: its own modules pmd.
	 */
	rc = sh("ptshare diff --task %d --master /tmp/tc-b.snap 2>&1", me);
	if (pae_pti)
		check(rc == 1 && strstr(out, "--- master") && pae_copies() == 2,
		      "PAE with PTI: diff --task self --master: exit %d, the kernel GiB COPY in "
		      "the pgd and in its user copy", rc);
	else if (lpae)
		check(rc == 1 && strstr(out, "--- master") &&
			    strstr(out, "\n! " LPAE_MODULES_GIB),
			    "LPAE: diff --task self --master: exit %d, its own modules pmd table",
			    rc);
	else
		check(rc == 0 && strstr(out, "--- master") &&
			    strstr(out, "\n0 differences\n") &&
			    (!arm64 || strstr(out, "nothing per process to compare")),
			    "%s: diff --task self --master: exit %d, 0 differences", arch, rc);

	rc = sh("ptshare diff --task 1 --task 999999 /tmp/tc-b.snap 2>&1");
	check(rc == 2 && strstr(out, "999999"),
		    "diff with an unknown task: exit %d (trouble)", rc);
	pt_reap(child);

	rc = sh("ptshare cost 2>&1");
	snprintf(needle, sizeof(needle), "\n%7d ", me);
	check(rc == 0 && strstr(out, "answer: per process, ") &&
		    strstr(out, needle) && strstr(out, "pt_bytes"),
		    "cost live: exit %d, a row for this process and the answer", rc);

	rc = sh("ptshare html > /tmp/tc-map.html 2>/tmp/tc-html.err; echo $?; "
		"grep -c 'class=\"c k1\"' /tmp/tc-map.html; grep -c '<script' /tmp/tc-map.html");
	snprintf(needle, sizeof(needle), ">%d ", me);
	{
		int hrc = -1, shared = 0, scripts = -1;
		char *page;

		sscanf(out, "%d %d %d", &hrc, &shared, &scripts);
		page = pt_read("/tmp/tc-map.html");
		check(
			hrc == 0 && page && strstr(page, "<div class=\"grid\"") &&
				strstr(page, needle) && scripts == 0 &&
				strstr(page, "Page-table memory") && select_is(sel),
			"html live: exit %d, a grid with this process's row, no script, cost table",
			hrc);
		free(page);
	}

	snprintf(needle, sizeof(needle), "\"tgid\": %d,", me);
	rc = sh("ptshare --json summary 2>&1");
	check(rc == 0 && out[0] == '{' && strstr(out, "\"ok\": true") && strstr(out, needle),
		    "--json summary: exit %d, a JSON document with this process", rc);

	bad = 0;
	for (i = 0; i < 5; i++) {
		static const char *const v[] = { "summary /tmp/tc-a.snap", "show /tmp/tc-a.snap",
						 "cost /tmp/tc-a.snap", "html /tmp/tc-a.snap",
						 "diff /tmp/tc-a.snap /tmp/tc-b.snap" };

		rc = sh("ptshare --json %s 2>/dev/null", v[i]);
		if ((rc != 0 && !(i == 4 && rc == 1)) || out[0] != '{' ||
		    !strstr(out, "\"ok\": true")) {
			ksft_info("--json %s: exit %d", v[i], rc);
			bad++;
		}
	}
	check(!bad, "--json on summary, show, cost, html and diff");

	rc = sh("ptshare --json summary /nonexistent.snap 2>/dev/null");
	check(rc == 1 && strstr(out, "\"ok\": false") && strstr(out, "/nonexistent.snap"),
		    "--json error: exit %d, a JSON error naming the file", rc);

	bad = 0;
	for (i = 0; i < 6; i++) {
		char want[64];

		rc = sh("ptshare %s --help", cmds[i]);
		snprintf(want, sizeof(want), "usage: ptshare %s", cmds[i]);
		if (rc || strncmp(out, want, strlen(want))) {
			ksft_info("%s --help: exit %d", cmds[i], rc);
			bad++;
		}
	}
	check(!bad, "--help for every command");

	pt_select("all");
	check(select_is("all"), "select is back to all");
	ksft_finish();
}

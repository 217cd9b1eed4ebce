// SPDX-License-Identifier: GPL-2.0
/*
 * How new kernel mappings reach processes, proved rather than assumed.
 *
 * A process blocks on a pipe (not scheduled). A helper module is loaded that
 * vmallocs 32 MiB and is itself large (new tables in the vmalloc and the
 * modules areas). Then:
 *
 *   32-bit ARM classic: pgd_alloc() copied the kernel's pairs once; new
 *   vmalloc pairs reach a process at its next switch_mm() (vmalloc_seq), so
 *   the sleeper is MISSING them, this test (which ran since) is not, and
 *   after the sleeper is woken it has them. New modules-area pairs are not
 *   covered by vmalloc_seq: they come only with a translation fault.
 *
 *   arm64: processes' tables hold no kernel half at all (TTBR1 serves every
 *   process the master itself): no entry to miss, asleep or not; the master
 *   maps the helper's 32 MiB, and the sleeper's table does not change.
 *
 *   x86-64 and ARM LPAE: the vmalloc area's upper tables are shared (x86
 *   preallocates them, LPAE shares the top GiB's pmd table), so nothing is
 *   missing there, asleep or not. So on riscv64 (pgtable_cache_init()
 *   preallocates the vmalloc and modules slots) and on i386 with PAE (the
 *   kernel's GiB is one pmd table, shared, or with PTI copied per process
 *   and kept in step eagerly through pgd_list).
 *
 *   i386 without PAE: the helper's mappings need new top-level entries,
 *   which the kernel writes into every pgd on pgd_list at once: the master
 *   has new ones, and the sleeper has them all, before it runs again. LPAE's modules area lives in a private
 *   pmd table per process, filled by translation faults.
 *
 * Unloading the helper frees the vmalloc area, but not the kernel page
 * tables that mapped it: on classic the new top-level pairs stay in the
 * master; everywhere the master's count of table pages (summary pt_pages),
 * which loading the helper raised, does not go down again.
 */
#include "ptshare_test.h"

#include <sched.h>
#include <sys/syscall.h>

#define MAX_ENTRIES	8192

struct entry_set {
	int n;
	struct {
		char key[48];		/* which level start */
		char cls[8];
		char region[32];
	} e[MAX_ENTRIES];
};

static struct entry_set s_before, s_after, s_woken, t_after, m_before, m_after, m_unloaded;

/* The uslot lines of @pid's dump, concatenated (its user-half top level). */
static char *uslot_lines(int pid)
{
	char *text = pt_dump_of(pid), *line, *out;
	size_t pos = 0, len = 0;

	out = calloc(1, strlen(text) + 1);
	if (!out)
		ksft_bail("out of memory");
	while ((line = pt_next_line(text, &pos)))
		if (!strncmp(line, "uslot ", 6))
			len += sprintf(out + len, "%s\n", line);
	free(text);
	return out;
}

/* Bytes the master maps in its vmalloc region (kernel section). */
static unsigned long long vmalloc_bytes(void)
{
	unsigned long long lo = 0, hi = 0, start, last, size, total = 0;
	char *text = pt_read(pt_path("master")), *line, name[32];
	size_t pos = 0;

	if (!text || !pt_complete(text))
		ksft_bail("read master: %s", text ? "truncated" : strerror(errno));
	while ((line = pt_next_line(text, &pos))) {
		if (!strncmp(line, "pgd user", 8))
			break;
		if (sscanf(line, "region %llx %llx %31s", &start, &last, name) == 3 &&
		    !strcmp(name, "vmalloc")) {
			lo = start;
			hi = last;
		}
		if ((sscanf(line, "range %llx %llx %llx", &start, &last, &size) == 3 ||
		     sscanf(line, "descend %llx %llx %llx", &start, &last, &size) == 3) &&
		    start >= lo && last <= hi)
			total += size;
	}
	free(text);
	return total;
}

/* The master's page-table pages (summary pt_pages of the master row). */
static long master_pt_pages(void)
{
	long v = pt_master_pt_pages();

	if (v < 0)
		ksft_bail("no master row with pt_pages in a complete summary");
	return v;
}

/* Entries of task @pid in a dump (or, with pid 0, the master's slot lines). */
static void collect(int pid, struct entry_set *set)
{
	char *text = pid ? pt_dump_of(pid) : pt_read(pt_path("master")), *line;
	size_t pos = 0;
	struct pt_entry e;
	int tgid = 0;

	set->n = 0;
	if (!text || !pt_complete(text))
		ksft_bail("read master: %s", text ? "truncated" : strerror(errno));
	while ((line = pt_next_line(text, &pos))) {
		if (set->n == MAX_ENTRIES)
			ksft_bail("more than %d entries", MAX_ENTRIES);
		unsigned long long start, last;
		int slot;

		if (!pid) {
			if (!strncmp(line, "pgd user", 8))
				break;
			if (sscanf(line, "slot %d %llx %llx", &slot, &start, &last) == 3) {
				snprintf(set->e[set->n].key, 48, "slot %llx", start);
				strcpy(set->e[set->n].cls, "-");
				set->e[set->n].region[0] = '\0';
				set->n++;
			}
			continue;
		}
		if (!strncmp(line, "task ", 5))
			tgid = atoi(line + 5);
		/* pte lines only repeat what their table line says */
		if (strncmp(line, "entry ", 6) || pt_parse_entry(line, tgid, &e) ||
		    strcmp(e.which, "kernel") || !strcmp(e.level, "pte"))
			continue;
		snprintf(set->e[set->n].key, 48, "%s %llx", e.level, e.start);
		snprintf(set->e[set->n].cls, 8, "%s", e.cls);
		snprintf(set->e[set->n].region, 32, "%s", e.region);
		set->n++;
	}
	free(text);
}

static const char *class_of(const struct entry_set *set, const char *key)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->e[i].key, key))
			return set->e[i].cls;
	return "absent";
}

static int has(const struct entry_set *set, const char *key)
{
	return strcmp(class_of(set, key), "absent") != 0;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * Keep the sleeper's mm from being anybody's lazy active_mm: a kernel thread
 * that borrows it and vmallocs brings it up to date (observed on classic).
 * Pin the sleeper to CPU 0, then run another process there that blocks in
 * turn, so CPU 0 lazily holds that one's mm; this test works on CPU 1.
 */
static pid_t displace_lazy_mm(void)
{
	pid_t pid = fork();
	volatile unsigned long spin;

	if (pid == 0) {
		pin(0);
		for (spin = 0; spin < 20000000UL; spin++)
			;
		for (;;)
			pause();
	}
	return pid;
}

static int load_helper(const char *ko)
{
	int fd = open(ko, O_RDONLY), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "vmalloc_mb=32", 0);
	close(fd);
	return ret ? -errno : 0;
}

int main(void)
{
	const char *ko = getenv("PTSHARE_VMTEST_KO");
	int p2c[2], c2p[2], i, err, newslots = 0, vm_missing = 0, any_missing = 0;
	int vm_self = 0, vm_woken = 0, mod_missing = 0, mod_self = 0, mod_woken = 0, stale = 0;
	int shadow_missing = 0, shadow_woken = 0;
	const char *top;
	char arch[256] = "", c = 'x', *summary, *us_before = NULL, *us_after = NULL;
	char *us_woken = NULL;
	unsigned long long vm_before = 0, vm_after = 0;
	long pt_before, pt_after, pt_unloaded;
	pid_t sleeper, displacer;

	if (!ko)
		ksft_skip("PTSHARE_VMTEST_KO is not set");
	summary = pt_read(pt_path("summary"));
	if (!summary)
		ksft_bail("read summary: %s", strerror(errno));
	/* The architecture's branch is chosen by uname; the report must agree. */
	snprintf(arch, sizeof(arch), "%s", pt_agree_arch(summary));
	ksft_plan(5);

	if (pipe(p2c) || pipe(c2p))
		ksft_bail("pipe: %s", strerror(errno));
	pin(1);
	sleeper = fork();
	if (sleeper == 0) {
		pin(0);
		for (;;) {	/* block; on each byte, answer and block again */
			if (read(p2c[0], &c, 1) != 1)
				_exit(0);
			if (write(c2p[1], &c, 1) != 1)
				_exit(1);
		}
	}
	usleep(300000);
	displacer = displace_lazy_mm();
	usleep(500000);

	pt_before = master_pt_pages();
	collect(0, &m_before);
	collect(sleeper, &s_before);
	if (!strcmp(arch, "arm64")) {
		us_before = uslot_lines(sleeper);
		vm_before = vmalloc_bytes();
	}
	err = load_helper(ko);
	if (err)
		ksft_bail("load %s: %s", ko, strerror(-err));
	collect(0, &m_after);
	pt_after = master_pt_pages();
	collect(getpid(), &t_after);
	collect(sleeper, &s_after);
	if (!strcmp(arch, "arm64")) {
		us_after = uslot_lines(sleeper);
		vm_after = vmalloc_bytes();
	}

	/*
	 * Entries the sleeper newly lacks, counted at the level where a copy
	 * happens: top-level pairs on classic, pmd entries of the private
	 * modules table on LPAE (lines below them only repeat the absence).
	 */
	top = !strcmp(arch, "arm-lpae") ? "pmd " : "pgd ";
	for (i = 0; i < s_after.n; i++) {
		const char *key = s_after.e[i].key, *region = s_after.e[i].region;

		if (strcmp(s_after.e[i].cls, "MISSING") ||
		    !strcmp(class_of(&s_before, key), "MISSING"))
			continue;
		any_missing++;
		if (strncmp(key, top, 4))
			continue;
		if (!strcmp(region, "vmalloc")) {
			vm_missing++;
			vm_self += strcmp(class_of(&t_after, key), "MISSING") != 0;
		} else if (!strcmp(region, "modules")) {
			mod_missing++;
			mod_self += strcmp(class_of(&t_after, key), "MISSING") != 0;
		} else if (!strcmp(region, "kasan-shadow")) {
			/* KASAN kernels: the shadow of the new module's memory */
			shadow_missing++;
		}
		ksft_info("newly MISSING in the sleeper: %s (%s); this test: %s", key, region,
			  class_of(&t_after, key));
	}
	for (i = 0; i < m_after.n; i++)
		if (!has(&m_before, m_after.e[i].key)) {
			newslots++;
			ksft_info("new master slot: %s", m_after.e[i].key);
		}

	/* Wake the sleeper once; it runs (switch_mm) and blocks again. */
	if (write(p2c[1], &c, 1) != 1 || read(c2p[0], &c, 1) != 1)
		ksft_bail("waking the sleeper failed");
	usleep(100000);
	collect(sleeper, &s_woken);
	if (!strcmp(arch, "arm64"))
		us_woken = uslot_lines(sleeper);
	for (i = 0; i < s_after.n; i++) {
		const char *key = s_after.e[i].key;

		if (strncmp(key, top, 4) || strcmp(s_after.e[i].cls, "MISSING") ||
		    !strcmp(class_of(&s_before, key), "MISSING"))
			continue;
		if (!strcmp(s_after.e[i].region, "vmalloc"))
			vm_woken += strcmp(class_of(&s_woken, key), "MISSING") != 0;
		else if (!strcmp(s_after.e[i].region, "modules"))
			mod_woken += strcmp(class_of(&s_woken, key), "MISSING") != 0;
		else if (!strcmp(s_after.e[i].region, "kasan-shadow"))
			shadow_woken += strcmp(class_of(&s_woken, key), "MISSING") != 0;
	}
	if (shadow_missing)
		ksft_info("%s: %d new kasan-shadow entries missing in the sleeper; %d after one "
			  "wake-up", arch, shadow_missing, shadow_woken);
	ksft_info("%s: %d new master top-level slots; the sleeper newly lacks %d vmalloc and %d "
		  "modules entries (%s), of which this test has %d and %d; one wake-up fills in %d "
		  "and %d", arch, newslots, vm_missing, mod_missing, top, vm_self, mod_self,
		  vm_woken, mod_woken);

	if (!strcmp(arch, "arm")) {
		ksft_result(newslots > 0 && newslots == vm_missing + mod_missing + shadow_missing,
			    "classic: %d new top-level pairs in the master, all missing in the "
			    "sleeper (%d vmalloc + %d modules + %d kasan-shadow)", newslots,
			    vm_missing, mod_missing, shadow_missing);
		ksft_result(vm_missing > 0 && vm_self == vm_missing,
			    "classic: this test, which ran since, has the %d vmalloc pairs (%d)",
			    vm_missing, vm_self);
		ksft_result(vm_woken == vm_missing,
			    "classic: one wake-up (switch_mm, vmalloc_seq) gives the sleeper all %d "
			    "(%d)", vm_missing, vm_woken);
		ksft_result(mod_missing > 0 && mod_woken == 0 && mod_self == mod_missing,
			    "classic: the %d modules pairs stay missing after the wake-up; this "
			    "test got them by faulting while loading (%d)", mod_missing, mod_self);
	} else if (!strcmp(arch, "arm-lpae")) {
		ksft_result(newslots == 0 && vm_missing == 0,
			    "LPAE: no new top-level entry, nothing missing in vmalloc: the top "
			    "GiB's pmd table is shared (%d, %d)", newslots, vm_missing);
		/*
		 * Whether loading the module faulted its pmd entries into this
		 * test's table varies: 6.1 did, 6.12 did not. Not asserted.
		 */
		ksft_result(mod_missing > 0,
			    "LPAE: %d new modules pmd entries missing in the sleeper's private pmd "
			    "table (this test, which loaded the module, has %d)", mod_missing,
			    mod_self);
		ksft_result(mod_woken == 0, "LPAE: a wake-up does not copy them (%d)", mod_woken);
		ksft_result(any_missing == mod_missing + shadow_missing,
			    "LPAE: nothing else is missing in the sleeper (%d lines, %d modules pmds, "
			    "%d kasan-shadow pmds)", any_missing, mod_missing, shadow_missing);
	} else if (!strcmp(arch, "arm64")) {
		ksft_result(s_before.n == 0 && s_after.n == 0 && t_after.n == 0 &&
			    s_woken.n == 0,
			    "arm64: no process table has a kernel-half entry, before, after, "
			    "woken (%d %d %d %d)", s_before.n, s_after.n, t_after.n, s_woken.n);
		ksft_result(vm_after >= vm_before + (32ULL << 20),
			    "arm64: the master (TTBR1) maps %llu KiB more in vmalloc after the "
			    "helper's 32 MiB vmalloc", (vm_after - vm_before) >> 10);
		ksft_result(us_before && us_after && !strcmp(us_before, us_after) && *us_before,
			    "arm64: the sleeper's own table is untouched by it (user-half top "
			    "level identical)");
		ksft_result(us_woken && us_after && !strcmp(us_woken, us_after),
			    "arm64: a wake-up copies nothing into it either");
	} else if (!strcmp(arch, "x86")) {
		/*
		 * i386 without PAE: a kernel pgd entry maps 4 MiB and nothing is
		 * preallocated, so the helper needs new top-level entries; the
		 * kernel writes each into every pgd on pgd_list at once
		 * (arch_sync_kernel_mappings()), not at a switch or a fault.
		 */
		ksft_result(newslots > 0, "x86 (no PAE): %d new top-level entries in the master "
			    "for the helper", newslots);
		ksft_result(any_missing == 0, "x86: the sleeper has every one of them already (%d "
			    "missing): copied into each pgd at once, not lazily", any_missing);
		ksft_result(vm_self == 0 && mod_self == 0, "x86: nothing to copy to this test");
		ksft_result(vm_woken == 0 && mod_woken == 0, "x86: nothing for a wake-up to copy");
	} else {
		ksft_result(newslots == 0, "%s: no new top-level entries (%d): the upper tables "
			    "are preallocated", arch, newslots);
		ksft_result(any_missing == 0, "%s: the sleeper misses nothing (%d)", arch,
			    any_missing);
		ksft_result(vm_self == 0 && mod_self == 0, "%s: nothing to copy to this test", arch);
		ksft_result(vm_woken == 0 && mod_woken == 0, "%s: nothing for a wake-up to copy",
			    arch);
	}

	if (syscall(SYS_delete_module, "ptshare_vmtest", O_NONBLOCK))
		ksft_bail("rmmod ptshare_vmtest: %s", strerror(errno));
	collect(0, &m_unloaded);
	pt_unloaded = master_pt_pages();
	for (i = 0; i < m_after.n; i++)
		if (!has(&m_before, m_after.e[i].key) && has(&m_unloaded, m_after.e[i].key))
			stale++;
	ksft_info("after rmmod: %d of the %d new master top-level slots remain; master table "
		  "pages %ld before the helper, %ld with it, %ld after rmmod", stale, newslots,
		  pt_before, pt_after, pt_unloaded);
	/*
	 * Only classic gets new top-level entries (x86-64 preallocates them,
	 * LPAE and arm64 share the tables below): elsewhere "they all stay"
	 * would be 0 == 0, so the lower tables are what is checked there.
	 */
	if (!strcmp(arch, "arm"))
		ksft_result(newslots > 0 && stale == newslots && pt_after > pt_before &&
			    pt_unloaded >= pt_after,
			    "classic: after rmmod all %d new top-level pairs stay in the master "
			    "(%d), its table pages %ld -> %ld -> %ld: none freed", newslots, stale,
			    pt_before, pt_after, pt_unloaded);
	else
		ksft_result(pt_after > pt_before && pt_unloaded >= pt_after,
			    "%s: the helper added master table pages (%ld -> %ld) and rmmod freed "
			    "none (%ld): vmalloc's page tables are kept", arch, pt_before, pt_after,
			    pt_unloaded);
	pt_reap(sleeper);
	pt_reap(displacer);
	pt_select("all");
	ksft_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * master_pgd= is validated like an address the module finds itself: a
 * misaligned address, an unmapped one, and a real page table that is not the
 * master (this process's own pgd, which translates kernel addresses just as
 * well) are each refused with EINVAL and one dmesg line naming the reason
 * (x86-64 and riscv64: not named as a master symbol; ARM: not what TTBR1
 * points to);
 * the true master's address is accepted and reported as the source. Without
 * kallsyms_lookup_name() (use_kallsyms_lookup=0, as on an IBT kernel that
 * sealed it) the same master is found another way.
 * Reloads the module from $PTSHARE_KO as it found it.
 */
#include "pt_kcore.h"

#include <sys/klog.h>
#include <sys/syscall.h>

static const char *ko;

int main(void)
{
	unsigned long long mva = 0, mpa, direct = 0, start, last, ppa = 0, own;
	char *text, *line, name[64], params[96], pa_s[24], *summary, source[32] = "";
	size_t pos = 0;
	const char *v;
	int err, x86, named, cr3;
	const char *refusal, *other;

	ko = getenv("PTSHARE_KO");
	if (!ko)
		ksft_skip("PTSHARE_KO is not set");
	text = pt_read(pt_path("master"));
	if (!text)
		ksft_bail("read master: %s", strerror(errno));
	v = pt_header(text, "master_pgd");
	if (!v || sscanf(v, "%llx %llx", &mva, &mpa) != 2)
		ksft_bail("no master_pgd header");
	if (sscanf(v, "%*s %*s %31s", source) != 1)
		ksft_bail("no master source in the header");
	x86 = !strcmp(pt_agree_arch(text), "x86_64");
	/* x86-64 and riscv64 name the master in kallsyms; ARM finds it through TTBR1. */
	named = x86 || !strcmp(pt_fact_arch(), "riscv64");
	/* i386 (no data symbols in kallsyms): the table CR3 holds on init_mm */
	cr3 = !strcmp(pt_fact_arch(), "x86") || !strcmp(pt_fact_arch(), "x86-pae");
	refusal = named ? "rejected: not a master page-table symbol" :
		  cr3 ? "rejected: not the table CR3 holds on init_mm" :
		  "rejected: not the table TTBR1 points to";
	other = named ? " scan" : cr3 ? " cr3" : " ttbr1";
	while ((line = pt_next_line(text, &pos)))
		if (sscanf(line, "region %llx %llx %63s", &start, &last, name) == 3 &&
		    (!strcmp(name, "direct-map") || !strcmp(name, "lowmem") ||
		     !strcmp(name, "linear-map")))
			direct = start;
	snprintf(params, sizeof(params), "pid %d", getpid());
	pt_select(params);
	text = pt_read(pt_path("dump"));
	for (pos = 0; text && (line = pt_next_line(text, &pos));)
		if (sscanf(line, "task %*d %*s %*s %23s", pa_s) == 1)
			ppa = strtoull(pa_s, NULL, 16);
	pt_select("all");
	if (!direct || !ppa)
		ksft_bail("no direct-map region or own pgd address in the reports");
	/*
	 * The own pgd's virtual address: x86-64's direct map starts at physical
	 * 0; ARM's lowmem and arm64's linear map hold the master (found
	 * through TTBR1) at the same offset as any other page; riscv64's linear
	 * map starts at the first RAM, which kcore's program headers tell.
	 */
	if (named && !x86 && kcore_open())
		ksft_bail("/proc/kcore is not readable as ELF64: %s", strerror(errno));
	own = x86 ? direct + ppa : named ? kcore_linear_offset(direct) + ppa : mva - mpa + ppa;
	ksft_plan(10);

	ksft_result(pt_unload_module() == 0, "module unloaded");

	snprintf(params, sizeof(params), "master_pgd=0x%llx", mva + 8);
	err = pt_load_module(ko, params);
	ksft_result(err == -EINVAL && pt_dmesg_has("rejected: not page aligned"),
		    "misaligned master_pgd: EINVAL, dmesg says why (%s)", strerror(-err));

	/* Refused before it is read: the name (x86) or TTBR1 (ARM) check comes first. */
	snprintf(params, sizeof(params), "master_pgd=0x%llx", direct - (1ULL << 30));
	err = pt_load_module(ko, params);
	ksft_result(err == -EINVAL && pt_dmesg_has(refusal),
		    "unmapped master_pgd: EINVAL, dmesg says why (%s)", strerror(-err));

	/* (ARM LPAE's pgd is a 32-byte kmalloc: refused for its alignment.) */
	snprintf(params, sizeof(params), "master_pgd=0x%llx", own);
	err = pt_load_module(ko, params);
	ksft_result(err == -EINVAL &&
		    pt_dmesg_has(own & 4095 ? "rejected: not page aligned" : refusal),
		    "this process's own pgd (0x%llx) as master_pgd: EINVAL (%s)", own,
		    strerror(-err));

	ksft_result(access(pt_dir(), F_OK) != 0, "nothing registered after the refusals");

	snprintf(params, sizeof(params), "master_pgd=0x%llx", mva);
	err = pt_load_module(ko, params);
	summary = err ? NULL : pt_read(pt_path("summary"));
	v = summary ? pt_header(summary, "master_pgd") : NULL;
	ksft_result(!err && v && strstr(v, " parameter"),
		    "the true master via master_pgd loads, source 'parameter' (%s)", v ? v : "-");
	ksft_result(pt_unload_module() == 0, "unloaded again");

	/* As on a kernel whose kallsyms_lookup_name() is IBT-sealed. */
	err = pt_load_module(ko, "use_kallsyms_lookup=0");
	summary = err ? NULL : pt_read(pt_path("summary"));
	v = summary ? pt_header(summary, "master_pgd") : NULL;
	snprintf(params, sizeof(params), "0x%llx ", mva);
	ksft_result(v && !strncmp(v, params, strlen(params)) &&
		    strstr(v, other),
		    "without kallsyms_lookup_name the same master is found (%s)", v ? v : "-");
	ksft_result(pt_unload_module() == 0, "unloaded once more");
	err = pt_load_module(ko, "");
	summary = err ? NULL : pt_read(pt_path("summary"));
	v = summary ? pt_header(summary, "master_pgd") : NULL;
	ksft_result(v && strstr(v, source) && !strstr(v, " parameter"),
		    "plain load finds it again the usual way (%s)", source);
	ksft_finish();
}

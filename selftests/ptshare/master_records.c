// SPDX-License-Identifier: GPL-2.0
/*
 * Where the master file's records end must not change what it lists
 * (doc/FORMAT.md): a table met again is a repeat line whether or not a
 * record ended inside its first walk (espfix's one pte table behind 512 pmd
 * entries on x86-64, KASAN's early shadow tables), as long as it did not
 * change. The module's master_record knob sets the entry lines per record
 * (1 to 32, default 32): master read with records of 32 lines and of 1 (3
 * for a master above 512 KiB, a KASAN kernel's) must hold the same lines,
 * but for those live activity changes (vmalloc, modules, fixmap, the KASAN
 * shadow; with DEBUG_PAGEALLOC the linear map's pte lines). The knob is set
 * back to 32 whatever happens. Not a comparison of the module with itself
 * alone: a knob of 1 ends a record after every line, so every table of
 * more than one line is cut, at every place.
 */
#include "ptshare_test.h"

#define KNOB	"/sys/module/ptshare/parameters/master_record"

static void knob_back(void)
{
	pt_write(KNOB, "32", 2);
}

/* Lines of @text in region @name (its marker up to the next marker), or -1 if it has none. */
static int region_lines(const char *text, const char *name)
{
	char region[64] = "";
	const char *p = text, *nl;
	int n = -1;

	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		if (sscanf(p, "marker %*s %*s %63s", region) == 1) {
			if (!strcmp(region, name) && n < 0)
				n = 0;
			continue;
		}
		if (!strncmp(p, "pgd ", 4))
			region[0] = '\0';
		else if (n >= 0 && !strcmp(region, name))
			n++;
	}
	return n;
}

int main(void)
{
	char *ref, *alt, knob[16];
	int lines = 0, differ, pagealloc, esp_ref, esp_alt, n;
	unsigned int size;

	if (access(pt_path("master"), R_OK))
		ksft_skip("ptshare is not loaded");
	if (access(KNOB, W_OK))
		ksft_bail("%s: %s", KNOB, strerror(errno));
	ksft_plan(2);
	atexit(knob_back);

	/* The knob refuses what is outside 1..32. */
	n = !pt_write(KNOB, "0", 1) || !pt_write(KNOB, "33", 2);
	ksft_result(!n, "master_record refuses 0 and 33");

	ref = pt_read(pt_path("master"));
	if (!ref || !pt_complete(ref))
		ksft_bail("read master: %s", ref ? "truncated" : strerror(errno));
	size = strlen(ref) > (512 << 10) ? 3 : 1;
	n = snprintf(knob, sizeof(knob), "%u", size);
	if (pt_write(KNOB, knob, n))
		ksft_bail("write %s: %s", KNOB, strerror(errno));
	alt = pt_read(pt_path("master"));
	knob_back();
	if (!alt || !pt_complete(alt))
		ksft_bail("read master with records of %u: %s", size,
			  alt ? "truncated" : strerror(errno));
	/* espfix (x86-64) is stable: its repeat lines are compared too, and counted here */
	esp_ref = region_lines(ref, "espfix");
	esp_alt = region_lines(alt, "espfix");
	pagealloc = pt_unmaps_free_pages(ref) || pt_unmaps_free_pages(alt);
	differ = pt_stable_lines(ref, &lines, pagealloc) != pt_stable_lines(alt, NULL, pagealloc) ||
		 strcmp(ref, alt);
	ksft_result(!differ && lines > 20 && esp_ref == esp_alt,
		    "master with records of 32 and of %u line%s: %d stable lines %s%s", size,
		    size == 1 ? "" : "s", lines, differ ? "differ" : "identical",
		    esp_ref < 0 ? "" : esp_ref == esp_alt ? ", espfix the same" :
		    ", espfix differs");
	if (esp_ref >= 0)
		ksft_info("espfix: %d lines with records of 32, %d with records of %u", esp_ref,
			  esp_alt, size);
	if (differ) {
		size_t at = 0;

		while (ref[at] && ref[at] == alt[at])
			at++;
		while (at && ref[at - 1] != '\n')
			at--;
		ksft_info("first difference: '%.90s' vs '%.90s'", ref + at, alt + at);
	}
	free(ref);
	free(alt);
	ksft_finish();
}

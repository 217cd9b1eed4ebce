// SPDX-License-Identifier: GPL-2.0
/*
 * ptshare: read ptshare's debugfs reports (or saved copies of them) and
 * show them to people. First command: summary.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptshare_format.h"
#include "report.h"

#define PT_DEBUGFS	"/sys/kernel/debug/ptshare"

static const char *const summary_columns[] = {
	"kind", "tgid", "comm", "threads", "present", "shared", "same", "copy", "diff",
	"missing", "extra", "u_present", "u_shared", "u_same", "u_copy", "u_diff",
	"u_missing", "u_extra", "pt_pages", "kpriv_pages",
};
#define NR_SUMMARY_COLUMNS (sizeof(summary_columns) / sizeof(summary_columns[0]))

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ptshare [--help] [--version] COMMAND [ARGS]\n"
		"\n"
		"commands:\n"
		"  summary [FILE]   per-process table of kernel-half sharing;\n"
		"                   FILE defaults to " PT_DEBUGFS "/summary\n"
		"\n"
		"Run 'ptshare COMMAND --help' for a command's options.\n");
}

static int is_dash_column(struct pt_row *rows, size_t nrows, int col)
{
	size_t i;

	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i].field[col], "-"))
			return 0;
	return 1;
}

static int cmd_summary(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = PT_DEBUGFS "/summary", *v;
	int width[NR_SUMMARY_COLUMNS], show[NR_SUMMARY_COLUMNS];
	struct pt_row *rows = NULL, hdr;
	size_t nrows = 0, i, expect;
	struct pt_file f;
	int c, ret = 1;
	unsigned int k;
	char *end;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: ptshare summary [FILE]\n"
			       "Print the per-process table of %s/summary (or FILE, a saved copy)\n"
			       "with aligned columns. Columns that are '-' for every row are left out.\n",
			       PT_DEBUGFS);
			return 0;
		}
		return 2;
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "ptshare summary: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (pt_file_read(&f, path, "summary"))
		return 1;

	rows = calloc(f.nlines, sizeof(*rows));
	if (!rows)
		goto out;
	for (i = 1; i < f.nlines; i++) {
		if (strncmp(f.lines[i], "columns ", 8))
			continue;
		if (pt_split(&f, i, &hdr))
			goto out;
		if ((size_t)hdr.nfields - 1 < NR_SUMMARY_COLUMNS) {
			pt_error(&f, i + 1, "%d columns, expected at least %zu", hdr.nfields - 1,
				 NR_SUMMARY_COLUMNS);
			pt_row_free(&hdr);
			goto out;
		}
		for (k = 0; k < NR_SUMMARY_COLUMNS; k++) {
			if (strcmp(hdr.field[k + 1], summary_columns[k])) {
				pt_error(&f, i + 1, "column %u is '%s', expected '%s'", k + 1,
					 hdr.field[k + 1], summary_columns[k]);
				pt_row_free(&hdr);
				goto out;
			}
		}
		pt_row_free(&hdr);
		break;
	}
	if (i == f.nlines) {
		pt_error(&f, 0, "no columns line");
		goto out;
	}
	for (i++; i < f.nlines - 1; i++) {
		struct pt_row *r = &rows[nrows];

		if (pt_split(&f, i, r))
			goto out;
		if (r->nfields < (int)NR_SUMMARY_COLUMNS ||
		    (strcmp(r->field[0], "master") && strcmp(r->field[0], "mm"))) {
			pt_error(&f, i + 1, "not a summary row");
			pt_row_free(r);
			goto out;
		}
		nrows++;
	}
	if (sscanf(f.lines[f.nlines - 1], "end %zu", &expect) != 1) {
		pt_error(&f, f.nlines, "bad end line");
		goto out;
	}
	if (expect + 1 != nrows) {
		pt_error(&f, f.nlines, "end line says %zu rows, the file has %zu", expect,
			 nrows ? nrows - 1 : 0);
		goto out;
	}

	v = pt_header(&f, "kernel");
	printf("kernel %s", v ? v : "?");
	v = pt_header(&f, "arch");
	printf("  arch %s", v ? v : "?");
	v = pt_header(&f, "levels");
	printf("  levels %s", v ? v : "?");
	v = pt_header(&f, "isolation");
	printf("  isolation %s\n", v ? v : "?");
	v = pt_header(&f, "master_pgd");
	printf("master pgd %s\n", v ? v : "?");
	v = pt_header(&f, "kernel_half");
	printf("kernel half %s", v ? v : "?");
	v = pt_header(&f, "kernel_slots");
	printf(" (top-level slots %s)\n\n", v ? v : "?");

	for (k = 0; k < NR_SUMMARY_COLUMNS; k++) {
		width[k] = strlen(summary_columns[k]);
		show[k] = !is_dash_column(rows + 1, nrows - 1, k) || k < 5;
		for (i = 0; i < nrows; i++) {
			int w = strlen(rows[i].field[k]);

			if (k != 0 && k != 2 && strcmp(rows[i].field[k], "-") &&
			    (strtoul(rows[i].field[k], &end, 0), *end)) {
				pt_error(&f, rows[i].line, "column %s: '%s' is not a number",
					 summary_columns[k], rows[i].field[k]);
				goto out;
			}
			if (w > width[k])
				width[k] = w;
		}
	}
	for (k = 0; k < NR_SUMMARY_COLUMNS; k++)
		if (show[k])
			printf(k == 0 ? "%-*s" : k == 2 ? " %-*s" : " %*s", width[k],
			       summary_columns[k]);
	putchar('\n');
	for (i = 0; i < nrows; i++) {
		for (k = 0; k < NR_SUMMARY_COLUMNS; k++)
			if (show[k])
				printf(k == 0 ? "%-*s" : k == 2 ? " %-*s" : " %*s", width[k],
				       rows[i].field[k]);
		putchar('\n');
	}
	printf("\n%zu processes\n", nrows - 1);
	ret = 0;
out:
	for (i = 0; rows && i < nrows; i++)
		pt_row_free(&rows[i]);
	free(rows);
	pt_file_free(&f);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ptshare (format %d.%d)\n", PTSHARE_FORMAT_MAJOR, PTSHARE_FORMAT_MINOR);
		return 0;
	}
	if (!strcmp(argv[1], "summary"))
		return cmd_summary(argc - 1, argv + 1);
	fprintf(stderr, "ptshare: unknown command '%s' (try --help)\n", argv[1]);
	return 2;
}

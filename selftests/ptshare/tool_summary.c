// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare summary in the guest: reads the live file, prints an
 * aligned table with a row for this process, and refuses, with the file's
 * name and a non-zero exit, a missing file and a truncated copy.
 */
#include "ptshare_test.h"

static int run(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int status;

	if (!p)
		return -1;
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void)
{
	static char out[1 << 20];
	char *line, *copy, *cut, *p, mine[32], want[128];
	size_t pos = 0, width = 0;
	int rc, rows = 0, ragged = 0, intable = 0, found = 0, lines = 0;
	FILE *f;

	ksft_plan(5);
	rc = run("ptshare summary 2>&1", out, sizeof(out));
	ksft_result(rc == 0 && strstr(out, "kernel ") && strstr(out, "isolation "),
		    "ptshare summary exits 0 with the header (rc %d)", rc);

	snprintf(mine, sizeof(mine), "mm %d ", getpid());
	while ((line = pt_next_line(out, &pos))) {
		if (!strncmp(line, "kind ", 5)) {
			intable = 1;
			width = strlen(line);
			continue;
		}
		if (!intable)
			continue;
		if (!*line)
			break;
		rows++;
		ragged += strlen(line) != width;
		if (!strncmp(line, "mm ", 3)) {
			char *p = line + 2;

			while (*p == ' ')
				p++;
			found += atoi(p) == getpid();
		}
	}
	ksft_result(rows > 2 && !ragged, "%d table rows, all %zu columns wide (%d ragged)", rows,
		    width, ragged);
	ksft_result(found == 1, "this process (%d) has one row", getpid());

	rc = run("ptshare summary /nonexistent/summary 2>&1", out, sizeof(out));
	ksft_result(rc == 1 && strstr(out, "/nonexistent/summary"),
		    "missing file: exit 1, message names it (rc %d)", rc);

	/*
	 * A copy without its end line. The file's name does not say "truncated":
	 * the message must, after FILE:LINE of the copy's last line.
	 */
	copy = pt_read(pt_path("summary"));
	cut = copy ? strstr(copy, "\nend ") : NULL;
	f = fopen("/tmp/ts-cut.summary", "w");
	if (cut && f) {
		fwrite(copy, 1, cut - copy + 1, f);
		fclose(f);
		for (p = copy; p <= cut; p++)
			lines += *p == '\n';
	}
	rc = run("ptshare summary /tmp/ts-cut.summary 2>&1", out, sizeof(out));
	snprintf(want, sizeof(want),
		 "ptshare: /tmp/ts-cut.summary:%d: no \"end\" line: the summary file is truncated\n",
		 lines);
	ksft_result(rc == 1 && lines > 0 && !strcmp(out, want),
		    "copy without its end line: exit 1 (rc %d), says '%.*s'", rc,
		    (int)strcspn(out, "\n"), out);
	ksft_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the parser, every renderer and diff. The input is
 * one file, or two separated by a line "=====": each is parsed as a
 * snapshot or module file; what parses is rendered by every command (text
 * and JSON, output to /dev/null) and the two are diffed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "commands.h"
#include "views.h"

static void render_all(const struct pt_snapshot *s)
{
	int json;

	for (json = 0; json < 2; json++) {
		pt_json = json;
		if (s->has_summary) {
			pt_summary_render(s);
			pt_cost_render(s);
		}
		if (s->has_master) {
			pt_show_render(s, 0, NULL, -1);
			pt_show_render(s, 0, s->hdr.nregions ? s->hdr.regions[0].name : NULL, 4);
		}
		if (s->ntasks) {
			pt_show_render(s, s->tasks[0].tgid, NULL, -1);
			pt_show_render(s, s->tasks[s->ntasks - 1].tgid, NULL, 0);
			pt_diff_render_tasks(s, s->tasks[0].tgid, 0, false);
			pt_diff_render_tasks(s, s->tasks[0].tgid, s->tasks[s->ntasks - 1].tgid,
					     json);
		}
		if (s->has_dump && s->has_master)
			pt_html_render(s);
	}
	pt_json = false;
}

static int load(struct pt_snapshot *s, const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return -1;
	memcpy(text, data, size);
	text[size] = '\0';
	return pt_load_buffer(s, "fuzz", text, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	const uint8_t *sep = NULL;
	struct pt_snapshot a, b;
	size_t i;
	int ra, rb;

	if (!init) {
		init = 1;
		pt_quiet = true;
		if (!freopen("/dev/null", "w", stdout))
			abort();
	}
	for (i = 0; i + 7 <= size; i++) {
		if (!memcmp(data + i, "\n=====\n", 7)) {
			sep = data + i + 1;
			break;
		}
	}
	if (!sep) {
		if (!load(&a, data, size))
			render_all(&a);
		pt_snapshot_free(&a);
		pt_reset_error();
		return 0;
	}
	ra = load(&a, data, sep - data);
	rb = load(&b, sep + 6, size - (sep + 6 - data));
	if (!ra)
		render_all(&a);
	if (!ra && !rb) {
		pt_diff_render_snapshots(&a, &b, false);
		pt_diff_render_snapshots(&a, &b, true);
	}
	pt_snapshot_free(&a);
	pt_snapshot_free(&b);
	pt_reset_error();
	fflush(stdout);
	return 0;
}

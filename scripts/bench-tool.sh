#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-tool.sh [--record] [RECORDS]
#
# A benchmark, not a test: generate two synthetic snapshots of RECORDS
# (default 1000000) entry records each (tools/tests/gen-snapshot.py; valid
# per doc/FORMAT.md, the second with some tasks, entries and master ranges
# changed), then time "ptshare summary A" (parsing one snapshot whole),
# "ptshare diff A B" (parsing both and diffing) and "diff -u A B" on the same
# files, best of three runs each, and print records/s and the ratio.
# --record: also keep the figures in doc/bench-tool.txt, which README.md
# shows (scripts/readme-output.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

record=
if [ "${1:-}" = --record ]; then
	record=1
	shift
fi
records=${1:-1000000}
dir=$PTSHARE_OUT/bench-tool
mkdir -p "$dir"
need_tools python3:python3 make:make gcc:gcc diff:diffutils /usr/bin/time:time
make -s -C "$PTSHARE_TOP/tools" O="$dir/build" >&2
pt=$dir/build/ptshare
tasks=$(( records / 10000 > 0 ? records / 10000 : 1 ))
gen=$PTSHARE_TOP/tools/tests/gen-snapshot.py
# gen-snapshot.py stops each task's descents a little short of its share: ask for 0.5% more.
ask=$(( records + records / 200 ))
msg "generating two snapshots of about $records entry records ($tasks tasks)"
python3 "$gen" --records "$ask" --tasks "$tasks" >"$dir/a.snap"
python3 "$gen" --records "$ask" --tasks "$tasks" --variant 1 >"$dir/b.snap"
ea=$(grep -c '^entry ' "$dir/a.snap") eb=$(grep -c '^entry ' "$dir/b.snap")
la=$(wc -l <"$dir/a.snap") lb=$(wc -l <"$dir/b.snap")
cat "$dir/a.snap" "$dir/b.snap" >/dev/null	# into the page cache

# best NAME CMD...: the best wall time of three runs, in seconds.
best() {
	local i t b=
	shift
	for i in 1 2 3; do
		t=$( { /usr/bin/env TIMEFORMAT=%R bash -c 'time "$@" >/dev/null 2>&1' _ "$@"; } 2>&1 | tail -n 1)
		if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN{exit !(t < b)}'; then b=$t; fi
	done
	echo "$b"
}

t_parse=$(best parse "$pt" summary "$dir/a.snap")
t_diff=$(best diff "$pt" diff "$dir/a.snap" "$dir/b.snap")
t_diffu=$(best diffu diff -u "$dir/a.snap" "$dir/b.snap")
ndiff=$("$pt" diff "$dir/a.snap" "$dir/b.snap" | tail -n 1 || true)
mem=$( (/usr/bin/time -f %M "$pt" diff "$dir/a.snap" "$dir/b.snap" 2>&1 >/dev/null || true) | tail -n 1)
# The goal (README, "Performance of the module"): at most the two inputs' size.
inputs=$(( ($(stat -c %s "$dir/a.snap") + $(stat -c %s "$dir/b.snap")) / 1024 ))

{
printf 'snapshots: A %s entries (%s lines, %s MB), B %s entries (%s lines, %s MB)\n' \
	"$ea" "$la" "$(( $(stat -c %s "$dir/a.snap") / 1000000 ))" \
	"$eb" "$lb" "$(( $(stat -c %s "$dir/b.snap") / 1000000 ))"
awk -v tp="$t_parse" -v td="$t_diff" -v tu="$t_diffu" -v ea="$ea" -v eb="$eb" -v la="$la" \
	-v lb="$lb" -v nd="$ndiff" -v mem="$mem" -v inputs="$inputs" 'BEGIN {
	printf "ptshare summary A (parse one):   %6.3f s  %12.0f records/s\n", tp, ea / tp
	printf "ptshare diff A B (parse + diff): %6.3f s  %12.0f records/s  (%s)\n", td, (ea + eb) / td, nd
	printf "diff -u A B:                     %6.3f s  %12.0f lines/s\n", tu, (la + lb) / tu
	printf "ratio ptshare diff / diff -u:    %6.2f\n", td / tu
	printf "peak memory of ptshare diff:     %s KiB, %.2f of its inputs (%s KiB; goal <= 1)\n",
	       mem, mem / inputs, inputs
	printf "%s: parse + diff of two %d-record snapshots in %.3f s (target: under 1 s)\n",
	       (td < 1 ? "ok" : "SLOW"), ea, td
}'
} | tee "$dir/figures.txt"
if [ -n "$record" ]; then
	# the verdict line says what the figures say; the README shows the figures
	grep -v -E '^(ok|SLOW): ' "$dir/figures.txt" >"$PTSHARE_TOP/doc/bench-tool.txt"
	msg "figures kept in doc/bench-tool.txt: run scripts/readme-output.sh for README.md"
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz-tool.sh [RUNS] [JOBS]
#
# A fuzz campaign, not a test: the libFuzzer target of tools/tests/fuzz_parse.c
# (parser, every renderer in text and JSON, diff; ASan and UBSan) for RUNS
# executions in all (default 10000000), split over JOBS processes (default:
# the number of CPUs), each with its own seed, on inputs of up to 8 KiB,
# starting from the fixtures (their first 8 KiB), small synthetic snapshots
# and pairs of them, the regression inputs and tools/tests/fuzz.dict. Prints the executions, the time and the crashes;
# a crashing input is kept in tools/tests/fuzz-regressions/ (the host tests
# run every file there) and the script exits 1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=${1:-10000000}
jobs=${2:-$(nproc)}
case $runs$jobs in *[!0-9]*) die "usage: fuzz-tool.sh [RUNS] [JOBS]" ;; esac
need_tools clang:clang python3:python3
tools=$PTSHARE_TOP/tools
tests=$tools/tests
dir=$PTSHARE_OUT/fuzz-tool
rm -rf "$dir"
mkdir -p "$dir/corpus" "$dir/artifacts"

srcs=(parse.c source.c out.c common.c snapshot.c summary.c show.c diff.c cost.c html.c)
step "building the fuzz target (libFuzzer, ASan, UBSan)" \
	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I"$PTSHARE_TOP/include" -I"$tools" \
	"${srcs[@]/#/$tools/}" "$tests/fuzz_parse.c" -o "$dir/fuzz"

cp "$tests"/fixtures/*.snap "$dir/corpus/"
# small whole snapshots: short inputs run fast, and the mutations stay parseable
for a in x86_64 arm; do
	python3 "$tests/gen-snapshot.py" --tasks 2 --records 20 --arch $a >"$dir/corpus/syn-$a"
	python3 "$tests/gen-snapshot.py" --tasks 2 --records 20 --arch $a --variant 1 \
		>"$dir/corpus/syn-$a-v1"
	{ cat "$dir/corpus/syn-$a"; echo =====; cat "$dir/corpus/syn-$a-v1"; } >"$dir/corpus/pair-$a"
done
for r in "$tests"/fuzz-regressions/*; do
	case $r in *.md) ;; *) [ -f "$r" ] && cp "$r" "$dir/corpus/" ;; esac
done

msg "fuzzing: $runs executions over $jobs process(es); logs in $(showpath "$dir")"
start=$(date +%s)
pids=()
for j in $(seq 1 "$jobs"); do
	mkdir -p "$dir/corpus-$j"
	"$dir/fuzz" -runs=$((runs / jobs)) -seed=$((1000 + j)) -max_len=8192 -timeout=10 \
		-rss_limit_mb=2048 -dict="$tests/fuzz.dict" -print_final_stats=1 \
		-artifact_prefix="$dir/artifacts/" "$dir/corpus-$j" "$dir/corpus" \
		>"$dir/fuzz-$j.log" 2>&1 &
	pids+=($!)
done
status=0
for p in "${pids[@]}"; do
	wait "$p" || status=1
done
secs=$(($(date +%s) - start))
total=0
for j in $(seq 1 "$jobs"); do
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz-$j.log")
	total=$((total + ${n:-0}))
done
# A slow unit (libFuzzer: one execution over 10 s) is run again: one that is
# fast every time was the host stalling (seen once, 13 s then 0.07 s), not a
# finding; crashes, leaks, timeouts and out-of-memory inputs always count.
slow_again() { # ARTIFACT: succeed when it is still slow
	local i t TIMEFORMAT=%R
	for i in 1 2 3; do
		t=$( { time "$dir/fuzz" -runs=1 -timeout=10 "$1" >/dev/null 2>&1; } 2>&1) || return 0
		awk -v t="$t" 'BEGIN { exit !(t >= 1) }' && return 0
	done
	return 1
}
crashes=0
for a in "$dir"/artifacts/*; do
	[ -e "$a" ] || continue
	case ${a##*/} in
	slow-unit-*)
		if ! slow_again "$a"; then
			msg "slow once, fast in 3 more runs (the host stalled?): $(showpath "$a")"
			continue
		fi ;;
	esac
	crashes=$((crashes + 1))
	mkdir -p "$tests/fuzz-regressions"
	cp "$a" "$tests/fuzz-regressions/$(basename "$a")"
	msg "crashing input kept: tools/tests/fuzz-regressions/$(basename "$a")"
done
printf 'fuzz campaign: %d executions in %d s (%d/s) over %d process(es), %d crash(es)\n' \
	"$total" "$secs" $((total / (secs > 0 ? secs : 1))) "$jobs" "$crashes"
[ $status -eq 0 ] && [ $crashes -eq 0 ] || exit 1

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# readme-output.sh [--check] [PTSHARE]
#
# Write the output blocks of README.md, each between a line
# "<!-- output: NAME -->" and a line "<!-- output:end -->", from what the
# project recorded: the snapshots of tools/tests/fixtures (written in the
# guests by scripts/record-fixtures.sh) read by the tool built from this
# tree, and the last benchmarks (doc/bench-tool.txt and doc/bench-module.txt,
# written by scripts/bench-tool.sh --record and scripts/bench-module.sh
# --record). Every command in a block is shown as a reader can
# run it from the top of the tree; "..." marks lines left out.
#
# --check: write nothing; exit 1 and show the difference when README.md is
# not what this script would write (the host tests run this).
# PTSHARE: the tool to run (default: built from tools/ into out/).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

check=
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
readme=$PTSHARE_TOP/README.md
pt=${1:-}
if [ -z "$pt" ]; then
	make -s -C "$PTSHARE_TOP/tools" O="$PTSHARE_OUT/readme-tool" >&2 || die "tool build failed"
	pt=$PTSHARE_OUT/readme-tool/ptshare
fi
F=tools/tests/fixtures
cd "$PTSHARE_TOP"

# run "DISPLAY" [FILTER]: print "$ DISPLAY", then run DISPLAY with the tool
# under test for tools/ptshare, through FILTER (a shell pipeline) if given.
# Whatever the exit status (diff exits 1 on a difference), the output is
# what the block shows.
run() {
	local display=$1 filter=${2:-cat}
	printf '$ %s\n' "$display"
	(eval "${display//tools\/ptshare/\"\$pt\"}" 2>&1 || true) | eval "$filter"
}

# first N: the first N lines, then "..." if there were more.
first() {
	awk -v n="$1" 'NR <= n { print } NR == n + 1 { print "..." }'
}

# skip N: "..." for the first N lines, then the rest.
skip() {
	awk -v n="$1" 'NR == 1 && n > 0 { print "..." } NR > n { print }'
}

# runs RE KEEP: of each run of consecutive lines matching RE, the first KEEP
# lines and one "..." for the rest.
runs() {
	awk -v re="$1" -v keep="$2" '
		$0 ~ re { if (++k <= keep) print; else if (k == keep + 1) print "..."; next }
		{ k = 0; print }'
}

# The tgid of the first process named COMM in SNAPSHOT.
tgid_of() {
	"$pt" --json summary "$2" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["processes"]:
	if p["comm"] == sys.argv[1]:
		print(p["tgid"])
		break' "$1"
}

block() {
	local x86=$F/x86_64-pti-on.snap ldt
	ldt=$(tgid_of ldt_sleeper "$x86")
	case $1 in
	x86-demo)
		echo "\$ F=$F"
		run "tools/ptshare summary \$F/x86_64-pti-on.snap"
		run "tools/ptshare cost \$F/x86_64-pti-on.snap"
		run "grep -E '^(pgd|slot|marker|range)' \$F/x86_64-pti-on.snap | head -n 24"
		run "sed -n '/^section dump/,\$p' \$F/x86_64-pti-on.snap | grep -v -E '^(region|level)| (SHARED|SAME) '"
		;;
	x86-tool)
		echo "\$ F=$F"
		run "tools/ptshare show --task $ldt --region ldt-remap \$F/x86_64-pti-on.snap" "first 18"
		run "tools/ptshare diff --task 1 --task $ldt \$F/x86_64-pti-on.snap" "runs '^[+] ' 2"
		run "tools/ptshare diff --task $ldt --master \$F/x86_64-pti-on.snap" "runs '^! ' 1"
		if [ -e "$F/x86_64-pti-on-after.snap" ]; then
			run "tools/ptshare diff \$F/x86_64-pti-on.snap \$F/x86_64-pti-on-after.snap" \
				"runs '^[-+] master ' 2"
		fi
		;;
	x86-cost)
		run "tools/ptshare cost \$F/x86_64-pti-on.snap" "skip 4"
		;;
	arm-classic)
		echo "\$ F=$F"
		run "tools/ptshare summary \$F/arm-classic.snap"
		run "tools/ptshare cost \$F/arm-classic.snap"
		;;
	arm-lpae)
		echo "\$ F=$F"
		run "tools/ptshare summary \$F/arm-lpae.snap"
		run "tools/ptshare diff --task 1 --master \$F/arm-lpae.snap" "runs '^! kernel pte ' 2"
		;;
	arm64)
		echo "\$ F=$F"
		run "tools/ptshare summary \$F/arm64-kpti.snap" "skip 4"
		run "tools/ptshare show --task 1 \$F/arm64-kpti.snap" "skip 8"
		;;
	riscv64)
		echo "\$ F=$F"
		run "tools/ptshare summary \$F/riscv64-sv57.snap" "skip 4"
		run "tools/ptshare cost \$F/riscv64-sv57.snap" "skip 4"
		;;
	i386)
		echo "\$ F=$F"
		run "tools/ptshare summary \$F/i386.snap" "skip 4"
		run "tools/ptshare summary \$F/i386-pae-pti.snap"
		run "tools/ptshare diff --task 1 --master \$F/i386-pae-pti.snap" "first 4"
		run "tools/ptshare cost \$F/i386-pae-pti.snap" "skip 4"
		;;
	json-error)
		run "tools/ptshare --json summary /tmp/gone.snap"
		;;
	bench)
		echo "\$ ./scripts/bench-tool.sh"
		cat doc/bench-tool.txt
		;;
	bench-module)
		# the file's first line is the command that made it
		cat doc/bench-module.txt
		;;
	*)
		die "README.md: no output block named '$1'"
		;;
	esac
}

grep -q '^<!-- output: ' "$readme" || die "README.md has no output blocks"
new=$(mktemp)
trap 'rm -f "$new"' EXIT
{
	skip=
	while IFS= read -r line; do
		if [ -n "$skip" ]; then
			[ "$line" = '<!-- output:end -->' ] || continue
			skip=
		fi
		printf '%s\n' "$line"
		case $line in
		'<!-- output: '*' -->')
			name=${line#<!-- output: }
			name=${name% -->}
			printf '```\n'
			block "$name"
			printf '```\n'
			skip=1
			;;
		esac
	done <"$readme"
} >"$new"
if [ -n "$check" ]; then
	if ! diff -u "$readme" "$new"; then
		echo "README.md's output blocks are not what scripts/readme-output.sh writes: run it" >&2
		exit 1
	fi
	exit 0
fi
if cmp -s "$readme" "$new"; then
	msg "README.md: output blocks up to date"
else
	cp "$new" "$readme"
	msg "README.md: output blocks rewritten"
fi
# The map's picture, where Chromium is at hand (not checked: pixels vary).
if command -v chromium >/dev/null; then
	prof=$(mktemp -d)
	"$pt" html "$F/x86_64-pti-on.snap" >"$prof/map.html"
	timeout 90 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$prof/p" --force-device-scale-factor=1 --force-color-profile=srgb \
		--hide-scrollbars --window-size=1100,560 --screenshot="$PTSHARE_TOP/doc/ptshare-map.png" \
		"file://$prof/map.html" >/dev/null 2>&1 && msg "doc/ptshare-map.png: re-shot"
	rm -rf "$prof"
fi

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host-side check of ptdump_oracle's parsers and comparison (--files mode):
# ptdump text for recorded ptshare masters (tools/tests/fixtures) written by
# mkptdump.py in the kernel's formats must agree with them; the same text with
# one permission flipped must not; a KASAN-like master with alias and repeat
# lines must agree with a hand-written x86 dump of the early shadow; x86's
# "... N entries skipped ..." leaves an undescribed range out of the comparison.
# Usage: check.sh [CC]   (prints KTAP-like lines, exits 1 on any failure)
set -u
cd "$(dirname "$0")" || exit 1
cc=${1:-${CC:-gcc}}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fix=../../../tools/tests/fixtures
$cc -std=gnu11 -Wall -Wextra -Werror -I../../../include -I.. -O2 -o "$tmp/oracle" ../ptdump_oracle.c || exit 1
n=0 fail=0
# expect pass|fail, description, command...
check() {
	want=$1 what=$2
	shift 2
	n=$((n + 1))
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if { [ "$want" = pass ] && [ $rc -eq 0 ]; } || { [ "$want" = fail ] && [ $rc -eq 1 ]; }; then
		echo "ok $n $what"
	else
		echo "not ok $n $what (exit $rc)"
		sed 's/^/# /' "$tmp/out"
		fail=$((fail + 1))
	fi
}
master() {	# the master section of a snapshot
	awk '/^section master/ { f = 1; next } /^section / { f = 0 } f' "$fix/$1.snap" >"$tmp/$1.master"
}
for fa in x86_64-pti-off:x86_64 x86_64-la57:x86_64 arm-classic:arm arm-lpae:arm-lpae arm64-6.12:arm64 \
	  arm64-kpti:arm64; do
	f=${fa%%:*} a=${fa##*:}
	master "$f"
	python3 mkptdump.py "$a" "$tmp/$f.master" >"$tmp/$f.pd"
	check pass "$f: ptdump text of its own master agrees" "$tmp/oracle" --files "$a" "$tmp/$f.master" "$tmp/$f.pd"
	python3 mkptdump.py "$a" "$tmp/$f.master" --perturb 7 >"$tmp/$f.bad"
	check fail "$f: one run with its write permission flipped differs" "$tmp/oracle" --files "$a" "$tmp/$f.master" "$tmp/$f.bad"
done
f=synthetic-x86_64-pti-1.1
master $f
python3 mkptdump.py x86_64 "$tmp/$f.master" >"$tmp/$f.pd"
python3 mkptdump.py x86_64 "$tmp/$f.master" user >"$tmp/$f.upd"
check pass "$f: kernel pgd and PTI user copy agree" "$tmp/oracle" --files x86_64 "$tmp/$f.master" "$tmp/$f.pd" "$tmp/$f.upd"
check fail "$f: the kernel dump given as the user copy's differs" "$tmp/oracle" --files x86_64 "$tmp/$f.master" "$tmp/$f.pd" "$tmp/$f.pd"
f=x86_64-pti-off
esp=$(awk '$1 == "region" && $4 == "direct-map" { print $2 }' "$tmp/$f.master")
python3 mkptdump.py x86_64 "$tmp/$f.master" --espfix "$esp" >"$tmp/$f.esp"
check pass "$f: lines skipped after a marker as x86 does for ESPfix (max_lines): that range is left out" sh -c \
	"grep -q 'entries skipped' '$tmp/$f.esp' && '$tmp/oracle' --files x86_64 '$tmp/$f.master' '$tmp/$f.esp'"
check pass "KASAN early shadow: alias and repeat lines against ptdump's whole-range pte line" \
	"$tmp/oracle" --files x86_64 kasan-x86.master kasan-x86.ptdump
sed 's/16T     ro /16T     RW /' kasan-x86.ptdump >"$tmp/kasan.bad"
check fail "KASAN early shadow: a writable shadow in ptdump differs" \
	"$tmp/oracle" --files x86_64 kasan-x86.master "$tmp/kasan.bad"
sed '/^repeat .* pgd /d' kasan-x86.master >"$tmp/kasan.short"
check fail "KASAN early shadow: a master without the pgd-level repeat differs" \
	"$tmp/oracle" --files x86_64 "$tmp/kasan.short" kasan-x86.ptdump
echo "# oracle host check: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]

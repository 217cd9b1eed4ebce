#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh [GUEST...]
#
# The whole test run: build ptshare for every kernel of scripts/targets.conf,
# boot every guest configuration (default: all of them) in QEMU, run the
# selftests in each, and fail on any failed test or kernel splat. Prints a
# per-configuration table and ends with "N passed, M failed, K skipped".
# Installs what it needs (apt-get) when run as root.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

need_host_tools
mkdir -p "$PTSHARE_OUT"
guests=("$@")
[ ${#guests[@]} -gt 0 ] || mapfile -t guests < <(guest_names)
[ ${#guests[@]} -gt 0 ] || die "no guest rows in $PTSHARE_TARGETS"

pass=0 fail=0 skip=0
rows=()
declare -A built
t0=$(date +%s)

# The tool's host tests: builds, sanitizers, fixtures, fuzzing, the HTML map.
# (PTSHARE_SKIP_HOST=1 leaves them out, for quick guest-only runs.)
if [ -z "${PTSHARE_SKIP_HOST:-}" ]; then
echo "== host: tools/tests/run.sh"
hlog=$PTSHARE_OUT/host-tests.log
"$PTSHARE_TOP/tools/tests/run.sh" >"$hlog" 2>&1
hstatus=$?
grep -E '^(not )?ok [0-9]+ ' "$hlog" | sed 's/^/  /'
read -r hp hf < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$hlog" | tail -n 1)
if [ -z "${hp:-}" ] || { [ "$hstatus" -ne 0 ] && [ "${hf:-0}" -eq 0 ]; }; then
	tail -n 20 "$hlog"
	echo "not ok host: tools/tests/run.sh did not finish (status $hstatus, log $hlog)"
	hp=${hp:-0} hf=$((${hf:-0} + 1))
fi
pass=$((pass + hp)) fail=$((fail + hf))
rows+=("host-tools|-|host|-|-|$hp|$hf|0|-")
fi

i=0
for g in "${guests[@]}"; do
	i=$((i + 1))
	guest_row "$g" || die "no guest row '$g' in $PTSHARE_TARGETS"
	echo "== [$i/${#guests[@]}] $g (kernel $G_KERNEL, $G_QEMU -cpu $G_CPU $G_APPEND)"
	if [ -z "${built[$G_KERNEL]:-}" ]; then
		if "$PTSHARE_TOP/scripts/build-guest.sh" "$G_KERNEL" >/dev/null; then
			built[$G_KERNEL]=ok
		else
			built[$G_KERNEL]=failed
		fi
	fi
	if [ "${built[$G_KERNEL]}" != ok ]; then
		echo "not ok $g: build for $G_KERNEL failed"
		fail=$((fail + 1))
		rows+=("$g|$G_KERNEL|-|-|-|0|1|0|build failed")
		continue
	fi
	log=$PTSHARE_OUT/$g/console-test.log
	"$PTSHARE_TOP/scripts/boot-guest.sh" "$g" test "$log"
	status=$?
	gp=$(grep -cE '^ok [0-9]+ selftests: .*[^P]$|^ok [0-9]+ selftests: [^#]*$' "$log")
	gs=$(grep -cE '^ok [0-9]+ selftests: .* # SKIP' "$log")
	gf=$(grep -cE '^not ok [0-9]+ selftests: ' "$log")
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
	grep -E '^(not )?ok [0-9]+ selftests: ' "$log" | sed "s/^/  /"
	note=clean
	if [ $status -ne 0 ]; then
		note="console splat or guest did not finish"
		gf=$((gf + 1))
		echo "not ok $g: console check (see $log)"
	elif [ -z "$planned" ] || [ $((gp + gs + gf)) -ne "$planned" ]; then
		note="ran $((gp + gs + gf)) of ${planned:-?} tests"
		gf=$((gf + 1))
		echo "not ok $g: $note"
	else
		gp=$((gp + 1))
		echo "ok $g: console clean, $planned tests ran"
	fi
	pass=$((pass + gp)) fail=$((fail + gf)) skip=$((skip + gs))
	kernel=$(cat "$PTSHARE_OUT/$G_KERNEL/release" 2>/dev/null || echo "?")
	boot=$(sed -n 's/.*ptshare-guest: booted .* in \([0-9.]*\) s.*/\1/p' "$log" | head -n 1)
	read -r s e <"$PTSHARE_OUT/$g/times-test" 2>/dev/null || s=0 e=0
	wall=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.0f", e - s }')
	rows+=("$g|$kernel|$(cat "$PTSHARE_OUT/$G_KERNEL/arch")|${boot:-?}|$wall|$gp|$gf|$gs|$note")
done

echo
printf '%-16s %-18s %-6s %8s %8s %6s %6s %6s  %s\n' guest kernel arch boot_s total_s pass fail skip console
for r in "${rows[@]}"; do
	IFS='|' read -r g k a b w p f s n <<<"$r"
	printf '%-16s %-18s %-6s %8s %8s %6s %6s %6s  %s\n' "$g" "$k" "$a" "$b" "$w" "$p" "$f" "$s" "$n"
done
echo "total time $(($(date +%s) - t0)) s"

# The same table as Markdown, for scripts/update-readme-matrix.sh.
{
	echo "| guest | kernel | arch | boot s | run s | pass | fail | skip | console |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for r in "${rows[@]}"; do
		IFS='|' read -r g k a b w p f s n <<<"$r"
		echo "| $g | $k | $a | $b | $w | $p | $f | $s | $n |"
	done
	echo
	echo "$pass passed, $fail failed, $skip skipped in $(($(date +%s) - t0)) s" \
		"($(date -u +%Y-%m-%d), $(nproc) cores)"
} >"$PTSHARE_OUT/matrix.md"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]

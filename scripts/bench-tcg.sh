#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-tcg.sh [GUEST [N]]
#
# What one-thread TCG costs: run GUEST's selftests (default x86_64-6.12) N
# times (default 3) with -accel tcg,thread=single and N times with
# thread=multi, alternating, and print the boot and run times of both side by
# side with their ratio. Figures only: nothing here passes or fails on time.
# Run it on an otherwise idle machine; the figures are wall-clock seconds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

guest=${1:-x86_64-6.12} n=${2:-3}
repeat_setup "$guest" "$n" bench
dir=$RUN_DIR

declare -A boot run
for i in $(seq 1 "$n"); do
	for mode in single multi; do
		log=$dir/$mode-$i.log
		PTSHARE_TCG_THREAD=$mode "$PTSHARE_TOP/scripts/boot-guest.sh" "$guest" test "$log" \
			2>/dev/null || msg "$guest: $mode run $i was not clean (see $log)"
		read -r s e <"$PTSHARE_OUT/$guest/times-test"
		boot[$mode]+=" $(boot_seconds "$log")"
		run[$mode]+=" $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.1f", e - s }')"
	done
done
mean() { awk '{ t = 0; for (i = 1; i <= NF; i++) t += $i; printf "%.2f", NF ? t / NF : 0 }' <<<"$1"; }
printf '%s, %s, -smp %s, %d runs each\n' "$guest" "$(cat "$PTSHARE_OUT/$G_KERNEL/release")" "$G_SMP" "$n"
printf '%-22s %14s %14s %8s\n' "" thread=single thread=multi ratio
for what in boot run; do
	declare -n m=$what
	a=$(mean "${m[single]}") b=$(mean "${m[multi]}")
	printf '%-22s %14s %14s %8s\n' "mean $what s" "$a" "$b" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
	unset -n m
done
printf 'single runs:%s\nmulti runs: %s\n' "${run[single]}" "${run[multi]}"

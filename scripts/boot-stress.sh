#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot-stress.sh GUEST [N]
#
# Boot guest row GUEST of targets.conf N times (default 20) to /init and
# count the clean boots: the guest reached /init and powered off, and the
# console shows no kernel report (scripts/check-console.sh). No module is
# loaded: this measures the guest configuration itself, e.g. the TCG
# threading choice in boot-guest.sh (PTSHARE_TCG_THREAD=single|multi
# overrides it, to compare). Consoles go to out/GUEST/stress/boot-K.log.
# Exits 0 only when all N boots were clean.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: boot-stress.sh GUEST [N]"
guest=$1 n=${2:-20}
repeat_setup "$guest" "$n" stress
dir=$RUN_DIR

clean=0 total=0 sum=0
for i in $(seq 1 "$n"); do
	log=$dir/boot-$i.log
	t0=$(date +%s.%N)
	if PTSHARE_GUEST_TIMEOUT=${PTSHARE_GUEST_TIMEOUT:-300} \
		"$PTSHARE_TOP/scripts/boot-guest.sh" "$guest" boot "$log" 2>"$dir/boot-$i.err"; then
		clean=$((clean + 1))
		verdict=clean
	else
		verdict="NOT clean: $(grep -m1 -E 'Oops|BUG:|WARNING: CPU|panic|Call Trace' "$log" ||
			tail -n 1 "$dir/boot-$i.err" | grep . || echo 'did not finish')"
	fi
	t1=$(date +%s.%N)
	total=$((total + 1))
	boot=$(boot_seconds "$log")
	sum=$(awk -v a="$sum" -v b="$t0" -v c="$t1" 'BEGIN { printf "%.2f", a + c - b }')
	printf '%s: boot %d/%d: %s (/init at %s s, %.1f s wall)\n' "$guest" "$i" "$n" "$verdict" \
		"${boot:-?}" "$(awk -v b="$t0" -v c="$t1" 'BEGIN { print c - b }')"
done
accel=$(cat "$PTSHARE_OUT/$guest/accel-boot" 2>/dev/null || echo '?')
printf '%s: %d of %d boots clean (%s, %s), %.1f s wall per boot\n' "$guest" "$clean" "$total" \
	"$(cat "$PTSHARE_OUT/$G_KERNEL/release" 2>/dev/null || echo "$G_KERNEL")" "$accel" \
	"$(awk -v s="$sum" -v n="$total" 'BEGIN { print s / n }')"
[ "$clean" -eq "$total" ]

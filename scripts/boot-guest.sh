#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot-guest.sh GUEST MODE [CONSOLE_LOG]
#
# Boot guest row GUEST of targets.conf under QEMU (TCG) with the initramfs
# build-guest.sh made for its kernel; MODE is test or demo. The console goes
# to CONSOLE_LOG (default out/GUEST/console-MODE.log) and, with -v in
# PTSHARE_VERBOSE, to stderr. Exits 0 when the guest reached its end marker
# and the console shows no kernel splat.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: boot-guest.sh GUEST test|demo [CONSOLE_LOG]"
guest=$1 mode=$2
guest_row "$guest" || die "no guest row '$guest' in $PTSHARE_TARGETS"
kout=$PTSHARE_OUT/$G_KERNEL
[ -f "$kout/initramfs.cpio.gz" ] || die "$guest: build it first (scripts/build-guest.sh $G_KERNEL)"
mkdir -p "$PTSHARE_OUT/$guest"
log=${3:-$PTSHARE_OUT/$guest/console-$mode.log}

need_tools "$G_QEMU:qemu-system-$(case $G_QEMU in *x86_64) echo x86 ;; *aarch64|*arm) echo arm ;; *) echo misc ;; esac)"

args=(-accel tcg -m "${PTSHARE_GUEST_MEM:-1024}" -smp "$G_SMP" -nographic -no-reboot
	-kernel "$kout/vmlinuz" -initrd "$kout/initramfs.cpio.gz"
	-append "console=$G_CONSOLE panic=-1 oops=panic quiet loglevel=4 ptshare.mode=$mode $G_APPEND")
[ "$G_MACHINE" = - ] || args+=(-M "$G_MACHINE")
[ "$G_CPU" = - ] || args+=(-cpu "$G_CPU")

start=$(date +%s.%N)
status=0
if [ -n "${PTSHARE_VERBOSE:-}" ]; then
	timeout "${PTSHARE_GUEST_TIMEOUT:-900}" "$G_QEMU" "${args[@]}" </dev/null 2>&1 | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r//g' | tee "$log" >&2 || status=$?
else
	timeout "${PTSHARE_GUEST_TIMEOUT:-900}" "$G_QEMU" "${args[@]}" </dev/null 2>&1 | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r//g' >"$log" || status=$?
fi
end=$(date +%s.%N)
echo "$start $end" >"$PTSHARE_OUT/$guest/times-$mode"

[ $status -eq 0 ] || msg "$guest: qemu exited with status $status (124: timed out)"
"$PTSHARE_TOP/scripts/check-console.sh" "$log" || status=1
grep -q '^ptshare-guest: done' "$log" || { msg "$guest: the guest did not finish (see $log)"; status=1; }
exit $status

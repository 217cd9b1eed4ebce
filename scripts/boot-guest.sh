#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot-guest.sh GUEST MODE [CONSOLE_LOG]
#
# Boot guest row GUEST of targets.conf under QEMU (TCG) with the initramfs
# build-guest.sh made for its kernel; MODE is test, demo, record, bench or
# boot (boot: power off at /init, for scripts/boot-stress.sh; bench: for
# scripts/bench-module.sh, whose initramfs build-guest.sh makes with
# PTSHARE_BENCH=1). The console goes
# to CONSOLE_LOG (default out/GUEST/console-MODE.log) and, with -v in
# PTSHARE_VERBOSE, to stderr. Exits 0 when the guest reached its end marker
# and the console shows no kernel splat. PTSHARE_APPEND adds kernel
# arguments; NAME=VALUE ones without a dot reach /init's environment, e.g.
# PTSHARE_APPEND="PTSHARE_STRESS_SECONDS=20 PTSHARE_TESTS=stress".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: boot-guest.sh GUEST test|demo|record|bench|boot [CONSOLE_LOG]"
guest=$1 mode=$2
case $mode in test | demo | record | bench | boot) ;; *) die "unknown mode '$mode' (test, demo, record, bench, boot)" ;; esac
guest_row "$guest" || die "no guest row '$guest' in $PTSHARE_TARGETS"
kout=$PTSHARE_OUT/$G_KERNEL
[ -f "$kout/initramfs.cpio.gz" ] || die "$guest: build it first (scripts/build-guest.sh $G_KERNEL)"
mkdir -p "$PTSHARE_OUT/$guest"
log=${3:-$PTSHARE_OUT/$guest/console-$mode.log}

need_tools "$G_QEMU:qemu-system-$(case $G_QEMU in *x86_64 | *i386) echo x86 ;; *aarch64|*arm) echo arm ;; *) echo misc ;; esac)"

# TCG threading, per architecture (PTSHARE_TCG_THREAD=single|multi overrides):
# - x86-64 guests: all vCPUs on one host thread (thread=single), still -smp 2.
#   Linux patches live text with int3 (text_poke_bp: write int3, IPI sync,
#   body, sync, first byte, sync, then poke_int3_handler stops claiming the
#   address). QEMU 7.2's multi-threaded TCG translates guest code without the
#   page lock and links the block afterwards, unchecked: a vCPU that starts
#   translating while the int3 is there publishes a block that the patching
#   vCPU's invalidation never saw, and later runs the orphan int3: "Oops:
#   int3" in sched_clock_* at boot, about 1 boot in 3 on Debian 6.12 and 7.2
#   (fixed upstream in QEMU 8.1, deba78709ae8 "accel/tcg: Always lock pages
#   before translation"; not in bookworm's 7.2). One thread cannot race, and
#   x86 waits with PAUSE/HLT, which hand the thread to the other vCPU.
# - ARM and arm64: multi-threaded. 32-bit ARM patches each jump label under
#   stop_machine(), whose spin (cpu_relax() is a barrier on ARMv7) never
#   yields, so round-robin waits out TCG's 100 ms kick per hand-over: a
#   Debian 6.1 armmp guest did not reach /init in 180 s. stop_machine() is
#   coherent under multi-threaded TCG.
# scripts/boot-stress.sh GUEST N counts clean boots either way.
tcg_thread=${PTSHARE_TCG_THREAD:-}
if [ -z "$tcg_thread" ]; then
	case $G_QEMU in *x86_64|*i386) tcg_thread=single ;; *) tcg_thread=multi ;; esac
fi
# x86: on a loaded host, TCG's emulated time can make the kernel's IO-APIC
# timer check fail ("Kernel panic - not syncing: IO-APIC + timer doesn't
# work!" 0.05 s into boot, seen with the load average at 12 on 2 cores);
# no_timer_check is what virtual machines boot with for that reason.
# loglevel=5: reports printed at KERN_WARNING (WARN()'s "cut here" and
# "WARNING: CPU:", lockdep, dump_page) must reach the console, where
# scripts/check-console.sh looks for them; "quiet" (loglevel 4) hid them.
extra=
case $G_QEMU in *x86_64|*i386) extra=" no_timer_check" ;; esac
# The row's omit= option: tests this guest does not run (run_tests.sh reads
# PTSHARE_OMIT from /init's environment and says which it left out).
[ -z "$G_OMIT" ] || extra="$extra PTSHARE_OMIT=$G_OMIT"
# only=: the only tests it runs (run_tests.sh's PTSHARE_TESTS).
[ -z "$G_ONLY" ] || extra="$extra PTSHARE_TESTS=$G_ONLY"
# A row that runs the selftests through the kernel's kselftest runner
# (PTSHARE_KSELFTEST=1): the kernel's initramfs plus the installed kselftest
# tree (build-guest.sh makes kselftest.cpio.gz); the kernel unpacks the two
# archives one after the other.
initrd=$kout/initramfs.cpio.gz
case " $G_APPEND " in
*" PTSHARE_KSELFTEST=1 "*)
	[ -f "$kout/kselftest.cpio.gz" ] || die "$guest: no $(showpath "$kout/kselftest.cpio.gz"); build it (scripts/build-guest.sh $G_KERNEL)"
	cat "$kout/initramfs.cpio.gz" "$kout/kselftest.cpio.gz" >"$PTSHARE_OUT/$guest/initrd.cpio.gz"
	initrd=$PTSHARE_OUT/$guest/initrd.cpio.gz
	;;
esac
# x86: one core a socket. SeaBIOS's MP table lists the first CPU of each
# package, and QEMU's -smp N makes one package of N cores: a kernel without
# ACPI (the debug kernel, scripts/kconfig/guest-amd64.config) finds its
# CPUs in that table, and found one. Kernels with ACPI read all from MADT.
smp=$G_SMP
case $G_QEMU in *x86_64|*i386) smp="$G_SMP,sockets=$G_SMP" ;; esac
args=(-accel "tcg,thread=$tcg_thread" -m "$G_MEM" -smp "$smp" -nographic -no-reboot
	-kernel "$kout/vmlinuz" -initrd "$initrd"
	-append "console=$G_CONSOLE panic=-1 oops=panic loglevel=5 ptshare.mode=$mode$extra $G_APPEND ${PTSHARE_APPEND:-}")
[ "$G_MACHINE" = - ] || args+=(-M "$G_MACHINE")
# The firmware of the kernel's suite where fetch-kernel.sh found one
# (riscv64: Debian's OpenSBI, not QEMU 7.2's 1.1; doc/DESIGN.md).
[ ! -e "$kout/firmware" ] || args+=(-bios "$kout/firmware")
[ "$G_CPU" = - ] || args+=(-cpu "$G_CPU")

start=$(date +%s.%N)
status=0
if [ -n "${PTSHARE_VERBOSE:-}" ]; then
	timeout "$G_TIMEOUT" "$G_QEMU" "${args[@]}" </dev/null 2>&1 | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r//g' | tee "$log" >&2 || status=$?
else
	timeout "$G_TIMEOUT" "$G_QEMU" "${args[@]}" </dev/null 2>&1 | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r//g' >"$log" || status=$?
fi
end=$(date +%s.%N)
echo "$start $end" >"$PTSHARE_OUT/$guest/times-$mode"
# The CPU the guest took (QEMU's user + system time, the only children that
# did work): what it costs whatever else shared the machine.
times >"$PTSHARE_OUT/$guest/cpu-$mode.times"	# in this shell: a pipe would fork
times_cpu "$PTSHARE_OUT/$guest/cpu-$mode.times" >"$PTSHARE_OUT/$guest/cpu-$mode"
rm -f "$PTSHARE_OUT/$guest/cpu-$mode.times"
echo "tcg,thread=$tcg_thread -smp $smp" >"$PTSHARE_OUT/$guest/accel-$mode"

[ $status -eq 0 ] || msg "$guest: qemu exited with status $status (124: timed out)"
"$PTSHARE_TOP/scripts/check-console.sh" "$log" || status=1
grep -q '^ptshare-guest: done' "$log" || { msg "$guest: the guest did not finish (see $log)"; status=1; }
# The CPUs the guest found (its /init says): those the row asks for, or the
# tests ran on another machine than declared.
cpus=$(boot_cpus "$log")
if [ -n "$cpus" ] && [ "$cpus" != "$G_SMP" ]; then
	msg "$guest: the guest found $cpus CPU(s), the row asks for $G_SMP"
	status=1
fi
exit $status

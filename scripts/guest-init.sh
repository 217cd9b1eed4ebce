#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of ptshare's test initramfs. "ptshare.mode=test", "=demo", "=record" or "=bench"
# on the kernel command line says what to do; the console is the only output.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs dev /dev
# What udev would add: the kselftest runner writes to /dev/stdout.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || echo "ptshare-guest: debugfs cannot be mounted"
mount -t tmpfs tmp /tmp

mode=demo
for arg in $(cat /proc/cmdline); do
	case $arg in
	ptshare.mode=*) mode=${arg#ptshare.mode=} ;;
	ptshare.test_timeout=*) export PTSHARE_TEST_TIMEOUT=${arg#ptshare.test_timeout=} ;;
	esac
done

# Processes that exist before the module is loaded: the selftests expect them.
sleep 100000 </dev/null >/dev/null 2>&1 &
echo $! >/tmp/bg.pids
(while :; do sleep 100000; done) </dev/null >/dev/null 2>&1 &
echo $! >>/tmp/bg.pids

# (the CPUs: boot-guest.sh checks them against the row's VCPUS)
echo "ptshare-guest: booted $(uname -r) in $(cut -d' ' -f1 /proc/uptime) s, mode $mode," \
	"$(grep -c '^processor' /proc/cpuinfo) CPUs"
if [ "$mode" = boot ]; then
	# scripts/boot-stress.sh: the kernel reached /init; nothing else to do.
	:
elif ! insmod /ptshare/ptshare.ko; then
	echo "ptshare-guest: insmod failed"
	dmesg | tail -n 5
	mode=none
fi

# Where the files are: debugfs, or /proc/ptshare on a row that says so.
d=${PTSHARE_DIR:-/sys/kernel/debug/ptshare}
case $mode in
test)
	# A kernel that checks signatures gets signed modules and an unsigned copy (build-guest.sh).
	[ ! -f /ptshare/unsigned/ptshare.ko ] || export PTSHARE_UNSIGNED_KO=/ptshare/unsigned/ptshare.ko
	if [ "${PTSHARE_KSELFTEST:-}" = 1 ]; then
		# The tests as the kernel's kselftest framework installed them
		# (scripts/build-kselftest.sh), run by its own runner.
		cd /kselftest && PTSHARE_KO=/ptshare/ptshare.ko PTSHARE_VMTEST_KO=/ptshare/ptshare_vmtest.ko \
			./run_kselftest.sh -c ptshare
	else
		cd /ptshare && PTSHARE_KO=/ptshare/ptshare.ko PTSHARE_VMTEST_KO=/ptshare/ptshare_vmtest.ko \
			./run_tests.sh
	fi
	cd /
	# Debug kernels (DEBUG_KMEMLEAK): what the modules leaked. Unload them,
	# let their last objects age past kmemleak's 5 s minimum, scan twice and
	# print the report file: its "unreferenced object" lines fail the guest
	# in scripts/check-console.sh.
	kl=/sys/kernel/debug/kmemleak
	# Under lockdown debugfs refuses kmemleak's file for writing: no scan.
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	locked=
	[ ! -e /sys/kernel/security/lockdown ] || grep -q '\[none\]' /sys/kernel/security/lockdown ||
		locked=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/security/lockdown)
	if [ -e $kl ] && [ -n "$locked" ]; then
		echo "ptshare-guest: kmemleak: locked down ($locked): debugfs refuses the scan"
	elif [ -e $kl ]; then
		unloaded=
		for m in ptshare_vmtest ptshare; do
			grep -q "^$m " /proc/modules || continue
			if rmmod $m; then
				unloaded="$unloaded $m"
			else
				echo "ptshare-guest: kmemleak: rmmod $m failed"
			fi
		done
		echo "ptshare-guest: kmemleak: unloaded${unloaded:- nothing}; scanning twice"
		sleep 6
		if echo scan >$kl && sleep 6 && echo scan >$kl; then
			cat $kl
			echo "ptshare-guest: kmemleak: $(grep -c '^unreferenced object' $kl) unreferenced objects"
		else
			echo "ptshare-guest: kmemleak: scan failed (kmemleak disabled itself?)"
		fi
	fi
	;;
demo)
	/ptshare/tests/ldt_sleeper >/tmp/ldt.pid &
	sleep 1
	ldt=$(cat /tmp/ldt.pid)
	echo "ptshare-guest: \$ ptshare summary"
	ptshare summary
	echo "ptshare-guest: \$ ptshare cost"
	ptshare cost
	echo "ptshare-guest: \$ grep -E '^(pgd|slot|marker|range)' $d/master | head -n 24"
	grep -E '^(pgd|slot|marker|range)' $d/master | head -n 24
	echo "ptshare-guest: \$ echo pid 1,$ldt > $d/select"
	echo "pid 1,$ldt" >$d/select
	echo "ptshare-guest: \$ grep -v -E '^(region|level)| (SHARED|SAME) ' $d/dump"
	grep -v -E '^(region|level)| (SHARED|SAME) ' $d/dump
	;;
bench)
	# scripts/bench-module.sh: the figures, one console line each.
	if [ -x /ptshare/bench/guest-bench.sh ]; then
		/ptshare/bench/guest-bench.sh
	else
		echo "ptshare-bench: error no /ptshare/bench: build with PTSHARE_BENCH=1"
	fi
	;;
record)
	# A snapshot of the whole system for scripts/record-fixtures.sh, with a
	# process that called modify_ldt() (EXTRA under PTI).
	/ptshare/tests/ldt_sleeper >/tmp/ldt.pid &
	sleep 1
	if ptshare snapshot --all -o /tmp/ptshare.snap; then
		echo "ptshare-record-begin"
		cat /tmp/ptshare.snap
		echo "ptshare-record-end"
	else
		echo "ptshare-guest: snapshot failed"
	fi
	# The same after the LDT process ended: what "ptshare diff A B" shows.
	ldt=$(cat /tmp/ldt.pid)
	kill "$ldt"
	n=0
	while [ -d "/proc/$ldt" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if ptshare snapshot --all -o /tmp/after.snap; then
		echo "ptshare-record-after-begin"
		cat /tmp/after.snap
		echo "ptshare-record-after-end"
	else
		echo "ptshare-guest: snapshot after the LDT process failed"
	fi
	;;
esac
echo "ptshare-guest: done"
# Power off only once the console has sent that line. echo returns when
# the line is in the tty's buffer; the serial driver sends it out later,
# and powering off drops what it has not sent, while the kernel prints
# its own last line synchronously: "reboot: Power down" came without the
# "done" before it in 1 of 340 riscv64 boots. stty applies settings with
# TCSADRAIN, which returns when the tty's output has gone out: setting
# what is already set waits for that and changes nothing (at most 10 s: a
# stuck transmitter must not keep the guest up).
timeout 10 stty -F /dev/console "$(stty -F /dev/console -g 2>/dev/null)" 2>/dev/null || sleep 1
# One way to power off, then the other only if it returned: both at once
# (sysrq's work item and reboot(2) racing in kernel_power_off()) left an
# x86 guest spinning after "reboot: Power down", 1 boot in 16 on 7.2.
# An x86 kernel without ACPI (the debug kernel built here,
# scripts/kconfig/guest-amd64.config) cannot power off: it
# resets, and QEMU, run with -no-reboot, ends there.
off=poweroff sysrq=o
case $(uname -m) in
x86_64 | i?86) [ -d /sys/firmware/acpi ] || off=reboot sysrq=b ;;
esac
$off -f
echo $sysrq >/proc/sysrq-trigger 2>/dev/null
sleep 60

#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# In the guest, for scripts/bench-module.sh (ptshare.mode=bench): for each P
# of PTSHARE_BENCH_P (default 100,1000,10000) grow the extra processes to P
# (spawn), then measure with readtime the median of PTSHARE_BENCH_REPS reads
# (default 5; PTSHARE_BENCH_REPS_BIG, default 3, for dump with select all)
# of summary, dump (select all; pid 1; comm readtime: the reader), master, the floor
# (ptshare_floor.ko) and the kernel's own page-table dump (summary and the
# floor read by turns, and master and ptdump; see paired); and the kernel's
# slab and vmalloc use before and after loading ptshare and while a reader
# of each file is open. Every result is one console line:
#   ptshare-bench: time P WHAT MEDIAN_US MIN_US MAX_US BYTES LINES
#   ptshare-bench: mem P STATE SLAB_KB SUNRECLAIM_KB VMALLOC_KB
#   ptshare-bench: procs P PROCESSES THREADS
#   ptshare-bench: clocksource NAME
# and "ptshare-bench: error ..." when something could not be measured.
# PTSHARE_BENCH_ONLY (commas: summary,floor,dump-one,dump-comm,dump-all,
# master,ptdump,mem,prof) measures only those; prof, only when named,
# samples where the kernel spends reads of summary and of master (REPS at a
# time, until 2,000 samples or 200 reads; ptshare_prof.ko) and prints the
# functions with the most samples (the other CPU's idle loop among them):
#   ptshare-bench: prof P WHAT PERCENT SAMPLES FUNCTION
# dump with select all is skipped
# (a "skip" line says so) when it would print more than
# PTSHARE_BENCH_MAX_LINES lines (default 5,000,000; pid 1's dump lines times
# the processes): 32-bit ARM's processes lack most vmalloc slots at 10,000,
# and each dump lists the master's tables under them, 22,000 lines. With $b/before-ptshare.ko (an
# earlier revision's module: bench-module.sh --before REV) the module's reads
# are measured with it too, after this one's, as before-summary and so on.
d=/sys/kernel/debug/ptshare
b=/ptshare/bench
plist=$(echo "${PTSHARE_BENCH_P:-100,1000,10000}" | tr , ' ')
reps=${PTSHARE_BENCH_REPS:-5}
reps_big=${PTSHARE_BENCH_REPS_BIG:-3}
only=$(echo "${PTSHARE_BENCH_ONLY:-}" | tr , ' ')
max_lines=${PTSHARE_BENCH_MAX_LINES:-5000000}
one_lines=

# want WHAT: whether PTSHARE_BENCH_ONLY leaves WHAT in.
want() {
	[ -z "$only" ] && return 0
	case " $only " in *" $1 "*) return 0 ;; esac
	return 1
}

say() { echo "ptshare-bench: $*"; }

# Room for 10,000 processes and their threads.
echo 4194304 >/proc/sys/kernel/pid_max 2>/dev/null || echo 65536 >/proc/sys/kernel/pid_max
echo 200000 >/proc/sys/kernel/threads-max

ptdump=
for f in /sys/kernel/debug/page_tables/kernel /sys/kernel/debug/kernel_page_tables; do
	[ -r $f ] && ptdump=$f && break
done
[ -n "$ptdump" ] || say "error no kernel page-table dump in debugfs (PTDUMP_DEBUGFS off?)"

# The clock every figure is read with (readtime: CLOCK_MONOTONIC). A tick
# clock makes each figure a whole number of ticks (4 ms at HZ=250): an x86
# kernel without ACPI has no HPET and no ACPI PM timer, and the watchdog
# drops TCG's TSC for lagging behind the jiffies (scripts/kconfig/
# plain-amd64.config gives the benchmark's kernel ACPI; the debug one has
# none).
cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
say "clocksource ${cs:-unknown}"
case $cs in
*jiffies*) say "error the clock is $cs: every time is a whole number of ticks" ;;
esac
insmod $b/ptshare_floor.ko || say "error insmod ptshare_floor.ko failed"

mem() { # P STATE
	set -- "$1" "$2" $(awk '/^Slab:/ { s = $2 } /^SUnreclaim:/ { u = $2 }
		/^VmallocUsed:/ { v = $2 } END { print s, u, v }' /proc/meminfo)
	say "mem $*"
}

# Let frees of the steps before land (RCU, per-CPU caches) before a sample.
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 2; echo 3 >/proc/sys/vm/drop_caches; sleep 1; }

timed() { # P WHAT REPS READTIME-ARGS...
	p=$1 what=$2 n=$3
	shift 3
	want "${what#before-}" || return 0
	case $what in *dump-all)
		if [ -n "$one_lines" ] && [ $((one_lines * procs)) -gt "$max_lines" ]; then
			say "skip $p $what: about $((one_lines * procs)) lines (PTSHARE_BENCH_MAX_LINES $max_lines)"
			return 0
		fi ;;
	esac
	if r=$($b/readtime -n "$n" "$@"); then
		say "time $p $what $r"
		[ "$what" != dump-one ] || one_lines=$(echo "$r" | cut -d' ' -f5)
	else
		say "error $p $what: readtime failed"
	fi
}

# paired P WHAT1 WHAT2 REPS FILE1 FILE2: as timed, the two files read by
# turns, so that the ratio of the two compares reads that met the same state
# of the guest (a TCG guest here swings 1.5x between runs seconds apart).
paired() {
	if ! want "$2" || ! want "$3"; then
		timed "$1" "$2" "$4" "$5"
		timed "$1" "$3" "$4" "$6"
		return 0
	fi
	if r=$($b/readtime -n "$4" "$5" "$6"); then
		say "time $1 $2 $(echo "$r" | sed -n 1p)"
		say "time $1 $3 $(echo "$r" | sed -n 2p)"
	else
		say "error $1 $2 and $3: readtime failed"
	fi
}

# prof P WHAT FILE: the kernel functions REPS reads of FILE spend most
# samples in (ptshare_prof.ko), when PTSHARE_BENCH_ONLY names prof.
prof() {
	case " $only " in *" prof "*) ;; *) return 0 ;; esac
	pf=/sys/kernel/debug/ptshare_prof
	[ -w $pf ] || insmod $b/ptshare_prof.ko || { say "error insmod ptshare_prof.ko"; return 0; }
	# the samples come at the guest's tick (250 Hz here): read until 2,000
	echo 1 >$pf
	n=0
	while [ "$(head -n 1 $pf | cut -d' ' -f2)" -lt 2000 ] && [ $n -lt 200 ]; do
		$b/readtime -n "$reps" "$3" >/dev/null || { say "error $1 prof $2: readtime failed"; break; }
		n=$((n + reps))
	done
	echo 0 >$pf
	set -- "$1" "$2" $(head -n 1 $pf)	# P WHAT samples TOTAL user USER lost LOST
	# "COUNT FUNCTION+0xOFF/0xSIZE [MODULE]": by function; past its end is not it
	{ echo "$6 (user)"; sed 1d $pf; } | awk '
	function hex(s,   i, n) {
		sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}
	{
		f = $2; i = index(f, "+")
		if (i) {
			split(substr(f, i + 1), o, "/")
			f = substr(f, 1, i - 1)
			if (hex(o[1]) >= hex(o[2])) f = f "(past-its-end)"
		}
		n[f] += $1
	} END { for (f in n) print n[f], f }' |
		sort -rn | head -n 25 | while read -r c f; do
			say "prof $1 $2 $(awk -v c="$c" -v t="$4" 'BEGIN { printf "%.1f", t ? 100 * c / t : 0 }') $c $f"
		done
	[ "$8" = 0 ] || say "prof $1 $2 - $8 (lost: the table was full)"
}

have=0
for p in $plist; do
	if [ "$p" -gt "$have" ]; then
		t0=$(cut -d' ' -f1 /proc/uptime)
		if ! $b/spawn $((p - have)) >/tmp/spawn.out; then
			say "error spawning $((p - have)) processes: $(cat /tmp/spawn.out)"
			break
		fi
		have=$p
		say "spawned $p in $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" \
			'BEGIN { printf "%.1f", b - a }') s"
	fi
	procs=$(ls -d /proc/[0-9]* | wc -l)
	threads=$(awk '/^Threads:/ { n += $2 } END { print n }' /proc/[0-9]*/status 2>/dev/null)
	say "procs $p $procs $threads"

	# memory: the module's own use must not grow with P
	if want mem; then
		rmmod ptshare
		settle
		mem "$p" unloaded
		insmod /ptshare/ptshare.ko || { say "error insmod ptshare.ko"; break; }
		settle
		mem "$p" loaded
		for f in summary dump master; do
			[ $f = dump ] && echo all >$d/select
			$b/readtime --hold $d/$f >/tmp/held &
			hp=$!
			n=0
			while ! grep -q held /tmp/held && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
			mem "$p" "reader-$f"
			kill $hp
			wait $hp 2>/dev/null
			rm -f /tmp/held
		done
	fi

	paired "$p" summary floor "$reps" $d/summary /sys/kernel/debug/ptshare_floor
	prof "$p" summary $d/summary
	prof "$p" master $d/master
	timed "$p" dump-one "$reps" -s $d/select "pid 1" $d/dump
	timed "$p" dump-comm "$reps" -s $d/select "comm readtime" $d/dump
	timed "$p" dump-all "$reps_big" -s $d/select all $d/dump
	if [ -n "$ptdump" ]; then
		paired "$p" master ptdump "$reps" $d/master "$ptdump"
	else
		timed "$p" master "$reps" $d/master
	fi
	if [ -f $b/before-ptshare.ko ]; then
		if rmmod ptshare && insmod $b/before-ptshare.ko; then
			timed "$p" before-summary "$reps" $d/summary
			timed "$p" before-dump-comm "$reps" -s $d/select "comm readtime" $d/dump
			timed "$p" before-dump-all "$reps_big" -s $d/select all $d/dump
			timed "$p" before-master "$reps" $d/master
			rmmod ptshare
		else
			say "error $p: could not load before-ptshare.ko"
		fi
		insmod /ptshare/ptshare.ko || { say "error insmod ptshare.ko"; break; }
	fi
	say "floor $p $(cat /sys/kernel/debug/ptshare_floor)"
done
say "done"

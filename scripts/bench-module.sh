#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-module.sh [--record] [--before REV] [GUEST...]
#
# A benchmark, not a test: how the module's reads grow with the number of
# processes, against the least work they must do and against the kernel's
# own page-table dumper, in one guest per architecture (default: the manual
# rows bench-x86_64, bench-arm and bench-arm64 of targets.conf; their plain
# 6.12 kernels, built here from Debian's source, have PTDUMP_DEBUGFS and no
# debug options). In each guest (scripts/bench/guest-bench.sh), for P extra
# processes (PTSHARE_BENCH_P, default 100,1000,10000; scripts/bench/spawn.c:
# one in ten with two threads, one in ten sharing its mm with a clone), the
# median of PTSHARE_BENCH_REPS reads (default 5; 3 for dump with select
# all) of:
#   summary, dump (select all, select pid 1, select comm readtime), master;
#   floor: scripts/bench/floor/ptshare_floor.ko, which pins each process's mm,
#     memcmp()s the kernel half of its top-level table with init_mm's and
#     looks at its user half: the least a summary can do;
#   ptdump: the kernel's own dumper (page_tables/kernel on x86-64,
#     kernel_page_tables on ARM and arm64), against master;
# summary and the floor are read by turns, and master and ptdump: each
# ratio compares reads that met the same state of the guest (a TCG guest
# here swings 1.5x between runs of reads seconds apart);
# and the kernel's slab and vmalloc use (meminfo) before and after loading
# the module and while a reader of each file is open. PTSHARE_BENCH_ONLY
# (commas, of summary floor dump-one dump-comm dump-all master ptdump mem
# prof) measures only those: the others print as "-". prof, only when
# named, samples where the guest's kernel spends the reads of summary and
# master (scripts/bench/prof/ptshare_prof.ko: no perf in TCG guests) and
# lists the functions with the most samples under the table. dump with select all is
# not measured where it would print more than PTSHARE_BENCH_MAX_LINES lines
# (default 5,000,000; the table says so).
#
# --before REV: the module of git revision REV too, in the same guest with
# the same processes (after this tree's), for the figures before a change.
#
# Prints one table per guest, each goal's ratio beside the figures it is
# made of (the goals: README.md, "Performance of the module"), and keeps
# them in out/bench-module/; with
# --record also in doc/bench-module.txt, which README.md shows. Absolute
# times are TCG's on this machine: only the ratios compare across machines.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

record= before=
while [ $# -gt 0 ]; do
	case $1 in
	--record) record=1 ;;
	--before)
		[ $# -ge 2 ] || die "--before needs a git revision"
		before=$(git -C "$PTSHARE_TOP" rev-parse --short "$2^{commit}" 2>/dev/null) ||
			die "--before: '$2' is no commit of $PTSHARE_TOP"
		shift
		;;
	-*) die "usage: bench-module.sh [--record] [--before REV] [GUEST...]" ;;
	*) break ;;
	esac
	shift
done
guests=("$@")
[ ${#guests[@]} -gt 0 ] || guests=(bench-x86_64 bench-arm bench-arm64)
plist=${PTSHARE_BENCH_P:-100,1000,10000}
reps=${PTSHARE_BENCH_REPS:-5}
reps_big=${PTSHARE_BENCH_REPS_BIG:-3}
case $plist in *[!0-9,]* | ,* | *, | *,,* | '') die "PTSHARE_BENCH_P: numbers separated by commas, not '$plist'" ;; esac
only=${PTSHARE_BENCH_ONLY:-}
max_lines=${PTSHARE_BENCH_MAX_LINES:-}
case $max_lines in *[!0-9]*) die "PTSHARE_BENCH_MAX_LINES: a number, not '$max_lines'" ;; esac
for w in ${only//,/ }; do
	case $w in summary | floor | dump-one | dump-comm | dump-all | master | ptdump | mem | prof) ;;
	*) die "PTSHARE_BENCH_ONLY: '$w' is none of summary floor dump-one dump-comm dump-all master ptdump mem prof" ;;
	esac
done
for n in "$reps" "$reps_big"; do
	case $n in '' | *[!0-9]* | 0) die "PTSHARE_BENCH_REPS and _BIG: positive numbers" ;; esac
done
for g in "${guests[@]}"; do
	guest_row "$g" || die "no guest row '$g' in $PTSHARE_TARGETS (have: $(guest_names | xargs))"
done
need_host_tools
dir=$PTSHARE_OUT/bench-module
mkdir -p "$dir"
if [ -n "$before" ]; then
	# that revision's module source, for build-guest.sh
	rm -rf "$dir/before-src"
	mkdir -p "$dir/before-src"
	git -C "$PTSHARE_TOP" archive "$before" Kbuild module include | tar -x -C "$dir/before-src"
	export PTSHARE_BENCH_BEFORE_SRC=$dir/before-src
fi

# table GUEST LOG: the figures of one guest's console, as a table.
table() {
	awk -v guest="$1" -v accel="$2" -v reps="$reps" -v reps_big="$reps_big" -v before="$before" '
	function ms(us) { return sprintf("%.1f", us / 1000) }
	function ratio(a, b) { return (b + 0 > 0 && a != "") ? sprintf("%.2f", a / b) : "-" }
	# A figure, or "" when the guest did not print it. Never t[...] as an
	# argument: a missing element created in a call crashed gawk 5.2
	# ("internal error: eval.c, unexpected parameter type Node_frame").
	function tv(p, k) { return ((p, k) in t) ? t[p, k] : "" }
	{ sub(/^.*ptshare-bench: /, "ptshare-bench: "); sub(/^.*ptshare-guest: /, "ptshare-guest: ") }
	/^ptshare-guest: booted/ { release = $3 }
	/^ptshare-bench: clocksource / { clock = $3 }
	/^ptshare-bench: procs / { p = $3; ps[++np] = p; procs[p] = $4; threads[p] = $5 }
	/^ptshare-bench: time / { t[$3, $4] = $5; bytes[$3, $4] = $8; lines[$3, $4] = $9 }
	/^ptshare-bench: mem / { m[$3, $4] = $5 + $7 }	# slab + vmalloc, KiB
	/^ptshare-bench: error / { sub(/.*ptshare-bench: /, ""); errors = errors "  " $0 "\n" }
	/^ptshare-bench: skip / { sub(/.*ptshare-bench: skip /, ""); skips = skips "  " $0 "\n" }
	/^ptshare-bench: prof / {
		sub(/.*ptshare-bench: prof /, "")
		profs = profs sprintf("  %6s %-8s %5.1f%% %7d  %s\n", $1, $2, $3, $4, $5)
	}
	function row(label, key, f,   i, s) {
		s = sprintf("%-38s", label)
		for (i = 1; i <= np; i++)
			s = s sprintf(" %10s", f == "ms" ? ((ps[i], key) in t ? ms(t[ps[i], key]) : "-") : \
				f == "MB" ? ((ps[i], key) in bytes ? sprintf("%.1f", bytes[ps[i], key] / 1048576) : "-") : f)
		return s
	}
	function rrow(label, a, b,   i, s) {
		s = sprintf("%-38s", label)
		for (i = 1; i <= np; i++)
			s = s sprintf(" %10s", ratio(tv(ps[i], a), tv(ps[i], b)))
		return s
	}
	END {
		printf "%s: Linux %s, %s, clocksource %s\n", guest, release, accel, clock
		s = sprintf("%-38s", "extra processes P")
		for (i = 1; i <= np; i++) s = s sprintf(" %10s", ps[i])
		print s
		s = sprintf("%-38s", "processes (threads) in the guest")
		for (i = 1; i <= np; i++) s = s sprintf(" %10s", procs[ps[i]] "(" threads[ps[i]] ")")
		print s
		if (before != "")
			print "this module; below (before:) the module of " before
		print row("summary ms", "summary", "ms")
		print row("floor ms", "floor", "ms")
		print rrow("  summary / floor (goal <= 2)", "summary", "floor")
		print row("dump select all ms", "dump-all", "ms")
		print row("  its output MB", "dump-all", "MB")
		s = sprintf("%-38s", "  / (3 floor + lines x per line) <= 1")
		for (i = 1; i <= np; i++) {
			p = ps[i]
			per = ((p, "dump-one") in lines) && lines[p, "dump-one"] > 0 ? tv(p, "dump-one") / lines[p, "dump-one"] : ""
			allow = tv(p, "floor") == "" || per == "" || !((p, "dump-all") in lines) ? "" :
				3 * tv(p, "floor") + lines[p, "dump-all"] * per
			s = s sprintf(" %10s", ratio(tv(p, "dump-all"), allow))
		}
		print s
		print row("dump select pid 1 ms", "dump-one", "ms")
		print row("dump select comm readtime ms", "dump-comm", "ms")
		print rrow("  comm / pid (goal ~ 1)", "dump-comm", "dump-one")
		print row("master ms", "master", "ms")
		print row("kernel ptdump ms", "ptdump", "ms")
		print rrow("  master / ptdump (goal <= 1)", "master", "ptdump")
		if (before != "") {
			print row("before: summary ms", "before-summary", "ms")
			print rrow("  summary / floor", "before-summary", "floor")
			print rrow("  this summary / before", "summary", "before-summary")
			print row("before: dump select all ms", "before-dump-all", "ms")
			print rrow("  this dump select all / before", "dump-all", "before-dump-all")
			print row("before: dump select comm ms", "before-dump-comm", "ms")
			print rrow("  this dump select comm / before", "dump-comm", "before-dump-comm")
			print row("before: master ms", "before-master", "ms")
			print rrow("  master / ptdump", "before-master", "ptdump")
		}
		s = sprintf("%-38s", "summary growth, this P / previous")
		for (i = 1; i <= np; i++)
			s = s sprintf(" %10s", i > 1 ? ratio(tv(ps[i], "summary"), tv(ps[i - 1], "summary")) : "-")
		print s
		print "module memory, slab + vmalloc KiB (goal: the same at every P)"
		n = split("loaded reader-summary reader-dump reader-master", st, " ")
		for (j = 1; j <= n; j++) {
			s = sprintf("  %-36s", st[j] " - " (j == 1 ? "unloaded" : "loaded"))
			for (i = 1; i <= np; i++) {
				p = ps[i]
				base = j == 1 ? m[p, "unloaded"] : m[p, "loaded"]
				s = s sprintf(" %10s", ((p, st[j]) in m) ? m[p, st[j]] - base : "-")
			}
			print s
		}
		printf "medians of %d reads (dump select all: %d)\n", reps, reps_big
		if (skips != "") printf "not measured (-):\n%s", skips
		if (profs != "") printf "sampled (ptshare_prof.ko): P, read, share of samples, samples, function\n%s", profs
		if (errors != "") printf "errors:\n%s", errors
	}' "$3"
}

host=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
	echo "\$ ./scripts/bench-module.sh${before:+ --before $before} ${guests[*]}"
	echo "$(date -u +%Y-%m-%d) on $(nproc) x ${host:-$(uname -m)} (QEMU TCG guests; ratios compare across machines, times do not)"
} >"$dir/tables.txt"
status=0
for g in "${guests[@]}"; do
	guest_row "$g"
	PTSHARE_BENCH=1 "$PTSHARE_TOP/scripts/build-guest.sh" "$G_KERNEL" >/dev/null
	log=$dir/$g.log
	rm -f "$log"
	msg "$g: booting (-m $G_MEM, P = $plist); progress below, console in $(showpath "$log")"
	PTSHARE_APPEND="PTSHARE_BENCH_P=$plist PTSHARE_BENCH_REPS=$reps PTSHARE_BENCH_REPS_BIG=$reps_big${only:+ PTSHARE_BENCH_ONLY=$only}${max_lines:+ PTSHARE_BENCH_MAX_LINES=$max_lines}" \
		"$PTSHARE_TOP/scripts/boot-guest.sh" "$g" bench "$log" &
	pid=$!
	shown=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		n=$(grep -c 'ptshare-bench:' "$log" 2>/dev/null) || n=0
		if [ "$n" -gt "$shown" ]; then
			grep 'ptshare-bench:' "$log" | sed -n "$((shown + 1)),${n}p" | sed 's/^.*ptshare-bench: /  /' >&2
			shown=$n
		fi
	done
	wait "$pid" || { msg "$g: the guest did not end cleanly (see $(showpath "$log"))"; status=1; }
	grep -q 'ptshare-bench: done' "$log" || status=1
	{ echo; table "$g" "$(cat "$PTSHARE_OUT/$g/accel-bench"), -m $G_MEM" "$log"; } >>"$dir/tables.txt"
done
cat "$dir/tables.txt"
if [ -n "$record" ]; then
	cp "$dir/tables.txt" "$PTSHARE_TOP/doc/bench-module.txt"
	msg "kept in doc/bench-module.txt (README.md shows it: scripts/readme-output.sh)"
fi
exit $status

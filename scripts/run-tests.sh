#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh [GUEST...]
#
# The whole test run: the tool's host tests, then ptshare built for every
# kernel of scripts/targets.conf and every guest configuration (default: all
# of them) booted in QEMU with the selftests run in it. A guest fails on any
# failed test, any kernel report in its console, a set of skipped tests
# that differs from its row's declaration, or fewer or more CPUs than its
# row's VCPUS. Guests run side by side, up to
# PTSHARE_JOBS at once (default: nproc), each in its own out/GUEST/; kernels
# are built while guests run, in two lanes (compiled here; Debian's). Prints
# a progress line per guest, then the per-configuration table in
# targets.conf order, and ends with "N passed, M failed, K skipped". Installs what it needs when root.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

need_host_tools
mkdir -p "$PTSHARE_OUT"
guests=("$@")
[ ${#guests[@]} -gt 0 ] || mapfile -t guests < <(default_guest_names)
[ ${#guests[@]} -gt 0 ] || die "no guest rows in $PTSHARE_TARGETS"
for g in "${guests[@]}"; do
	guest_row "$g" || die "no guest row '$g' in $PTSHARE_TARGETS (have: $(guest_names | xargs))"
done
jobs_max=${PTSHARE_JOBS:-$(nproc)}
case $jobs_max in '' | *[!0-9]* | 0) die "PTSHARE_JOBS must be a positive number" ;; esac

t0=$(date +%s)
# One run at a time per out/: a second one would remove this one's state.
exec {run_lock}>"$PTSHARE_OUT/.run.lock"
flock -n "$run_lock" || die "another run-tests.sh is running with $(showpath "$PTSHARE_OUT")" \
	"(set PTSHARE_OUT to run one beside it)"
state=$PTSHARE_OUT/.run
rm -rf "$state"
mkdir -p "$state"
pids=()
# Stop a job and everything it started (QEMU included).
kill_tree() {
	local c
	for c in $(pgrep -P "$1"); do kill_tree "$c"; done
	kill "$1" 2>/dev/null
}
cleanup() {
	local p
	for p in "${pids[@]}"; do kill_tree "$p"; done
}
trap 'cleanup; exit 130' INT TERM

# The CPU seconds (user + system) of the processes this job waited for, as
# bash's times builtin counts them, into $state/cpu-NAME: with the guests'
# own (boot-guest.sh), what each part of the run cost, whatever ran beside.
job_cpu() {
	times >"$state/times-$1"
	times_cpu "$state/times-$1" >"$state/cpu-$1"
}

# The host tests: one line of totals and the failures; the TAP in
# out/host-tools.tap. Run in the background from the start.
host_job() {
	local tap=$PTSHARE_OUT/host-tools.tap status hp hf
	"$PTSHARE_TOP/tools/tests/run.sh" >"$tap" 2>&1
	status=$?
	read -r hp hf < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$tap" | tail -n 1)
	if [ -z "${hp:-}" ] || { [ "$status" -ne 0 ] && [ "${hf:-0}" -eq 0 ]; }; then
		{
			tail -n 20 "$tap" | sed 's/^/  /'
			echo "  not ok host: tools/tests/run.sh did not finish (status $status)"
		} >"$state/host.report"
		hp=${hp:-0} hf=$((${hf:-0} + 1))
	else
		grep -E '^not ok [0-9]+ ' "$tap" | sed 's/^/  /' >"$state/host.report"
	fi
	echo "$hp $hf" >"$state/host.result"
	job_cpu host
}

# The install routes (scripts/test-install.sh: Debian packages, DKMS against
# each series, signing): once every kernel is built, as one more job with a
# slot of its own. In the default run (no GUEST named), or with
# PTSHARE_INSTALL=1; PTSHARE_INSTALL=0 leaves them out.
install_job() {
	local tap=$PTSHARE_OUT/install.tap status ip if
	"$PTSHARE_TOP/scripts/test-install.sh" >"$tap" 2>"$PTSHARE_OUT/install.err"
	status=$?
	ip=$(grep -cE '^ok [0-9]+ ' "$tap")
	if=$(grep -cE '^not ok [0-9]+ ' "$tap")
	grep -E '^not ok [0-9]+ ' "$tap" | sed 's/^/  /' >"$state/install.report"
	if [ "$status" -ne 0 ] && [ "$if" -eq 0 ]; then
		{
			tail -n 20 "$PTSHARE_OUT/install.err" | sed 's/^/  /'
			echo "  not ok install: scripts/test-install.sh did not finish (status $status)"
		} >>"$state/install.report"
		if=1
	fi
	echo "$ip $if" >"$state/install.result"
	job_cpu install
}
install_wanted=${PTSHARE_INSTALL:-}
[ -n "$install_wanted" ] || { [ $# -eq 0 ] && install_wanted=1; } || install_wanted=0

# The order guests start in: the slow ones first, so the run does not end
# with one of them alone on a core: the debug kernels' rows (190 to 420 s),
# then arm64 under TCG (2-4 times the other production rows). The table
# keeps targets.conf order.
order=()
for slow in 2 1 0; do
	for g in "${guests[@]}"; do
		guest_row "$g"
		read -r _ _ flavor _ <<<"$(kernel_row "$G_KERNEL")"
		case $flavor:$G_QEMU in debug:*) s=2 ;; *:*aarch64) s=1 ;; *) s=0 ;; esac
		[ $s -eq $slow ] && order+=("$g")
	done
done

# The kernels, in two lanes beside each other, each in the order the guests
# start: the kernels compiled here from source (debug and plain rows: 5 to
# 14 minutes each when the cache is cold) and Debian's prebuilt ones (the
# module only, 20 to 60 s), so that a cold run's guests start on the second
# while the first compiles (one lane left the guest slots empty for the
# first 15 minutes, and the production rows waited for all four debug
# kernels); $state/build-KERNEL says ok or failed. The Buildroot images (cold, 6 to 7
# minutes each alone, of a whole image) are built by jobs of their own, one
# per image, beside the first, at the lowest CPU priority (nice 19): they use
# what the kernel builds and the guests leave idle (a single-threaded x86
# guest, configure scripts, downloads) and slow neither. After the kernels in
# line, a cold run's last 14 minutes were the two images alone (3016 s); in
# one nice job, the second image was built alone at the end (3571 s, with
# other work on the machine); side by side, the two share what is left.
kernels=()
compiled=()
prebuilt=()
late=()
declare -A seen=() kernel_of=()
for g in "${order[@]}"; do
	guest_row "$g"
	kernel_of[$g]=$G_KERNEL
	[ -n "${seen[$G_KERNEL]:-}" ] && continue
	seen[$G_KERNEL]=1
	read -r _ _ flavor _ <<<"$(kernel_row "$G_KERNEL")"
	case $flavor in
	buildroot) late+=("$G_KERNEL") ;;
	debug | plain) compiled+=("$G_KERNEL") kernels+=("$G_KERNEL") ;;
	*) prebuilt+=("$G_KERNEL") kernels+=("$G_KERNEL") ;;
	esac
done
build_job() { # [nice] KERNEL...
	local k b pre=() what=build-$1 done_cpu=0 now
	[ "${1:-}" != nice ] || { pre=(nice -n 19); shift; what=buildroot-$1; }
	for k in "$@"; do
		mkdir -p "$PTSHARE_OUT/$k"
		# Its step lines reach the terminal whole, once the build ended (guest
		# lines print meanwhile); a failed build's end is shown again under
		# each guest that needed the kernel.
		"${pre[@]}" "$PTSHARE_TOP/scripts/build-guest.sh" "$k" >/dev/null 2>"$state/build-$k.err"
		b=$?
		cat "$state/build-$k.err" >&2
		if [ $b -eq 0 ]; then
			echo ok >"$state/build-$k"
		else
			echo failed >"$state/build-$k"
		fi
		# This kernel's share: the lane's CPU so far, less the kernels before.
		job_cpu "kernel-$k"
		now=$(cat "$state/cpu-kernel-$k")
		echo "$k $((now - done_cpu))" >"$state/kcpu-$k"
		done_cpu=$now
	done
	job_cpu "$what"
}

# Each failed selftest of a console log, with why: its own failed checks
# ("# not ok", at most 12) and the last 8 lines it printed about itself
# ("# # ..."; ksft_info, "first difference: ..."), so that a CI log whose
# consoles are gone still says what broke.
failed_test_lines() {
	awk '/^# selftests: / { n = 0; m = 0; next }
		/^# not ok / { if (n < 12) why[n++] = $0; next }
		/^# # / { info[m++ % 8] = $0; next }
		/^not ok [0-9]+ selftests: / {
			print "  " $0
			for (i = 0; i < n; i++) print "    " why[i]
			for (i = (m > 8 ? m - 8 : 0); i < m; i++) print "    " info[i % 8]
			n = 0; m = 0
		}' "$1"
}

# One guest: boot it, count its results, compare its skips with the row.
# Writes $state/GUEST.result: "pass fail skip boot_s run_s|note".
guest_job() {
	local g=$1 log gp gs gf planned status note skipped declared omitted boot s e wall
	guest_row "$g"
	log=$PTSHARE_OUT/$g/console-test.log
	mkdir -p "$PTSHARE_OUT/$g"
	"$PTSHARE_TOP/scripts/boot-guest.sh" "$g" test "$log" 2>"$PTSHARE_OUT/$g/boot.err"
	status=$?
	gp=$(grep -cE '^ok [0-9]+ selftests: [^#]*$' "$log")
	gs=$(grep -cE '^ok [0-9]+ selftests: .* # SKIP' "$log")
	gf=$(grep -cE '^not ok [0-9]+ selftests: ' "$log")
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
	skipped=$(sed -n 's/^ok [0-9]* selftests: ptshare: \([a-z0-9_]*\) # SKIP.*/\1/p' "$log" |
		sort | paste -sd, -)
	declared=$G_SKIPS
	# Tests the row omits (omit=): the guest names those it left out.
	omitted=$(sed -n 's/^# omitted: \(.*\)$/\1/p' "$log" | head -n 1 | tr ',' '\n' |
		sed '/^-\?$/d' | sort | paste -sd, -)
	{
		failed_test_lines "$log"
		[ $status -eq 0 ] || sed 's/^/  /' "$PTSHARE_OUT/$g/boot.err"
	} >"$state/$g.report"
	note="skips as declared"
	if [ $status -ne 0 ]; then
		note="console report, guest did not finish or other CPUs"
		gf=$((gf + 1))
	elif [ -z "$planned" ] || [ $((gp + gs + gf)) -ne "$planned" ]; then
		note="ran $((gp + gs + gf)) of ${planned:-?} tests"
		gf=$((gf + 1))
	elif [ "$omitted" != "$G_OMIT" ]; then
		note="omitted {${omitted}}, declared {${G_OMIT}}"
		gf=$((gf + 1))
	elif [ "$skipped" != "$declared" ]; then
		note="skipped {${skipped}}, declared {${declared}}"
		gf=$((gf + 1))
		awk '/^# selftests: ptshare: / { t = $4 }
			/^# 1\.\.0 # SKIP / { sub(/^# 1\.\.0 # SKIP /, ""); print "  " t " skipped: " $0 }' \
			"$log" >>"$state/$g.report"
	else
		gp=$((gp + 1))
	fi
	boot=$(boot_seconds "$log")
	read -r s e <"$PTSHARE_OUT/$g/times-test" 2>/dev/null || s=0 e=0
	wall=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.0f", e - s }')
	echo "$gp $gf $gs ${boot:-?} $wall|$note" >"$state/$g.result"
}

if [ -z "${PTSHARE_SKIP_HOST:-}" ]; then
	echo "host tests (tools/tests/run.sh) started; TAP in out/host-tools.tap"
	host_job &
	host_pid=$!
	pids+=("$host_pid")
fi
echo "building ptshare for $((${#kernels[@]} + ${#late[@]})) kernel(s) (${#late[@]} of them Buildroot images); ${#guests[@]} guest(s), up to $jobs_max at once"
build_pids=()
if [ ${#compiled[@]} -gt 0 ]; then
	build_job "${compiled[@]}" &
	build_pids+=($!)
fi
if [ ${#prebuilt[@]} -gt 0 ]; then
	build_job "${prebuilt[@]}" &
	build_pids+=($!)
fi
pids+=("${build_pids[@]}")
# Whether a lane is still building.
building() {
	local p
	for p in "${build_pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done
	return 1
}
late_pids=()
for k in "${late[@]}"; do
	build_job nice "$k" &
	late_pids+=($!)
	pids+=($!)
done

# Schedule: a guest starts when its kernel is built and a slot is free (the
# host tests hold one slot while they run). Results print as guests finish.
declare -A running=()
pending=("${order[@]}")
done_n=0 host_done=
[ -n "${host_pid:-}" ] || host_done=1
install_done=
[ "$install_wanted" = 1 ] || install_done=1
report_guest() {
	local g=$1 gp gf gs boot wall note
	[ -s "$state/$g.result" ] || echo "0 1 0 - -|the guest's job ended without a result" >"$state/$g.result"
	touch "$state/$g.report"
	IFS='|' read -r counts note <"$state/$g.result"
	read -r gp gf gs boot wall <<<"$counts"
	done_n=$((done_n + 1))
	local what="$gp passed"
	[ "$gf" -eq 0 ] || what="$what, $gf FAILED"
	[ "$gs" -eq 0 ] || what="$what, $gs skipped"
	case $note in "skips as declared") [ "$gs" -eq 0 ] || what="$what (expected)" ;; *) what="$what: $note" ;; esac
	printf '[%d/%d] %s ... %s, %s s\n' "$done_n" "${#guests[@]}" "$g" "$what" "$wall"
	cat "$state/$g.report"
	[ "$gf" -eq 0 ] || echo "  console: $PTSHARE_OUT/$g/console-test.log"
}
while [ ${#pending[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ] || [ -z "$host_done" ] || [ -z "$install_done" ]; do
	# Reap what finished.
	if [ -z "$install_done" ] && [ -n "${install_pid:-}" ] && ! kill -0 "$install_pid" 2>/dev/null; then
		wait "$install_pid"
		install_done=1
		read -r ip if <"$state/install.result"
		echo "install tests ... $ip passed, $if failed (out/install.tap)"
		cat "$state/install.report"
	fi
	if [ -z "$host_done" ] && ! kill -0 "$host_pid" 2>/dev/null; then
		wait "$host_pid"
		host_done=1
		read -r hp hf <"$state/host.result"
		echo "host tests ... $hp passed, $hf failed (out/host-tools.tap)"
		cat "$state/host.report"
	fi
	for g in "${!running[@]}"; do
		kill -0 "${running[$g]}" 2>/dev/null && continue
		wait "${running[$g]}"
		unset "running[$g]"
		report_guest "$g"
	done
	# Start what can start, in start order among the ready ones.
	busy=${#running[@]}
	[ -n "$host_done" ] || busy=$((busy + 1))
	[ -z "${install_pid:-}" ] || [ -n "$install_done" ] || busy=$((busy + 1))
	if [ -z "$install_done" ] && [ -z "${install_pid:-}" ] && ! building &&
		[ "$busy" -lt "$jobs_max" ]; then
		echo "install tests (scripts/test-install.sh) started; TAP in out/install.tap"
		install_job &
		install_pid=$!
		pids+=("$install_pid")
		busy=$((busy + 1))
	fi
	# Builtins only, once a second for each waiting guest: guest_row and
	# $(cat) there (a dozen processes a guest) cost a cold run about 500
	# CPU seconds while the debug and Buildroot rows waited for their kernels.
	rest=()
	for g in "${pending[@]}"; do
		k=${kernel_of[$g]} b=
		[ ! -s "$state/build-$k" ] || read -r b <"$state/build-$k"
		if [ "$b" = failed ]; then
			echo "0 1 0 - -|build for $k failed" >"$state/$g.result"
			sed 's/^/  /' "$state/build-$k.err" | tail -n 15 >"$state/$g.report"
			report_guest "$g"
		elif [ "$b" = ok ] && [ "$busy" -lt "$jobs_max" ]; then
			guest_job "$g" &
			running[$g]=$!
			pids+=("$!")
			busy=$((busy + 1))
		else
			rest+=("$g")
		fi
	done
	pending=("${rest[@]}")
	sleep 1
done
for p in "${build_pids[@]}"; do wait "$p" 2>/dev/null; done
for p in "${late_pids[@]}"; do
	wait "$p" 2>/dev/null
done

# The table, in targets.conf order, and its Markdown twin for the README.
pass=0 fail=0 skip=0
rows=()
if [ -n "${host_pid:-}" ]; then
	read -r hp hf <"$state/host.result"
	pass=$((pass + hp)) fail=$((fail + hf))
	rows+=("host-tools|-|host|-|-|-|$hp|$hf|0|-|-")
fi
if [ "$install_wanted" = 1 ]; then
	read -r ip if <"$state/install.result"
	pass=$((pass + ip)) fail=$((fail + if))
	rows+=("install|-|host|-|-|-|$ip|$if|0|-|-")
fi
for g in "${guests[@]}"; do
	guest_row "$g"
	IFS='|' read -r counts note <"$state/$g.result"
	read -r gp gf gs boot wall <<<"$counts"
	pass=$((pass + gp)) fail=$((fail + gf)) skip=$((skip + gs))
	kernel=$(cat "$PTSHARE_OUT/$G_KERNEL/release" 2>/dev/null || echo "?")
	arch=$(cat "$PTSHARE_OUT/$G_KERNEL/arch" 2>/dev/null || echo "?")
	rows+=("$g|$kernel|$arch|$G_SMP|$boot|$wall|$gp|$gf|$gs|${G_SKIPS:--}${G_OMIT:+; not run: $G_OMIT}|$note")
done
total=$(($(date +%s) - t0))
echo
printf '%-16s %-26s %-5s %4s %6s %5s %4s %4s %4s  %s\n' guest kernel arch cpus boot_s run_s pass fail skip result
for r in "${rows[@]}"; do
	IFS='|' read -r g k a c b w p f s _d n <<<"$r"
	printf '%-16s %-26s %-5s %4s %6s %5s %4s %4s %4s  %s\n' "$g" "$k" "$a" "$c" "$b" "$w" "$p" "$f" "$s" "$n"
done
cpu=0
for g in "${guests[@]}"; do
	c=$(cat "$PTSHARE_OUT/$g/cpu-test" 2>/dev/null) && cpu=$((cpu + c))
done
echo "guests' CPU $cpu s (QEMU's user + system time, summed: their cost, whatever else ran)"
part_cpu() { # PREFIX: the sum of $state/cpu-PREFIX*
	local f n=0
	for f in "$state/cpu-$1"*; do [ -f "$f" ] && n=$((n + $(cat "$f"))); done
	echo "$n"
}
builds=$(part_cpu build-) brs=$(part_cpu buildroot-) hosts=$(part_cpu host) insts=$(part_cpu install)
echo "other CPU: builds $builds s (kernels, modules, tool), Buildroot $brs s, host tests $hosts s," \
	"install $insts s; all parts $((cpu + builds + brs + hosts + insts)) s, $(nproc) cores"
# The builds that cost most: a cold cache's kernels compiled here, the images.
heavy=$(cat "$state"/kcpu-* 2>/dev/null | sort -k2,2nr | awk '$2 >= 60 { printf "%s%s %d", n++ ? ", " : "", $1, $2 }')
[ -z "$heavy" ] || echo "builds of 60 CPU s or more: $heavy"
# Everything this run waited for (the shell's own time and its children's):
# what the parts above leave out is this script and its short-lived helpers.
times >"$state/times"
echo "CPU of the whole run: $(times_cpu "$state/times" all) s"
echo "total time $total s"
{
	echo "| guest | kernel | arch | vCPUs | boot s | run s | pass | fail | skip | declared skips | result |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	for r in "${rows[@]}"; do
		IFS='|' read -r g k a c b w p f s d n <<<"$r"
		echo "| $g | $k | $a | $c | $b | $w | $p | $f | $s | ${d//,/, } | $n |"
	done
	echo
	echo "$pass passed, $fail failed, $skip skipped in $total s" \
		"($(date -u +%Y-%m-%d), $(nproc) cores, $jobs_max guests at once)"
} >"$PTSHARE_OUT/matrix.md"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]

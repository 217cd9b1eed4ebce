#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every ptshare selftest in tests/ (kselftest conventions: exit 0 pass,
# 4 skip, anything else fail) and print KTAP, with a totals line and, as a
# comment after each test's output, how long it took ("# NAME took S s"). With
# PTSHARE_TEST_TIMEOUT=N (guest-init.sh sets it from ptshare.test_timeout=N)
# a test still running after N s is killed, and fails with a TIMEOUT line.
# PTSHARE_TESTS="a b ..." or "a,b,..." runs only those (for a quick run; variables of that
# form on the guest's kernel command line reach /init's environment, see
# PTSHARE_APPEND in scripts/boot-guest.sh).
cd "$(dirname "$0")" || exit 1
tests="summary_procs kernel_shared pti_ldt kcore_check master_records select_errors tool_summary tool_commands lazy_copy user_slots arm64_facts riscv_facts i386_facts leader_exit record_identity lock_modes tear_read ptdump_oracle leaf_pa stress exit_rmmod master_param files_select signed_load"
[ -z "${PTSHARE_TESTS:-}" ] || tests=$(echo "$PTSHARE_TESTS" | tr , ' ')
# PTSHARE_OMIT="a,b" (a guest row's omit= option, declared in targets.conf):
# tests this guest does not run. They are named on a "# omitted:" line,
# which scripts/run-tests.sh compares with the row.
if [ -n "${PTSHARE_OMIT:-}" ]; then
	kept= omitted=
	for t in $tests; do
		case ",$PTSHARE_OMIT," in
		*",$t,"*) omitted="$omitted${omitted:+,}$t" ;;
		*) kept="$kept $t" ;;
		esac
	done
	tests=$kept
fi
n=0
for t in $tests; do n=$((n + 1)); done
echo "TAP version 13"
echo "1..$n"
[ -z "${PTSHARE_OMIT:-}" ] || echo "# omitted: ${omitted:--}"
i=0 pass=0 fail=0 skip=0
for t in $tests; do
	i=$((i + 1))
	echo "# selftests: ptshare: $t"
	t0=$(cut -d' ' -f1 /proc/uptime)
	if [ -n "${PTSHARE_TEST_TIMEOUT:-}" ]; then
		# Debug kernels: a test that hangs must not hide the ones after it.
		timeout -s KILL "$PTSHARE_TEST_TIMEOUT" ./tests/$t >/tmp/$t.out 2>&1
		rc=$?
		[ $rc -ne 137 ] || echo "TIMEOUT: killed after $PTSHARE_TEST_TIMEOUT s" >>/tmp/$t.out
	else
		./tests/$t >/tmp/$t.out 2>&1
		rc=$?
	fi
	sed 's/^/# /' /tmp/$t.out
	echo "# $t took $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s"
	case $rc in
	0) echo "ok $i selftests: ptshare: $t"; pass=$((pass + 1)) ;;
	4) echo "ok $i selftests: ptshare: $t # SKIP"; skip=$((skip + 1)) ;;
	*) echo "not ok $i selftests: ptshare: $t # exit=$rc"; fail=$((fail + 1)) ;;
	esac
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"

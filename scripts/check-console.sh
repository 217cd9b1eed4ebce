#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-console.sh LOG
#
# Fail (exit 1) when a kernel console log shows a kernel report, and print
# the lines that show it. Each pattern is the first line of a report as the
# kernel (6.1 to 7.x) prints it, anchored after the timestamp ("] ") or at the
# start of a line, so that boot lines that merely contain a word like
# WARNING (e.g. "RETBleed: WARNING: ...") are not reports:
#   BUG: ...                          BUG(), KASAN ("BUG: KASAN: ..."), KFENCE
#                                     ("BUG: KFENCE: ..."), "BUG: sleeping
#                                     function called from invalid context",
#                                     "BUG: scheduling while atomic", "BUG: Bad
#                                     page state/map", "BUG: unable to handle ..."
#   watchdog: BUG: soft lockup        the soft-lockup detector
#   BUG SLAB (Not tainted): ...       SLUB's debug checks
#   KASAN: null-ptr-deref ...         x86 KASAN's general protection decoding
#   WARNING: CPU: N PID: N            a WARN() report (after a "cut here" line)
#   WARNING: possible circular locking dependency detected    lockdep, and its
#   other reports: possible recursive locking, inconsistent lock state, possible
#   irq lock inversion, X-safe -> X-unsafe lock order, bad unlock balance, held
#   lock freed, lock held when returning to user space, still has locks held,
#   Nested lock was not taken, chain_key collision, suspicious RCU usage, and
#   "INFO: trying to register non-static key."
#   page dumped because: ...          DEBUG_VM's dump_page() (VM_BUG_ON_PAGE etc.)
#   pagealloc: memory corruption      page poisoning ("single bit error" too)
#   unreferenced object 0x... (size N):   a kmemleak report (the guest prints
#                                     /sys/kernel/debug/kmemleak after a scan),
#   kmemleak: N new suspected memory leaks, and kmemleak disabling itself
#   ("Cannot allocate a kmemleak_object structure", "Memory pool empty")
#   Oops, Internal error: Oops, Unable to handle kernel ..., Call Trace: /
#   Call trace:, general protection fault, Kernel panic, UBSAN:, INFO: task
#   ... blocked, rcu: INFO: ... detected stalls, and the "cut here" line itself.
# Reports at KERN_WARNING (WARN(), lockdep, dump_page) reach the console only
# with loglevel=5 or more: scripts/boot-guest.sh boots every guest so.
set -u
log=$1
[ -r "$log" ] || { echo "check-console.sh: cannot read $log" >&2; exit 2; }
a='(^|\] )'
pattern="$a(BUG:|watchdog: BUG:|KASAN:|UBSAN:|Oops|Internal error: Oops|Unable to handle kernel|Call [Tt]race:|general protection fault|Kernel panic|INFO: task .* blocked|INFO: trying to register non-static key|rcu: INFO: .*detected stall|------------\[ cut here \]------------|8<--- cut here ---)"
pattern="$pattern|${a}BUG [^ ]+ \((Not tainted|Tainted: [^)]*)\): "
pattern="$pattern|${a}WARNING: (CPU: [0-9]+ PID: [0-9]+|possible circular locking|possible recursive locking|inconsistent lock state|possible irq lock inversion|[A-Z]+-safe -> [A-Z]+-unsafe lock order|bad unlock balance|held lock freed|lock held when returning|.* still has locks held|Nested lock was not taken|chain_key collision|bad contention detected|suspicious RCU usage)"
pattern="$pattern|possible recursive locking|possible circular locking"
pattern="$pattern|${a}page dumped because: |${a}pagealloc: (memory corruption|single bit error)"
pattern="$pattern|(^|\] |kmemleak: )unreferenced object 0x[0-9a-f]+ \(size [0-9]+\)|kmemleak: [0-9]+ new suspected memory leak"
pattern="$pattern|kmemleak: (Cannot allocate a kmemleak_object|Memory pool empty)|^ptshare-guest: kmemleak: (scan failed|cannot)"
if grep -nE "$pattern" "$log" >&2; then
	echo "check-console.sh: kernel report in $log (lines above)" >&2
	exit 1
fi
exit 0

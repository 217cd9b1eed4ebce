#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-console.sh LOG
#
# Fail (exit 1) when a kernel console log shows a splat: BUG:, a WARN() report
# ("WARNING: CPU: N PID: N at ..." after a "cut here" line), an Oops, a Call
# Trace, a general protection fault, KASAN, lockdep or a panic. Boot lines that
# merely contain the word WARNING (e.g. "RETBleed: WARNING: ...") are not splats.
set -u
log=$1
[ -r "$log" ] || { echo "check-console.sh: cannot read $log" >&2; exit 2; }
pattern='(^|\] )(BUG:|WARNING: CPU: [0-9]+ PID: [0-9]+|Oops|Call Trace:|general protection fault|Kernel panic|KASAN:|UBSAN:|possible recursive locking|possible circular locking|INFO: task .* blocked|------------\[ cut here \]------------)'
if grep -nE "$pattern" "$log" >&2; then
	echo "check-console.sh: kernel splat in $log (lines above)" >&2
	exit 1
fi
exit 0

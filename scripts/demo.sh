#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [GUEST]
#
# The main job, end to end: fetch a Debian kernel and its headers, build
# ptshare against them, boot the kernel in QEMU, load the module, and show a
# real report (the summary table, the start of the master walk, and the
# entries of init and of an LDT-using process that are not SHARED).
# GUEST is a guest row of scripts/targets.conf (default x86_64-pti-on).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

guest=${1:-x86_64-pti-on}
guest_row "$guest" || die "no guest row '$guest' in $PTSHARE_TARGETS (have: $(guest_names | xargs))"
need_host_tools
"$PTSHARE_TOP/scripts/build-guest.sh" "$G_KERNEL" >/dev/null
msg "booting $guest ($G_QEMU -cpu $G_CPU $G_APPEND), about 10 s under TCG"
log=$PTSHARE_OUT/$guest/console-demo.log
status=0
"$PTSHARE_TOP/scripts/boot-guest.sh" "$guest" demo "$log" || status=$?
sed -n '/ptshare-guest: booted/,/^ptshare-guest: done/p' "$log" | grep -v '^\[ *[0-9.]*\]' |
	sed 's/^ptshare-guest: //'
[ $status -eq 0 ] || die "the guest run failed (console: $log)"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# record-fixtures.sh [GUEST...]
#
# Record the snapshots tools/tests uses as fixtures: for each guest row of
# targets.conf (default: all), build its kernel's initramfs, boot it with
# ptshare.mode=record (guest-init.sh runs "ptshare snapshot --all" and prints
# the file between ptshare-record-begin and ptshare-record-end) and extract the
# snapshot into tools/tests/fixtures/GUEST.snap. Console noise (carriage
# returns, kernel messages starting with "[ ") is dropped; the result must
# parse with the host tool, or the fixture is not written. For the guests of
# PTSHARE_RECORD_AFTER (default x86_64-pti-on), the guest's second snapshot,
# taken after its modify_ldt() process ended, goes to GUEST-after.snap (the
# README's "diff A B"). Fixtures are never edited by hand: rerun this script.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

guests=("$@")
[ ${#guests[@]} -gt 0 ] || mapfile -t guests < <(guest_names)
fixtures=$PTSHARE_TOP/tools/tests/fixtures
mkdir -p "$fixtures" "$PTSHARE_OUT"

host_tool=$PTSHARE_OUT/host-tools-record/ptshare
make -s -C "$PTSHARE_TOP/tools" O="$PTSHARE_OUT/host-tools-record" >&2 || die "host tool build failed"

declare -A built
status=0
for g in "${guests[@]}"; do
	guest_row "$g" || die "no guest row '$g' in $PTSHARE_TARGETS"
	if [ -z "${built[$G_KERNEL]:-}" ]; then
		"$PTSHARE_TOP/scripts/build-guest.sh" "$G_KERNEL" >/dev/null || die "$g: build failed"
		built[$G_KERNEL]=1
	fi
	log=$PTSHARE_OUT/$g/console-record.log
	msg "$g: booting in record mode"
	if ! "$PTSHARE_TOP/scripts/boot-guest.sh" "$g" record "$log"; then
		msg "$g: the guest run failed (see $log)"
		status=1
		continue
	fi
	# extract LOG BEGIN END: the lines between the markers, console noise dropped
	extract() {
		tr -d '\r' <"$1" | awk -v b="$2" -v e="$3" '
			$0 == e { inside = 0; done = 1 }
			inside && !/^\[ *[0-9]+\.[0-9]+\] / && !/^\[ / { print }
			$0 == b && !done { inside = 1 }'
	}
	outs=("$g.snap")
	case " ${PTSHARE_RECORD_AFTER-x86_64-pti-on} " in *" $g "*) outs+=("$g-after.snap") ;; esac
	for out in "${outs[@]}"; do
		tag=ptshare-record
		[ "$out" = "$g.snap" ] || tag=ptshare-record-after
		if ! grep -q "^$tag-end\$" <(tr -d '\r' <"$log"); then
			msg "$g: no $tag-end line in $log"
			status=1
			continue
		fi
		tmp=$(mktemp)
		extract "$log" "$tag-begin" "$tag-end" >"$tmp"
		if ! "$host_tool" summary "$tmp" >/dev/null; then
			msg "$g: the recorded snapshot does not parse (kept in $tmp)"
			status=1
			continue
		fi
		mv "$tmp" "$fixtures/$out"
		chmod 0644 "$fixtures/$out"
		msg "$g: wrote $fixtures/$out ($(wc -l <"$fixtures/$out") lines)"
	done
done
exit $status

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# builder.sh SUITE
#
# A Debian SUITE tree made with debootstrap, used only to build modules for
# that suite's kernels: their kbuild programs (modpost, objtool, ...) need the
# suite's C library and their configs the suite's gcc (trixie: gcc-14, sid:
# newer), neither of which a bookworm host has. The tree is cached under
# $PTSHARE_CACHE/builders/SUITE, with gcc, make, pahole and the cross
# compilers for armhf and arm64. Prints its path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: builder.sh SUITE"
suite=$1
dir=$PTSHARE_CACHE/builders/$suite
pkgs=gcc,make,libc6-dev,bc,flex,bison,gawk,perl,xz-utils,zstd,cpio,kmod,dwarves
pkgs=$pkgs,gcc-arm-linux-gnueabihf,gcc-aarch64-linux-gnu,libc6-dev-armhf-cross,libc6-dev-arm64-cross

if [ -f "$dir/.ptshare-ready" ] && [ "$(cat "$dir/.ptshare-ready")" = "$pkgs" ]; then
	echo "$dir"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "building the $suite builder needs root (debootstrap, chroot)"
need_tools debootstrap:debootstrap
uri=$(host_debian_uris | grep -v -- '-security' | head -n 1)
[ -n "$uri" ] || die "no Debian archive in the host's apt configuration"
msg "making a $suite build tree in $dir (once; a few minutes)"
rm -rf "$dir.new"
mkdir -p "$(dirname "$dir")"
ok=
for try in 1 2 3; do
	rm -rf "$dir.new"
	if debootstrap --variant=minbase --include="$pkgs" "$suite" "$dir.new" "$uri" \
		>"$dir.log" 2>&1; then
		ok=1
		break
	fi
	msg "debootstrap attempt $try failed"
	sleep $((try * 5))
done
if [ -z "$ok" ]; then
	tail -n 20 "$dir.log" >&2
	die "debootstrap of $suite failed (log: $dir.log)"
fi
rm -rf "$dir"
mv "$dir.new" "$dir"
echo "$pkgs" >"$dir/.ptshare-ready"
echo "$dir"

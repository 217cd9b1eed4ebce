#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# builder.sh SUITE [buildroot]
#
# A Debian SUITE tree made with debootstrap, used only to build modules for
# that suite's kernels: their kbuild programs (modpost, objtool, ...) need the
# suite's C library and their configs the suite's gcc (trixie: gcc-14, sid:
# newer), neither of which a bookworm host has. The tree is cached under
# $PTSHARE_CACHE/builders/SUITE, with gcc, make, pahole and the cross
# compilers for armhf, arm64 and riscv64. Prints its path. debootstrap's output goes
# to out/builder-SUITE.log. The suite's cache lock
# (cache/locks/builder-SUITE.lock) is held while the tree is made; builds
# chrooted into it hold it too (build-guest.sh).
#
# "pkg": builders/SUITE-pkg, where the Debian packages are built, checked and
# installed (scripts/test-install.sh): debhelper, dh-dkms, lintian, dkms.
# The plain trees have dkms too: DKMS builds for that suite's kernels run there.
#
# "buildroot": the tree Buildroot builds in (scripts/build-buildroot.sh),
# builders/SUITE-buildroot: Buildroot's host dependencies and the Debian
# cross compilers, but none of the cross C libraries (-dev-*-cross). Debian's
# cross gcc always searches /usr/TRIPLET/{include,lib} whatever --sysroot
# says; with a libc there, Buildroot would find that directory as the
# toolchain's sysroot instead of the private one build-buildroot.sh makes.
# (debootstrap installs no Recommends, which is what keeps them out.)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || { [ $# -eq 2 ] && { [ "$2" = buildroot ] || [ "$2" = pkg ]; }; } ||
	die "usage: builder.sh SUITE [buildroot|pkg]"
suite=$1
if [ $# -eq 2 ] && [ "$2" = pkg ]; then
	suite=$1-pkg
	variant=buildd
	pkgs=ca-certificates
	# Installed by apt inside the tree after debootstrap: debootstrap's own
	# ordering fails to configure lintian's perl dependencies
	# (libnet-ssleay-perl, five attempts).
	apt_pkgs="dkms dh-dkms debhelper lintian fakeroot kmod openssl"
elif [ $# -eq 2 ]; then
	suite=$1-buildroot
	variant=buildd
	pkgs=gcc-aarch64-linux-gnu,gcc-arm-linux-gnueabihf,make,rsync,cpio,unzip,bc,file,wget,python3
	pkgs=$pkgs,perl,patch,bzip2,xz-utils,flex,bison,autoconf,automake,libtool,autopoint,gettext
	pkgs=$pkgs,pkgconf,libssl-dev
else
	variant=minbase
	pkgs=gcc,make,libc6-dev,bc,flex,bison,gawk,perl,xz-utils,zstd,cpio,kmod,dwarves
	apt_pkgs="dkms openssl"	# scripts/test-install.sh: DKMS for this suite's kernels
	pkgs=$pkgs,gcc-arm-linux-gnueabihf,gcc-aarch64-linux-gnu,libc6-dev-armhf-cross,libc6-dev-arm64-cross
	pkgs=$pkgs,gcc-riscv64-linux-gnu,libc6-dev-riscv64-cross
fi
apt_pkgs=${apt_pkgs:-}
ready="$pkgs${apt_pkgs:+;$apt_pkgs}"	# what .ptshare-ready records
dir=$PTSHARE_CACHE/builders/$suite
STEP_LOG=$PTSHARE_OUT/builder-$suite.log

need_tools flock:util-linux
lock "builder-$suite"
if [ -f "$dir/.ptshare-ready" ] && [ "$(cat "$dir/.ptshare-ready")" = "$ready" ]; then
	echo "$dir"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "building the $suite builder needs root (debootstrap, chroot)"
need_tools debootstrap:debootstrap
uri=$(host_debian_uris | grep -v -- '-security' | head -n 1)
[ -n "$uri" ] || die "no Debian archive in the host's apt configuration"
mkdir -p "$(dirname "$dir")" "$(dirname "$STEP_LOG")"
: >"$STEP_LOG"

make_tree() {
	local try
	for try in 1 2 3; do
		remove_tree "$dir.new"
		debootstrap --variant=$variant --include="$pkgs" "${suite%%-*}" "$dir.new" "$uri" && return 0
		msg "debootstrap attempt $try failed"
		[ $try -eq 3 ] || sleep $((try * 5))
	done
	return 1
}
# Packages apt installs inside the new tree (scripts/lib.sh tree_run).
apt_in_tree() {
	tree_run "$dir.new" -- /bin/sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends "$@"' \
		apt_in_tree $apt_pkgs
}
make_whole_tree() {
	make_tree || return 1
	[ -z "$apt_pkgs" ] || apt_in_tree
}
step "making the $suite build tree (once, a few minutes)" make_whole_tree ||
	die "debootstrap of $suite failed (log: $(showpath "$STEP_LOG"))"
remove_tree "$dir"
rm -f "$dir.log" # where older versions logged
mv "$dir.new" "$dir"
echo "$ready" >"$dir/.ptshare-ready"
echo "$dir"

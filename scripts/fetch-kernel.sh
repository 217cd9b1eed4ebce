#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh KERNEL
#
# Fetch a Debian kernel image, its matching headers, the kbuild host tools and
# busybox-static for one kernel row of scripts/targets.conf into the cache,
# without touching the host's dpkg or apt state: apt runs with a private
# state, cache and architecture, reading the host's own source list.
#
# Prints the path of the prepared tree (ROOT) on stdout. ROOT holds:
#   vmlinuz, kdir (a headers tree usable as KDIR), busybox, release, abi,
#   and for riscv64 firmware: the suite's OpenSBI (package opensbi), which
#   boot-guest.sh passes as -bios (doc/DESIGN.md, "Known problems": QEMU
#   7.2's own OpenSBI 1.1 let a second hart run the kernel's boot path).
# A tree that is complete and consistent is reused; set PTSHARE_REFRESH=1 to
# look for a newer ABI. apt and dpkg output goes to out/KERNEL/fetch.log.
# The kernel's cache lock (cache/locks/kernel-KERNEL.lock) is held while the
# tree is made; build-guest.sh holds it shared while it uses the tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: fetch-kernel.sh KERNEL (a kernel row of $PTSHARE_TARGETS)"
name=$1
row=$(kernel_row "$name") || die "no kernel row '$name' in $PTSHARE_TARGETS"
read -r suite debarch flavor abiprefix _cross _builder <<<"$row"
# Debug and plain kernels are built from Debian's source, not fetched.
case $flavor in debug | plain) exec "$(dirname "$0")/build-kernel.sh" "$name" ;; esac
[ "$flavor" != buildroot ] || die "$name: a Buildroot row; scripts/build-guest.sh $name builds its image"

need_tools apt-get:apt dpkg-deb:dpkg flock:util-linux

base=$PTSHARE_CACHE/kernels/$name
root=$base/root
# The firmware a guest of this kernel boots with, from the same suite (a
# path in its package), or none: QEMU's own.
firmware=
case $debarch in riscv64) firmware=usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin ;; esac
STEP_LOG=$PTSHARE_OUT/$name/fetch.log

# check_tree: print why $root is not a tree to trust, and fail; or succeed.
# Image, modules and headers must all be of the ABI in $root/abi, the
# headers Makefile must point into this tree (not another cache's), and the
# links must resolve.
check_tree() {
	local abi rel kdir f
	[ -s "$root/abi" ] || { echo "no abi file"; return 1; }
	abi=$(cat "$root/abi")
	rel=$abi-$flavor
	[ "$(cat "$root/release" 2>/dev/null)" = "$rel" ] ||
		{ echo "release '$(cat "$root/release" 2>/dev/null)' is not $rel"; return 1; }
	kdir=$root/fs/usr/src/linux-headers-$rel
	[ "$(readlink "$root/kdir")" = "$kdir" ] || { echo "kdir does not point at the $rel headers"; return 1; }
	[ -f "$kdir/Makefile" ] && [ -f "$kdir/.config" ] || { echo "no Makefile or .config in $kdir"; return 1; }
	[ -f "$root/fs/usr/src/linux-headers-$abi-common/Makefile" ] ||
		{ echo "no linux-headers-$abi-common"; return 1; }
	if sed "s#$root/fs/usr/src/##g" "$kdir/Makefile" | grep -q '/usr/src/linux-headers-'; then
		echo "the headers Makefile points outside this tree"
		return 1
	fi
	for f in "$root"/fs/usr/src/linux-headers-* "$root"/fs/boot/vmlinu[xz]-* \
		"$root"/fs/usr/lib/modules/* "$root"/fs/lib/modules/*; do
		[ -e "$f" ] || continue
		case ${f##*/} in
		"linux-headers-$abi-common" | "linux-headers-$rel" | vmlinu[xz]-"$rel" | "$rel") ;;
		*) echo "${f#"$root"/fs/} is not of ABI $abi"; return 1 ;;
		esac
	done
	f=$(readlink -f "$root/vmlinuz" || true)
	[ -s "$f" ] || { echo "vmlinuz missing"; return 1; }
	case $f in *"/$rel/vmlinuz" | *"/vmlinuz-$rel" | *"/vmlinux-$rel") ;; *) echo "vmlinuz is not of $rel"; return 1 ;; esac
	[ -x "$root/busybox" ] || { echo "busybox missing"; return 1; }
	[ -z "$firmware" ] || [ -s "$root/firmware" ] || { echo "no OpenSBI firmware ($firmware)"; return 1; }
}

# A tree made before is reused if it checks out.
reuse_tree "$name" "$base" "$root" && exit 0
mkdir -p "$(dirname "$STEP_LOG")"
: >"$STEP_LOG"

apt_dir=$base/apt
mkdir -p "$base/debs"
# linux-kbuild holds host programs (modpost, objtool, ...): always amd64.
archs=$debarch
[ "$debarch" = amd64 ] || archs="$debarch,amd64"
apt_private "$apt_dir" "$suite" "$archs"
apt_opts=("${APT_OPTS[@]}")
updated_now=
update_index() {
	apt_private_update "$name ($suite, $debarch)"
	updated_now=1
}

# resolve: set abi, kbuild_series, pkgs, files (the .deb names apt would
# fetch) and sizes from the index; fail if the index does not have them.
resolve() {
	local uri file size _
	# ABIs look like 6.1.0-56 (bookworm) or 6.12.111+deb13 (trixie and later).
	abi=$(apt-cache "${apt_opts[@]}" pkgnames "linux-image-$abiprefix" 2>/dev/null |
		sed -n "s/^linux-image-\(${abiprefix//./\\.}[0-9][0-9a-z.+~]*\(-[0-9][0-9]*\)\{0,1\}\)-$flavor\$/\1/p" |
		sort -V | tail -n 1)
	[ -n "$abi" ] || { msg "$name: no linux-image-${abiprefix}N-$flavor in the $suite/$debarch index"; return 1; }
	kbuild_series=$(apt-cache "${apt_opts[@]}" show "linux-headers-$abi-$flavor" 2>/dev/null |
		sed -n 's/^Depends:.*\(linux-kbuild-[0-9][0-9a-z.+~]*\).*/\1/p' | head -n 1)
	[ -n "$kbuild_series" ] || kbuild_series=linux-kbuild-${abiprefix%%.0-}
	pkgs=("linux-image-$abi-$flavor" "linux-headers-$abi-$flavor" "linux-headers-$abi-common"
		"$kbuild_series:amd64" busybox-static)
	# Since 7.x (sid) the image package only depends on linux-binary-*, which
	# holds the kernel itself.
	if apt-cache "${apt_opts[@]}" show "linux-binary-$abi-$flavor" >/dev/null 2>&1; then
		pkgs+=("linux-binary-$abi-$flavor")
	fi
	[ -z "$firmware" ] || pkgs+=(opensbi)
	files=() sizes=()
	while read -r uri file size _; do
		files+=("$file") sizes+=("$size")
	done < <(apt-get -q "${apt_opts[@]}" --print-uris download "${pkgs[@]}" 2>>"$STEP_LOG")
	[ ${#files[@]} -eq ${#pkgs[@]} ] ||
		{ msg "$name: the index lists ${#files[@]} of the ${#pkgs[@]} packages ${pkgs[*]}"; return 1; }
}

# deb_package FILE: the package (NAME:ARCH, or NAME for arch all) FILE is of.
deb_package() {
	local f=${1%.deb} a
	a=${f##*_}
	if [ "$a" = all ]; then echo "${f%%_*}"; else echo "${f%%_*}:$a"; fi
}

# fetch: download the files of the resolved ABI missing from debs/ABI.
fetch() {
	local i bytes=0 missing=()
	debs=$base/debs/$abi
	mkdir -p "$debs"
	for i in "${!files[@]}"; do
		# Reuse a file of the layout before debs/ABI.
		[ -f "$debs/${files[i]}" ] || [ ! -f "$base/debs/${files[i]}" ] ||
			mv "$base/debs/${files[i]}" "$debs/"
		[ -f "$debs/${files[i]}" ] && continue
		# apt lists the files in its own order, not that of pkgs: the
		# package is named from the file (NAME_VERSION_ARCH.deb).
		missing+=("$(deb_package "${files[i]}")")
		bytes=$((bytes + sizes[i]))
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	rm -rf "$debs/partial"
	mkdir -p "$debs/partial"
	step "fetching $name kernel $abi ($(size_text "$bytes"))" download_missing || return 1
	rmdir "$debs/partial"
}
# Downloads go to debs/ABI/partial and move up only when all are complete.
download_missing() (
	cd "$debs/partial" &&
		apt_retry apt-get -q "${apt_opts[@]}" download "${missing[@]}" &&
		mv ./*.deb ..
)

apt_private_fresh || update_index
until resolve && fetch; do
	[ -z "$updated_now" ] || die "$name: cannot fetch the kernel packages (log: $(showpath "$STEP_LOG"))"
	msg "$name: the package index may be stale; reading it again"
	update_index
done

# Only the resolved set stays: debs of other ABIs or versions go.
for f in "$base"/debs/* "$debs"/*; do
	[ "$f" != "$debs" ] || continue
	keep=
	for g in "${files[@]}"; do [ "$f" != "$debs/$g" ] || keep=1; done
	[ -n "$keep" ] || rm -rf "$f"
done

# A good tree of exactly these files (PTSHARE_REFRESH=1 found no newer ABI)
# stays as it is.
if [ "$(cat "$root/debs" 2>/dev/null)" = "$(printf '%s\n' "${files[@]}")" ] && check_tree >/dev/null; then
	echo "$root" >"$base/ready"
	echo "$root"
	exit 0
fi

# Unpack exactly that set; all paths are those of the final $root.
unpack() {
	local f
	for f in "${files[@]}"; do
		dpkg-deb -x "$debs/$f" "$root.new/fs"
	done
}
rel=$abi-$flavor
remove_tree "$root.new"
mkdir -p "$root.new"
step "unpacking $name kernel $abi (${#files[@]} packages)" unpack ||
	die "$name: unpacking failed (log: $(showpath "$STEP_LOG"))"
kdir=$root/fs/usr/src/linux-headers-$rel
[ -f "$root.new/fs/usr/src/linux-headers-$rel/Makefile" ] ||
	die "$name: headers tree missing after unpacking ($kdir)"
# The flavour Makefile names the common tree (and, since 7.x, itself as
# KBUILD_OUTPUT) by absolute path.
sed -i -e "s#/usr/src/linux-headers-$abi-common#$root/fs/usr/src/linux-headers-$abi-common#g" \
	-e "s#^\(KBUILD_OUTPUT *= *\)/usr/src/linux-headers-$rel#\1$kdir#" \
	"$root.new/fs/usr/src/linux-headers-$rel/Makefile"
ln -sfn "$kdir" "$root.new/kdir"
# riscv64 ships the image (an EFI-stub Image QEMU boots with -kernel) as
# /boot/vmlinux-REL.
if [ -e "$root.new/fs/usr/lib/modules/$rel/vmlinuz" ]; then
	ln -sfn "$root/fs/usr/lib/modules/$rel/vmlinuz" "$root.new/vmlinuz"
elif [ ! -e "$root.new/fs/boot/vmlinuz-$rel" ] && [ -e "$root.new/fs/boot/vmlinux-$rel" ]; then
	ln -sfn "$root/fs/boot/vmlinux-$rel" "$root.new/vmlinuz"
else
	ln -sfn "$root/fs/boot/vmlinuz-$rel" "$root.new/vmlinuz"
fi
busybox=$(cd "$root.new/fs" && ls bin/busybox usr/bin/busybox 2>/dev/null | head -n 1 || true)
[ -n "$busybox" ] || die "$name: busybox-static did not provide bin/busybox"
ln -sfn "$root/fs/$busybox" "$root.new/busybox"
if [ -n "$firmware" ]; then
	[ -s "$root.new/fs/$firmware" ] || die "$name: the opensbi package has no $firmware"
	ln -sfn "$root/fs/$firmware" "$root.new/firmware"
fi
echo "$rel" >"$root.new/release"
echo "$abi" >"$root.new/abi"
printf '%s\n' "${files[@]}" >"$root.new/debs"
rm -f "$base/ready"
remove_tree "$root"
mv "$root.new" "$root"
why=$(check_tree) || die "$name: the unpacked tree is not usable: $why (log: $(showpath "$STEP_LOG"))"
echo "$root" >"$base/ready"
echo "$root"

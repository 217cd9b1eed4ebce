#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh KERNEL
#
# Build a debug or plain kernel row of scripts/targets.conf (FLAVOR "debug"
# or "plain") from
# Debian's own source package, linux-source-SERIES of SUITE, fetched with a
# private apt state like fetch-kernel.sh fetches its packages (which calls
# this script for such rows). The source is unpacked once into the cache,
# with scripts/kernel-patches/SERIES/*.patch applied (fixes to the kernel the
# guests need; scripts/kernel-patches/README), and shared by every debug
# kernel of that version; each kernel is configured and built in its own O=
# directory with the host's compilers:
#
#   tinyconfig
#   + scripts/kconfig/guest-DEB_ARCH.config   what the QEMU guest needs
#   + scripts/kconfig/KERNEL.config           (if present) this row's own
#   + scripts/kconfig/debug.config            the debug options, shared by all
#   + CONFIG_LOCALVERSION="-KERNEL"
#
# A plain kernel (scripts/bench-module.sh's: the kernel's own page-table
# dumper without the debug options' cost) has one fragment instead of the
# last three, written into the cache: guest-DEB_ARCH.config without
# DEBUG_PAGEALLOC, the guest sections of debug.config and KERNEL.config.
#
# then olddefconfig; every option the fragments ask for is checked in the
# final .config, and the build stops naming those Kconfig dropped.
#
# Prints the path of the prepared tree (ROOT), with the layout fetch-kernel.sh
# gives: vmlinuz (the boot image), kdir (the O= directory, usable as KDIR:
# modules_prepare done and Module.symvers there), busybox (busybox-static of
# DEB_ARCH), release (make kernelrelease), abi (the source package version),
# and key. The key is the source version, hashes of the fragments and the
# patches, and the compiler versions: a tree with the same key is reused; another key builds
# again in the same O= directory (incrementally, unless the source version
# changed). PTSHARE_REFRESH=1 looks for a newer source package. Step lines go
# to the terminal, everything else to out/KERNEL/kernel-build.log. The
# kernel's cache lock is held while the tree is made, the source's while it
# is unpacked (shared while it is read).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: build-kernel.sh KERNEL (a debug or plain kernel row of $PTSHARE_TARGETS)"
name=$1
row=$(kernel_row "$name") || die "no kernel row '$name' in $PTSHARE_TARGETS"
read -r suite debarch flavor series cross builder <<<"$row"
case $flavor in debug | plain) ;; *) die "$name: not a debug or plain kernel row (FLAVOR is $flavor)" ;; esac
[ "${builder:-host}" = host ] || die "$name: debug kernels are built with the host's compilers (no BUILDER)"
[ "$cross" != - ] || cross=
case $debarch in
amd64) karch=x86_64 image=arch/x86/boot/bzImage ;;
armhf) karch=arm image=arch/arm/boot/zImage ;;
arm64) karch=arm64 image=arch/arm64/boot/Image ;;
*) die "$name: no debug kernel support for $debarch" ;;
esac

need_host_tools apt-get:apt dpkg-deb:dpkg flock:util-linux patch:patch lz4:lz4 /usr/include/gelf.h:libelf-dev \
	/usr/include/openssl/ssl.h:libssl-dev
[ -z "$cross" ] || need_tools "${cross}gcc:gcc-${cross%-}"

kconf=$PTSHARE_TOP/scripts/kconfig
base=$PTSHARE_CACHE/kernels/$name
for f in "$kconf/guest-$debarch.config" "$kconf/debug.config"; do
	[ -f "$f" ] || die "$name: config fragment $(showpath "$f") missing"
done
if [ "$flavor" = debug ]; then
	frags=("$kconf/guest-$debarch.config")
	[ ! -f "$kconf/$name.config" ] || frags+=("$kconf/$name.config")
	frags+=("$kconf/debug.config")
else
	# A plain kernel: the same guest base without the debug options (the
	# guest sections of debug.config, no DEBUG_PAGEALLOC*), as the Buildroot
	# images' kernels (scripts/br-linux-config.sh), written as one fragment.
	mkdir -p "$base"
	{
		grep -v '^CONFIG_DEBUG_PAGEALLOC' "$kconf/guest-$debarch.config"
		awk '/^# ---- the debug options/ { skip = 1 } /^# ---- kept out/ { skip = 0 } !skip' \
			"$kconf/debug.config"
		[ ! -f "$kconf/$name.config" ] || cat "$kconf/$name.config"
	} >"$base/plain.config.new"
	cmp -s "$base/plain.config.new" "$base/plain.config" || mv "$base/plain.config.new" "$base/plain.config"
	rm -f "$base/plain.config.new"
	frags=("$base/plain.config")
fi
# A fragment may name the project's module-signing certificate
# (scripts/mok-key.sh) as @PTSHARE_MOK_PEM@: it is written out into the
# cache with the path, and the build's key covers the certificate.
mok=
for i in "${!frags[@]}"; do
	grep -q '@PTSHARE_MOK_PEM@' "${frags[$i]}" || continue
	[ -n "$mok" ] || mok=$("$PTSHARE_TOP/scripts/mok-key.sh")
	mkdir -p "$base"
	f=$base/${frags[$i]##*/}
	sed "s|@PTSHARE_MOK_PEM@|$mok/mok.pem|" "${frags[$i]}" >"$f.new"
	cmp -s "$f.new" "$f" || mv "$f.new" "$f"
	rm -f "$f.new"
	frags[i]=$f
done
root=$base/root
obj=$base/obj
srcbase=$PTSHARE_CACHE/src
STEP_LOG=$PTSHARE_OUT/$name/kernel-build.log
jobs=${PTSHARE_KERNEL_JOBS:-$(nproc)}

# The key of a build made from source version $1.
key() {
	printf 'source %s\nbase tinyconfig\n' "$1"
	for f in "${frags[@]}"; do printf 'fragment %s %s\n' "${f##*/}" "$(sha256sum <"$f" | cut -d' ' -f1)"; done
	for f in $(kernel_patches "$series"); do printf 'patch %s %s\n' "${f##*/}" "$(sha256sum <"$f" | cut -d' ' -f1)"; done
	printf 'cc %s\n' "$("${cross}gcc" --version | head -n 1)"
	printf 'ld %s\n' "$("${cross}ld" --version | head -n 1)"
	printf 'hostcc %s\n' "$(gcc --version | head -n 1)"
	[ -z "$mok" ] || printf 'mok %s\n' "$(sha256sum <"$mok/mok.pem" | cut -d' ' -f1)"
}

# check_tree: print why $root is not a tree to trust, and fail; or succeed.
check_tree() {
	local abi
	[ -s "$root/abi" ] || { echo "no abi file"; return 1; }
	abi=$(cat "$root/abi")
	[ "$(cat "$root/key" 2>/dev/null)" = "$(key "$abi")" ] ||
		{ echo "built from other fragments, source or compilers"; return 1; }
	[ "$(readlink "$root/kdir")" = "$obj" ] || { echo "kdir does not point at $obj"; return 1; }
	[ -f "$obj/.config" ] && [ -f "$obj/Module.symvers" ] && [ -f "$obj/Makefile" ] ||
		{ echo "no .config, Makefile or Module.symvers in $obj"; return 1; }
	[ "$(cat "$root/release" 2>/dev/null)" = "$(cat "$obj/include/config/kernel.release" 2>/dev/null)" ] ||
		{ echo "release does not match the build's"; return 1; }
	[ -s "$root/vmlinuz" ] || { echo "vmlinuz missing"; return 1; }
	[ -x "$root/busybox" ] || { echo "busybox missing"; return 1; }
}

# A tree made before is reused if it checks out.
reuse_tree "$name" "$base" "$root" && exit 0
mkdir -p "$(dirname "$STEP_LOG")"
: >"$STEP_LOG"

# ---- packages and the source tree (linux_source: scripts/lib.sh) ----
linux_source "$suite" "$series" "$name"

# busybox-static of DEB_ARCH, for the initramfs.
bbdebs=$base/debs
mkdir -p "$bbdebs"
apt_private "$base/apt" "$suite" "$debarch"
get_package busybox-static "$bbdebs"
bbdeb=$pkg_file
for f in "$bbdebs"/*; do [ "$f" = "$bbdebs/$bbdeb" ] || rm -rf "$f"; done

# ---- configure and build in the O= directory ----
rm -f "$base/ready"
key=$(key "$srcver")
# Objects of another source version are of no use; of other fragments they are.
if [ "$(cat "$obj/.ptshare-source" 2>/dev/null)" != "$src" ]; then
	remove_tree "$obj"
fi
mkdir -p "$obj"
echo "$src" >"$obj/.ptshare-source"
kmake() { make -C "$src" O="$obj" ARCH="$karch" CROSS_COMPILE="$cross" "$@"; }

configure() {
	local f
	kmake tinyconfig
	{
		for f in "${frags[@]}"; do
			echo "# ---- ${f##*/}"
			cat "$f"
		done
		echo "CONFIG_LOCALVERSION=\"-$name\""
	} >"$obj/ptshare-fragments.config"
	# Later assignments win, as with scripts/kconfig/merge_config.sh.
	cat "$obj/ptshare-fragments.config" >>"$obj/.config"
	kmake olddefconfig
}
step "configuring $name (tinyconfig + ${#frags[@]} fragments, $karch)" configure ||
	die "$name: configuring failed (log: $(showpath "$STEP_LOG"))"

# Every option a fragment sets must be in the final .config as asked, by
# the last fragment that sets it (a row's own fragment overrides the base).
declare -A want_of=()
order=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) sym=${line%%=*} want=${line#*=} ;;
	"# CONFIG_"*" is not set") sym=${line#\# } sym=${sym%% *} want=n ;;
	*) continue ;;
	esac
	[ -n "${want_of[$sym]+set}" ] || order+=("$sym")
	want_of[$sym]=$want
done < <(grep -hE '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' "$obj/ptshare-fragments.config")
dropped=()
for sym in "${order[@]}"; do
	want=${want_of[$sym]}
	have=$(sed -n "s/^$sym=//p" "$obj/.config")
	[ -n "$have" ] || have=n
	[ "$have" = "$want" ] || dropped+=("$sym=$want (got $have)")
done
if [ ${#dropped[@]} -gt 0 ]; then
	printf '  %s\n' "${dropped[@]}" >&2
	die "$name: Kconfig did not keep ${#dropped[@]} option(s) of the fragments (above; .config: $(showpath "$obj/.config")): fix the fragments in $(showpath "$kconf")"
fi

step "building $name kernel $srcver ($karch, ${cross:-native} gcc, -j$jobs)" \
	kmake -j"$jobs" all "${image#arch/*/boot/}" modules_prepare ||
	die "$name: the kernel build failed (log: $(showpath "$STEP_LOG"))"
[ -f "$obj/Module.symvers" ] || die "$name: the build left no Module.symvers"
[ -f "$obj/$image" ] || die "$name: the build left no $image"

# ---- ROOT, with fetch-kernel.sh's layout ----
remove_tree "$root.new"
mkdir -p "$root.new/fs"
dpkg-deb -x "$bbdebs/$bbdeb" "$root.new/fs"
busybox=$(cd "$root.new/fs" && ls bin/busybox usr/bin/busybox 2>/dev/null | head -n 1 || true)
[ -n "$busybox" ] || die "$name: busybox-static did not provide bin/busybox"
ln -sfn "$root/fs/$busybox" "$root.new/busybox"
# A copy: a later rebuild in obj/ must not change the image under a booting guest.
cp "$obj/$image" "$root.new/vmlinuz"
ln -sfn "$obj" "$root.new/kdir"
kmake -s kernelrelease >"$root.new/release"
echo "$srcver" >"$root.new/abi"
echo "$key" >"$root.new/key"
remove_tree "$root"
mv "$root.new" "$root"
why=$(check_tree) || die "$name: the built tree is not usable: $why"
echo "$root" >"$base/ready"
echo "$root"

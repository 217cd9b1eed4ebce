#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-buildroot.sh KERNEL
#
# Build the Buildroot image of a kernel row of scripts/targets.conf with
# FLAVOR "buildroot":
#
#   kernel NAME SUITE DEB_ARCH buildroot SERIES CROSS_COMPILE DEFCONFIG
#
# Buildroot builds everything in the image from the project's external tree
# (br2-external/, DEFCONFIG from its configs/): the kernel, busybox, and the
# ptshare package (the module, the tool, the selftests). build-guest.sh calls
# this for such rows; the result has the layout boot-guest.sh boots:
#   out/KERNEL/{vmlinuz,initramfs.cpio.gz,release,arch,build.log}
#
# Which Buildroot: BUILDROOT=/path/to/buildroot (a release or a git checkout)
# if set; else the release tarball of the offline files (below), unpacked once
# into the cache. Offline files: PTSHARE_BR_SHARED if set, else
# ../shared/buildroot beside the project, or beside the repository this clone
# was made from. With them the build needs no network (it runs under
# "unshare -n"): their sources fill Buildroot's download directory (the Debian
# tarballs that are byte-identical to what Buildroot's .hash files want) or
# replace a host package through HOST_<PKG>_OVERRIDE_SRCDIR (other versions,
# and git archives, patched with Buildroot's patches and autoreconf'ed here).
# Without them Buildroot downloads what it needs.
#
# Either way the build runs in a Debian SUITE tree (scripts/builder.sh SUITE
# buildroot) with Debian's cross gcc as an external toolchain: a wrapper that
# passes --sysroot=a private sysroot made from Debian's -cross C library
# packages (scripts/buildroot/gcc-wrapper.sh), and a check that accepts it
# (scripts/buildroot/toolchain-check.mk). The kernel source is the tarball of
# Debian's linux-source-SERIES, the package the debug kernels are built from.
# The defconfig is DEFCONFIG with its toolchain and kernel-version lines
# replaced accordingly (out/KERNEL/buildroot.defconfig).
#
# Cached in $PTSHARE_CACHE/buildroot/KERNEL: a run with the same inputs
# rebuilds nothing; a change to the project's sources or to the external
# tree's rootfs overlay rebuilds only the ptshare package and the image (make
# ptshare-dirclean all); any other change (the rest of the external tree,
# Buildroot, the toolchain, the kernel source) rebuilds from scratch. Step
# lines go to stderr; Buildroot's output to out/KERNEL/build.log, its last
# stage every minute while it builds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: build-buildroot.sh KERNEL (a buildroot row of $PTSHARE_TARGETS)"
name=$1
row=$(kernel_row "$name") || die "no kernel row '$name' in $PTSHARE_TARGETS"
read -r suite debarch flavor series cross defconfig <<<"$row"
[ "$flavor" = buildroot ] || die "$name: not a buildroot row (FLAVOR is $flavor)"
triplet=${cross%-}
case $debarch in
arm64) arch=arm64 image=Image ;;
armhf) arch=arm image=zImage ;;
*) die "$name: no Buildroot support for $debarch" ;;
esac
ext=$PTSHARE_TOP/br2-external
[ -f "$ext/configs/$defconfig" ] || die "$name: no $(showpath "$ext/configs/$defconfig")"

need_tools flock:util-linux apt-get:apt dpkg-deb:dpkg unshare:util-linux
[ "$(id -u)" -eq 0 ] || die "$name: the Buildroot build runs in a chroot and needs root"

hout=$PTSHARE_OUT/$name
mkdir -p "$hout"
STEP_LOG=$hout/build.log
: >"$STEP_LOG"
base=$PTSHARE_CACHE/buildroot
mkdir -p "$base"

# ---- the offline files and the Buildroot tree ----
shared_dir() {
	local d origin
	if [ -n "${PTSHARE_BR_SHARED:-}" ]; then
		[ -d "$PTSHARE_BR_SHARED/sources" ] || die "PTSHARE_BR_SHARED=$PTSHARE_BR_SHARED has no sources/"
		readlink -f "$PTSHARE_BR_SHARED"
		return
	fi
	for d in "$PTSHARE_TOP/../shared/buildroot" \
		"$(origin=$(git -C "$PTSHARE_TOP" remote get-url origin 2>/dev/null) &&
			[ -d "$origin" ] && echo "$origin/../shared/buildroot")"; do
		[ -n "$d" ] && [ -d "$d/sources" ] && { readlink -f "$d"; return; }
	done
	return 0
}
shared=$(shared_dir)
if [ -n "${BUILDROOT:-}" ]; then
	brtree=$(readlink -f "$BUILDROOT")
	[ -f "$brtree/Makefile" ] && [ -d "$brtree/package/busybox" ] ||
		die "BUILDROOT=$BUILDROOT is not a Buildroot tree"
elif [ -n "$shared" ]; then
	tarball=$(ls "$shared"/buildroot-*.tar.* 2>/dev/null | sort -V | tail -n 1)
	[ -n "$tarball" ] || die "no buildroot-*.tar.* in $shared"
	v=${tarball##*/buildroot-}
	v=${v%.tar.*}
	brtree=$base/src/buildroot-$v
	lock buildroot-src
	if [ "$(cat "$brtree/.ptshare-from" 2>/dev/null)" != "$tarball" ]; then
		unpack_buildroot() {
			remove_tree "$brtree.new"
			mkdir -p "$brtree.new"
			tar -xf "$tarball" -C "$brtree.new" --strip-components=1
			echo "$tarball" >"$brtree.new/.ptshare-from"
			remove_tree "$brtree"
			mv "$brtree.new" "$brtree"
		}
		step "unpacking Buildroot $v (once)" unpack_buildroot ||
			die "$name: unpacking $(showpath "$tarball") failed"
	fi
	unlock buildroot-src
else
	die "$name: no Buildroot: set BUILDROOT=/path/to/buildroot (a release or a checkout;" \
		"it then downloads its sources), or put the offline files (buildroot-*.tar.xz," \
		"sources/) in ../shared/buildroot beside the project or PTSHARE_BR_SHARED=DIR"
fi
brver=$(sed -n 's/^export BR2_VERSION := *//p' "$brtree/Makefile")
offline=
[ -z "$shared" ] || offline=1

btree=$("$PTSHARE_TOP/scripts/builder.sh" "$suite" buildroot)

# in_tree [-n] CMD: run bash -c CMD in the build tree, in a private mount
# namespace where the cache, the project, the output directory and the
# Buildroot tree are bound at their own paths (and /dev, /proc); -n: with no
# network either.
in_tree() {
	local net=()
	[ "$1" != -n ] || { net=(--net); shift; }
	unshare --mount --propagation private "${net[@]}" -- /bin/bash -c '
		set -e
		bt=$1
		shift
		for d in "$PTSHARE_CACHE" "$PTSHARE_TOP" "$PTSHARE_OUT" "$BRTREE"; do
			mkdir -p "$bt$d"
			mount --bind "$d" "$bt$d"
		done
		mount --rbind /dev "$bt/dev"
		mount -t proc proc "$bt/proc"
		exec chroot "$bt" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin PTSHARE_CACHE="$PTSHARE_CACHE" \
			PTSHARE_TOP="$PTSHARE_TOP" /bin/bash -euo pipefail -c "$1"' \
		in_tree "$btree" "$@"
}
# (PTSHARE_OUT may be outside the project: the defconfig is written there)
export PTSHARE_CACHE PTSHARE_TOP PTSHARE_OUT
export BRTREE=$brtree

# ---- packages from the Debian archive: the kernel source, the cross C library ----
srcdebs=$PTSHARE_CACHE/src/debs
mkdir -p "$srcdebs" "$base/debs"
lock "src-index-$suite"
apt_private "$PTSHARE_CACHE/src/apt-$suite" "$suite" amd64
get_package "linux-source-$series" "$srcdebs"
srcdeb=$pkg_file
xdebs=()
for p in libc6-dev libc6 linux-libc-dev libgcc-s1; do
	get_package "$p-$debarch-cross" "$base/debs"
	xdebs+=("$pkg_file")
done
unlock "src-index-$suite"

# The kernel tarball, out of the package once per version.
ktar=$base/${srcdeb%.deb}.tar.xz
lock buildroot-prep
if [ ! -s "$ktar" ]; then
	extract_ktar() {
		dpkg-deb --fsys-tarfile "$srcdebs/$srcdeb" |
			tar -xO "./usr/src/linux-source-$series.tar.xz" >"$ktar.new"
		mv "$ktar.new" "$ktar"
	}
	step "taking linux-source-$series.tar.xz out of $srcdeb" extract_ktar ||
		die "$name: no linux-source-$series.tar.xz in $srcdeb"
	for f in "$base"/linux-source-"$series"_*.tar.xz; do [ "$f" = "$ktar" ] || rm -f "$f"; done
fi
# Its hash, for BR2_DOWNLOAD_FORCE_CHECK_HASHES (a patch directory of ours
# that the defconfig's BR2_GLOBAL_PATCH_DIR gets added to).
khash=$base/patches/linux/linux.hash
if ! grep -q " ${ktar##*/}\$" "$khash" 2>/dev/null; then
	mkdir -p "${khash%/*}"
	printf '# scripts/build-buildroot.sh: the tarball of %s\nsha256  %s  %s\n' "$srcdeb" \
		"$(sha256sum <"$ktar" | cut -d' ' -f1)" "${ktar##*/}" >"$khash.new"
	mv "$khash.new" "$khash"
fi

# ---- the external toolchain: wrapper + private sysroot ----
xtc=$base/xtc/$triplet
xkey="${xdebs[*]} $(sha256sum <"$PTSHARE_TOP/scripts/buildroot/gcc-wrapper.sh" | cut -c1-16)"
if [ "$(cat "$xtc/.ptshare-key" 2>/dev/null)" != "$xkey" ]; then
	make_xtc() {
		local d t x=$xtc.x
		rm -rf "$xtc" "$x"
		mkdir -p "$x" "$xtc/bin" "$xtc/sysroot/usr"
		for d in "${xdebs[@]}"; do dpkg-deb -x "$base/debs/$d" "$x"; done
		cp -a "$x/usr/$triplet/include" "$xtc/sysroot/usr/include"
		cp -a "$x/usr/$triplet/lib" "$xtc/sysroot/usr/lib"
		ln -s usr/lib "$xtc/sysroot/lib"
		rm -rf "$x"
		# GNU ld scripts name /usr/TRIPLET/lib/...: make them sysroot paths.
		for f in $(grep -lrI "/usr/$triplet/lib/" "$xtc/sysroot/usr/lib" || true); do
			sed -i "s#/usr/$triplet/lib/#/usr/lib/#g" "$f"
		done
		! grep -rlI "/usr/$triplet" "$xtc/sysroot/usr/lib" || return 1
		cp "$PTSHARE_TOP/scripts/buildroot/gcc-wrapper.sh" "$xtc/bin/gcc-wrapper.sh"
		for t in gcc cpp; do ln -s gcc-wrapper.sh "$xtc/bin/$triplet-$t"; done
		for t in gcc-ar gcc-nm gcc-ranlib addr2line ar as c++filt elfedit gprof ld ld.bfd nm \
			objcopy objdump ranlib readelf size strings strip; do
			ln -s "/usr/bin/$triplet-$t" "$xtc/bin/$triplet-$t"
		done
		echo "$xkey" >"$xtc/.ptshare-key"
	}
	step "making the $triplet toolchain (Debian's cross gcc, private sysroot)" make_xtc ||
		die "$name: making the toolchain failed (log: $(showpath "$STEP_LOG"))"
fi
gccver=$(chroot "$btree" "/usr/bin/$triplet-gcc" -dumpversion | cut -d. -f1)
hdrver=$(sed -n 's/^#define LINUX_VERSION_CODE \([0-9]*\)$/\1/p' "$xtc/sysroot/usr/include/linux/version.h")
hdrver="$((hdrver >> 16))_$(((hdrver >> 8) & 255))"

# ---- offline sources ----
locals=()
if [ -n "$offline" ]; then
	dl=$base/dl
	# Debian's tarballs that are byte-identical to what Buildroot's .hash files ask for.
	put_orig() { # FILE PKG NAME
		local want have
		want=$(awk -v f="$3" '$1 == "sha256" && $3 == f { print $2 }' "$brtree/package/$2/$2.hash" 2>/dev/null)
		[ -n "$want" ] || return 0 # this Buildroot wants another version
		[ -f "$dl/$2/$3" ] && return 0
		have=$(sha256sum <"$shared/sources/$1" | cut -d' ' -f1)
		[ "$have" = "$want" ] || { msg "$name: $1 is not Buildroot's $3 (sha256 differs); not used"; return 0; }
		mkdir -p "$dl/$2"
		cp "$shared/sources/$1" "$dl/$2/$3"
	}
	put_orig busybox_1.37.0.orig.tar.bz2 busybox busybox-1.37.0.tar.bz2
	put_orig acl_2.3.2.orig.tar.xz acl acl-2.3.2.tar.xz
	put_orig attr_2.5.2.orig.tar.xz attr attr-2.5.2.tar.xz
	put_orig autoconf_2.72.orig.tar.xz autoconf autoconf-2.72.tar.xz
	put_orig automake-1.16_1.16.5.orig.tar.xz automake automake-1.16.5.tar.xz

	# Host packages whose pinned version the offline files lack: other
	# versions, or git archives, as source directories.
	trees=$base/srctrees-$brver
	ovr=(m4:m4_1.4.19.orig.tar.xz:m4-1.4.19: libtool:libtool_2.4.7.orig.tar.xz:libtool-2.4.7:
		fakeroot:fakeroot_1.32.2.tar.gz:fakeroot-1.32.2:
		kmod:kmod-33.git-archive.tar.gz:kmod-33:git
		patchelf:patchelf-0.13.git-archive.tar.gz:patchelf-0.13:git
		pkgconf:pkgconf-2.3.0.git-archive.tar.gz:pkgconf-2.3.0:git)
	tkey=$(
		cd "$shared/sources" && sha256sum ./*
		cd "$brtree" && find package/{m4,libtool,fakeroot,kmod,patchelf,pkgconf} -name '*.patch' |
			LC_ALL=C sort | xargs -r sha256sum
	)
	if [ "$(cat "$trees/.ptshare-key" 2>/dev/null)" != "$tkey" ]; then
		make_trees() {
			local o p f dir git
			remove_tree "$trees"
			mkdir -p "$trees"
			for o in "${ovr[@]}"; do
				IFS=: read -r p f dir git <<<"$o"
				tar -xf "$shared/sources/$f" -C "$trees"
				[ -d "$trees/$dir" ] || { echo "$f did not give $dir"; return 1; }
				# OVERRIDE_SRCDIR skips Buildroot's patches: apply them here.
				[ -z "$git" ] || for f in "$brtree/package/$p"/*.patch; do
					[ -f "$f" ] || continue
					echo "patching $dir with ${f##*/}"
					patch -s -d "$trees/$dir" -p1 <"$f"
				done
			done
			# kmod's autogen.sh wants gtk-doc: autoreconf with an empty gtk-doc.make.
			touch "$trees/kmod-33/libkmod/docs/gtk-doc.make"
			in_tree "cd $trees && for d in kmod-33 patchelf-0.13 pkgconf-2.3.0; do (cd \$d && autoreconf -fi); done"
			echo "$tkey" >"$trees/.ptshare-key"
		}
		step "preparing 6 host-tool source trees for Buildroot $brver (once)" make_trees ||
			die "$name: preparing the source trees failed (log: $(showpath "$STEP_LOG"))"
	fi
	for o in "${ovr[@]}"; do
		IFS=: read -r p _ dir _ <<<"$o"
		locals+=("HOST_${p^^}_OVERRIDE_SRCDIR = $trees/$dir")
	done
fi
unlock buildroot-prep

# ---- the defconfig ----
brout=$base/$name/out
mkdir -p "$base/$name"
lock "buildroot-$name"
def=$hout/buildroot.defconfig
{
	echo "# $defconfig for scripts/build-buildroot.sh: its toolchain and kernel version replaced"
	grep -vE '^(# )?BR2_(TOOLCHAIN_|KERNEL_HEADERS|PACKAGE_HOST_LINUX_HEADERS|LINUX_KERNEL_CUSTOM_VERSION|DL_DIR|BACKUP_SITE|GLOBAL_PATCH_DIR)' \
		"$ext/configs/$defconfig"
	gpd=$(sed -n 's/^BR2_GLOBAL_PATCH_DIR="\(.*\)"$/\1/p' "$ext/configs/$defconfig")
	echo "BR2_GLOBAL_PATCH_DIR=\"${gpd:+$gpd }$base/patches\""
	[ -z "$offline" ] || printf 'BR2_DL_DIR="%s"\nBR2_BACKUP_SITE=""\n' "$base/dl"
	cat <<EOF
BR2_TOOLCHAIN_EXTERNAL=y
BR2_TOOLCHAIN_EXTERNAL_CUSTOM=y
BR2_TOOLCHAIN_EXTERNAL_PREINSTALLED=y
BR2_TOOLCHAIN_EXTERNAL_PATH="$xtc"
BR2_TOOLCHAIN_EXTERNAL_CUSTOM_PREFIX="$triplet"
BR2_TOOLCHAIN_EXTERNAL_GCC_$gccver=y
BR2_TOOLCHAIN_EXTERNAL_HEADERS_$hdrver=y
BR2_TOOLCHAIN_EXTERNAL_CUSTOM_GLIBC=y
BR2_TOOLCHAIN_EXTERNAL_HAS_SSP=y
BR2_TOOLCHAIN_EXTERNAL_HAS_SSP_STRONG=y
# BR2_TOOLCHAIN_EXTERNAL_INET_RPC is not set
BR2_TOOLCHAIN_EXTERNAL_OPENMP=y
BR2_LINUX_KERNEL_CUSTOM_TARBALL=y
BR2_LINUX_KERNEL_CUSTOM_TARBALL_LOCATION="file://$ktar"
EOF
} >"$def"
# (the check from the cache, so that local.mk names no clone's path)
cp "$PTSHARE_TOP/scripts/buildroot/toolchain-check.mk" "$base/toolchain-check.mk"
{
	for l in "${locals[@]}"; do echo "$l"; done
	echo "include $base/toolchain-check.mk"
} >"$hout/local.mk"

# What the image is made from, with no path of this clone in it (a fresh
# clone reuses the image). key1: all but the project's sources and the
# rootfs overlay (a change rebuilds from scratch); key2: the sources the
# ptshare package takes, and the overlay, which every "make all" copies
# into the image again (a change rebuilds the package and the image).
overlay=br2-external/board/qemu/rootfs-overlay
key1=$({
	echo "buildroot $brtree $brver"
	cat "$def" "$hout/local.mk" "$base/toolchain-check.mk"
	(cd "$ext" && find . -type f ! -path "./${overlay#br2-external/}/*" | LC_ALL=C sort | xargs sha256sum)
	echo "toolchain $xkey"
} | sha256sum | cut -d' ' -f1)
key2=$(cd "$PTSHARE_TOP" && {
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files -co --exclude-standard -- Kbuild module include tools selftests "$overlay"
	else
		find Kbuild module include tools selftests "$overlay" -type f
	fi
} | LC_ALL=C sort | while read -r f; do [ -f "$f" ] && sha256sum "$f"; done | sha256sum | cut -d' ' -f1)

imgs=$brout/images
have1=$(cat "$base/$name/key1" 2>/dev/null || true)
have2=$(cat "$base/$name/key2" 2>/dev/null || true)
if [ "$have1" = "$key1" ] && [ "$have2" = "$key2" ] && [ -s "$imgs/$image" ] &&
	[ -s "$imgs/rootfs.cpio.gz" ]; then
	msg "$name: the Buildroot image is up to date ($(showpath "$imgs"))"
	what=
elif [ "$have1" = "$key1" ] && [ -s "$imgs/$image" ]; then
	what="ptshare-dirclean all"
else
	what=all
	remove_tree "$brout"
fi

# The overlay's files at the last build: a file since removed from the
# overlay is removed from the image's target tree too (Buildroot copies the
# overlay over the target, and removes nothing). A file that a package also
# installed (the overlay replaced it) cannot be given back that way: then the
# image is built again from scratch.
olist=$base/$name/overlay-files
if [ "$what" = "ptshare-dirclean all" ] && [ -f "$olist" ]; then
	gone=()
	while read -r f; do
		[ -e "$PTSHARE_TOP/$overlay/$f" ] || gone+=("$f")
	done <"$olist"
	for f in "${gone[@]}"; do
		if cut -d, -f2- "$brout/build/packages-file-list.txt" 2>/dev/null | grep -qxF "./$f"; then
			msg "$name: /$f left the overlay, and a package installs it too: building from scratch"
			what=all
			remove_tree "$brout"
			break
		fi
	done
	if [ "$what" != all ]; then
		for f in "${gone[@]}"; do
			rm -f "$brout/target/$f"
		done
	fi
fi

if [ -n "$what" ]; then
	rm -f "$base/$name/key2"
	mkdir -p "$brout"
	cp "$hout/local.mk" "$brout/local.mk"
	cfg="cd $brtree && make O=$brout BR2_EXTERNAL=$ext BR2_DEFCONFIG=$def defconfig"
	step "configuring $name (Buildroot $brver, $defconfig)" in_tree "$cfg" ||
		die "$name: Buildroot's defconfig step failed (log: $(showpath "$STEP_LOG"))"
	# Kconfig drops what it cannot take: check that the overrides held.
	for want in BR2_TOOLCHAIN_EXTERNAL_CUSTOM=y BR2_LINUX_KERNEL_CUSTOM_TARBALL=y \
		"BR2_TOOLCHAIN_EXTERNAL_GCC_$gccver=y" "BR2_TOOLCHAIN_EXTERNAL_HEADERS_$hdrver=y" \
		BR2_PACKAGE_PTSHARE=y BR2_PACKAGE_PTSHARE_SELFTESTS=y BR2_DOWNLOAD_FORCE_CHECK_HASHES=y; do
		grep -qxF "$want" "$brout/.config" ||
			die "$name: Buildroot's .config lacks $want ($(showpath "$def") was not taken as written)"
	done
	# Every minute, Buildroot's last stage ("linux custom Building").
	ticker() {
		local t0=$1 last fd
		# Only stderr: a sleep outlives the ticker's kill by up to a minute,
		# and must not hold the caller's descriptors (run-tests.sh's lock).
		for fd in /proc/$BASHPID/fd/*; do
			fd=${fd##*/}
			[ "$fd" -gt 2 ] && eval "exec $fd>&-"
		done
		while sleep 60; do
			# (|| true: no stage yet is no reason to end; under set -e and
			# pipefail a failed grep ended the ticker, and the kill below
			# then failed and ended the script silently, its build done)
			last=$(grep -a '^>>> ' "$STEP_LOG" | tail -n 1 | cut -c5- || true)
			printf '  %s: %d s, at %s\n' "$name" $(($(date +%s) - t0)) "${last:-?}" >&2
		done
	}
	nonet=
	[ -z "$offline" ] || nonet=-n
	t0=$(date +%s)
	msg "$name: building with Buildroot (make $what${nonet:+, no network}; log: $(showpath "$STEP_LOG"))"
	ticker "$t0" &
	tick=$!
	rc=0
	printf '\n== %s make %s\n' "$(date '+%F %T')" "$what" >>"$STEP_LOG"
	in_tree $nonet "cd $brtree && make O=$brout $what" >>"$STEP_LOG" 2>&1 </dev/null || rc=$?
	kill "$tick" 2>/dev/null || true
	wait "$tick" 2>/dev/null || true
	if [ $rc -ne 0 ]; then
		tail -n 15 "$STEP_LOG" | sed 's/^/  | /' >&2
		die "$name: the Buildroot build failed after $(($(date +%s) - t0)) s (log: $(showpath "$STEP_LOG"))"
	fi
	msg "$name: built in $(($(date +%s) - t0)) s"
	for f in "$image" rootfs.cpio.gz; do
		[ -s "$imgs/$f" ] || die "$name: the build left no images/$f"
	done
	echo "$key1" >"$base/$name/key1"
	(cd "$PTSHARE_TOP/$overlay" && find . -type f | sed 's#^\./##' | LC_ALL=C sort) >"$olist"
	echo "$key2" >"$base/$name/key2"
fi

# ---- out/KERNEL, as build-guest.sh leaves it ----
kdir=$brout/build/linux-custom
release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) ||
	die "$name: no kernel release in $(showpath "$kdir")"
cp "$imgs/$image" "$hout/vmlinuz.new"
cp "$imgs/rootfs.cpio.gz" "$hout/initramfs.cpio.gz.new"
rm -f "$hout/vmlinuz" # (a symlink when the row was of another flavor)
mv "$hout/vmlinuz.new" "$hout/vmlinuz"
mv "$hout/initramfs.cpio.gz.new" "$hout/initramfs.cpio.gz"
echo "$release" >"$hout/release"
echo "$arch" >"$hout/arch"
printf '%s: %s %s, rootfs.cpio.gz %s\n' "$name" "$image" "$(du -h "$imgs/$image" | cut -f1)" \
	"$(du -h "$imgs/rootfs.cpio.gz" | cut -f1)" >&2
echo "$hout"

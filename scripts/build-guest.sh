#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-guest.sh KERNEL
#
# Build ptshare.ko against KERNEL's headers (a kernel row of targets.conf),
# tools/ptshare and the selftests as static binaries for its architecture,
# and pack them with busybox into an initramfs. Prints the output directory:
#   out/KERNEL/{ptshare.ko,initramfs.cpio.gz,vmlinuz,release,build.log}
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: build-guest.sh KERNEL"
name=$1
row=$(kernel_row "$name") || die "no kernel row '$name' in $PTSHARE_TARGETS"
read -r _suite _debarch _flavor _abi cross builder <<<"$row"
[ "$cross" = - ] && cross=
builder=${builder:-host}
need_host_tools
[ -z "$cross" ] || need_tools "${cross}gcc:gcc-${cross%-}" \
	"/usr/${cross%-}/lib/libc.a:libc6-dev-$(dpkg-architecture -t "${cross%-}" -qDEB_HOST_ARCH 2>/dev/null || echo armhf)-cross"

root=$("$PTSHARE_TOP/scripts/fetch-kernel.sh" "$name")
out=$PTSHARE_OUT/$name
build=$out/build
mkdir -p "$out"
log=$out/build.log
: >"$log"

kdir=$root/kdir
karch=$(sed -n 's/^CONFIG_\(X86_64\|ARM64\|ARM\)=y$/\1/p' "$kdir/.config" | head -n 1)
case $karch in
X86_64) arch=x86 ;;
ARM64) arch=arm64 ;;
ARM) arch=arm ;;
*) die "$name: cannot tell the kernel's architecture from $kdir/.config" ;;
esac

# Build in a copy so kernels of several architectures can be built side by side.
rm -rf "$build"
mkdir -p "$build"
cp -r "$PTSHARE_TOP/Kbuild" "$PTSHARE_TOP/module" "$PTSHARE_TOP/include" "$build/"
find "$build/module" -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' | xargs rm -f
# Kernel builds run on the host, or in a builder tree of the kernel's suite
# (scripts/builder.sh) with the cache and the build directory bound in at
# the same paths.
kmake=(make)
if [ "$builder" != host ]; then
	btree=$("$PTSHARE_TOP/scripts/builder.sh" "$builder")
	mounts=()
	unmount_all() {
		local m
		for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
	}
	trap unmount_all EXIT
	for d in "$PTSHARE_CACHE" "$build"; do
		mkdir -p "$btree$d"
		mount --bind "$d" "$btree$d"
		mounts=("$btree$d" "${mounts[@]}")
	done
	# objtool of 7.x reads /proc
	mount -t proc proc "$btree/proc"
	mounts=("$btree/proc" "${mounts[@]}")
	kmake=(chroot "$btree" make)
fi
cp -r "$PTSHARE_TOP/selftests/ptshare/vmtest" "$build/vmtest"

msg "$name: building ptshare.ko against $(cat "$root/release") (on $builder)"
if ! "${kmake[@]}" -C "$kdir" M="$build" ARCH="$arch" CROSS_COMPILE="$cross" W=1 modules \
	>>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	die "$name: module build failed (full log: $log)"
fi
cp "$build/module/ptshare.ko" "$out/ptshare.ko"

# The selftests' helper module, built the same way.
if ! "${kmake[@]}" -C "$kdir" M="$build/vmtest" ARCH="$arch" CROSS_COMPILE="$cross" W=1 modules \
	>>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	die "$name: selftest module build failed (full log: $log)"
fi
if grep -E '(^|: )(warning|error):' "$log" >&2; then
	die "$name: the module builds printed warnings (full log: $log)"
fi

msg "$name: building the tool and the selftests (static)"
make -s -C "$PTSHARE_TOP/tools" O="$build/tools" CC="${cross}gcc" LDFLAGS=-static >>"$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "$name: tool build failed (full log: $log)"; }
make -s -C "$PTSHARE_TOP/selftests/ptshare" O="$build/selftests" CC="${cross}gcc" CFLAGS="-O2 -g -Werror" \
	LDFLAGS=-static >>"$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "$name: selftest build failed (full log: $log)"; }

# The initramfs: busybox, /init, the module, the tool, the selftests.
rootfs=$out/rootfs
rm -rf "$rootfs"
mkdir -p "$rootfs"/{bin,dev,proc,sys,tmp,root,ptshare/tests}
cp "$root/busybox" "$rootfs/bin/busybox"
cp "$PTSHARE_TOP/scripts/guest-init.sh" "$rootfs/init"
cp "$out/ptshare.ko" "$build/vmtest/ptshare_vmtest.ko" "$rootfs/ptshare/"
cp "$build/tools/ptshare" "$rootfs/bin/ptshare"
cp "$build/selftests"/* "$rootfs/ptshare/tests/"
cp "$PTSHARE_TOP/selftests/ptshare/run_tests.sh" "$rootfs/ptshare/"
chmod 0755 "$rootfs/init" "$rootfs/ptshare/run_tests.sh"
(cd "$rootfs" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"
ln -sfn "$root/vmlinuz" "$out/vmlinuz"
cp "$root/release" "$out/release"
echo "$arch" >"$out/arch"
echo "$out"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-guest.sh KERNEL
#
# Build ptshare.ko against KERNEL's headers (a kernel row of targets.conf),
# tools/ptshare and the selftests as static binaries for its architecture,
# and pack them with busybox into an initramfs. Prints the output directory:
#   out/KERNEL/{ptshare.ko,initramfs.cpio.gz,vmlinuz,release,build.log}
#   (and firmware, the -bios of its guests, where the kernel row has one)
# stderr gets one line per step; compiler output goes to build.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: build-guest.sh KERNEL"
name=$1
row=$(kernel_row "$name") || die "no kernel row '$name' in $PTSHARE_TARGETS"
read -r _suite _debarch flavor _abi cross builder <<<"$row"
# Buildroot rows: Buildroot builds the whole image, the package included.
[ "$flavor" != buildroot ] || exec "$PTSHARE_TOP/scripts/build-buildroot.sh" "$name"
[ "$cross" = - ] && cross=
builder=${builder:-host}
need_host_tools flock:util-linux
[ -z "$cross" ] || need_tools "${cross}gcc:gcc-${cross%-}" \
	"/usr/${cross%-}/lib/libc.a:libc6-dev-$(dpkg-architecture -t "${cross%-}" -qDEB_HOST_ARCH 2>/dev/null || echo armhf)-cross"

out=$PTSHARE_OUT/$name
build=$out/build
mkdir -p "$out"
# Two builds of KERNEL from one clone (a test run and a demo) take turns.
lock "$out/.lock"

root=$("$PTSHARE_TOP/scripts/fetch-kernel.sh" "$name")
# Hold the kernel tree (shared) so no other run replaces it under the build.
lock "kernel-$name" shared
[ "$(cat "$PTSHARE_CACHE/kernels/$name/ready" 2>/dev/null)" = "$root" ] ||
	die "$name: the kernel tree was being replaced by another run; run again"
log=$out/build.log
: >"$log"
STEP_LOG=$log

kdir=$root/kdir
release=$(cat "$root/release")
karch=$(sed -n 's/^CONFIG_\(X86_64\|X86_32\|ARM64\|ARM\|RISCV\)=y$/\1/p' "$kdir/.config" | head -n 1)
case $karch in
X86_64 | X86_32) arch=x86 ;;
ARM64) arch=arm64 ;;
ARM) arch=arm ;;
RISCV) arch=riscv ;;
*) die "$name: cannot tell the kernel's architecture from $kdir/.config" ;;
esac

# Build in a copy so kernels of several architectures can be built side by side.
rm -rf "$build"
mkdir -p "$build"
cp -r "$PTSHARE_TOP/Kbuild" "$PTSHARE_TOP/module" "$PTSHARE_TOP/include" "$build/"
find "$build/module" -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' | xargs rm -f
cp -r "$PTSHARE_TOP/selftests/ptshare/vmtest" "$build/vmtest"

# Kernel builds run on the host, or in a builder tree of the kernel's suite
# (scripts/builder.sh) with the cache and the build directory bound in at
# the same paths. The binds live in a private mount namespace (unshare), so
# they vanish with the build however it ends; without unshare they are made
# here and undone by the trap. Builds in one tree take turns (the builder
# lock), so whatever is mounted under it when we hold the lock is a leftover.
kmake=(make)
where="on the host"
if [ "$builder" != host ]; then
	btree=$("$PTSHARE_TOP/scripts/builder.sh" "$builder")
	lock "builder-$builder"
	unmount_leftovers "$btree"
	for d in "$PTSHARE_CACHE" "$build"; do mkdir -p "$btree$d"; done
	in_builder_ns() {
		unshare --mount --propagation private -- /bin/bash -c '
			set -e
			bt=$1 cache=$2 build=$3
			shift 3
			mount --bind "$cache" "$bt$cache"
			mount --bind "$build" "$bt$build"
			mount -t proc proc "$bt/proc" # objtool of 7.x reads /proc
			exec chroot "$bt" "$@"' in_builder "$btree" "$PTSHARE_CACHE" "$build" "$@"
	}
	# (PTSHARE_UNSHARE=0 takes the fallback, to test it.)
	if [ "${PTSHARE_UNSHARE:-1}" != 0 ] && command -v unshare >/dev/null &&
		unshare --mount --propagation private true 2>/dev/null; then
		kmake=(in_builder_ns make)
	else
		mounts=()
		unmount_all() {
			local m
			for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
			mounts=()
		}
		trap unmount_all EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
		for d in "$PTSHARE_CACHE" "$build"; do
			mount --bind "$d" "$btree$d"
			mounts=("$btree$d" "${mounts[@]}")
		done
		mount -t proc proc "$btree/proc"
		mounts=("$btree/proc" "${mounts[@]}")
		kmake=(chroot "$btree" make)
	fi
	where="in the $builder tree"
fi

kbuild() { # DIR: one external-module build against kdir (its files in parallel)
	"${kmake[@]}" -j"$(nproc)" -C "$kdir" M="$1" ARCH="$arch" CROSS_COMPILE="$cross" W=1 modules
}
# PTSHARE_BENCH=1 (scripts/bench-module.sh): the benchmark's floor and
# sampling-profiler modules too,
# and with PTSHARE_BENCH_BEFORE_SRC (a tree with Kbuild, module/ and include/
# of an earlier revision) that revision's module, to measure beside this one.
bench=${PTSHARE_BENCH:-}
before=${PTSHARE_BENCH_BEFORE_SRC:-}
if [ -n "$bench" ]; then
	rm -rf "$build/floor" "$build/prof"
	cp -r "$PTSHARE_TOP/scripts/bench/floor" "$PTSHARE_TOP/scripts/bench/prof" "$build/"
	[ -z "$before" ] || cp -r "$before" "$build/before"
fi
modules() {
	kbuild "$build" && kbuild "$build/vmtest" && { [ -z "$bench" ] || { kbuild "$build/floor" && kbuild "$build/prof"; }; } &&
		{ [ -z "$bench" ] || [ -z "$before" ] || kbuild "$build/before"; }
}
# The modules built before from the same files against the same kernel with
# the same compiler are taken from the cache (product_get): the key covers
# what was copied into build/ above, the kernel (release, build key or
# Debian packages, .config, Module.symvers) and the compiler's version.
# Benchmark builds, with more modules, are always built.
kcc=("${kmake[@]}")
kcc[${#kcc[@]} - 1]=${cross}gcc
mod_key=$({
	files_hash "$build" .
	cat "$root/release" "$root/key" 2>/dev/null
	ls "$root/debs" 2>/dev/null
	sha256sum "$kdir/.config" "$kdir/Module.symvers" | cut -d' ' -f1
	echo "$arch $builder"
	"${kcc[@]}" --version | head -n 1
} | sha256sum | cut -c1-24)
mod_kind=module-$name
if [ -z "$bench" ] && product_get "$mod_kind" "$mod_key" "$build/cached"; then
	echo "ptshare.ko and the vmtest modules for $name from the cache (key $mod_key)" >&2
	cp "$build/cached/ptshare.ko" "$build/module/"
	cp "$build/cached/vmtest"/*.ko "$build/vmtest/"
else
	step "building ptshare.ko for $name ($release, $where)" modules ||
		die "$name: module build failed (log: $(showpath "$log"))"
	if grep -E '(^|: )(warning|error):' "$log" >&2; then
		die "$name: the module builds printed warnings (log: $(showpath "$log"))"
	fi
	if [ -z "$bench" ]; then
		rm -rf "$build/cached"
		mkdir -p "$build/cached/vmtest"
		cp "$build/module/ptshare.ko" "$build/cached/"
		cp "$build/vmtest"/*.ko "$build/cached/vmtest/"
		product_put "$mod_kind" "$mod_key" "$build/cached" || msg "$name: could not keep the modules in the cache"
	fi
fi
if [ "$builder" != host ]; then
	[ -z "${mounts:+x}" ] || unmount_all
	unlock "builder-$builder"
fi

# run_tests.sh runs the tests the Makefile builds, in its order (the kselftest
# runner takes the Makefile's TEST_GEN_PROGS).
ptests=$(make -s -C "$PTSHARE_TOP/selftests/ptshare" list)
[ "$ptests" = "$(sed -n 's/^tests="\(.*\)"$/\1/p' "$PTSHARE_TOP/selftests/ptshare/run_tests.sh")" ] ||
	die "selftests/ptshare/run_tests.sh's tests= differs from the Makefile's TEST_GEN_PROGS: $ptests"

# The tool and the selftests depend on the toolchain only, not on the
# kernel: one build per toolchain in out/.userland/, shared by every kernel
# of the run (make redoes what changed), then copied. Built per kernel, they
# were 15 of the run's 20 userland builds (about 55 s each beside the guests).
userland() {
	local ub=$PTSHARE_OUT/.userland/${cross:-native} ok=0
	lock "$ub.lock"
	make -s -j"$(nproc)" -C "$PTSHARE_TOP/tools" O="$ub/tools" CC="${cross}gcc" LDFLAGS=-static &&
		make -s -j"$(nproc)" -C "$PTSHARE_TOP/selftests/ptshare" O="$ub/selftests" CC="${cross}gcc" \
			CFLAGS="-O2 -g -Werror" LDFLAGS=-static &&
		mkdir -p "$build/tools" "$build/selftests" &&
		cp "$ub/tools/ptshare" "$build/tools/" && cp "$ub/selftests"/* "$build/selftests/" && ok=1
	unlock "$ub.lock"
	[ $ok = 1 ] || return 1
	rm -rf "$build/userland"
	mkdir -p "$build/userland"
	cp -r "$build/tools" "$build/selftests" "$build/userland/"
	product_put "$user_kind" "$user_key" "$build/userland" ||
		msg "$name: could not keep the tool and the selftests in the cache"
	[ -z "$bench" ] || bench_programs
}
bench_programs() {
	local p
	mkdir -p "$build/bench"
	for p in spawn readtime; do
		"${cross}gcc" -O2 -Wall -Wextra -Werror -static -o "$build/bench/$p" \
			"$PTSHARE_TOP/scripts/bench/$p.c" -lpthread || return 1
	done
	cp "$build/floor/ptshare_floor.ko" "$build/prof/ptshare_prof.ko" \
		"$PTSHARE_TOP/scripts/bench/guest-bench.sh" "$build/bench/"
	[ -z "$before" ] || cp "$build/before/module/ptshare.ko" "$build/bench/before-ptshare.ko"
}
# From the cache as the modules are: the key covers their sources (tools/,
# include/, selftests/ptshare/) and the compiler's version.
user_key=$({
	files_hash "$PTSHARE_TOP" tools/Makefile tools/*.c tools/*.h include selftests/ptshare
	"${cross}gcc" --version | head -n 1
} | sha256sum | cut -c1-24)
user_kind=userland-${cross:-native}
if [ -z "$bench" ] && product_get "$user_kind" "$user_key" "$build/fromcache"; then
	echo "the tool and the selftests for $arch from the cache (key $user_key)" >&2
	rm -rf "$build/tools" "$build/selftests"
	mv "$build/fromcache/tools" "$build/fromcache/selftests" "$build/"
else
	step "building the tool and the selftests for $arch (static)" userland ||
		die "$name: tool or selftest build failed (log: $(showpath "$log"))"
fi

# Rows of this kernel that run the selftests through the kernel's kselftest
# runner (PTSHARE_KSELFTEST=1) get them built and installed that way
# (scripts/build-kselftest.sh), in an archive of their own that
# boot-guest.sh appends to the initramfs for those rows only.
ksft=
for g in $(guest_names); do
	guest_row "$g" && [ "$G_KERNEL" = "$name" ] || continue
	case " $G_APPEND " in *" PTSHARE_KSELFTEST=1 "*) ksft=1 ;; esac
done
if [ -n "$ksft" ]; then
	step "building the selftests as a kselftest target for $arch (the kernel's lib.mk)" \
		"$PTSHARE_TOP/scripts/build-kselftest.sh" "$arch" "${cross:--}" "$build/kselftest/kselftest" ||
		die "$name: the kselftest build failed (log: $(showpath "$log"))"
	(cd "$build/kselftest" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/kselftest.cpio.gz.new"
	mv "$out/kselftest.cpio.gz.new" "$out/kselftest.cpio.gz"
fi

# The initramfs: busybox, /init, the module, the tool, the selftests.
rootfs=$out/rootfs
rm -rf "$rootfs"
mkdir -p "$rootfs"/{bin,dev,proc,sys,tmp,root,ptshare/tests}
cp "$root/busybox" "$rootfs/bin/busybox"
cp "$PTSHARE_TOP/scripts/guest-init.sh" "$rootfs/init"
cp "$build/module/ptshare.ko" "$build/vmtest"/*.ko "$rootfs/ptshare/"
cp "$build/tools/ptshare" "$rootfs/bin/ptshare"
cp "$build/selftests"/* "$rootfs/ptshare/tests/"
# A kernel that trusts the project's MOK (scripts/kconfig/debug-amd64.config):
# every module is signed with that key pair as DKMS signs, with the kernel
# build's own sign-file; an unsigned copy of ptshare.ko stays beside, for
# signed_load (guest-init.sh passes it as PTSHARE_UNSIGNED_KO).
if grep -q '^CONFIG_MODULE_SIG=y' "$kdir/.config" &&
	grep -q '^CONFIG_SYSTEM_TRUSTED_KEYS=".*/mok/mok.pem"' "$kdir/.config"; then
	mok=$("$PTSHARE_TOP/scripts/mok-key.sh")
	hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$kdir/.config")
	[ -x "$kdir/scripts/sign-file" ] || die "$name: no scripts/sign-file in $(showpath "$kdir")"
	mkdir -p "$rootfs/ptshare/unsigned"
	cp "$rootfs/ptshare/ptshare.ko" "$rootfs/ptshare/unsigned/"
	for ko in "$rootfs"/ptshare/*.ko; do
		"$kdir/scripts/sign-file" "$hash" "$mok/mok.key" "$mok/mok.pub" "$ko" ||
			die "$name: sign-file failed on $(showpath "$ko")"
	done
fi
cp "$PTSHARE_TOP/selftests/ptshare/run_tests.sh" "$rootfs/ptshare/"
[ -z "$bench" ] || cp -r "$build/bench" "$rootfs/ptshare/bench"
chmod 0755 "$rootfs/init" "$rootfs/ptshare/run_tests.sh"
# New files replace the old ones by rename: a guest booting meanwhile reads
# either the old or the new.
(cd "$rootfs" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz.new"
cp "$build/module/ptshare.ko" "$out/ptshare.ko.new"
mv "$out/ptshare.ko.new" "$out/ptshare.ko"
mv "$out/initramfs.cpio.gz.new" "$out/initramfs.cpio.gz"
ln -sfn "$root/vmlinuz" "$out/vmlinuz"
# The kernel's own firmware (riscv64: its suite's OpenSBI), if it has one.
if [ -e "$root/firmware" ]; then ln -sfn "$root/firmware" "$out/firmware"; else rm -f "$out/firmware"; fi
echo "$release" >"$out/release"
echo "$arch" >"$out/arch"
echo "$out"

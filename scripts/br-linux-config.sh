#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# br-linux-config.sh SOURCE_TREE
#
# Write the kernel configurations of the Buildroot defconfigs,
# br2-external/board/qemu/{aarch64,arm}-virt/linux.config, from a Linux source
# tree (the one build-kernel.sh unpacks will do: ~/.cache/ptshare/src/
# linux-source-6.12.*): tinyconfig, plus what the QEMU guest needs
# (scripts/kconfig/guest-DEB_ARCH.config and the first and last sections of
# scripts/kconfig/debug.config, not its debug options), without
# DEBUG_PAGEALLOC (guest-arm64.config has it for the debug kernel), saved
# with savedefconfig. The same base as the debug kernels, without the debug
# options: small, about 2 minutes to build on 2 cores. No networking: the
# guests have no network device, and the only user was busybox's syslogd,
# which board/qemu/busybox.fragment leaves out (NET and UNIX were 85 of the
# kernel's 743 objects). Run it again when the fragments change.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] && [ -f "$1/Makefile" ] || die "usage: br-linux-config.sh LINUX_SOURCE_TREE"
src=$(readlink -f "$1")
kconf=$PTSHARE_TOP/scripts/kconfig
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for a in arm64:arm64:aarch64-linux-gnu-:aarch64-virt armhf:arm:arm-linux-gnueabihf-:arm-virt; do
	IFS=: read -r debarch karch cross board <<<"$a"
	o=$tmp/$debarch
	mkdir -p "$o"
	# (stderr: olddefconfig's "override: reassigning" warnings, expected)
	kmake() { make -s -C "$src" O="$o" ARCH="$karch" CROSS_COMPILE="$cross" "$@" >/dev/null 2>>"$tmp/log"; }
	kmake tinyconfig
	{
		cat "$kconf/guest-$debarch.config"
		awk '/^# ---- the debug options/ { skip = 1 } /^# ---- kept out/ { skip = 0 } !skip' \
			"$kconf/debug.config"
		printf 'CONFIG_POSIX_TIMERS=y\n'
		# guest-arm64.config's one debug option: these kernels have none
		printf '# CONFIG_DEBUG_PAGEALLOC is not set\n'
	} >>"$o/.config"
	kmake olddefconfig
	kmake savedefconfig
	out=$PTSHARE_TOP/br2-external/board/qemu/$board/linux.config
	mkdir -p "$(dirname "$out")"
	{
		echo "# Linux $(make -s -C "$src" kernelversion) for QEMU virt ($karch), written by scripts/br-linux-config.sh:"
		echo "# tinyconfig + scripts/kconfig/guest-$debarch.config + the guest part of"
		echo "# scripts/kconfig/debug.config - DEBUG_PAGEALLOC (savedefconfig format); the"
		echo "# image's compression is Buildroot's choice (BR2_LINUX_KERNEL_GZIP), not here."
		grep -v '^CONFIG_KERNEL_\(GZIP\|LZ4\|LZMA\|LZO\|XZ\|ZSTD\)=y$' "$o/defconfig"
	} >"$out"
	echo "$out: $(grep -c '^[^#]\|is not set' "$out") lines of options"
done

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# TRIPLET-gcc and TRIPLET-cpp of the external toolchain scripts/build-buildroot.sh
# gives Buildroot: Debian's cross compiler of that name, pointed at the private
# sysroot beside this directory. Buildroot's own wrapper adds --sysroot=STAGING
# later on the command line, and the last --sysroot wins.
here=$(dirname "$(readlink -f "$0")")
exec "/usr/bin/${0##*/}" --sysroot="$here/../sysroot" "$@"

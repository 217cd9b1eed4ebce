#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kselftest.sh ARCH CROSS_COMPILE OUT
#
# selftests/ptshare built and installed the way a kernel tree's kselftest
# framework does it, with that framework's own files: Debian's linux-source
# of the debug kernels' series (scripts/lib.sh linux_source, unpacked once in
# the cache; it stays untouched) gives tools/testing/selftests (its Makefile,
# lib.mk, kselftest/ runner, run_kselftest.sh, headers) and
# scripts/subarch.include, copied into a scratch tree; this directory goes in
# as tools/testing/selftests/ptshare, as a user would drop it in. Then:
#
#   make -C tools/testing/selftests TARGETS=ptshare ARCH=ARCH \
#        CROSS_COMPILE=CROSS_COMPILE USERLDFLAGS=-static
#   make -C tools/testing/selftests TARGETS=ptshare ... install KSFT_INSTALL_PATH=OUT
#
# OUT then holds run_kselftest.sh, kselftest/, kselftest-list.txt and
# ptshare/ (the tests, settings, config); a guest whose row sets
# PTSHARE_KSELFTEST=1 runs "run_kselftest.sh -c ptshare" from it
# (scripts/guest-init.sh). ARCH is the kernel's (x86, arm, arm64).
#
# For the host's own architecture it also runs
#   make -C tools/testing/selftests TARGETS=ptshare run_tests
# with PTSHARE_DIR pointing nowhere: ptshare is never loaded here, so every
# test must skip before it touches anything ("ptshare is not loaded"), and
# the runner must report each as a skip; anything else fails the build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || die "usage: build-kselftest.sh ARCH CROSS_COMPILE OUT"
karch=$1 cross=$2 dest=$3
[ "$cross" != - ] || cross=
need_host_tools rsync:rsync make:make apt-get:apt dpkg-deb:dpkg flock:util-linux patch:patch

# The series and suite of the debug kernels: their source has the framework.
read -r suite series < <(awk '$1 == "kernel" && $5 == "debug" { print $3, $6; exit }' "$PTSHARE_TARGETS")
[ -n "${series:-}" ] || die "no debug kernel row in $PTSHARE_TARGETS to take linux-source from"
linux_source "$suite" "$series" kselftest
ksrc=$src/tools/testing/selftests
[ -f "$ksrc/lib.mk" ] && [ -f "$ksrc/run_kselftest.sh" ] ||
	die "kselftest: $(showpath "$ksrc") has no lib.mk or run_kselftest.sh"

# What the install must hold: the runner, the list with every test, the tests.
check_install() {
	local f
	for f in run_kselftest.sh kselftest/runner.sh kselftest-list.txt ptshare/settings \
		ptshare/summary_procs ptshare/files_select ptshare/ldt_sleeper; do
		[ -e "$dest/$f" ] || die "kselftest: install made no $f"
	done
	want=$(make -s -C "$PTSHARE_TOP/selftests/ptshare" list | wc -w)
	have=$(grep -c '^ptshare:' "$dest/kselftest-list.txt")
	[ "$have" -eq "$want" ] || die "kselftest: kselftest-list.txt lists $have ptshare tests, the Makefile $want"
}

# Built before from the same files, framework and compiler: from the cache
# (scripts/lib.sh product_get), its checks below made again.
# shellcheck disable=SC2154 # srcid: the source's identity, set by linux_source
key=$({
	files_hash "$PTSHARE_TOP" selftests/ptshare
	echo "$srcid $karch"
	"${cross}gcc" --version | head -n 1
} | sha256sum | cut -c1-24)
kind=kselftest-$karch
rm -rf "$dest"
if product_get "$kind" "$key" "$dest"; then
	unlock "src-linux-source-$series"
	check_install
	echo "kselftest: from the cache (key $key) into $(showpath "$dest")"
	exit 0
fi
scratch=$dest.tree	# beside OUT: two builds never share it
rm -rf "$scratch" "$dest"
mkdir -p "$scratch/tools/testing/selftests" "$scratch/scripts"
# The framework's top-level files and its kselftest/ directory (no other target).
find "$ksrc" -maxdepth 1 -type f -exec cp {} "$scratch/tools/testing/selftests/" \;
cp -r "$ksrc/kselftest" "$scratch/tools/testing/selftests/"
cp "$src/scripts/subarch.include" "$scratch/scripts/"
unlock "src-linux-source-$series"
# ptshare's directory as it is in the repository (sources, Makefile, config, settings).
mkdir "$scratch/tools/testing/selftests/ptshare"
(cd "$PTSHARE_TOP/selftests/ptshare" && cp -r Makefile config settings ./*.c ./*.h \
	"$scratch/tools/testing/selftests/ptshare/")

kmake() {
	make -C "$scratch/tools/testing/selftests" TARGETS=ptshare ARCH="$karch" \
		${cross:+CROSS_COMPILE="$cross"} USERLDFLAGS=-static "$@"
}
kmake
kmake install KSFT_INSTALL_PATH="$dest"
check_install

# Host architecture: run_tests runs, every test skips.
if [ -z "$cross" ]; then
	tap=$scratch/run_tests.tap
	env PTSHARE_DIR=/nonexistent/ptshare make -C "$scratch/tools/testing/selftests" \
		TARGETS=ptshare ARCH="$karch" USERLDFLAGS=-static run_tests >"$tap" 2>&1 || true
	skips=$(grep -cE '^ok [0-9]+ selftests: ptshare: [a-z0-9_]+ # SKIP' "$tap" || true)
	why=$(grep -c 'ptshare is not loaded' "$tap" || true)
	if [ "$skips" -ne "$want" ] || [ "$why" -lt "$want" ] || grep -qE '^not ok ' "$tap"; then
		cat "$tap" >&2
		die "kselftest: make run_tests without the module: $skips of $want tests skipped ($why said why)"
	fi
	echo "kselftest: make run_tests on the host: $skips of $want tests skipped, ptshare not loaded"
fi
product_put "$kind" "$key" "$dest" || msg "kselftest: could not keep the build in the cache"
echo "kselftest: installed into $(showpath "$dest")"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-install.sh
#
# The install routes, run for real; TAP on stdout ("ok N - ..."), the
# commands' output in out/install/install.log. Needs the kernel trees of
# bookworm-amd64, trixie-amd64, sid-amd64, trixie-arm64 and debug-amd64
# (fetched or built on demand; run-tests.sh runs this once its kernels are
# built).
#
# Debian packages, in builders/bookworm-pkg (scripts/builder.sh: debootstrap
# with debhelper, dh-dkms, lintian, dkms; cached), with the host's apt
# sources:
#   - dpkg-buildpackage -us -uc of a clean copy of the tree (git's files);
#   - lintian on the .changes: no errors, no warnings;
#   - the headers of the cached bookworm-amd64 kernel installed from the
#     archive, then "apt install ./ptshare-dkms_*.deb ./ptshare_*.deb":
#     DKMS builds and installs the module for them (signed with DKMS's MOK
#     pair, which is the project's, scripts/mok-key.sh), ptshare --help
#     runs, the man page is installed; "make install" of the tree installs
#     the man page too.
#
# DKMS from the source tree, with private trees (--dkmstree, --sourcetree,
# --installtree in a scratch directory) and no kernel installed, against
# the cached kernel trees of each series, in the tree of that suite (its
# kbuild programs need its C library) with that suite's own dkms:
#   6.1   bookworm-amd64 (Debian's headers)        bookworm-pkg
#   6.12  debug-amd64 (the project's own build)    bookworm-pkg, signed: the
#         module carries a signature by the project's MOK (modinfo signer)
#   6.12  trixie-amd64 (Debian's headers)          trixie builder
#   7.x   sid-amd64 (Debian's headers)             sid builder
#   6.12  trixie-arm64, cross (ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
#         in dkms's environment; dkms -a arm64)     trixie builder
# each "dkms build" must leave a ptshare.ko whose vermagic is that kernel's.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

need_tools flock:util-linux unshare:util-linux git:git
dir=$PTSHARE_OUT/install
log=$dir/install.log
rm -rf "$dir"
mkdir -p "$dir"
: >"$log"
STEP_LOG=$log
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { # DESCRIPTION CMD...: ok when CMD succeeds
	local what=$1
	shift
	if "$@" >>"$log" 2>&1; then ok "$what"; else notok "$what (log: $(showpath "$log"))"; fi
}

tree_of() { "$PTSHARE_TOP/scripts/builder.sh" "$@" 2>>"$log"; }
kroot() { "$PTSHARE_TOP/scripts/fetch-kernel.sh" "$1" 2>>"$log"; }

# in_tree TREE CMD...: CMD in TREE with the cache and $dir (scripts/lib.sh tree_run).
in_tree() {
	local t=$1
	shift
	tree_run "$t" "$PTSHARE_CACHE" "$dir" -- "$@"
}

echo "TAP version 13"
mok=$("$PTSHARE_TOP/scripts/mok-key.sh" 2>>"$log")
pkgtree=$(tree_of bookworm pkg) || { notok "the bookworm-pkg tree (builder.sh bookworm pkg)"; pkgtree=; }
lock "builder-bookworm-pkg"

# A clean copy of the tree: the files git tracks or would (not ignored), as they are in the work tree.
src=$dir/ptshare-0
mkdir -p "$src"
(cd "$PTSHARE_TOP" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$src"
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$src/dkms.conf")
mv "$src" "$dir/ptshare-$version"
src=$dir/ptshare-$version

# DKMS's MOK pair is the project's (DKMS would make its own the first time).
dkms_conf() { # TREE: point that tree's dkms at the project's key pair
	mkdir -p "$1/etc/dkms/framework.conf.d"
	printf 'mok_signing_key=%s\nmok_certificate=%s\n' "$mok/mok.key" "$mok/mok.pub" \
		>"$1/etc/dkms/framework.conf.d/ptshare-mok.conf"
}

# ---- Debian packages ----
if [ -n "$pkgtree" ]; then
	dkms_conf "$pkgtree"
	# The host's apt sources (its settings come with tree_run).
	cp /etc/apt/sources.list "$pkgtree/etc/apt/sources.list" 2>/dev/null || true
	rm -rf "$pkgtree/etc/apt/sources.list.d"
	cp -r /etc/apt/sources.list.d "$pkgtree/etc/apt/" 2>/dev/null || true
	check "dpkg-buildpackage -us -uc (source and binary packages)" \
		in_tree "$pkgtree" /bin/sh -c "cd '$src' && dpkg-buildpackage -us -uc"
	changes=$(ls "$dir"/ptshare_*.changes 2>/dev/null | head -n 1)
	if [ -n "$changes" ]; then
		in_tree "$pkgtree" lintian --fail-on error,warning --display-info "$changes" >"$dir/lintian.txt" 2>&1
		rc=$?
		cat "$dir/lintian.txt" >>"$log"
		if [ $rc -eq 0 ]; then
			ok "lintian: no errors or warnings ($(grep -c '^[EW]:' "$dir/lintian.txt") E/W tags, $(grep -c '^I:' "$dir/lintian.txt") info)"
		else
			notok "lintian: $(grep -E '^[EW]:' "$dir/lintian.txt" | head -n 5 | tr '\n' ';')"
		fi
		for f in "$dir"/*.deb "$dir"/*.tar.*; do
			[ -e "$f" ] && echo "# $(basename "$f"): $(stat -c %s "$f") bytes"
		done
	else
		notok "lintian: no .changes to check"
	fi
	release=$(cat "$(kroot bookworm-amd64)/release")
	check "apt-get install linux-headers-$release (bookworm-amd64's, from the archive)" \
		in_tree "$pkgtree" /bin/sh -c "apt-get update -q && apt-get install -y -q linux-headers-$release"
	# The cached tree keeps what an earlier run installed: purge it first, so
	# that this install runs DKMS again (dkms remove through the prerm).
	in_tree "$pkgtree" /bin/sh -c "dpkg --purge ptshare-dkms ptshare; rm -rf /var/lib/dkms/ptshare" >>"$log" 2>&1
	check "apt install ./ptshare-dkms_${version}_all.deb ./ptshare_${version}_*.deb" \
		in_tree "$pkgtree" /bin/sh -c "cd '$dir' && apt-get install -y -q ./ptshare-dkms_${version}_all.deb ./ptshare_${version}_*.deb"
	ko=$pkgtree/lib/modules/$release/updates/dkms/ptshare.ko
	[ -f "$ko" ] || ko=$(ls "$pkgtree/lib/modules/$release/updates/dkms/ptshare.ko"* 2>/dev/null | head -n 1)
	vm=$(in_tree "$pkgtree" modinfo -F vermagic "${ko#"$pkgtree"}" 2>>"$log")
	signer=$(in_tree "$pkgtree" modinfo -F signer "${ko#"$pkgtree"}" 2>>"$log")
	status=$(in_tree "$pkgtree" dkms status ptshare 2>>"$log")
	echo "$status" >>"$log"
	if [ -n "$ko" ] && [ "${vm%% *}" = "$release" ] && grep -q "ptshare/$version, $release, x86_64: installed" <<<"$status"; then
		ok "DKMS built and installed ptshare.ko for $release on install (vermagic $release, signer '${signer:-none}')"
	else
		notok "DKMS on install: module '${ko:-none}', vermagic '$vm', status '$status'"
	fi
	check "ptshare --help runs (from the ptshare package)" in_tree "$pkgtree" /usr/bin/ptshare --help
	check "the man page is installed (/usr/share/man/man1/ptshare.1.gz)" \
		test -s "$pkgtree/usr/share/man/man1/ptshare.1.gz"
	rm -rf "$dir/destdir"
	check "make install DESTDIR=... installs the tool and the man page" \
		in_tree "$pkgtree" /bin/sh -c "cd '$src' && make -s tools && make -s tools_install man_install DESTDIR='$dir/destdir' PREFIX=/usr && test -x '$dir/destdir/usr/bin/ptshare' && test -s '$dir/destdir/usr/share/man/man1/ptshare.1'"
	in_tree "$pkgtree" /bin/sh -c "cd '$src' && make -s -C tools clean" >>"$log" 2>&1
fi

# ---- DKMS with private trees against each series ----
# dkms_build TREE KERNEL [cross]: add + build in a scratch dkms tree.
dkms_build() {
	local t=$1 k=$2 cross=${3:-} root kdir rel d vm out extra=() env=()
	root=$(kroot "$k") || { notok "dkms build for $k: no kernel tree"; return; }
	kdir=$(readlink -f "$root/kdir")
	rel=$(cat "$root/release")
	d=$dir/dkms-$k
	rm -rf "$d"
	mkdir -p "$d/tree" "$d/src" "$d/install"
	if [ -n "$cross" ]; then
		extra=(-a arm64)
		env=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	fi
	out=$(in_tree "$t" env "${env[@]}" /bin/sh -c '
		set -e
		d=$1 src=$2 rel=$3 kdir=$4 ver=$5
		shift 5
		dkms --version
		dkms add --dkmstree "$d/tree" --sourcetree "$d/src" --installtree "$d/install" "$src"
		dkms build ptshare/"$ver" -k "$rel" --kernelsourcedir "$kdir" "$@" \
			--dkmstree "$d/tree" --sourcetree "$d/src" --installtree "$d/install"
		find "$d/tree" -name "ptshare.ko*" | head -n 1' dkms "$d" "$src" "$rel" "$kdir" "$version" "${extra[@]}" 2>&1)
	echo "$out" >>"$log"
	ko=$(tail -n 1 <<<"$out")
	case $ko in "$d"/*) ;; *) ko= ;; esac
	vm=$( [ -n "$ko" ] && in_tree "$t" modinfo -F vermagic "$ko" 2>>"$log")
	signer=$( [ -n "$ko" ] && in_tree "$t" modinfo -F signer "$ko" 2>>"$log")
	if [ -n "$ko" ] && [ "${vm%% *}" = "$rel" ]; then
		DKMS_SIGNER=$signer
		ok "dkms add/build, private trees, $k ($rel$cross): ptshare.ko, vermagic ok, signer '${signer:-none}' ($(head -n 1 <<<"$out"))"
	else
		DKMS_SIGNER=
		notok "dkms add/build for $k ($rel): module '${ko:-none}', vermagic '$vm' (log: $(showpath "$log"))"
	fi
}
if [ -n "$pkgtree" ]; then
	dkms_build "$pkgtree" bookworm-amd64
	# A kernel that is not installed has no /lib/modules/RELEASE/build for
	# DKMS to find sign-file in: name its kbuild's (framework.conf's sign_file).
	printf 'sign_file=%s/scripts/sign-file\n' "$(readlink -f "$(kroot debug-amd64)/kdir")" \
		>"$pkgtree/etc/dkms/framework.conf.d/ptshare-sign-file.conf"
	dkms_build "$pkgtree" debug-amd64
	rm -f "$pkgtree/etc/dkms/framework.conf.d/ptshare-sign-file.conf"
	if [ "$DKMS_SIGNER" = "ptshare test MOK" ]; then
		ok "the module DKMS built for debug-amd64 is signed by the project's MOK, which that kernel trusts"
	else
		notok "the module DKMS built for debug-amd64 is not signed by the project's MOK (signer '$DKMS_SIGNER')"
	fi
fi
unlock "builder-bookworm-pkg"
for suite in trixie sid; do
	t=$(tree_of "$suite") || { notok "the $suite builder tree"; continue; }
	lock "builder-$suite"
	dkms_conf "$t"
	dkms_build "$t" "$suite-amd64"
	[ "$suite" != trixie ] || dkms_build "$t" trixie-arm64 " cross"
	unlock "builder-$suite"
done

echo "1..$n"
echo "# install tests: $((n - failed)) passed, $failed failed in $SECONDS s"
[ "$failed" -eq 0 ]

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
#   vmlinuz, kdir (a headers tree usable as KDIR), busybox, release, abi.
# A tree that is complete is reused; set PTSHARE_REFRESH=1 to look again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: fetch-kernel.sh KERNEL (a kernel row of $PTSHARE_TARGETS)"
name=$1
row=$(kernel_row "$name") || die "no kernel row '$name' in $PTSHARE_TARGETS"
read -r suite debarch flavor abiprefix _cross _builder <<<"$row"

need_tools apt-get:apt dpkg-deb:dpkg

base=$PTSHARE_CACHE/kernels/$name
root=$base/root
if [ -s "$base/ready" ] && [ -z "${PTSHARE_REFRESH:-}" ]; then
	cat "$base/ready"
	exit 0
fi

apt_dir=$base/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc" "$base/debs"
: >"$apt_dir/status"

# The host's source list, retargeted at SUITE: whatever mirror the distro's
# client is configured with, never a host name of our own.
srcs=$apt_dir/etc/sources.list
: >"$srcs"
while read -r uri; do
	case $uri in
	*-security*)
		case $suite in sid|unstable|experimental) ;; *) echo "deb $uri $suite-security main" >>"$srcs" ;; esac ;;
	*) echo "deb $uri $suite main" >>"$srcs"
	   case $suite in sid|unstable|experimental) ;; *) echo "deb $uri $suite-updates main" >>"$srcs" ;; esac ;;
	esac
done < <(host_debian_uris)
[ -s "$srcs" ] || die "no apt source found in /etc/apt: cannot locate the Debian mirror"

# linux-kbuild holds host programs (modpost, objtool, ...): always amd64.
archs=$debarch
[ "$debarch" = amd64 ] || archs="$debarch,amd64"
apt_opts=(
	-o "APT::Architecture=$debarch" -o "APT::Architectures=$archs"
	-o "Dir::State=$apt_dir" -o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::State::status=$apt_dir/status" -o "Dir::Cache=$apt_dir/cache"
	-o "Dir::Etc::SourceList=$srcs" -o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=/dev/null"
	-o "Acquire::Retries=3" -o "APT::Sandbox::User=root" -o "APT::Get::List-Cleanup=false"
)

msg "$name: reading the $suite package index for $debarch"
if ! apt_retry apt-get -q "${apt_opts[@]}" update >&2; then
	# One failed index (a mirror sync in progress) still leaves the others.
	ls "$apt_dir"/lists/*Packages* >/dev/null 2>&1 ||
		die "$name: no package index could be read for $suite/$debarch"
	msg "$name: some indexes failed; going on with the ones that were read"
fi

# ABIs look like 6.1.0-56 (bookworm) or 6.12.111+deb13 (trixie and later).
abi=$(apt-cache "${apt_opts[@]}" pkgnames "linux-image-$abiprefix" 2>/dev/null |
	sed -n "s/^linux-image-\(${abiprefix//./\\.}[0-9][0-9a-z.+~]*\(-[0-9][0-9]*\)\{0,1\}\)-$flavor\$/\1/p" |
	sort -V | tail -n 1)
[ -n "$abi" ] || die "$name: no linux-image-${abiprefix}N-$flavor in $suite/$debarch"
kbuild_series=$(apt-cache "${apt_opts[@]}" show "linux-headers-$abi-$flavor" 2>/dev/null |
	sed -n 's/^Depends:.*\(linux-kbuild-[0-9][0-9a-z.+~]*\).*/\1/p' | head -n 1)
[ -n "$kbuild_series" ] || kbuild_series=linux-kbuild-${abiprefix%%.0-}
msg "$name: newest ABI is $abi ($kbuild_series)"

pkgs=("linux-image-$abi-$flavor" "linux-headers-$abi-$flavor" "linux-headers-$abi-common"
	"$kbuild_series" busybox-static)
# Since 7.x (sid) the image package only depends on linux-binary-*, which
# holds the kernel itself.
if apt-cache "${apt_opts[@]}" show "linux-binary-$abi-$flavor" >/dev/null 2>&1; then
	pkgs+=("linux-binary-$abi-$flavor")
fi
(
	cd "$base/debs"
	for p in "${pkgs[@]}"; do
		ls "${p}"_*.deb >/dev/null 2>&1 && continue
		msg "$name: downloading $p"
		spec=$p
		case $p in linux-kbuild-*) spec=$p:amd64 ;; esac
		apt_retry apt-get -q "${apt_opts[@]}" download "$spec" >&2 ||
			die "$name: cannot download $spec"
	done
)

rm -rf "$root.new"
mkdir -p "$root.new"
for deb in "$base"/debs/*.deb; do
	dpkg-deb -x "$deb" "$root.new/fs"
done
mv "$root.new" "$root.tmp" && rm -rf "$root" && mv "$root.tmp" "$root"

kdir=$root/fs/usr/src/linux-headers-$abi-$flavor
[ -f "$kdir/Makefile" ] || die "$name: headers tree missing after unpacking ($kdir)"
# The flavour Makefile names the common tree (and, since 7.x, itself as
# KBUILD_OUTPUT) by absolute path.
sed -i -e "s#/usr/src/linux-headers-$abi-common#$root/fs/usr/src/linux-headers-$abi-common#g" \
	-e "s#^\(KBUILD_OUTPUT *= *\)/usr/src/linux-headers-$abi-$flavor#\1$kdir#" "$kdir/Makefile"
ln -sfn "$kdir" "$root/kdir"
vmlinuz=$(ls "$root"/fs/boot/vmlinuz-* "$root"/fs/usr/lib/modules/*/vmlinuz 2>/dev/null |
	head -n 1 || true)
[ -n "$vmlinuz" ] || die "$name: no vmlinuz in linux-image-$abi-$flavor"
ln -sfn "$vmlinuz" "$root/vmlinuz"
busybox=$(ls "$root"/fs/bin/busybox "$root"/fs/usr/bin/busybox 2>/dev/null | head -n 1 || true)
[ -n "$busybox" ] || die "$name: busybox-static did not provide bin/busybox"
ln -sfn "$busybox" "$root/busybox"
release=$(ls "$root"/fs/usr/lib/modules 2>/dev/null | head -n 1 || true)
[ -n "$release" ] || release=$(ls "$root"/fs/lib/modules | head -n 1)
echo "$release" >"$root/release"
echo "$abi" >"$root/abi"
echo "$root" >"$base/ready"
msg "$name: ready: $release"
echo "$root"

# SPDX-License-Identifier: GPL-2.0
# Shared helpers for ptshare's scripts. Source it; do not run it.

PTSHARE_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PTSHARE_CACHE=${PTSHARE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptshare}
PTSHARE_TARGETS=${PTSHARE_TARGETS:-$PTSHARE_TOP/scripts/targets.conf}
PTSHARE_OUT=${PTSHARE_OUT:-$PTSHARE_TOP/out}

msg() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { msg "error: $*"; exit 1; }

# The Debian archive URIs the host's apt is configured with (never our own).
host_debian_uris() {
	{
		sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n'
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
	} | awk 'NF && !seen[$0]++'
}

# Print the fields of kernel row NAME: SUITE DEB_ARCH FLAVOR ABI_PREFIX CROSS [BUILDER]
kernel_row() {
	awk -v n="$1" '$1 == "kernel" && $2 == n { $1 = ""; $2 = ""; print; f = 1 } END { exit !f }' \
		"$PTSHARE_TARGETS"
}

# Print the names of all guest rows, in file order.
guest_names() {
	awk '$1 == "guest" { print $2 }' "$PTSHARE_TARGETS"
}

# Set G_KERNEL G_QEMU G_MACHINE G_CPU G_CONSOLE G_APPEND G_SMP G_SKIPS for
# guest NAME (G_SKIPS: the declared skips, sorted, comma-separated, or "").
guest_row() {
	local line
	line=$(awk -v n="$1" '$1 == "guest" && $2 == n { print; f = 1 } END { exit !f }' \
		"$PTSHARE_TARGETS") || return 1
	eval "set -- $line"
	[ $# -eq 10 ] || die "guest row '$1' of $PTSHARE_TARGETS has $# fields, not 10"
	G_KERNEL=$3 G_QEMU=$4 G_MACHINE=$5 G_CPU=$6 G_CONSOLE=$7 G_APPEND=$8 G_SMP=$9
	G_SKIPS=${10}
	[ "$G_SKIPS" != - ] || G_SKIPS=
	G_SKIPS=$(tr ',' '\n' <<<"$G_SKIPS" | sed '/^$/d' | sort | paste -sd, -)
	case $G_SMP in [2-9] | [1-9][0-9]) ;; *) die "guest row '$1': VCPUS must be 2 or more, not '$G_SMP'" ;; esac
}

# Packages installed with apt-get if their command is missing: "command:package".
# A "command" that starts with / is a file that must exist instead.
need_tools() {
	local pair cmd pkgs=()
	for pair in "$@"; do
		cmd=${pair%%:*}
		case $cmd in
		/*) ls $cmd >/dev/null 2>&1 || pkgs+=("${pair#*:}") ;;
		*) command -v "$cmd" >/dev/null 2>&1 || pkgs+=("${pair#*:}") ;;
		esac
	done
	[ ${#pkgs[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing ${pkgs[*]}: install them (apt-get install ${pkgs[*]})"
	msg "installing ${pkgs[*]}"
	if [ ! -e "$PTSHARE_CACHE/.host-apt-updated" ]; then
		apt_retry apt-get update -q >&2 || msg "apt-get update reported errors; trying anyway"
		mkdir -p "$PTSHARE_CACHE" && touch "$PTSHARE_CACHE/.host-apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}" >&2 ||
		die "apt-get install ${pkgs[*]} failed"
}

# Run a command up to three times: package mirrors fail one index now and then.
apt_retry() {
	local try
	for try in 1 2 3; do
		"$@" && return 0
		msg "attempt $try of '$*' failed"
		sleep $((try * 5))
	done
	return 1
}

# Host tools every part of the harness needs.
need_host_tools() {
	need_tools make:make gcc:gcc cpio:cpio gzip:gzip xz:xz-utils zstd:zstd bc:bc flex:flex \
		bison:bison gawk:gawk perl:perl timeout:coreutils \
		/usr/include/stdio.h:libc6-dev "/usr/lib/*/libc.a:libc6-dev" \
		"/usr/lib/*/libelf.so.1:libelf1" "/usr/lib/*/libcrypto.so.3:libssl3" "$@"
}

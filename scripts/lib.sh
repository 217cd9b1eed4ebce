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

# apt_private DIR SUITE ARCH[,ARCH...]: set APT_DIR=DIR and APT_OPTS for
# apt-get/apt-cache with a private state, cache and architecture under DIR,
# reading the host's own source list retargeted at SUITE (whatever mirror the
# host's apt is configured with, never a host name of our own). The first
# architecture is the native one. Indexes read from other sources stop
# counting as fresh.
apt_private() {
	local dir=$1 suite=$2 archs=$3 srcs uri
	APT_DIR=$dir
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/etc"
	: >"$dir/status"
	srcs=$dir/etc/sources.list
	: >"$srcs.new"
	while read -r uri; do
		case $uri in
		*-security*)
			case $suite in sid|unstable|experimental) ;; *) echo "deb $uri $suite-security main" >>"$srcs.new" ;; esac ;;
		*) echo "deb $uri $suite main" >>"$srcs.new"
		   case $suite in sid|unstable|experimental) ;; *) echo "deb $uri $suite-updates main" >>"$srcs.new" ;; esac ;;
		esac
	done < <(host_debian_uris)
	[ -s "$srcs.new" ] || die "no apt source found in /etc/apt: cannot locate the Debian mirror"
	cmp -s "$srcs.new" "$srcs" || rm -f "$dir/updated"
	mv "$srcs.new" "$srcs"
	APT_OPTS=(
		-o "APT::Architecture=${archs%%,*}" -o "APT::Architectures=$archs"
		-o "Dir::State=$dir" -o "Dir::State::Lists=$dir/lists"
		-o "Dir::State::status=$dir/status" -o "Dir::Cache=$dir/cache"
		-o "Dir::Etc::SourceList=$srcs" -o "Dir::Etc::SourceParts=/dev/null"
		-o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=/dev/null"
		-o "Acquire::Retries=3" -o "APT::Sandbox::User=root" -o "APT::Get::List-Cleanup=false"
	)
}

# apt_private_update WHAT: read the private index of apt_private now (one
# step line naming WHAT); sets APT_UPDATED_NOW. One failed index (a mirror
# sync in progress) still leaves the others; no index at all is fatal.
apt_private_update() {
	rm -f "$APT_DIR/updated"
	APT_UPDATED_NOW=1
	if STEP_SOFT=1 step "reading the package index for $1" apt_retry apt_update "${APT_OPTS[@]}"; then
		touch "$APT_DIR/updated"
	else
		ls "$APT_DIR"/lists/*Packages* >/dev/null 2>&1 || die "no package index could be read for $1"
		msg "$1: going on with the indexes that were read (the newest packages may be missing)"
	fi
}

# apt_private_fresh: the private index is less than a day old (and
# PTSHARE_REFRESH is not set): it need not be read again.
apt_private_fresh() {
	[ -z "${PTSHARE_REFRESH:-}" ] && fresh "$APT_DIR/updated"
}

# size_text BYTES: "12 MB", or "200 kB" under a megabyte.
size_text() {
	if [ "$1" -ge 1048576 ]; then echo "$((($1 + 524288) / 1048576)) MB"; else echo "$((($1 + 512) / 1024)) kB"; fi
}

# get_package PKG DIR [WHO]: resolve PKG in the index of apt_private (read
# again when a day old, or when it lacks PKG) and download it into DIR unless
# there; sets pkg_file. Messages name WHO (the row or part being built; by
# default $name, else the package); apt's output goes to STEP_LOG.
get_package() {
	local pkg=$1 dir=$2 name=${3:-${name:-$1}} uri file size ver _ updated_now=
	apt_private_fresh || { apt_private_update "$name's $pkg ($suite)"; updated_now=1; }
	while :; do
		file= size=
		read -r uri file size _ < <(apt-get -q "${APT_OPTS[@]}" --print-uris download "$pkg" 2>>"$STEP_LOG") || true
		[ -z "$file" ] || break
		[ -z "$updated_now" ] || die "$name: $pkg is not in the $suite index (log: $(showpath "$STEP_LOG"))"
		msg "$name: the package index may be stale; reading it again"
		apt_private_update "$name's $pkg ($suite)"
		updated_now=1
	done
	pkg_file=$file
	[ -f "$dir/$file" ] && return 0
	rm -rf "$dir/partial"
	mkdir -p "$dir/partial"
	ver=${file#*_}
	ver=${ver//%3a/:}
	step "fetching $pkg ${ver%%_*} ($(size_text "$size"))" \
		apt_retry bash -c 'cd "$1" && shift && exec apt-get -q "$@"' fetch "$dir/partial" \
		"${APT_OPTS[@]}" download "$pkg" || die "$name: cannot fetch $pkg (log: $(showpath "$STEP_LOG"))"
	mv "$dir/partial/$file" "$dir/"
	rm -rf "$dir/partial"
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

# The guests of the default run: every row without the "manual" option.
default_guest_names() {
	local g
	for g in $(guest_names); do
		guest_row "$g" && [ -z "$G_MANUAL" ] && echo "$g"
	done
}

# test_list TEST+@SET+...: the tests, comma-separated, each @SET replaced by
# the list of targets.conf's "tests SET TEST+TEST" row; or why not.
test_list() {
	local item set out=
	for item in $(tr '+' ' ' <<<"$1"); do
		if [ "${item#@}" != "$item" ]; then
			set=$(awk -v n="${item#@}" '$1 == "tests" && $2 == n { print $3; f = 1 } END { exit !f }' \
				"$PTSHARE_TARGETS") || { echo "no 'tests ${item#@}' row for $item"; return 1; }
			item=$(tr '+' ',' <<<"$set")
		fi
		out=$out${out:+,}$item
	done
	echo "$out"
}

# Set G_KERNEL G_QEMU G_MACHINE G_CPU G_CONSOLE G_APPEND G_SMP G_SKIPS G_MEM
# G_TIMEOUT G_OMIT for guest NAME (G_SKIPS: the declared skips, sorted,
# comma-separated, or ""). G_MEM (MiB) and G_TIMEOUT (s) come from the row's
# optional OPTIONS field (mem=N,timeout=N), else 1024 and 900; G_MANUAL is 1
# with the option "manual" (run only when named, not in the default run);
# G_OMIT is the option omit=A+B (tests this guest does not run: sorted,
# comma-separated, or ""); G_ONLY is the option only=A+B (the only tests it
# runs, in the runner's order: comma-separated, or ""); either may name a set
# as @SET (test_list); PTSHARE_GUEST_MEM and
# PTSHARE_GUEST_TIMEOUT override mem and timeout.
guest_row() {
	local line opt
	line=$(awk -v n="$1" '$1 == "guest" && $2 == n { print; f = 1 } END { exit !f }' \
		"$PTSHARE_TARGETS") || return 1
	eval "set -- $line"
	[ $# -eq 10 ] || [ $# -eq 11 ] || die "guest row '$2' of $PTSHARE_TARGETS has $# fields, not 10 or 11"
	G_KERNEL=$3 G_QEMU=$4 G_MACHINE=$5 G_CPU=$6 G_CONSOLE=$7 G_APPEND=$8 G_SMP=$9
	G_SKIPS=${10}
	[ "$G_SKIPS" != - ] || G_SKIPS=
	G_SKIPS=$(tr ',' '\n' <<<"$G_SKIPS" | sed '/^$/d' | sort | paste -sd, -)
	case $G_SMP in [2-9] | [1-9][0-9]) ;; *) die "guest row '$2': VCPUS must be 2 or more, not '$G_SMP'" ;; esac
	G_MEM=1024 G_TIMEOUT=900 G_MANUAL= G_OMIT= G_ONLY=
	for opt in $(tr ',' ' ' <<<"${11:-}"); do
		case $opt in
		mem=[1-9]*) G_MEM=${opt#mem=} ;;
		timeout=[1-9]*) G_TIMEOUT=${opt#timeout=} ;;
		manual) G_MANUAL=1 ;;
		omit=[a-z@]*) G_OMIT=$(test_list "${opt#omit=}") || die "guest row '$2': $G_OMIT"
			G_OMIT=$(tr ',' '\n' <<<"$G_OMIT" | sort | paste -sd, -) ;;
		only=[a-z@]*) G_ONLY=$(test_list "${opt#only=}") || die "guest row '$2': $G_ONLY" ;;
		*) die "guest row '$2': unknown option '$opt' (mem=MiB, timeout=s, omit=TEST+TEST, only=TEST+TEST, manual)" ;;
		esac
	done
	case $G_MEM$G_TIMEOUT in *[!0-9]*) die "guest row '$2': mem= and timeout= take numbers" ;; esac
	G_MEM=${PTSHARE_GUEST_MEM:-$G_MEM} G_TIMEOUT=${PTSHARE_GUEST_TIMEOUT:-$G_TIMEOUT}
}

# Where step output goes when the caller set no STEP_LOG.
STEP_LOG=${STEP_LOG:-$PTSHARE_OUT/setup.log}

# PATH as the user would type it: relative to the current directory if inside it.
showpath() {
	case $1 in "$PWD"/*) printf '%s\n' "${1#"$PWD"/}" ;; *) printf '%s\n' "$1" ;; esac
}

# step LABEL CMD...: run CMD with its output appended to $STEP_LOG; the
# terminal (stderr) gets one line, "LABEL ... done (12 s)". On failure it gets
# the end of the log and the log's path, and step returns CMD's status.
step() {
	local label=$1 t0 rc=0 start
	shift
	mkdir -p "$(dirname "$STEP_LOG")"
	printf '%s ... ' "$label" >&2
	printf '\n== %s %s\n== %s\n' "$(date '+%F %T')" "$label" "$*" >>"$STEP_LOG"
	start=$(($(wc -l <"$STEP_LOG") + 1))
	t0=$(date +%s)
	# Killed or interrupted, the line still ends (and EXIT traps still run).
	local traps
	traps=$(trap -p INT TERM)
	trap 'printf "interrupted\n" >&2; exit 130' INT
	trap 'printf "terminated\n" >&2; exit 143' TERM
	"$@" >>"$STEP_LOG" 2>&1 </dev/null || rc=$?
	trap - INT TERM
	eval "$traps"
	if [ $rc -eq 0 ]; then
		printf 'done (%d s)\n' $(($(date +%s) - t0)) >&2
		return 0
	fi
	if [ -n "${STEP_SOFT:-}" ]; then
		# A failure the caller goes on from (an apt index the mirror is
		# still syncing): one line, not apt's text.
		local idx
		idx=$(tail -n +"$start" "$STEP_LOG" | grep -o 'Failed to fetch [^ ]*' |
			sed 's#.*/dists/\([^/]*\)/.*#\1#' | sort -u | paste -sd' ' -)
		printf 'incomplete (%d s): indexes not read: %s (see %s)\n' $(($(date +%s) - t0)) \
			"${idx:-some}" "$(showpath "$STEP_LOG")" >&2
		return $rc
	fi
	printf 'failed (%d s, status %d); the end of %s:\n' $(($(date +%s) - t0)) $rc \
		"$(showpath "$STEP_LOG")" >&2
	tail -n +"$start" "$STEP_LOG" | tail -n 15 | sed 's/^/  | /' >&2
	return $rc
}

# fresh FILE [MINUTES]: FILE exists and is younger than MINUTES (default a day).
fresh() {
	[ -n "$(find "$1" -maxdepth 0 -mmin -"${2:-1440}" 2>/dev/null)" ]
}

# The host's apt-get update, at most once a day (PTSHARE_APT_UPDATE=1: now).
# The marker is written only when every index was read.
host_apt_update() {
	local marker=$PTSHARE_CACHE/.host-apt-updated
	[ -z "${PTSHARE_APT_UPDATE:-}" ] && fresh "$marker" && return 0
	rm -f "$marker"
	if STEP_SOFT=1 step "updating the host's package lists" apt_retry apt_update; then
		mkdir -p "$PTSHARE_CACHE" && touch "$marker"
	else
		msg "apt-get update reported errors; trying with the lists there are"
	fi
}

# host_apt_install PKG...: apt-get install, once more after a fresh
# apt-get update if the lists were stale. The scripts of one run install side
# by side (the host tests want clang while a kernel build wants libelf-dev):
# they take turns under the host-apt lock, and apt-get waits up to 10 minutes
# for dpkg's own lock, which anything else may hold (on a fresh machine a
# second installer failed at once with "Could not get lock
# /var/lib/dpkg/lock-frontend", and with it every debug kernel's build).
host_apt_install() {
	local label="installing $*" rc=0
	[ $# -le 4 ] || label="installing $# packages ($1 $2 $3 ...)"
	export DEBIAN_FRONTEND=noninteractive
	lock host-apt
	host_apt_update
	if ! step "$label" apt-get -o DPkg::Lock::Timeout=600 install -y -q \
		--no-install-recommends "$@"; then
		msg "retrying after a fresh apt-get update"
		PTSHARE_APT_UPDATE=1 host_apt_update
		step "$label" apt-get -o DPkg::Lock::Timeout=600 install -y -q \
			--no-install-recommends "$@" || rc=$?
	fi
	unlock host-apt
	return $rc
}

# repeat_setup GUEST N SUBDIR: for scripts that boot GUEST N times: check N,
# load GUEST's row (G_*), build for its kernel, and make an empty
# out/GUEST/SUBDIR, whose path goes into RUN_DIR.
repeat_setup() {
	case $2 in '' | *[!0-9]* | 0) die "N must be a positive number, not '$2'" ;; esac
	guest_row "$1" || die "no guest row '$1' in $PTSHARE_TARGETS (have: $(guest_names | xargs))"
	need_host_tools
	"$PTSHARE_TOP/scripts/build-guest.sh" "$G_KERNEL" >/dev/null
	RUN_DIR=$PTSHARE_OUT/$1/$3
	rm -rf "$RUN_DIR"
	mkdir -p "$RUN_DIR"
}

# boot_seconds LOG: when the guest of console LOG reached /init ("" if never).
boot_seconds() {
	sed -n 's/.*ptshare-guest: booted .* in \([0-9.]*\) s.*/\1/p' "$1" | head -n 1
}

# boot_cpus LOG: how many CPUs that /init found ("" if it did not say).
boot_cpus() {
	sed -n 's/.*ptshare-guest: booted .*, \([0-9][0-9]*\) CPUs.*/\1/p' "$1" | head -n 1
}

# times_cpu FILE [all]: the CPU seconds in FILE, what bash's times builtin
# printed (run it as the builtin: in a pipe it would run in a new process):
# the children's user + system time; with "all", the shell's own too.
times_cpu() {
	awk -v all="${2:-}" 'NR == 2 || (all != "" && NR == 1) {
		for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } }
		END { printf "%.0f\n", n }' "$1"
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
	mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | awk '!seen[$0]++')
	STEP_LOG=$PTSHARE_OUT/setup.log host_apt_install "${pkgs[@]}" ||
		die "apt-get install ${pkgs[*]} failed (log: $(showpath "$PTSHARE_OUT/setup.log"))"
}

# apt-get [OPTIONS] update that fails when any index failed (apt itself
# exits 0 then, with a warning).
apt_update() {
	local out rc=0
	out=$(apt-get -q -o APT::Update::Error-Mode=any "$@" update 2>&1) || rc=$?
	printf '%s\n' "$out"
	[ $rc -eq 0 ] && ! grep -q '^W: Some index files failed' <<<"$out"
}

# Run a command up to three times: package mirrors fail one index now and then.
apt_retry() {
	local try
	for try in 1 2 3; do
		"$@" && return 0
		msg "attempt $try of $1 failed"
		[ $try -eq 3 ] || sleep $((try * 5))
	done
	return 1
}

# lock NAME [shared]: hold the cache lock NAME (cache/locks/NAME.lock; a
# NAME with a / is the lock file itself) until the shell exits or unlock NAME.
# Says so when it has to wait for another run.
declare -A PTSHARE_LOCK_FD
lock() {
	local name=$1 mode=-x fd file=$PTSHARE_CACHE/locks/$1.lock what=$1
	[ "${2:-}" = shared ] && mode=-s
	case $name in */*) file=$name what=$(showpath "$(dirname "$name")") ;; esac
	mkdir -p "$(dirname "$file")"
	exec {fd}>>"$file"
	if ! flock -n $mode "$fd"; then
		msg "waiting for another run that uses $what (lock $(showpath "$file"))"
		flock $mode "$fd"
	fi
	PTSHARE_LOCK_FD[$name]=$fd
}
unlock() {
	local fd=${PTSHARE_LOCK_FD[$1]:-}
	[ -n "$fd" ] || return 0
	flock -u "$fd"
	exec {fd}>&-
	unset "PTSHARE_LOCK_FD[$1]"
}

# Mount points at or under DIR in this mount namespace, deepest first.
mounts_under() {
	local dir
	dir=$(realpath -m "$1")
	# mountinfo field 5 is the mount point, with \040 for a space etc.
	awk '{ print $5 }' /proc/self/mountinfo | while read -r m; do
		m=$(printf '%b' "$m")
		case $m in "$dir" | "$dir"/*) echo "$m" ;; esac
	done | sort -r
}

# Unmount whatever is left mounted under DIR (a killed build's bind mounts).
# Callers hold the lock that live users of DIR hold too.
unmount_leftovers() {
	local m left
	left=$(mounts_under "$1")
	[ -n "$left" ] || return 0
	msg "unmounting what a killed build left mounted under $(showpath "$1"):" $left
	while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done <<<"$left"
	[ -z "$(mounts_under "$1")" ] || die "cannot unmount everything under $1: $(mounts_under "$1" | xargs)"
}

# reuse_tree NAME BASE ROOT: for fetch-kernel.sh and build-kernel.sh, whose
# check_tree() judges ROOT. Succeed, printing ROOT, when the tree made before
# (BASE/ready names it) checks out: the kernel's cache lock is then held
# shared, as builds of other runs may be reading it. Else fail holding it
# exclusively, having said why the tree is made again (PTSHARE_REFRESH=1: made
# again without a word).
reuse_tree() {
	local name=$1 base=$2 root=$3 why=
	mkdir -p "$base"
	if [ -z "${PTSHARE_REFRESH:-}" ]; then
		lock "kernel-$name" shared
		if [ "$(cat "$base/ready" 2>/dev/null)" = "$root" ] && check_tree >/dev/null; then
			echo "$root"
			return 0
		fi
		unlock "kernel-$name"
	fi
	lock "kernel-$name"
	if [ -z "${PTSHARE_REFRESH:-}" ] && [ -e "$base/ready" ]; then
		if [ "$(cat "$base/ready")" != "$root" ]; then
			why="it was made for another cache directory, $(cat "$base/ready")"
		elif why=$(check_tree); then
			echo "$root" # another run made it while we waited
			return 0
		fi
		msg "$name: the cached kernel tree is not usable ($why); making it again"
	fi
	return 1
}

# rm -rf for cache trees, which must not follow a leftover bind mount into
# the cache itself (or the host's /proc).
remove_tree() {
	[ -e "$1" ] || return 0
	unmount_leftovers "$1"
	rm -rf --one-file-system "$1"
}

# files_hash DIR PATH...: one hash of the regular files at PATH... under DIR,
# their names and contents, in name order: what a build reads, for a
# product's key. Build products found there (kbuild's objects, modules and
# command files, dot files) are not inputs and are left out.
files_hash() {
	local dir=$1
	shift
	(cd "$dir" && find "$@" -type f ! -name '*.o' ! -name '*.ko' ! -name '*.mod' \
		! -name '*.mod.c' ! -name '.*' ! -name modules.order ! -name Module.symvers -print0 |
		LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-24
}

# Build products kept by what they were built from, so that a run whose
# inputs did not change (a second run of one tree, a fresh clone of it)
# builds nothing again. KIND names the product and its target (module for
# one kernel, userland for one compiler); KEY is a hash of every input.
# product_get KIND KEY DEST: copy a finished product into DEST (made), or
# fail. product_put KIND KEY SRC: keep SRC's files as that product, renamed
# into place whole (a reader sees all of it or nothing); the 3 newest keys
# of KIND stay.
product_dir() { echo "$PTSHARE_CACHE/products/$1/$2"; }
product_get() {
	local d
	d=$(product_dir "$1" "$2")
	[ -f "$d/.done" ] || return 1
	mkdir -p "$3" && cp -a "$d/." "$3/" && rm -f "$3/.done"
}
product_put() {
	local d tmp old
	d=$(product_dir "$1" "$2")
	tmp=$d.new.$$
	rm -rf "$tmp"
	if ! { mkdir -p "$tmp" && cp -a "$3/." "$tmp/" && touch "$tmp/.done"; }; then
		rm -rf "$tmp"
		return 1
	fi
	rm -rf "$d"
	mv "$tmp" "$d" 2>/dev/null || rm -rf "$tmp"
	touch "$d"
	find "${d%/*}" -mindepth 1 -maxdepth 1 -type d ! -name '*.new.*' -printf '%T@ %p\n' |
		sort -rn | tail -n +4 | cut -d' ' -f2- | while read -r old; do rm -rf "$old"; done
}

# Host tools every part of the harness needs.
need_host_tools() {
	need_tools make:make gcc:gcc cpio:cpio gzip:gzip xz:xz-utils zstd:zstd bc:bc flex:flex \
		bison:bison gawk:gawk perl:perl timeout:coreutils \
		/usr/include/stdio.h:libc6-dev "/usr/lib/*/libc.a:libc6-dev" \
		"/usr/lib/*/libelf.so.1:libelf1" "/usr/lib/*/libcrypto.so.3:libssl3" "$@"
}

# linux_source SUITE SERIES WHO: Debian's linux-source-SERIES of SUITE (arch
# all), fetched through one private index per suite so that every user agrees
# on its version, and unpacked once per version into the cache. Sets src (the
# tree), srcdeb, srcver and srcdebs, and returns holding the source's lock
# shared (unpacking takes it alone); the caller keeps it while it reads the
# tree. WHO names the caller in errors. Used by build-kernel.sh (the debug
# and plain kernels) and build-kselftest.sh (the kselftest framework).
linux_source() {
	local suite=$1 series=$2 who=$3 t f
	srcbase=$PTSHARE_CACHE/src
	srcdebs=$srcbase/debs
	mkdir -p "$srcdebs"
	lock "src-index-$suite"
	apt_private "$srcbase/apt-$suite" "$suite" amd64
	get_package "linux-source-$series" "$srcdebs" "$who"
	srcdeb=$pkg_file
	unlock "src-index-$suite"
	# linux-source-6.12_6.12.118-1_all.deb: the version is the second field.
	srcver=${srcdeb#*_}
	srcver=${srcver%%_*}
	srcver=${srcver//%3a/:}
	src=$srcbase/linux-source-$srcver
	# The tree is the package plus scripts/kernel-patches/SERIES/*.patch:
	# another patch set unpacks it again (objects built from it stay, and
	# make rebuilds what the patches touch).
	srcpatches=$(kernel_patches "$series")
	srcid="$srcdeb${srcpatches:+ patches $(cat $srcpatches | sha256sum | cut -c1-16)}"
	lock "src-linux-source-$series" shared
	[ "$(cat "$src/.ptshare-from" 2>/dev/null)" != "$srcid" ] || return 0
	unlock "src-linux-source-$series"
	lock "src-linux-source-$series"
	if [ "$(cat "$src/.ptshare-from" 2>/dev/null)" != "$srcid" ]; then
		remove_tree "$src"
		step "unpacking linux-source-$series $srcver${srcpatches:+ with $(echo $srcpatches | wc -w) patch(es)} (once for all its users)" \
			unpack_linux_source "$series" ||
			die "$who: unpacking the source failed (log: $(showpath "$STEP_LOG"))"
	fi
	# Trees and packages of other versions go once no debug kernel's O=
	# directory uses them (module builds read the source through it); no
	# build is running while we hold this lock alone.
	for t in "$srcbase"/linux-source-"$series".*; do
		[ -d "$t" ] && [ "$t" != "$src" ] || continue
		grep -qxF "$t" "$PTSHARE_CACHE"/kernels/*/obj/.ptshare-source 2>/dev/null || remove_tree "$t"
	done
	for f in "$srcdebs"/linux-source-"$series"_*; do
		[ "$f" = "$srcdebs/$srcdeb" ] || rm -f "$f"
	done
	unlock "src-linux-source-$series"
	lock "src-linux-source-$series" shared
	[ "$(cat "$src/.ptshare-from" 2>/dev/null)" = "$srcid" ] ||
		die "$who: the source tree was replaced meanwhile; run again"
}

# kernel_patches SERIES: the patches applied to linux-source-SERIES, in
# order (scripts/kernel-patches/README says why each exists).
kernel_patches() {
	local p
	for p in "$PTSHARE_TOP/scripts/kernel-patches/$1"/*.patch; do
		[ ! -f "$p" ] || echo "$p"
	done
}

# unpack_linux_source SERIES: linux_source's step ($src, $srcdeb, $srcdebs set).
unpack_linux_source() {
	local series=$1 tmp=$src.deb tarball p
	rm -rf "$tmp" "$src.new"
	dpkg-deb -x "$srcdebs/$srcdeb" "$tmp"
	tarball=$(ls "$tmp"/usr/src/linux-source-"$series".tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || { echo "no /usr/src/linux-source-$series.tar.* in $srcdeb"; return 1; }
	mkdir -p "$src.new"
	tar -xf "$tarball" -C "$src.new" --strip-components=1
	rm -rf "$tmp"
	[ -f "$src.new/Makefile" ] || { echo "no Makefile at the top of the tarball"; return 1; }
	for p in $srcpatches; do
		echo "applying ${p#"$PTSHARE_TOP"/}"
		patch -d "$src.new" -p1 --batch --forward <"$p" || { echo "${p##*/} does not apply"; return 1; }
	done
	echo "$srcid" >"$src.new/.ptshare-from"
	mv "$src.new" "$src"
}

# tree_run TREE DIR... -- CMD...: CMD chrooted into the Debian tree TREE
# (scripts/builder.sh) in a private mount namespace, with each DIR bound at
# its own path, /proc, the host's /dev, its resolv.conf and apt settings
# (the distro's own client configuration: proxies, and here the mirror's
# sid Release past its Valid-Until, which the tree's apt would refuse), and a
# clean environment. The mounts go with the namespace however CMD ends.
tree_run() {
	local t=$1 d dirs=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		dirs+=("$1")
		shift
	done
	shift
	for d in "${dirs[@]}"; do mkdir -p "$t$d"; done
	mkdir -p "$t/proc" "$t/dev"
	unshare --mount --propagation private -- /bin/bash -c '
		set -e
		t=$1 n=$2
		shift 2
		for d in "${@:1:$n}"; do mount --bind "$d" "$t$d"; done
		shift "$n"
		mount -t proc proc "$t/proc"
		mount --rbind /dev "$t/dev"
		cp /etc/resolv.conf "$t/etc/resolv.conf" 2>/dev/null || true
		cp /etc/apt/apt.conf.d/* "$t/etc/apt/apt.conf.d/" 2>/dev/null || true
		exec chroot "$t" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"' tree_run "$t" "${#dirs[@]}" "${dirs[@]}" "$@"
}

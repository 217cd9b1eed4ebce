#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/tests/run.sh: the host tests of tools/ptshare.
#
#  1. builds the tool with -Werror (dynamic and static);
#  2. builds it with -fsanitize=address,undefined and runs the unit tests with
#     that build: the recorded fixtures (tests/fixtures, from
#     scripts/record-fixtures.sh), synthetic snapshots with every class
#     (gen-snapshot.py), a fake debugfs directory for the live paths, and
#     crafted bad inputs, each of which must fail with FILE:LINE and print
#     no report;
#  3. runs the libFuzzer target over the parser, renderers and diff: every
#     input in fuzz-regressions/, then PTSHARE_FUZZ_SECONDS (default 30) of
#     fuzzing; a crash is copied into fuzz-regressions/ and fails the run;
#  4. renders the HTML map in headless Chromium and checks the screenshot
#     (rows and cells per colour) against 'ptshare html --json'.
#
# Prints "ok N name" / "not ok N name" per check and ends with
# "N passed, M failed". Installs clang and chromium with apt-get if missing.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tools=$(cd "$here/.." && pwd)
top=$(cd "$tools/.." && pwd)
. "$top/scripts/lib.sh"

need_tools python3:python3 clang:clang chromium:chromium make:make gcc:gcc

T=$(mktemp -d /tmp/ptshare-tooltests.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0 pass=0 fail=0
fuzz_seconds=${PTSHARE_FUZZ_SECONDS:-30}

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $n $2"
	else
		fail=$((fail + 1))
		echo "not ok $n $2"
		[ -s "$T/why" ] && sed 's/^/# /' "$T/why" | head -n 20
	fi
	: >"$T/why"
}

# check NAME CMD...: the command's exit status is the verdict.
check() {
	local name=$1
	shift
	"$@" >"$T/why" 2>&1
	ok $? "$name"
}

# run [ENV=V...] ARGS...: the tool under test; stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	"$PT" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# ---- 1. builds ----
check "build with -Werror" make -s -C "$tools" O="$T/plain" CFLAGS="-O2 -g -Werror"
check "static build with -Werror" make -s -C "$tools" O="$T/static" CFLAGS="-O2 -Werror" \
	LDFLAGS=-static
check "sanitizer build (-fsanitize=address,undefined) with -Werror" \
	make -s -C "$tools" O="$T/asan" CFLAGS="-O1 -g -Werror -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	LDFLAGS="-fsanitize=address,undefined"
if command -v arm-linux-gnueabihf-gcc >/dev/null; then
	check "32-bit ARM static cross build with -Werror" make -s -C "$tools" O="$T/arm" \
		CC=arm-linux-gnueabihf-gcc CFLAGS="-O2 -Werror" LDFLAGS=-static
fi
PT=$T/asan/ptshare
[ -x "$PT" ] || PT=$T/plain/ptshare
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

# ---- 2. unit tests ----
F=$here/fixtures
fixtures=("$F"/*.snap)
python3 "$here/gen-snapshot.py" --tasks 8 --records 2000 >"$T/syn.snap"
python3 "$here/gen-snapshot.py" --tasks 8 --records 2000 --variant 1 >"$T/syn-v1.snap"
python3 "$here/gen-snapshot.py" --tasks 6 --records 3000 --arch arm >"$T/syn-arm.snap"

# Table lines between "kind " and the blank line all have the same width.
aligned() {
	awk '/^kind /{t=1; w=length($0); next} t && /^$/{exit} t && length($0) != w {bad=1} END{exit bad || !w}' "$1"
}

for f in "${fixtures[@]}"; do
	g=$(basename "$f" .snap)
	x86=0; grep -q '^arch x86_64$' "$f" && x86=1
	rows=$(awk '/^section summary/{s=1} s && /^mm /{n++} s && /^end /{print n; exit}' "$f")
	run summary "$f"
	{ [ $rc -eq 0 ] && aligned "$T/out" && [ "$(grep -c '^mm ' "$T/out")" -eq "$rows" ] &&
	  grep -q "^$rows processes$" "$T/out"; } >"$T/why" 2>&1
	ok $? "$g: summary: aligned table, $rows process rows"
	run --json summary "$f"
	python3 - "$T/out" "$rows" "$x86" >"$T/why" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] and d["command"] == "summary" and d["ptshare_json"] == 1 and d["complete"]
assert len(d["processes"]) == int(sys.argv[2]), len(d["processes"])
assert d["master"]["present"] > 0 and d["source"]["kernel"].startswith("6.")
classes = ("shared", "same", "copy", "diff", "missing", "extra")
for p in d["processes"]:
    assert p["present"] == sum(p[c] for c in classes) - p["missing"], p
if sys.argv[3] == "1":   # x86-64: every present slot is SHARED but a PTI LDT slot (EXTRA)
    assert all(p["present"] == p["shared"] + p["extra"] and p["extra"] <= 1
               for p in d["processes"])
EOF
	ok $? "$g: summary --json: valid, $rows processes, class counts add up to present"
	run show "$f"
	{ [ $rc -eq 0 ] && grep -q '^merged ranges' "$T/out" && grep -q '^tree' "$T/out" &&
	  grep -q '    region vmalloc$' "$T/out" && grep -qE ' (KiB|MiB|GiB) ' "$T/out"; } >"$T/why"
	ok $? "$g: show (master): merged ranges and tree, regions, human sizes"
	run --json show --region vmalloc --level pte "$f"
	python3 - "$T/out" >"$T/why" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] and d["view"] == "master"
rs = [r for s in d["slots"] for r in s["ranges"]]
assert rs and all(r["region"] == "vmalloc" and r["level"] == "pte" for r in rs), rs[:3]
assert all(m["region"] == "vmalloc" for m in d["merged"])
EOF
	ok $? "$g: show --json --region vmalloc --level pte filters"
	run --json show --task 1 "$f"
	python3 - "$T/out" "$f" "$x86" >"$T/why" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
i = lines.index([l for l in lines if l.startswith("task 1 ")][0])
n = 0
while lines[i + 1 + n].startswith("entry "):
    n += 1
assert d["task"]["tgid"] == 1 and d["task"]["complete"], d["task"]
assert len(d["entries"]) == n, (len(d["entries"]), n)
assert sum(m["entries"] for m in d["merged"]) == sum(1 for e in d["entries"] if e["depth"] == 0)
assert [e["class"] for e in d["entries"]] == [l.split()[5] for l in lines[i + 1:i + 1 + n]]
if sys.argv[3] == "1":
    assert {e["class"] for e in d["entries"]} == {"SHARED"}
EOF
	ok $? "$g: show --task 1 --json: every entry line of task 1 with its class, merged ranges add up"
	run cost "$f"
	per="per process, "; [ $x86 = 1 ] && per="per process, 2 KiB"
	[ $x86 = 1 ] && grep -q '^master_user_pgd 0x' "$f" && per="per process, 4 KiB"
	{ [ $rc -eq 0 ] && grep -q "^answer: $per" "$T/out" &&
	  [ "$(grep -cE '^ +[0-9]+ ' "$T/out")" -eq "$rows" ]; } >"$T/why"
	ok $? "$g: cost: '$per...', $rows rows"
	run diff "$f" "$f"
	{ [ $rc -eq 0 ] && grep -q '^0 differences$' "$T/out"; } >"$T/why"
	ok $? "$g: diff of a snapshot with itself: exit 0"
	t2=$(grep '^task ' "$f" | sed -n 2p | cut -d' ' -f2)
	run diff --task 1 --task "$t2" "$f"
	if [ $x86 = 1 ]; then r=$rc; else r=$((rc > 1)); fi
	ok $r "$g: diff --task 1 --task $t2 (exit $rc)"
	run diff --task 1 --master "$f"
	nonshared=$(awk '/^task 1 /{t=1; next} t && /^taskend/{exit} t && $6 != "SHARED" && $6 != "SAME"{n++} END{print n+0}' "$f")
	{ [ $rc -eq $((nonshared > 0)) ] && [ "$(grep -c '^! ' "$T/out")" -eq "$nonshared" ]; } >"$T/why"
	ok $? "$g: diff --task 1 --master: the $nonshared entries that are not SHARED or SAME"
	run --json html "$f"
	python3 - "$T/out" "$f" >"$T/why" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["grid"]
want = {}
for l in open(sys.argv[2]):
    f = l.split()
    if l.startswith("entry kernel pgd ") and f[5] != "none":
        want[f[5]] = want.get(f[5], 0) + 1
got = {k: v for k, v in d["counts"].items() if v and k != "master"}
assert got == want, (got, want)
EOF
	ok $? "$g: html --json: a coloured cell per top-level kernel entry, by class"
	run html "$f"
	{ [ $rc -eq 0 ] && grep -q '<div class="grid"' "$T/out" &&
	  ! grep -qiE '<script|<link|src=|https?:' "$T/out"; } >"$T/why"
	ok $? "$g: html: a self-contained page"
done

run diff "$F/x86_64-pti-on.snap" "$F/x86_64-pti-off.snap"
{ [ $rc -eq 1 ] && grep -q '^~ master changed: u_present 4 -> -1' "$T/out" &&
  grep -q '^per region:' "$T/out" && grep -qE '^[0-9]+ differences$' "$T/out"; } >"$T/why"
ok $? "diff PTI on vs off: exit 1, the user copy went, per-region counts"
run --json diff "$F/x86_64-pti-on.snap" "$F/x86_64-pti-off.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] and not d["same"] and d["differences"] == len(d["changes"]) > 0
assert sum(r["changes"] for r in d["regions"]) <= d["differences"]
' "$T/out" >"$T/why" 2>&1
ok $? "diff --json: valid, differences = number of changes"

# Synthetic snapshots: every class, and 32-bit-ARM geometry.
run show --task 114 "$T/syn.snap"
{ [ $rc -eq 0 ] && for c in SHARED SAME COPY DIFF MISSING EXTRA; do
	grep -q " $c " "$T/out" || { echo "no $c"; exit 1; }; done; } >"$T/why"
ok $? "synthetic: show --task lists SHARED SAME COPY DIFF MISSING EXTRA"
run diff --task 114 --master "$T/syn.snap"
{ [ $rc -eq 1 ] && for c in COPY DIFF MISSING EXTRA; do
	grep -q "^! .* $c " "$T/out" || { echo "no $c"; exit 1; }; done &&
  ! grep -q '^! [a-z]* [a-z0-9]* [0-9a-fx-]* [a-z-]*: SHARED' "$T/out"; } >"$T/why"
ok $? "synthetic: diff --task P --master: exit 1, the non-SHARED entries"
run diff --task 1 --task 114 "$T/syn.snap"
ok $((rc != 1)) "synthetic: diff --task 1 --task 114: exit 1"
run diff "$T/syn.snap" "$T/syn-v1.snap"
{ [ $rc -eq 1 ] && grep -q '^- task 149 proc7 went$' "$T/out" &&
  grep -q '^+ task 150 proc7 appeared$' "$T/out" && grep -q '^~ master kernel range ' "$T/out" &&
  grep -q '^~ kernel pud .* EXTRA .* -> EXTRA ' "$T/out" && grep -q '^  direct-map ' "$T/out"; } >"$T/why"
ok $? "synthetic: diff A B: task went and appeared, entry and master range changed, per region"
run summary "$T/syn-arm.snap"
{ [ $rc -eq 0 ] && aligned "$T/out" && ! grep -q u_present "$T/out"; } >"$T/why"
ok $? "synthetic ARM geometry: summary without user-copy columns"
run show --task 114 --level pte "$T/syn-arm.snap"
{ [ $rc -eq 0 ] && grep -q ' pte .* DIFF ' "$T/out"; } >"$T/why"
ok $? "synthetic ARM geometry: show --task --level pte"
run --json html "$T/syn-arm.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["grid"]
assert len(d["columns"]) > 100 and len(d["rows"]) == 6
assert all(d["counts"][c] > 0 for c in ("SHARED", "SAME", "COPY", "DIFF", "MISSING", "EXTRA"))
' "$T/out" >"$T/why" 2>&1
ok $? "synthetic ARM geometry: html --json grid has every class"

# Incomplete reports are shown marked INCOMPLETE, with exit 1, never as complete.
python3 "$here/edit-snapshot.py" "$F/x86_64-pti-on.snap" summary --before-end "error -14 mm 55" \
	>"$T/sum-error.snap"
run summary "$T/sum-error.snap"
{ [ $rc -eq 1 ] && grep -q '^INCOMPLETE: the module could not read 1 more process' "$T/out"; } >"$T/why"
ok $? "a summary with an unreadable row: shown as INCOMPLETE, exit 1"
run --json cost "$T/sum-error.snap"
{ [ $rc -eq 1 ] && grep -q '"complete": false' "$T/out"; } >"$T/why"
ok $? "cost --json of it: complete false, exit 1"
t2=$(grep '^task ' "$F/x86_64-pti-on.snap" | sed -n 2p | cut -d' ' -f2)
python3 "$here/edit-snapshot.py" "$F/x86_64-pti-on.snap" dump --sub "taskend $t2 ok" \
	"taskend $t2 exited" >"$T/exited.snap"
run show --task "$t2" "$T/exited.snap"
{ [ $rc -eq 1 ] && grep -q 'INCOMPLETE: it exited while it was dumped' "$T/out"; } >"$T/why"
ok $? "show of a task that exited while dumped: INCOMPLETE, exit 1"
run html "$T/exited.snap"
{ [ $rc -eq 1 ] && grep -q "$t2 [a-z]* (incomplete)" "$T/out"; } >"$T/why"
ok $? "html marks that task (incomplete), exit 1"
run diff --task "$t2" --master "$T/exited.snap"
ok $((rc != 2)) "diff --task of an incomplete dump: exit 2"
run diff "$F/x86_64-pti-on.snap" "$T/exited.snap"
{ [ $rc -eq 1 ] && grep -q "^~ task $t2 [a-z]* changed: now incomplete$" "$T/out"; } >"$T/why"
ok $? "diff A B reports a task whose dump became incomplete"

# Newer minor versions add lines and trailing fields: accepted.
awk 'BEGIN{s=0} /^section summary /{s=1; print; next} s==1 && /^end /{print "newline kind 1"; s=2}
     s==1 && /^mm /{$0 = $0 " 42"} s==1 && /^ptshare summary 1.0$/{$0 = "ptshare summary 1.7"} {print}' \
	"$F/x86_64-pti-off.snap" | python3 -c '
import sys
lines = sys.stdin.read().split("\n")
out, i = [], 0
while i < len(lines):
    l = lines[i]
    if l.startswith("section summary "):
        j = i + 1
        while not lines[j].startswith("end "):
            j += 1
        out.append("section summary %d" % (j - i))
    else:
        out.append(l)
    i += 1
sys.stdout.write("\n".join(out))' >"$T/minor.snap"
run summary "$T/minor.snap"
ok $rc "a newer minor version (1.7) with an unknown line and trailing fields is read"

# ---- crafted bad inputs: clean failure, FILE:LINE, no report ----
mkdir -p "$T/bad"
base=$F/x86_64-pti-on.snap
total=$(wc -l <"$base")
for cut in 1 3 20 40 41 100 2000 2160 $((total - 1)); do
	head -n "$cut" "$base" >"$T/bad/truncated-at-$cut.snap"
done
head -c 5000 "$base" >"$T/bad/truncated-mid-line.snap"
sed '$d' "$base" >"$T/bad/no-end-line.snap"
awk '/^section summary/{s=1} s && /^ptshare summary/{print; next} {print}' "$base" |
	sed 's/^ptshare summary 1.0$/ptshare summary 2.0/' >"$T/bad/major-2-summary.snap"
sed '1s/.*/ptshare-snapshot 2.0/' "$base" >"$T/bad/major-2-snapshot.snap"
sed 's/^format 1.0$/format 3.1/' "$base" >"$T/bad/major-3-format-line.snap"
sed 's/^mm 1 init /mm 99999999999999999999999 init /' "$base" >"$T/bad/huge-tgid.snap"
sed '0,/^entry kernel pgd 0x/s/^entry kernel pgd 0x/entry kernel pgd 0x1234567890abcdef0/' "$base" \
	>"$T/bad/huge-hex.snap"
sed 's/^page_size 4096$/page_size 18446744073709551617/' "$base" >"$T/bad/huge-page-size.snap"
awk '/^section summary/ { s = 1 }
     s && !done && /^end [0-9]+$/ { print "end " ($2 + 1); done = 1; next } { print }' \
	"$base" >"$T/bad/wrong-row-count.snap"
sed '0,/ SHARED /s/ SHARED / SHAREDX /' "$base" >"$T/bad/unknown-class.snap"
sed '0,/^entry kernel pgd /s/^entry kernel pgd \(0x[0-9a-f]*\) /entry kernel pgd \1  /' "$base" \
	>"$T/bad/double-space.snap"
python3 -c '
import random, sys
r = random.Random(7)
open(sys.argv[1] + "/garbage.snap", "wb").write(bytes(r.randrange(256) for _ in range(4096)))
open(sys.argv[1] + "/garbage-lines.snap", "w").write("ptshare-snapshot 1.0\n" +
    "".join("%x %s\n" % (r.randrange(1 << 64), "x" * r.randrange(40)) for _ in range(50)))
d = open(sys.argv[2], "rb").read()
open(sys.argv[1] + "/nul-byte.snap", "wb").write(d[:3000] + b"\0" + d[3001:])
' "$T/bad" "$base"
: >"$T/bad/empty.snap"
# A bare summary copy without its end line, as tool_summary makes in the guest.
awk '/^section summary/{s=1; next} s && /^end /{exit} s{print}' "$base" >"$T/bad/bare-summary-truncated"
for f in "$T"/bad/*; do
	b=$(basename "$f")
	bad=0
	for cmd in summary show cost html; do
		run $cmd "$f"
		if [ $rc -ne 1 ] || [ -s "$T/out" ] || grep -q 'AddressSanitizer\|runtime error' "$T/err" ||
		   ! grep -qE "^ptshare: $f:[0-9]+: " "$T/err"; then
			echo "$cmd: rc $rc, stdout $(wc -c <"$T/out") bytes: $(head -c 300 "$T/err")"
			bad=1
		fi
	done >"$T/why"
	run diff "$f" "$base"
	{ [ $rc -eq 2 ] && [ ! -s "$T/out" ]; } || { echo "diff: rc $rc"; bad=1; } >>"$T/why"
	case $b in
	truncated*|no-end*|bare-summary*) grep -q truncated "$T/err" || { echo "no 'truncated'"; bad=1; } >>"$T/why" ;;
	major-*) grep -qE 'version [0-9.]+: this tool reads 1\.x' "$T/err" || { echo "no version message"; bad=1; } >>"$T/why" ;;
	esac
	ok $bad "bad input $b: exit 1 (diff 2), FILE:LINE, no report"
done
run summary /nonexistent/summary
{ [ $rc -eq 1 ] && grep -q '/nonexistent/summary' "$T/err"; } >"$T/why"
ok $? "missing file: exit 1, named"
run --json summary "$T/bad/truncated-at-2160.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and d["error"]["file"].endswith("truncated-at-2160.snap")
assert (d["error"]["line"] or 0) > 0 and "truncated" in d["error"]["message"]
' "$T/out" >"$T/why" 2>&1
ok $? "--json error: a JSON document with file, line and message"
run diff --json --task 1 --task 424242 "$base"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and "424242" in d["error"]["message"]
' "$T/out" >"$T/why" 2>&1
ok $(( $? || rc != 2 )) "diff of an unknown task: exit 2, JSON error"
run show --region nowhere "$base"
ok $((rc != 1)) "show --region of an unknown region: exit 1"
run frobnicate
ok $((rc != 2)) "unknown command: exit 2"

# ---- live paths, against a fake debugfs directory ----
fake=$T/debugfs
mkdir -p "$fake"
awk -v d="$fake" '/^section /{f = d "/" $2; next} /^end [0-9]+$/ && !f {next}
	f {print > f} /^end/ && f {close(f); f = ""}' "$base"
printf 'pid 5\n' >"$fake/select"
export PTSHARE_DEBUGFS=$fake
run snapshot --all -o "$T/live.snap"
{ [ $rc -eq 0 ] && [ "$(cat "$fake/select")" = "pid 5" ] && grep -q '^selection all$' "$T/live.snap" &&
  grep -q '^ptshare-snapshot 1.0$' "$T/live.snap" && grep -qE '^created 20[0-9-]+T' "$T/live.snap"; } >"$T/why"
ok $? "live snapshot: self-describing file, the previous select restored"
run summary
cp "$T/out" "$T/live-summary"
"$PT" summary "$base" | grep -v '^snapshot ' >"$T/file-summary"
cmp -s "$T/live-summary" "$T/file-summary"
ok $? "live summary equals the snapshot's"
run snapshot 1 93 --json -o "$T/live2.snap"
{ [ $rc -eq 0 ] && grep -q '^selection pid 1,93$' "$T/live2.snap" && grep -q '"tasks"' "$T/out" &&
  [ "$(cat "$fake/select")" = "pid 5" ]; } >"$T/why"
ok $? "live snapshot of PIDs, --json note, select restored"
run diff --task 1 --task 93
ok $rc "live diff --task 1 --task 93"
run show --task 1
ok $rc "live show --task 1"
for c in cost html; do
	run $c
	ok $rc "live $c"
done
printf 'all\n' >"$fake/select"
chmod 000 "$fake/dump"
if [ "$(id -u)" -ne 0 ]; then
	run snapshot -o "$T/live3.snap"
	{ [ $rc -eq 1 ] && [ ! -e "$T/live3.snap" ] && [ "$(cat "$fake/select")" = "all" ]; } >"$T/why"
	ok $? "live snapshot with an unreadable dump: exit 1, no file, select restored"
fi
chmod 644 "$fake/dump"
unset PTSHARE_DEBUGFS

# ---- help ----
bad=0
for c in snapshot summary show diff cost html; do
	run $c --help
	{ [ $rc -eq 0 ] && grep -q "^usage: ptshare $c" "$T/out"; } || { echo "$c --help"; bad=1; }
	grep -q "^\\.SS $c\\b\\|^\\.B ptshare $c\\|^\\.SS \"$c" "$top/doc/ptshare.1" || { echo "ptshare.1: no $c"; bad=1; }
done >"$T/why"
run --help
[ $rc -eq 0 ] || bad=1
ok $bad "--help for every command; doc/ptshare.1 describes each"

# ---- 3. fuzzing ----
SRCS=(parse.c source.c out.c common.c snapshot.c summary.c show.c diff.c cost.c html.c)
if clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$top/include" -I"$tools" "${SRCS[@]/#/$tools/}" "$here/fuzz_parse.c" -o "$T/fuzz" \
	>"$T/why" 2>&1; then
	ok 0 "fuzz target builds (libFuzzer, ASan, UBSan)"
	regs=()
	for r in "$here"/fuzz-regressions/*; do
		case $r in *.md) ;; *) [ -f "$r" ] && regs+=("$r") ;; esac
	done
	if [ ${#regs[@]} -gt 0 ]; then
		"$T/fuzz" "${regs[@]}" >"$T/why" 2>&1
		ok $? "fuzz regressions: ${#regs[@]} inputs run clean"
	fi
	mkdir -p "$T/corpus" "$T/artifacts"
	cp "${fixtures[@]}" "$T/corpus/"
	python3 "$here/gen-snapshot.py" --tasks 3 --records 150 >"$T/corpus/syn"
	python3 "$here/gen-snapshot.py" --tasks 3 --records 150 --arch arm >"$T/corpus/syn-arm"
	python3 "$here/gen-snapshot.py" --tasks 3 --records 150 --variant 1 >"$T/corpus/syn-v1"
	{ cat "$T/corpus/syn"; echo =====; cat "$T/corpus/syn-v1"; } >"$T/corpus/pair"
	cp "$T"/bad/* "$T/corpus/" 2>/dev/null
	[ -d "$here/fuzz-corpus" ] && cp "$here"/fuzz-corpus/* "$T/corpus/" 2>/dev/null
	"$T/fuzz" -max_total_time="$fuzz_seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-dict="$here/fuzz.dict" \
		-print_final_stats=1 -artifact_prefix="$T/artifacts/" "$T/corpus" >"$T/fuzz.log" 2>&1
	frc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/fuzz.log")
	for a in "$T"/artifacts/*; do
		[ -e "$a" ] || continue
		mkdir -p "$here/fuzz-regressions"
		cp "$a" "$here/fuzz-regressions/$(basename "$a")"
		echo "new crashing input kept: tools/tests/fuzz-regressions/$(basename "$a")" >>"$T/why"
	done
	tail -n 30 "$T/fuzz.log" >>"$T/why"
	[ $frc -eq 0 ] && : >"$T/why"
	ok $frc "fuzzing for ${fuzz_seconds}s: ${runs:-?} executions, no crash"
else
	ok 1 "fuzz target builds (libFuzzer, ASan, UBSan)"
fi

# ---- 4. the HTML map in headless Chromium ----
shot() {	# shot HTML PNG WIDTH
	local prof
	prof=$(mktemp -d "$T/chromium.XXXXXX")
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" --force-device-scale-factor=1 --force-color-profile=srgb \
		--hide-scrollbars --window-size="$3,900" --screenshot="$2" "file://$1" >"$T/chromium.log" 2>&1
	[ -s "$2" ] || { tail -n 20 "$T/chromium.log"; return 1; }
}
for src in "$base" "$F/arm-classic.snap" "$F/arm-lpae.snap" "$T/syn.snap"; do
	g=$(basename "$src" .snap)
	"$T/plain/ptshare" html "$src" >"$T/$g.html" &&
		"$T/plain/ptshare" html --json "$src" >"$T/$g.json"
	width=$(python3 -c 'import json, sys; g = json.load(open(sys.argv[1]))["grid"]
print(max(1200, len(g["columns"]) * (g["cell_width"] + 1) + 320))' "$T/$g.json")
	{ shot "$T/$g.html" "$T/$g.png" "$width" &&
	  python3 "$here/html_check.py" "$T/$g.png" "$T/$g.json"; } >"$T/why" 2>&1
	r=$?
	grep '^# ' "$T/why" | sed -n '1p'
	ok $r "html map of $g in headless Chromium: rows and coloured cells match the grid"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]

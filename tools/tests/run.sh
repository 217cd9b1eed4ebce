#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/tests/run.sh: the host tests of tools/ptshare.
#
#  1. builds the tool with -Werror (dynamic and static);
#  2. builds it with -fsanitize=address,undefined and runs the unit tests with
#     that build: every fixture in tests/fixtures (recorded by
#     scripts/record-fixtures.sh, and hand-made synthetic-*.snap of format
#     1.1: arm64's kernel_table ttbr1, user_slots, uslot lines, nested
#     regions; of 1.2: alias and repeat lines, from which taskend exec is
#     made; of 1.3: descend lines), synthetic snapshots with every class (gen-snapshot.py), fake
#     debugfs directories for the live paths, and crafted bad inputs, each
#     of which must fail with FILE:LINE and print no report; every command's
#     --json against doc/ptshare-json.schema.json (json_check.py, Debian's
#     python3-jsonschema); README.md's output blocks against
#     scripts/readme-output.sh --check;
#  3. runs the libFuzzer target over the parser, renderers and diff: every
#     input in fuzz-regressions/, then PTSHARE_FUZZ_SECONDS (default 30) of
#     fuzzing; a crash is copied into fuzz-regressions/ and fails the run;
#  4. renders the HTML map in headless Chromium and checks the screenshot
#     (rows and cells per colour) against 'ptshare html --json', and reads
#     the page there as a person would (html_read.py: region names whole,
#     apart and uncovered; the cost total of the shared tables);
#  5. scripts/check-console.sh against the first lines of kernel reports in
#     tests/console/reports.txt (each must fail it) and harmless boot lines in
#     tests/console/clean.txt (must pass);
#  6. selftests/ptshare/oracle/check.sh: ptdump_oracle's parsers of the
#     kernel's page-table dumps and of master, and its comparison (--files).
#
# Prints "ok N name" / "not ok N name" per check and ends with
# "N passed, M failed". Installs clang, chromium and python3-jsonschema with
# apt-get if missing. A long fuzz campaign is scripts/fuzz-tool.sh, not this.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tools=$(cd "$here/.." && pwd)
top=$(cd "$tools/.." && pwd)
. "$top/scripts/lib.sh"

need_tools python3:python3 clang:clang chromium:chromium make:make gcc:gcc \
	/usr/lib/python3/dist-packages/jsonschema:python3-jsonschema

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
	# kernel_table ttbr1 (arm64, format 1.1): no kernel-half entries per process
	ttbr1=0; grep -q '^kernel_table ttbr1 ' "$f" && ttbr1=1
	rows=$(awk '/^section summary/{s=1} s && /^mm /{n++} s && /^end /{print n; exit}' "$f")
	run summary "$f"
	{ [ $rc -eq 0 ] && aligned "$T/out" && [ "$(grep -c '^mm ' "$T/out")" -eq "$rows" ] &&
	  grep -q "^$rows processes$" "$T/out"; } >"$T/why" 2>&1
	ok $? "$g: summary: aligned table, $rows process rows"
	run --json summary "$f"
	python3 - "$T/out" "$rows" "$x86" "$ttbr1" >"$T/why" 2>&1 <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] and d["command"] == "summary" and d["ptshare_json"] == 1 and d["complete"]
assert len(d["processes"]) == int(sys.argv[2]), len(d["processes"])
assert d["master"]["present"] > 0 and re.match(r"[0-9]+\.", d["source"]["kernel"])
assert d["master"]["user_slots"] is None
kt = d["source"]["kernel_table"]
v11 = d["source"]["format"] != "1.0"
classes = ("shared", "same", "copy", "diff", "missing", "extra")
for p in d["processes"]:
    assert isinstance(p["pt_pages"], int), p
    assert (p["user_slots"] is not None) == v11, p
if sys.argv[4] == "1":   # kernel_table ttbr1: nothing per process to classify: null, never 0
    assert kt["kind"] == "ttbr1" and kt["pa"].startswith("0x"), kt
    for p in d["processes"]:
        assert all(p[c] is None for c in ("present", "kpriv_pages", "u_present") + classes +
                   tuple("u_" + c for c in classes)), p
        assert p["user_slots"] >= 0, p
else:
    assert kt == {"kind": "pgd", "pa": None, "is_master": None}, kt
    for p in d["processes"]:
        assert p["present"] == sum(p[c] for c in classes) - p["missing"], p
if sys.argv[3] == "1":   # x86-64: every present slot is SHARED but a PTI LDT slot (EXTRA)
    assert all(p["present"] == p["shared"] + p["extra"] and p["extra"] <= 1
               for p in d["processes"])
EOF
	ok $? "$g: summary --json: valid, $rows processes, class counts add up to present (ttbr1: null)"
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
	python3 - "$T/out" "$f" "$x86" "$ttbr1" >"$T/why" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
i = lines.index([l for l in lines if l.startswith("task 1 ")][0]) + 1
u = 0
while lines[i + u].startswith("uslot "):
    u += 1
n = 0
while lines[i + u + n].startswith("entry "):
    n += 1
ents = lines[i + u:i + u + n]
assert d["task"]["tgid"] == 1 and d["task"]["complete"], d["task"]
assert len(d["entries"]) == n, (len(d["entries"]), n)
assert sum(m["entries"] for m in d["merged"]) == sum(1 for e in d["entries"] if e["depth"] == 0)
assert [e["class"] for e in d["entries"]] == [l.split()[5] for l in ents]
if d["source"]["format"] == "1.0":
    assert d["uslots"] is None and u == 0
else:   # init maps memory: it has user-half slots, each listed
    assert u > 0 and [s["index"] for s in d["uslots"]] == [int(l.split()[1]) for l in lines[i:i + u]]
assert d["kernel_entries"] == (sys.argv[4] == "0")
if sys.argv[4] == "1":   # no entry lines to compare: what is true is the user half, below the kernel's
    lo = int([l for l in lines if l.startswith("kernel_half ")][0].split()[1], 16)
    assert n == 0 and not d["merged"] and d["entries"] == []
    assert all(int(s["start"], 16) < lo and s["kind"] in ("table", "leaf") for s in d["uslots"]), d["uslots"]
if sys.argv[3] == "1":
    assert {e["class"] for e in d["entries"]} == {"SHARED"}
EOF
	ok $? "$g: show --task 1 --json: its uslot lines, every entry line with its class, merged ranges add up"
	run cost "$f"
	# The copied top-level kernel entries of one process, per architecture:
	# x86-64 256 slots x 8 B (twice with PTI's user copy); classic ARM 520
	# pairs (slots 1528-2047) x 8 B = 4160 B; LPAE 2 x 8 B, plus its own
	# modules pmd table; arm64 none: process tables have no kernel half;
	# riscv64 256 slots x 8 B; i386 256 x 4 B without PAE, with PAE one 8 B
	# entry (twice with PTI) plus, with PTI, its own pmd tables.
	case $(sed -n 's/^arch //p' "$f" | head -n 1) in
	x86_64) per="per process, 2 KiB of copied top-level kernel entries and "
		grep -q '^master_user_pgd 0x' "$f" &&
			per="per process, 4 KiB of copied top-level kernel entries and " ;;
	arm) per="per process, 4.1 KiB of copied top-level kernel entries and 0 B of private" ;;
	arm-lpae) per="per process, 16 B of copied top-level kernel entries and 4 KiB of private" ;;
	arm64) per="per process, none by construction: the kernel half is not in a process's tables;" ;;
	riscv64) per="per process, 2 KiB of copied top-level kernel entries and 0 B of private" ;;
	x86) per="per process, 1 KiB of copied top-level kernel entries and 0 B of private" ;;
	x86-pae) per="per process, 8 B of copied top-level kernel entries and 0 B of private"
		grep -q '^master_user_pgd 0x' "$f" &&
			per="per process, 16 B of copied top-level kernel entries and 8 KiB of private" ;;
	*) per="(no expectation for this architecture)" ;;
	esac
	{ [ $rc -eq 0 ] && grep -q "^answer: $per" "$T/out" &&
	  [ "$(grep -cE '^ +[0-9]+ ' "$T/out")" -eq "$rows" ]; } >"$T/why"
	ok $? "$g: cost: '$per...', $rows rows"
	run diff "$f" "$f"
	{ [ $rc -eq 0 ] && grep -q '^0 differences$' "$T/out"; } >"$T/why"
	ok $? "$g: diff of a snapshot with itself: exit 0"
	t2=$(grep '^task ' "$f" | sed -n 2p | cut -d' ' -f2)
	run diff --task 1 --task "$t2" "$f"
	# x86-64 and classic ARM: both tasks' kernel-half entries are the
	# master's copies (classic: both lack the same modules pairs); LPAE: each
	# has its own modules pmd table, so that GiB's entry differs, alone;
	# arm64: nothing per process to compare.
	if grep -q '^arch x86-pae$' "$f" && grep -q '^master_user_pgd 0x' "$f"; then
		# PAE with PTI: each process's own kernel pmd table (and its user copy's)
		{ [ $rc -eq 1 ] && grep -q '^2 differences$' "$T/out" &&
		  grep -q '^~ kernel pgd 0x00000000c0000000-0x00000000ffffffff .*: COPY process table ' "$T/out" &&
		  grep -q '^~ user pgd 0x00000000c0000000-0x00000000ffffffff .*: COPY process table ' "$T/out"; } >"$T/why"
		ok $? "$g: diff --task 1 --task $t2: exit 1 (exit $rc), only the kernel GiB's own pmd tables differ (COPY)"
	elif grep -q '^arch arm-lpae$' "$f"; then
		{ [ $rc -eq 1 ] && grep -q '^1 difference$' "$T/out" &&
		  grep -q '^~ kernel pgd 0x0000000080000000-0x00000000bfffffff modules,pkmap: DIFF process table ' "$T/out"; } >"$T/why"
		ok $? "$g: diff --task 1 --task $t2: exit 1 (exit $rc), only the modules GiB's own pmd tables differ"
	else
		{ [ $rc -eq 0 ] && grep -q '^0 differences$' "$T/out" &&
		  { [ $ttbr1 = 0 ] || grep -q 'nothing per process to compare' "$T/out"; }; } >"$T/why"
		ok $? "$g: diff --task 1 --task $t2: exit 0 (exit $rc), 0 differences"
	fi
	run diff --task 1 --master "$f"
	nonshared=$(awk '/^task 1 /{t=1; next} t && /^taskend/{exit} t && $1 == "entry" && $6 != "SHARED" && $6 != "SAME"{n++} END{print n+0}' "$f")
	if [ $ttbr1 = 1 ]; then	# no entry lines: the tool must say there is nothing to compare
		{ [ $rc -eq 0 ] && [ $nonshared -eq 0 ] && grep -q '^0 differences$' "$T/out" &&
		  grep -q 'nothing per process to compare' "$T/out" && ! grep -q '^! ' "$T/out"; } >"$T/why"
		ok $? "$g: diff --task 1 --master: exit 0, nothing per process to compare (kernel_table ttbr1)"
	else
		{ [ $rc -eq $((nonshared > 0)) ] && [ "$(grep -c '^! ' "$T/out")" -eq "$nonshared" ] &&
		  grep -qE "^$nonshared differences?$" "$T/out"; } >"$T/why"
		ok $? "$g: diff --task 1 --master: the $nonshared entries that are not SHARED or SAME"
	fi
	run --json html "$f"
	python3 - "$T/out" "$f" "$ttbr1" >"$T/why" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["grid"]
want, tasks, mslots, sect, pgd = {}, 0, {"kernel": 0, "user": 0}, None, None
for l in open(sys.argv[2]):
    f = l.split()
    if l.startswith("section "):
        sect = f[1]
    elif sect == "master" and l.startswith("pgd "):
        pgd = f[1]
    elif sect == "master" and l.startswith("slot "):
        mslots[pgd] += 1
    elif sect == "dump" and l.startswith("task "):
        tasks += 1
    if l.startswith("entry kernel pgd ") and f[5] != "none":
        want[f[5]] = want.get(f[5], 0) + 1
got = {k: v for k, v in d["counts"].items() if v and k != "master"}
assert got == want, (got, want)
if sys.argv[3] == "1":   # ttbr1: no process cells at all (not empty ones); the master's slots
    assert want == {} and d["kernel_table"] == "ttbr1" and len(d["rows"]) == tasks > 0, d["rows"]
    assert all(r["cells"] is None for r in d["rows"]), d["rows"]
    assert len(d["columns"]) == mslots["kernel"] > 0, (len(d["columns"]), mslots)
    assert d["counts"]["master"] == mslots["kernel"] + mslots["user"], (d["counts"], mslots)
    assert d["master_rows"] == (["kernel", "user"] if mslots["user"] else ["kernel"])
else:
    assert want, "no kernel pgd entries"
EOF
	ok $? "$g: html --json: a coloured cell per top-level kernel entry, by class (ttbr1: the master's only)"
	run html "$f"
	{ [ $rc -eq 0 ] && grep -q '<div class="grid"' "$T/out" &&
	  ! grep -qiE '<script|<link|src=|https?:' "$T/out"; } >"$T/why"
	ok $? "$g: html: a self-contained page"
done

run diff "$F/x86_64-pti-on.snap" "$F/x86_64-pti-off.snap"
{ [ $rc -eq 1 ] && grep -q '^~ master changed: u_present 4 -> -,' "$T/out" &&
  grep -q '^per region:' "$T/out" && grep -qE '^[0-9]+ differences$' "$T/out"; } >"$T/why"
ok $? "diff PTI on vs off: exit 1, the user copy went, per-region counts"
run --json diff "$F/x86_64-pti-on.snap" "$F/x86_64-pti-off.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] and not d["same"] and d["differences"] == len(d["changes"]) > 0
# a change counts in every region it overlaps, once under null when none
assert sum(r["changes"] for r in d["regions"]) == \
    sum(max(1, len(c["regions"])) for c in d["changes"] if "regions" in c)
assert all(r["region"] is None or isinstance(r["region"], str) for r in d["regions"])
assert any(len(c.get("regions", [])) > 1 for c in d["changes"]), "no change spans regions"
' "$T/out" >"$T/why" 2>&1
ok $? "diff --json: valid, differences = number of changes, per-region counts count a change in each of its regions"

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

# COPY from a real kernel: Debian's 6.1 686-pae with PTI (recorded in the
# i386-pae-pti guest): every process has its own pmd table for the kernel's
# GiB, and one for its user-mode copy, holding the master's entries.
PAE=$F/i386-pae-pti.snap
run --json summary "$PAE"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"]["arch"] == "x86-pae" and d["source"]["isolation_on"], d["source"]
ps = d["processes"]
assert len(ps) >= 3, ps
for p in ps:
    assert (p["present"], p["copy"], p["u_present"], p["u_copy"], p["kpriv_pages"]) == (1, 1, 1, 1, 2), p
    assert p["shared"] == p["same"] == p["diff"] == p["missing"] == p["extra"] == 0, p
' "$T/out" >"$T/why" 2>&1
ok $(( $? || rc != 0 )) "i386-pae-pti (real COPY): every process: its one kernel slot and its user copy COPY, 2 private table pages"
run diff --task 1 --master "$PAE"
{ [ $rc -eq 1 ] && [ "$(grep -c '^! kernel pgd 0x00000000c0000000-0x00000000ffffffff .*: COPY process table ' "$T/out")" -eq 1 ] &&
  [ "$(grep -c '^! user pgd 0x00000000c0000000-0x00000000ffffffff .*: COPY process table ' "$T/out")" -eq 1 ] &&
  grep -q '^2 differences$' "$T/out"; } >"$T/why"
ok $? "i386-pae-pti: diff --task 1 --master: exit 1, the kernel GiB COPY in the pgd and in its user copy, nothing else"
run show --task 1 "$PAE"
{ [ $rc -eq 0 ] && grep -q '^  kernel pgd 0x00000000c0000000-0x00000000ffffffff 1 GiB COPY process table ' "$T/out" &&
  ! grep -q ' \(DIFF\|MISSING\|EXTRA\) ' "$T/out"; } >"$T/why"
ok $? "i386-pae-pti: show --task 1: the COPY slot, its pmd entries the master's (no DIFF, MISSING, EXTRA below it)"
run --json cost "$PAE"
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["cost"]
assert c["pgd_pages"] == 2 and c["entry_bytes"] == 8, c
for p in c["processes"]:
    assert p["kernel_private_bytes"] == 2 * 4096 and p["kernel_copy_bytes"] == 16, p
' "$T/out" >"$T/why" 2>&1
ok $(( $? || rc != 0 )) "i386-pae-pti: cost --json: 8 KiB of private kernel tables and 16 B of copied entries per process"

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

# Newer minor versions add lines and trailing fields: accepted. A 1.7 file
# has everything 1.1 has (kernel_table, user_slots), and more.
S11=$F/synthetic-x86_64-pti-1.1.snap
A64=$F/synthetic-arm64-kpti.snap
A64N=$F/synthetic-arm64-nokpti.snap
awk 'BEGIN{s=0} /^section summary /{s=1; print; next} s==1 && /^end /{print "newline kind 1"; s=2}
     s==1 && /^(mm|master) /{$0 = $0 " 42"} s==1 && /^columns /{$0 = $0 " newcol"}
     s==1 && /^kernel_table /{print "newheader 1"}
     s==1 && /^ptshare summary 1.1$/{$0 = "ptshare summary 1.7"} {print}' \
	"$S11" | python3 -c '
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
{ [ $rc -eq 0 ] && grep -q ' user_slots$' "$T/out"; } >"$T/why"
ok $? "a newer minor version (1.7) with unknown lines, columns and trailing fields is read"
sed 's/^ptshare summary 1.0$/ptshare summary 1.7/' "$F/x86_64-pti-on-1.0.snap" >"$T/minor-no-ktable.snap"
run summary "$T/minor-no-ktable.snap"
{ [ $rc -eq 1 ] && grep -q ":[0-9]*: header line 'region' where 'kernel_table' belongs" "$T/err"; } >"$T/why"
ok $? "a 1.7 file without the kernel_table line of 1.1 is refused"

# ---- format 1.1: kernel_table ttbr1 (arm64), user_slots, uslot lines, nested regions ----
run summary "$A64"
{ [ $rc -eq 0 ] && grep -q '^kernel table ttbr1: the kernel half is shared by a hardware register' "$T/out" &&
  grep -q 'TTBR1_EL1 points$' "$T/out" && grep -q 'pa 0x42c4e000, the master pgd' "$T/out" &&
  grep -q '^kind *tgid comm *threads present u_present pt_pages user_slots$' "$T/out" &&
  grep -qE '^master +0 - +0 +5 +1 +10 +-$' "$T/out" && grep -qE '^mm +91 worker +3 +- +- +12 +3$' "$T/out" &&
  ! grep -qE '^mm .* 0( |$)' "$T/out" && grep -q "^'-': with kernel_table ttbr1" "$T/out"; } >"$T/why"
ok $? "ttbr1 summary: says the kernel half is shared by TTBR1_EL1, '-' (never 0) for process counts, pt_pages and user_slots"
run --json summary "$A64"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"]["kernel_table"] == {"kind": "ttbr1", "pa": "0x42c4e000", "is_master": True}
assert d["source"]["format"] == "1.1" and d["source"]["isolation"] == "kpti"
m = d["master"]
assert m["present"] == 5 and m["u_present"] == 1 and m["user_slots"] is None and m["shared"] is None
assert [p["user_slots"] for p in d["processes"]] == [2, 2, 2, 3, 2]
assert all(p["present"] is None and p["shared"] is None and p["kpriv_pages"] is None
           for p in d["processes"])
' "$T/out" >"$T/why" 2>&1
ok $? "ttbr1 summary --json: kernel_table {kind, pa, is_master}, null counts, user_slots"
run summary "$A64N"
{ [ $rc -eq 0 ] && grep -q '^kind *tgid comm *threads present pt_pages user_slots$' "$T/out" &&
  ! grep -q 'trampoline' "$T/out"; } >"$T/why"
ok $? "ttbr1 without KPTI: no u_present column, no trampoline table"
run summary "$S11"
{ [ $rc -eq 0 ] && aligned "$T/out" && grep -q ' kpriv_pages user_slots$' "$T/out" &&
  grep -qE '^mm +99 ldt_sleeper .* 15 +3 +3$' "$T/out" && ! grep -q 'ttbr1' "$T/out"; } >"$T/why"
ok $? "1.1 pgd summary: a user_slots column"
run --json summary "$F/x86_64-pti-on-1.0.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"]["kernel_table"]["kind"] == "pgd" and d["source"]["format"] == "1.0"
assert all(p["user_slots"] is None for p in d["processes"])
' "$T/out" >"$T/why" 2>&1
ok $? "1.0 summary --json: kernel_table pgd (implicit), user_slots null"

run show --task 91 "$A64"
{ [ $rc -eq 0 ] && grep -q '^user half: 3 present top-level slots' "$T/out" &&
  grep -qE '^ +341 0x0000aa8000000000 0x0000aaffffffffff +512 GiB table 0x0000000046d11003 0x46d11000$' "$T/out" &&
  grep -q "^kernel half: no entries in this process's pgd" "$T/out" &&
  ! grep -q '^merged ranges' "$T/out"; } >"$T/why"
ok $? "ttbr1 show --task: the user-half slots, and no kernel-half entries, said plainly"
run --json show --task 91 "$A64"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [u["index"] for u in d["uslots"]] == [0, 341, 511] and d["entries"] == []
assert d["kernel_entries"] is False and d["uslots"][1]["pa"] == "0x46d11000"
assert d["uslots"][0]["size"] == 1 << 39 and d["uslots"][0]["kind"] == "table"
' "$T/out" >"$T/why" 2>&1
ok $? "ttbr1 show --task --json: uslots array, no entries"
run show --task 99 "$S11"
{ [ $rc -eq 0 ] && grep -q '^user half: 3 present' "$T/out" && grep -q '^merged ranges' "$T/out" &&
  grep -q ' EXTRA .*ldt-remap$' "$T/out"; } >"$T/why"
ok $? "1.1 pgd show --task: user-half slots, then the kernel half against the master"
run show --task 99 --region ldt-remap "$S11"
{ [ $rc -eq 0 ] && ! grep -q '^user half' "$T/out"; } >"$T/why"
ok $? "show --task --region: the user half (no region) is left out"

# Nested regions: the innermost one holding an address names it.
run --json show "$A64"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
reg = {r["start"]: r["region"] for s in d["slots"] for r in s["ranges"]}
assert reg["0xffffa3c5c0010000"] == "kernel-text"
assert reg["0xffffa3c5c0000000"] == "vmalloc" and reg["0xffffa3c5c1200000"] == "vmalloc"
assert reg["0xffffa3c5c4000000"] == "vmalloc" and reg["0xffff800080010000"] == "vmalloc"
assert reg["0xffff800000f40000"] == "modules"
user = [s for s in d["slots"] if s["pgd"] == "user"]
assert len(user) == 1 and user[0]["index"] == 511 and user[0]["ranges"][0]["region"] == "fixmap"
' "$T/out" >"$T/why" 2>&1
ok $? "nested regions: kernel-text inside vmalloc, vmalloc before and after it; the trampoline table"
run --json show "$A64N"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
reg = {r["start"]: r["region"] for s in d["slots"] for r in s["ranges"]}
assert reg["0xffff800080000000"] == "kernel-text" and reg["0xffff800081200000"] == "vmalloc"
' "$T/out" >"$T/why" 2>&1
ok $? "nested regions starting at one address: the inner one (listed second) holds it"
run show --region kernel-text "$A64"
{ [ $rc -eq 0 ] && [ "$(grep -c '^      0x' "$T/out")" -eq 1 ] && grep -q 'KPTI trampoline table' "$T/out"; } >"$T/why"
ok $? "show --region kernel-text: its one range"
run --json show "$F/arm-lpae.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
reg = {r["start"]: r["region"] for s in d["slots"] for r in s["ranges"]}
assert reg["0xff7da000"] == "vmalloc", reg["0xff7da000"]
' "$T/out" >"$T/why" 2>&1
ok $? "ARM LPAE (1.0): a vmalloc range after pci-io (nested in vmalloc) is vmalloc's"

run cost "$A64"
{ [ $rc -eq 0 ] && grep -q '^answer: per process, none by construction' "$T/out" &&
  ! grep -q 'kernel_copy' "$T/out" && grep -qE '^ +91 worker +12 +48 KiB +3$' "$T/out" &&
  grep -q '^master: 10 table pages (40 KiB)' "$T/out"; } >"$T/why"
ok $? "ttbr1 cost: none per process by construction, the master's tables once"
run --json cost "$A64"
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["cost"]
assert c["kernel_table"] == "ttbr1" and c["pgd_pages"] == 1 and c["master_pgd_pages"] == 2
assert c["master_pt_bytes"] == 40960
for p in c["processes"]:
    assert p["kernel_copy_bytes"] is None and p["shared_table_bytes"] is None
    assert p["pt_bytes"] == p["pt_pages"] * 4096 and p["user_slots"] >= 2
t = c["total"]
assert t["kernel_copy_bytes"] is None and t["private_percent"] is None and t["pt_bytes"] == 184 * 1024
' "$T/out" >"$T/why" 2>&1
ok $? "ttbr1 cost --json: null kernel-half figures, not zeros"

run html "$A64"
{ [ $rc -eq 0 ] && grep -q 'id="ttbr1"' "$T/out" && [ "$(grep -o 'class="hw"' "$T/out" | wc -l)" -eq 5 ] &&
  [ "$(grep -o 'class="c k' "$T/out" | wc -l)" -eq 10 ] && grep -q '>trampoline<' "$T/out" &&
  grep -q 'costs nothing by construction' "$T/out"; } >"$T/why"
ok $? "ttbr1 html: a note, one band per process (no class cells), master and trampoline rows"
run --json html "$A64"
python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))["grid"]
assert g["kernel_table"] == "ttbr1" and g["master_rows"] == ["kernel", "user"]
assert all(r["cells"] is None for r in g["rows"]) and g["counts"]["master"] == 6
assert [c["master_user"] for c in g["columns"]] == [False] * 4 + [True]
' "$T/out" >"$T/why" 2>&1
ok $? "ttbr1 html --json: rows without cells, master and trampoline rows"

python3 "$here/edit-snapshot.py" "$A64" dump \
	--sub "uslot 341 0xaa8000000000 0xaaffffffffff table 0x46a10003 0x46a10000" \
	      "uslot 341 0xaa8000000000 0xaaffffffffff table 0x46a20003 0x46a20000" \
	--delete "uslot 0 0x0 0x7fffffffff table 0x46d10003 0x46d10000" >"$T/a64-v1.snap"
run diff "$A64" "$T/a64-v1.snap"
{ [ $rc -eq 0 ] && grep -q '^0 differences$' "$T/out" &&
  grep -q '^(and 2 user-half slot changes, not counted' "$T/out"; } >"$T/why"
ok $? "diff A B: user-half slot changes are counted apart, exit 0"
run diff --user-slots "$A64" "$T/a64-v1.snap"
{ [ $rc -eq 1 ] && grep -q '^~ uslot 341 0x0000aa8000000000-0x0000aaffffffffff: table 0x46a10003 pa 0x46a10000 -> table 0x46a20003 pa 0x46a20000  \[task 84 sh\]$' "$T/out" &&
  grep -q '^- uslot 0 .*\[task 91 worker\]$' "$T/out" && grep -q '^2 differences$' "$T/out" &&
  grep -q '^  (user half) *2$' "$T/out"; } >"$T/why"
ok $? "diff --user-slots A B: they are listed and counted, exit 1"
run --json diff "$A64" "$T/a64-v1.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["same"] and d["user_slot_changes"] == 2 and not d["user_slots_listed"] and not d["changes"]
' "$T/out" >"$T/why" 2>&1
ok $? "diff --json: user_slot_changes, user_slots_listed"
run diff --task 1 --task 91 "$A64"
{ [ $rc -eq 0 ] && grep -q '^(kernel_table ttbr1: ' "$T/out" && grep -q '^0 differences$' "$T/out"; } >"$T/why"
ok $? "ttbr1 diff --task P --task Q: nothing per process to compare, said so, exit 0"
run --json diff --user-slots --task 1 --task 91 "$A64"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["differences"] == 3 and {c["what"] for c in d["changes"]} == {"uslot"}
assert [c["change"] for c in d["changes"]] == ["appeared", "changed", "changed"]
' "$T/out" >"$T/why" 2>&1
ok $(( $? || rc != 1 )) "diff --user-slots --task P --task Q --json: uslot changes, exit 1"
run diff --user-slots --task 1 --master "$A64"
ok $((rc != 2)) "diff --user-slots --master: usage error (the master has no user half)"
run diff "$A64" "$A64N"
{ [ $rc -eq 1 ] && grep -q '^~ master changed: present 5 -> 4, u_present 1 -> -, pt_pages 10 -> 8$' "$T/out"; } >"$T/why"
ok $? "diff: a count that became '-' is a change, shown as '-'"
python3 "$here/edit-snapshot.py" "$S11" summary \
	--sub "mm 94 sh 1 6 6 0 0 0 0 0 4 4 0 0 0 0 0 11 0 2" "mm 94 sh 1 6 6 0 0 0 0 0 - - - - - - - 11 0 3" \
	>"$T/s11-v1.snap"
run diff "$S11" "$T/s11-v1.snap"
{ [ $rc -eq 1 ] && grep -q '^~ process 94 sh changed: u_present 4 -> -, u_shared 4 -> -, .*, user_slots 2 -> 3$' "$T/out" &&
  ! grep -q 'process 1 \|process 93 \|process 99 ' "$T/out"; } >"$T/why"
ok $? "diff: summary rows of undumped processes, '-' against numbers, user_slots"
python3 "$here/edit-snapshot.py" "$A64" dump \
	--after "uslot 341 0xaa8000000000 0xaaffffffffff table 0x45f30003 0x45f30000" "error -14 0xff8000000000" \
	>"$T/a64-uerr.snap"
run show --task 1 "$T/a64-uerr.snap"
{ [ $rc -eq 1 ] && grep -q 'INCOMPLETE: the module could not read some of its tables' "$T/out"; } >"$T/why"
ok $? "an error line among uslot lines: the task is INCOMPLETE, exit 1"

# ---- format 1.2: alias and repeat lines in master, taskend exec ----
S12=$F/synthetic-x86_64-pti-1.2.snap
run show "$S12"
{ [ $rc -eq 0 ] && grep -q '^listed once (format 1.2): 3 alias runs ' "$T/out" &&
  grep -q '^and 4 repeated tables ' "$T/out" &&
  grep -qE '^ +kernel 0xffffd2d180200000 0xffffd2d1805fffff +4 MiB pte +ro,NX +1 vmalloc  alias: every page maps frame 0x3a200000$' "$T/out" &&
  grep -qE '^ +kernel 0xffffff0000008000 0xffffff0000008fff +4 KiB pte +RW,GLB,NX +1 espfix$' "$T/out" &&
  grep -qE '^ +0xffffff0000000000-0xffffff0000007fff +32 KiB pte RW,GLB,NX pa 0x37f20000 alias: every page maps this frame$' "$T/out" &&
  grep -qE '^ +0xffffff0040000000-0xffffff00ffffffff +3 GiB pud repeat of table pa 0x37f15000: walked before, not again$' "$T/out" &&
  [ "$(sed -n '/^repeated tables/,/^$/p' "$T/out" | grep -c '^  \(kernel\|user\) ')" -eq 4 ] &&
  ! grep -q 'repeat.* pa 0x37f1[56]000 *[0-9]* espfix  alias' "$T/out"; } >"$T/why"
ok $? "1.2 show: alias runs kept apart and marked, repeated tables listed once, counted in the header"
run --json show "$S12"
python3 - "$T/out" >"$T/why" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"]["format"] == "1.2" and d["alias_lines"] == 3 and d["repeat_lines"] == 4, d
rs = [r for s in d["slots"] for r in s["ranges"]]
kinds = [r["type"] for r in rs]
assert kinds.count("alias") == 3 and kinds.count("repeat") == 4 and "range" in kinds, kinds
for r in rs:
    if r["type"] == "repeat":
        assert r["flags"] is None and r["pa"] is None and r["raw"] is None, r
        assert r["table_pa"] in ("0x37f15000", "0x37f16000"), r
    elif r["type"] == "alias":
        assert r["flags"] and r["pa"].startswith("0x") and r["table_pa"] is None, r
    else:
        assert r["table_pa"] is None, r
a = [m for m in d["merged"] if m["kind"] == "alias"]
assert len(a) == 3 and {m["alias_pa"] for m in a} == {"0x3a200000", "0x37f20000"}, a
assert all(m["alias_pa"] is None for m in d["merged"] if m["kind"] == "range")
assert [(r["pgd"], r["levels"], r["table_pa"]) for r in d["repeats"]] == [
    ("kernel", "pmd", "0x37f16000"), ("kernel", "pud", "0x37f15000"),
    ("user", "pmd", "0x37f16000"), ("user", "pud", "0x37f15000")], d["repeats"]
assert d["repeats"][1]["size"] == 3 << 30
EOF
ok $? "1.2 show --json: type alias/repeat, table_pa, merged kind and alias_pa, repeats, line counts"
run --json show "$S11"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["alias_lines"] is None and d["repeat_lines"] is None and d["repeats"] is None
assert {m["kind"] for m in d["merged"]} == {"range"}
' "$T/out" >"$T/why" 2>&1
ok $? "1.1 show --json: alias_lines, repeat_lines and repeats are null (the format has none), not 0"
run show --level pmd --region espfix "$S12"
{ [ $rc -eq 0 ] && grep -q 'pmd repeat of table pa 0x37f16000' "$T/out" && ! grep -q 'alias:' "$T/out" &&
  ! grep -q 'pud repeat' "$T/out"; } >"$T/why"
ok $? "1.2 show --level pmd: a repeat is at the level of its entries"
run show --level pte --region vmalloc "$S12"
{ [ $rc -eq 0 ] && grep -q '4 MiB pte ro,NX pa 0x3a200000 alias' "$T/out" && ! grep -q 'repeat of' "$T/out"; } >"$T/why"
ok $? "1.2 show --level pte: an alias spanning two pmd entries is at the level of its leaves"
python3 "$here/edit-snapshot.py" "$S12" master \
	--sub "alias 0xffffd2d180200000 0xffffd2d1805fffff 0x400000 pte ro,NX 0x3a200000" \
	      "alias 0xffffd2d180200000 0xffffd2d1805fffff 0x400000 pte ro,NX 0x3a300000" \
	--sub "range 0xffffff0000008000 0xffffff0000008fff 0x1000 pte RW,GLB,NX 0x37f21000" \
	      "alias 0xffffff0000008000 0xffffff0000008fff 0x1000 pte RW,GLB,NX 0x37f21000" \
	--sub "repeat 0xffffff0040000000 0xffffff00ffffffff 0xc0000000 pud 0x37f15000" \
	      "range 0xffffff0040000000 0xffffff00ffffffff 0xc0000000 pud RW,NX 0x37f15000" >"$T/s12-v1.snap"
run diff "$S12" "$T/s12-v1.snap"
{ [ $rc -eq 1 ] && grep -q '^3 differences$' "$T/out" &&
  grep -q '^~ master kernel range 0xffffd2d180200000 vmalloc: 0xffffd2d1805fffff 4 MiB pte alias ro,NX pa 0x3a200000 -> 0xffffd2d1805fffff 4 MiB pte alias ro,NX pa 0x3a300000$' "$T/out" &&
  grep -q '^~ master kernel range 0xffffff0000008000 espfix: 0xffffff0000008fff 4 KiB pte RW,GLB,NX pa 0x37f21000 -> 0xffffff0000008fff 4 KiB pte alias RW,GLB,NX pa 0x37f21000$' "$T/out" &&
  grep -q '^~ master kernel range 0xffffff0040000000 espfix: 0xffffff00ffffffff 3 GiB pud repeat of table pa 0x37f15000 -> 0xffffff00ffffffff 3 GiB pud RW,NX pa 0x37f15000$' "$T/out" &&
  ! grep -q '^(format ' "$T/out"; } >"$T/why"
ok $? "1.2 diff A B: alias and repeat lines compare like ranges, with their kind"
run --json diff "$S12" "$T/s12-v1.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_note"] is None and d["differences"] == 3
k = [(c["old"]["kind"], c["new"]["kind"]) for c in d["changes"]]
assert k == [("alias", "alias"), ("range", "alias"), ("repeat", "range")], k
r = d["changes"][2]
assert r["old"]["table_pa"] == "0x37f15000" and r["old"]["pa"] is None and r["old"]["flags"] is None
assert r["new"]["table_pa"] is None and r["new"]["pa"] == "0x37f15000"
' "$T/out" >"$T/why" 2>&1
ok $? "1.2 diff --json: old and new kind, a repeat's table_pa"
run diff "$S11" "$S12"
{ [ $rc -eq 1 ] && grep -q '^(format 1.1 -> 1.2: from 1.2 on the master.s pt_pages and kpriv_pages count each table page once' "$T/out" &&
  grep -q '^+ master kernel range 0xffffff0000200000 espfix: 0xffffff003fffffff 1022 MiB pmd repeat of table pa 0x37f16000$' "$T/out"; } >"$T/why"
ok $? "diff 1.1 A against 1.2 B: says which changes the format can explain"
run --json diff "$S11" "$S12"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_note"].startswith("format 1.1 -> 1.2: ")
' "$T/out" >"$T/why" 2>&1
ok $? "diff --json 1.1 against 1.2: format_note"
run --json html "$S12"
python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))["grid"]
c = {x["slot"]: (x["master_alias"], x["master_repeat"]) for x in g["columns"]}
assert c[510] == (1, 2) and c[511] == (0, 0), c
assert all(r["end"] == "ok" for r in g["rows"])
' "$T/out" >"$T/why" 2>&1
ok $? "1.2 html --json: alias and repeat lines per master column"
run html "$S12"
{ [ $rc -eq 0 ] && grep -q '<span>master: 3 alias runs, 4 repeated tables (listed once' "$T/out" &&
  grep -q 'title="master slot 510&#10;[^"]*&#10;1 alias run: one frame mapped at every address&#10;2 repeated tables: ' "$T/out"; } >"$T/why"
ok $? "1.2 html: the legend counts alias runs and repeated tables, the master cell says them"
run --json html "$S11"
python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))["grid"]
assert all(x["master_alias"] is None and x["master_repeat"] is None for x in g["columns"])
' "$T/out" >"$T/why" 2>&1
ok $? "1.1 html --json: master_alias and master_repeat null"

# taskend exec (1.2): incomplete, and said to be exec, not exited
python3 "$here/edit-snapshot.py" "$S12" dump --sub "taskend 93 ok" "taskend 93 exec" >"$T/exec.snap"
run show --task 93 "$T/exec.snap"
{ [ $rc -eq 1 ] && grep -q ': INCOMPLETE: it called exec while it was dumped (the mm being dumped went;' "$T/out" &&
  ! grep -q 'exited' "$T/out"; } >"$T/why"
ok $? "1.2 show of a task that called exec while dumped: INCOMPLETE, exec (not exited), exit 1"
run --json show --task 93 "$T/exec.snap"
python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["task"]
assert t["end"] == "exec" and t["complete"] is False and t["state"] == "ok", t
' "$T/out" >"$T/why" 2>&1
ok $(( $? || rc != 1 )) "1.2 show --json: end exec, complete false"
run html "$T/exec.snap"
{ [ $rc -eq 1 ] && grep -q 'title="sleep: incomplete: called exec while it was dumped: the mm being dumped went">93 sleep (incomplete)<' "$T/out"; } >"$T/why"
ok $? "1.2 html: the exec task is marked incomplete, its title says exec, exit 1"
run --json html "$T/exec.snap"
python3 -c '
import json, sys
r = {x["tgid"]: x for x in json.load(open(sys.argv[1]))["grid"]["rows"]}
assert r[93]["end"] == "exec" and not r[93]["complete"] and r[1]["end"] == "ok"
' "$T/out" >"$T/why" 2>&1
ok $? "1.2 html --json: rows[].end exec"
run diff --task 93 --master "$T/exec.snap"
ok $((rc != 2)) "1.2 diff --task of a task that called exec while dumped: exit 2"
run diff "$S12" "$T/exec.snap"
{ [ $rc -eq 1 ] && grep -q '^~ task 93 sleep changed: now incomplete$' "$T/out"; } >"$T/why"
ok $? "1.2 diff A B: a task whose dump an exec cut short is now incomplete"

run cost "$S11"
{ [ $rc -eq 0 ] && grep -q '^(format 1.1: the master.s pt_pages and kpriv_pages count a table page once per entry' "$T/out"; } >"$T/why"
ok $? "cost of a 1.1 file: says its master pt_pages and kpriv_pages may count a page more than once"
run cost "$S12"
{ [ $rc -eq 0 ] && ! grep -q '^(format ' "$T/out"; } >"$T/why"
ok $? "cost of a 1.2 file: no such note"
run --json cost "$S12"
c12=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["cost"]["pages_distinct"])' "$T/out")
run --json cost "$S11"
c11=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["cost"]["pages_distinct"])' "$T/out")
echo "pages_distinct: 1.2 $c12, 1.1 $c11" >"$T/why"
[ "$c12/$c11" = "True/False" ]
ok $? "cost --json: pages_distinct true for 1.2, false for 1.1"
run --version
{ [ $rc -eq 0 ] && grep -q '^ptshare (module format 1.4, ' "$T/out"; } >"$T/why"
ok $? "--version: module format 1.4"

# A newer minor version (1.9) may add fields to alias and repeat lines, line kinds and taskend states stay strict.
sed 's/^\(ptshare [a-z]*\) 1\.2$/\1 1.9/; s/^format 1\.2$/format 1.9/' "$S12" >"$T/s13.snap"
python3 "$here/edit-snapshot.py" "$T/s13.snap" master \
	--sub "alias 0xffffd2d180200000 0xffffd2d1805fffff 0x400000 pte ro,NX 0x3a200000" \
	      "alias 0xffffd2d180200000 0xffffd2d1805fffff 0x400000 pte ro,NX 0x3a200000 newfield" \
	--sub "repeat 0xffffff0040000000 0xffffff00ffffffff 0xc0000000 pud 0x37f15000" \
	      "repeat 0xffffff0040000000 0xffffff00ffffffff 0xc0000000 pud 0x37f15000 newfield" \
	--before-end "newkind 0xffffff0000000000 1" >"$T/s13a.snap"
python3 "$here/edit-snapshot.py" "$T/s13a.snap" dump --sub "taskend 93 ok" "taskend 93 exec" >"$T/s13b.snap"
run --json show "$T/s13b.snap"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"]["format"] == "1.9" and d["alias_lines"] == 3 and d["repeat_lines"] == 4, d
' "$T/out" >"$T/why" 2>&1
ok $(( $? || rc != 0 )) "1.9: alias and repeat lines with trailing fields, an unknown line kind: read"
run show --task 93 "$T/s13b.snap"
{ [ $rc -eq 1 ] && grep -q 'INCOMPLETE: it called exec while it was dumped' "$T/out"; } >"$T/why"
ok $? "1.9: taskend exec is read as in 1.2"

# ---- format 1.3: descend lines (frames that go down by one entry each) ----
S13=$F/synthetic-arm64-1.3.snap
run show "$S13"
{ [ $rc -eq 0 ] &&
  grep -qE '^ +0xffff800084010000-0xffff800084017fff +32 KiB pte RW,UXN,PXN,S pa 0x7b2f7000 descend: each next entry maps the frame below$' "$T/out" &&
  grep -qE '^ +0xffff800086000000-0xffff8000865fffff +6 MiB pmd RW,UXN,PXN,S pa 0x7d400000 descend: ' "$T/out" &&
  grep -qE '^ +kernel 0xffff800084010000 0xffff800084018fff +36 KiB pte +RW,UXN,PXN,S +2 vmalloc$' "$T/out"; } >"$T/why"
ok $? "1.3 show: descend lines marked in the tree, merged with a range that follows in the VA"
run --json show "$S13"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rs = [r for s in d["slots"] for r in s["ranges"] if r["type"] == "descend"]
assert [(r["start"], r["size"], r["level"], r["pa"], r["flags"]) for r in rs] == [
    ("0xffff800084010000", 0x8000, "pte", "0x7b2f7000", "RW,UXN,PXN,S"),
    ("0xffff800086000000", 0x600000, "pmd", "0x7d400000", "RW,UXN,PXN,S")], rs
m = [m for m in d["merged"] if m["start"] == "0xffff800084010000"]
assert len(m) == 1 and m[0]["kind"] == "range" and m[0]["lines"] == 2 and m[0]["size"] == 0x9000, m
' "$T/out" >"$T/why" 2>&1
ok $(( $? || rc != 0 )) "1.3 show --json: type descend with its pa and flags; a merged row is of kind range"
DS="descend 0xffff800084010000 0xffff800084017fff 0x8000 pte RW,UXN,PXN,S 0x7b2f7000"
python3 "$here/edit-snapshot.py" "$S13" master --sub "$DS" "${DS/ 0x7b2f7000/ 0x7b2f8000}" >"$T/s13-v1.snap"
run diff "$S13" "$T/s13-v1.snap"
{ [ $rc -eq 1 ] && grep -q '^1 difference' "$T/out" &&
  grep -q '^~ master kernel range 0xffff800084010000 vmalloc: 0xffff800084017fff 32 KiB pte descend RW,UXN,PXN,S pa 0x7b2f7000 -> 0xffff800084017fff 32 KiB pte descend RW,UXN,PXN,S pa 0x7b2f8000$' "$T/out"; } >"$T/why"
ok $? "1.3 diff A B: a descend line that changed is shown with its kind"
python3 "$here/edit-snapshot.py" "$T/s13.snap" master \
	--sub "repeat 0xffffff0040000000 0xffffff00ffffffff 0xc0000000 pud 0x37f15000" \
	      "repeat 0xffffff0040000000 0xffffff00ffffffff 0xc0000000 pud" >"$T/s13-short.snap"
run show "$T/s13-short.snap"
{ [ $rc -eq 1 ] && grep -q ':[0-9]*: repeat line has 5 fields, expected 6$' "$T/err"; } >"$T/why"
ok $? "1.3: a repeat line missing its table pa is refused all the same"

# ---- crafted bad inputs: clean failure, FILE:LINE, no report ----
mkdir -p "$T/bad"
# the format 1.0 recording: the crafted bad inputs below are edits of its lines
base=$F/x86_64-pti-on-1.0.snap
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
# Format 1.1: kernel_table, the summary's '-' counts and user_slots, uslot lines, regions.
E=$here/edit-snapshot.py
U1="uslot 341 0xaa8000000000 0xaaffffffffff table 0x45f30003 0x45f30000"
U2="uslot 511 0xff8000000000 0xffffffffffff table 0x45f38003 0x45f38000"
X1="uslot 0 0x0 0x7fffffffff table 0x1071067 0x1071000"
X2="uslot 170 0x550000000000 0x557fffffffff table 0x10a0067 0x10a0000"
python3 "$E" "$S11" summary --sub "mm 93 sleep 1 6 6 0 0 0 0 0 4 4 0 0 0 0 0 12 0 3" \
	"mm 93 sleep 1 6 - 0 0 0 0 0 4 4 0 0 0 0 0 12 0 3" >"$T/bad/v11-pgd-dash-class-count.snap"
python3 "$E" "$S11" summary --sub "mm 93 sleep 1 6 6 0 0 0 0 0 4 4 0 0 0 0 0 12 0 3" \
	"mm 93 sleep 1 - - - - - - - - - - - - - - 12 - 3" >"$T/bad/v11-pgd-ttbr1-style-row.snap"
python3 "$E" "$S11" summary --sub "mm 93 sleep 1 6 6 0 0 0 0 0 4 4 0 0 0 0 0 12 0 3" \
	"mm 93 sleep 1 6 6 0 0 0 0 0 4 4 0 0 0 0 0 12 0 -" >"$T/bad/v11-dash-user-slots.snap"
python3 "$E" "$S11" summary --sub "mm 93 sleep 1 6 6 0 0 0 0 0 4 4 0 0 0 0 0 12 0 3" \
	"mm 93 sleep 1 6 6 0 0 0 0 0 4 4 0 0 0 0 0 12 0" >"$T/bad/v11-row-without-user-slots.snap"
python3 "$E" "$S11" summary --sub "master 0 - 0 6 - - - - - - 4 - - - - - - 24 - -" \
	"master 0 - 0 6 - - - - - - 4 - - - - - - 24 - 0" >"$T/bad/v11-master-user-slots-number.snap"
python3 "$E" "$S11" summary --sub "$(grep -m1 '^columns ' "$S11")" \
	"$(grep -m1 '^columns ' "$S11" | sed 's/ user_slots$//')" >"$T/bad/v11-columns-of-1.0.snap"
python3 "$E" "$S11" summary --delete "kernel_table pgd -" >"$T/bad/v11-no-kernel-table.snap"
python3 "$E" "$A64" dump --delete "kernel_table ttbr1 0x42c4e000" >"$T/bad/v11-dump-no-kernel-table.snap"
python3 "$E" "$A64" master --sub "kernel_table ttbr1 0x42c4e000" "kernel_table ttbr1 0x42c4f000" \
	>"$T/bad/v11-kernel-table-pa-mismatch.snap"
python3 "$E" "$A64" dump --sub "kernel_table ttbr1 0x42c4e000" "kernel_table pgd -" \
	>"$T/bad/v11-kernel-table-kind-mismatch.snap"
python3 "$E" "$A64" summary --sub "kernel_table ttbr1 0x42c4e000" "kernel_table ttbr0 0x42c4e000" \
	>"$T/bad/v11-kernel-table-unknown-kind.snap"
python3 "$E" "$A64" summary --sub "kernel_table ttbr1 0x42c4e000" "kernel_table ttbr1 -" \
	>"$T/bad/v11-kernel-table-ttbr1-without-pa.snap"
python3 "$E" "$S11" summary --sub "kernel_table pgd -" "kernel_table pgd 0x1000" \
	>"$T/bad/v11-kernel-table-pgd-with-pa.snap"
python3 "$E" "$base" summary --after "isolation pti on" "kernel_table pgd -" >"$T/bad/v10-with-kernel-table.snap"
python3 "$E" "$A64" summary --sub "mm 90 sleep 1 - - - - - - - - - - - - - - 8 - 2" \
	"mm 90 sleep 1 2 - - - - - - - - - - - - - 8 - 2" >"$T/bad/v11-ttbr1-present-number.snap"
python3 "$E" "$A64" summary --sub "mm 90 sleep 1 - - - - - - - - - - - - - - 8 - 2" \
	"mm 90 sleep 1 - - - - - - - - - - - - - - 8 0 2" >"$T/bad/v11-ttbr1-kpriv-zero.snap"
python3 "$E" "$A64" dump --after "$U2" \
	"entry kernel pgd 0xffff000000000000 0xffff007fffffffff SHARED table 0x7fff1003 0x7fff1000 table 0x7fff1003 0x7fff1000 linear-map" \
	>"$T/bad/v11-ttbr1-entry-line.snap"
python3 "$E" "$A64" dump --sub "$U1" "${U1/ table / none }" >"$T/bad/v11-uslot-kind-none.snap"
python3 "$E" "$A64" dump --sub "$U1" "${U1% *} -" >"$T/bad/v11-uslot-table-without-pa.snap"
python3 "$E" "$A64" dump --sub "$U1" "${U1/ table / bad }" >"$T/bad/v11-uslot-bad-with-pa.snap"
python3 "$E" "$A64" dump --sub "$U1" "${U1/0x45f30003/45f30003}" >"$T/bad/v11-uslot-raw-not-hex.snap"
python3 "$E" "$A64" dump --sub "$U1" "${U1% *}" >"$T/bad/v11-uslot-6-fields.snap"
python3 "$E" "$A64" dump --sub "$U1" "${U1/uslot 341 /uslot 342 }" >"$T/bad/v11-uslot-wrong-index.snap"
python3 "$E" "$A64" dump --sub "$U1" "${U1/uslot 341 /uslot 4096 }" >"$T/bad/v11-uslot-index-too-big.snap"
python3 "$E" "$A64" dump --sub "$U1" \
	"uslot 0 0xffff000000000000 0xffff007fffffffff table 0x45f30003 0x45f30000" >"$T/bad/v11-uslot-in-kernel-half.snap"
python3 "$E" "$A64" dump --delete "$U1" --after "$U2" "$U1" >"$T/bad/v11-uslot-order.snap"
python3 "$E" "$A64" dump --after "selection all" "$U1" >"$T/bad/v11-uslot-outside-task.snap"
python3 "$E" "$S11" dump --delete "$X1" --before-end "$X1" >"$T/bad/v11-uslot-after-end.snap"
python3 "$E" "$S11" dump --delete "$X2" \
	--after "entry kernel pgd 0xffff8d0000000000 0xffff8d7fffffffff SHARED table 0x39001067 0x39001000 table 0x39001067 0x39001000 -" "$X2" \
	>"$T/bad/v11-uslot-after-entries.snap"
python3 "$E" "$base" dump --after "task 1 init 1 0x106e000 0x106f000 ok" \
	"uslot 0 0x0 0x7fffffffff table 0x1071067 0x1071000" >"$T/bad/v10-with-uslot.snap"
python3 "$E" "$A64N" summary --delete "region 0xffff800080000000 0xfffffbffefffffff vmalloc" \
	--after "region 0xffff800080000000 0xffff8000811fffff kernel-text" \
	"region 0xffff800080000000 0xfffffbffefffffff vmalloc" >"$T/bad/v11-region-inner-first.snap"
python3 "$E" "$A64" summary --sub "region 0xffff800080000000 0xfffffbffefffffff vmalloc" \
	"region 0xffffa3c5c1000000 0xfffffbffefffffff vmalloc" >"$T/bad/v11-region-order.snap"
# Format 1.3: descend lines; not in a 1.2 file, at least two whole entries.
DS="descend 0xffff800084010000 0xffff800084017fff 0x8000 pte RW,UXN,PXN,S 0x7b2f7000"
S13=$F/synthetic-arm64-1.3.snap
sed 's/^\(ptshare [a-z]*\) 1\.3$/\1 1.2/; s/^format 1\.3$/format 1.2/' "$S13" >"$T/bad/v12-descend-line.snap"
python3 "$E" "$S13" master --sub "$DS" \
	"descend 0xffff800084010000 0xffff800084010fff 0x1000 pte RW,UXN,PXN,S 0x7b2f7000" >"$T/bad/v13-descend-one-entry.snap"
python3 "$E" "$S13" master --sub "$DS" "${DS% *}" >"$T/bad/v13-descend-6-fields.snap"
python3 "$E" "$S13" master --sub "$DS" "${DS/ 0x8000 / 0x9000 }" >"$T/bad/v13-descend-size-mismatch.snap"
# Format 1.2: alias and repeat lines, taskend exec; none of them in a 1.1 file.
AL="alias 0xffffff0000000000 0xffffff0000007fff 0x8000 pte RW,GLB,NX 0x37f20000"
RP="repeat 0xffffff0000200000 0xffffff003fffffff 0x3fe00000 pmd 0x37f16000"
SL510="slot 510 0xffffff0000000000 0xffffff7fffffffff table 0x37f14067 0x37f14000 RW,USR,x"
python3 "$E" "$S11" master --after "$SL510" "$AL" >"$T/bad/v11-alias-line.snap"
python3 "$E" "$S11" master --after "$SL510" "$RP" >"$T/bad/v11-repeat-line.snap"
python3 "$E" "$S11" dump --sub "taskend 93 ok" "taskend 93 exec" >"$T/bad/v11-taskend-exec.snap"
python3 "$E" "$S12" master --sub "$AL" "${AL% *}" >"$T/bad/v12-alias-6-fields.snap"
python3 "$E" "$S12" master --sub "$AL" "$AL 0x1" >"$T/bad/v12-alias-8-fields.snap"
python3 "$E" "$S12" master --sub "$RP" "${RP/ pmd / pmd RW,NX }" >"$T/bad/v12-repeat-with-flags.snap"
python3 "$E" "$S12" master --sub "$RP" "${RP% *}" >"$T/bad/v12-repeat-5-fields.snap"
python3 "$E" "$S12" master --sub "$AL" "${AL/ 0x8000 / 0x9000 }" >"$T/bad/v12-alias-size-mismatch.snap"
python3 "$E" "$S12" master --sub "$AL" "${AL/ pte / ptx }" >"$T/bad/v12-alias-unknown-level.snap"
python3 "$E" "$S12" master --sub "$AL" \
	"alias 0xffffff0000000000 0xffffff7fffffffff 0x8000000000 p4d RW,GLB,NX 0x37f20000" >"$T/bad/v12-alias-folded-level.snap"
python3 "$E" "$S12" master --sub "$AL" \
	"alias 0xffffff0000000800 0xffffff0000007fff 0x7800 pte RW,GLB,NX 0x37f20000" >"$T/bad/v12-alias-part-of-a-page.snap"
python3 "$E" "$S12" master --sub "$AL" \
	"alias 0xfffffe8000000000 0xffffff7fffffffff 0x10000000000 pmd RW,GLB,NX 0x37f20000" >"$T/bad/v12-alias-two-slots.snap"
python3 "$E" "$S12" master --sub "$AL" "${AL/0x37f20000/37f20000}" >"$T/bad/v12-alias-pa-not-hex.snap"
python3 "$E" "$S12" master --sub "$RP" \
	"repeat 0xffffff0000200000 0xffffff0000200fff 0x1000 pte 0x37f16000" >"$T/bad/v12-repeat-pte-level.snap"
python3 "$E" "$S12" master --sub "$RP" \
	"repeat 0xffffff0000201000 0xffffff003fffffff 0x3fdff000 pmd 0x37f16000" >"$T/bad/v12-repeat-part-of-an-entry.snap"
python3 "$E" "$S12" master --sub "$RP" "${RP/0x37f16000/-}" >"$T/bad/v12-repeat-pa-dash.snap"
python3 "$E" "$S12" master --sub "$RP" "${RP/0x3fe00000/0x3fe00001}" >"$T/bad/v12-repeat-size-mismatch.snap"
python3 "$E" "$S12" master --sub "$RP" "repeat 0x200000 0x3fffffff 0x3fe00000 pmd 0x37f16000" >"$T/bad/v12-repeat-user-half.snap"
python3 "$E" "$S12" dump --sub "taskend 93 ok" "taskend 93 execd" >"$T/bad/v12-taskend-unknown.snap"
python3 "$E" "$S12" dump --sub "taskend 93 ok" "taskend 93 exec 1" >"$T/bad/v12-taskend-3-fields.snap"
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
	# The message after "FILE:LINE: " must say it (the file names say "truncated" too).
	msg=$(sed -n "s|^ptshare: $f:[0-9]*: ||p" "$T/err")
	case $b in
	truncated-*) printf '%s\n' "$msg" | grep -qxE 'section [a-z]+: [0-9]+ lines announced, the file ends after [0-9]+: truncated|no "end" line: the snapshot is truncated' ;;
	no-end-line.snap) [ "$msg" = 'no "end" line: the snapshot is truncated' ] ;;
	bare-summary-truncated) [ "$msg" = 'no "end" line: the summary file is truncated' ] ;;
	esac || { echo "message '$msg' does not say the file is truncated"; bad=1; } >>"$T/why"
	case $b in
	major-*) grep -qE 'version [0-9.]+: this tool reads 1\.x' "$T/err" || { echo "no version message"; bad=1; } >>"$T/why" ;;
	esac
	ok $bad "bad input $b: exit 1 (diff 2), FILE:LINE, no report"
done
# bad_inputs CMD NAME:MESSAGE...: "ptshare CMD $T/bad/NAME.snap" must fail
# naming FILE:LINE and MESSAGE; prints each that did not, returns 1 if any.
bad_inputs() {
	local cmd=$1 m b bad=0

	shift
	for m in "$@"; do
		b=${m%%:*}
		"$PT" "$cmd" "$T/bad/$b.snap" >/dev/null 2>"$T/err"
		{ grep -qE "^ptshare: $T/bad/$b.snap:[0-9]+: " "$T/err" && grep -qF "${m#*:}" "$T/err"; } ||
			{ echo "$b: $(cat "$T/err")"; bad=1; }
	done
	return $bad
}
bad_inputs summary "v11-pgd-dash-class-count:process row with '-' for a class count (only kernel_table ttbr1 has none)" \
	"v11-no-kernel-table:header line 'region' where 'kernel_table' belongs" \
	"v11-kernel-table-pa-mismatch:the master file's kernel_table (ttbr1) does not match" \
	"v11-kernel-table-kind-mismatch:the dump file's kernel_table (pgd) does not match the first file's (ttbr1)" \
	"v11-ttbr1-present-number:with kernel_table ttbr1 a process has no kernel-half entries" \
	"v11-ttbr1-entry-line:entry line with kernel_table ttbr1" \
	"v11-uslot-kind-none:uslot kind 'none' is not table|leaf|bad" \
	"v11-uslot-after-entries:uslot after the task's entry lines" \
	"v10-with-uslot:unknown line 'uslot' in dump" \
	"v11-region-inner-first:regions not in address order" >"$T/why"
ok $? "format 1.1 bad inputs name the problem at FILE:LINE"
bad_inputs show "v11-alias-line:unknown line 'alias' in master" \
	"v11-repeat-line:unknown line 'repeat' in master" \
	"v11-taskend-exec:taskend state 'exec' is not ok|exited|skipped" \
	"v12-alias-6-fields:alias line has 6 fields, expected 7" \
	"v12-alias-8-fields:alias line has 8 fields, expected 7 (format 1.2)" \
	"v12-repeat-with-flags:repeat line has 7 fields, expected 6 (format 1.2)" \
	"v12-repeat-5-fields:repeat line has 5 fields, expected 6" \
	"v12-alias-size-mismatch:alias size 0x9000 does not match its bounds" \
	"v12-alias-unknown-level:unknown level 'ptx'" \
	"v12-alias-folded-level:alias at level p4d, which is folded" \
	"v12-alias-part-of-a-page:alias 0xffffff0000000800 0xffffff0000007fff does not cover whole pte entries" \
	"v12-alias-two-slots:alias spans more than one top-level slot" \
	"v12-alias-pa-not-hex:pa: '37f20000' is not a 0x number" \
	"v12-repeat-pte-level:repeat at level pte: entries of the lowest level point to no table" \
	"v12-repeat-part-of-an-entry:does not cover whole pmd entries" \
	"v12-repeat-pa-dash:repeat table pa: '-' is not a 0x number" \
	"v12-repeat-size-mismatch:repeat size 0x3fe00001 does not match its bounds" \
	"v12-repeat-user-half:is not in the kernel half" \
	"v12-taskend-unknown:taskend state 'execd' is not ok|exited|exec|skipped" \
	"v12-taskend-3-fields:taskend line has 4 fields, expected 3 (format 1.2)" >"$T/why"
ok $? "format 1.2 bad inputs (alias, repeat, taskend exec; them in 1.1) name the problem at FILE:LINE"
bad_inputs show "v12-descend-line:unknown line 'descend' in master" \
	"v13-descend-one-entry:descend at level pte: not two entries" \
	"v13-descend-6-fields:descend line has 6 fields, expected 7" \
	"v13-descend-size-mismatch:descend size 0x9000 does not match its bounds" >"$T/why"
ok $? "format 1.3 bad inputs (descend; it in 1.2) name the problem at FILE:LINE"
run summary /nonexistent/summary
{ [ $rc -eq 1 ] && grep -q '/nonexistent/summary' "$T/err"; } >"$T/why"
ok $? "missing file: exit 1, named"
# Input that is no report fails at its first line, before the rest is read:
# with at most 1 GB of address space (the plain build: ASan reserves more).
plain=$T/plain/ptshare
(ulimit -v 1000000; timeout 20 "$plain" summary /dev/zero) >/dev/null 2>"$T/err"
rc=$?
{ [ $rc -eq 1 ] && grep -qx 'ptshare: /dev/zero:1: a NUL byte: not a ptshare file' "$T/err" ||
	{ echo "rc $rc: $(cat "$T/err")"; false; }; } >"$T/why"
ok $? "summary /dev/zero under ulimit -v 1000000: exit 1 at once, a NUL byte"
(ulimit -v 1000000; tr '\0' a </dev/zero | timeout 20 "$plain" show -) >/dev/null 2>"$T/err"
rc=$?
{ [ $rc -eq 1 ] && grep -qx 'ptshare: (stdin):1: not a ptshare file (first line: "a\{40\}"...)' "$T/err" ||
	{ echo "rc $rc: $(cat "$T/err")"; false; }; } >"$T/why"
ok $? "an endless line on stdin: exit 1 at its first bytes"
# A report that does not end: read until memory runs out, then a message.
(ulimit -v 1000000; { echo "ptshare-snapshot 1.0"; tr '\0' a </dev/zero; } |
	timeout 60 "$plain" summary -) >/dev/null 2>"$T/err"
rc=$?
{ [ $rc -eq 1 ] && grep -qx 'ptshare: (stdin): read failed: out of memory' "$T/err" ||
	{ echo "rc $rc: $(cat "$T/err")"; false; }; } >"$T/why"
ok $? "an endless snapshot on stdin under ulimit -v 1000000: exit 1, out of memory, not killed"
sed 's/$/\r/' "$F/x86_64-pti-on.snap" >"$T/crlf.snap"
run summary "$T/crlf.snap"
{ [ $rc -eq 1 ] && grep -qF "$T/crlf.snap:1: CRLF line endings" "$T/err" || { cat "$T/err"; false; }; } >"$T/why"
ok $? "CRLF line endings: refused as such"
printf '\033[31mred\033[0m\n' >"$T/esc.snap"
run summary "$T/esc.snap"
{ [ $rc -eq 1 ] && grep -qF 'not a ptshare file (first line: "\033[31mred\033[0m")' "$T/err" &&
	! grep -q "$(printf '\033')" "$T/err" || { cat -v "$T/err"; false; }; } >"$T/why"
ok $? "control bytes of a bad first line reach the terminal as \\ooo escapes"
bad=0
for c in summary show cost html; do
	"$PT" "$c" "$F/x86_64-pti-on.snap" >"$T/file.out" 2>&1
	"$PT" "$c" - <"$F/x86_64-pti-on.snap" >"$T/stdin.out" 2>&1 || { echo "$c - failed"; bad=1; }
	sed "s|$F/x86_64-pti-on.snap|(stdin)|g" "$T/file.out" | cmp -s - "$T/stdin.out" ||
		{ echo "$c - differs from $c FILE"; bad=1; }
done >"$T/why"
run diff - "$F/x86_64-pti-on.snap" <"$F/x86_64-pti-on.snap"
{ [ $rc -eq 0 ] && grep -qx '0 differences' "$T/out" || { echo "diff - FILE: rc $rc"; bad=1; }
  run diff - - </dev/null
  [ $rc -eq 2 ] && grep -qF "only one of A and B can be standard input" "$T/err" ||
	{ echo "diff - -: rc $rc"; bad=1; }; } >>"$T/why"
ok $bad "'-' reads standard input (summary, show, cost, html, diff; not twice)"
# A regular file is read twice through a buffer of 256 KiB (checked, then
# parsed), standard input once and whole: both parse alike, a line longer than
# the buffer and a file cut past the buffer's first fill included.
python3 - "$F/x86_64-pti-on.snap" >"$T/long-comm.snap" <<'EOF'
import sys
done = False
for line in open(sys.argv[1]):
    if not done and line.startswith("task 1 "):
        f = line.split(" ")
        f[2] = "x" * 600000
        line, done = " ".join(f), True
    sys.stdout.write(line)
EOF
head -c 300000 "$F/arm-classic.snap" >"$T/cut.snap"
bad=0
for f in "$T/long-comm.snap" "$T/cut.snap"; do
	for c in summary "show --task 1"; do
		"$PT" $c "$f" >"$T/file.out" 2>&1
		r1=$?
		"$PT" $c - <"$f" >"$T/stdin.out" 2>&1
		r2=$?
		{ [ $r1 = $r2 ] && sed "s|$f|(stdin)|g" "$T/file.out" | cmp -s - "$T/stdin.out"; } ||
			{ echo "$c $(basename "$f"): file (rc $r1) and stdin (rc $r2) differ"; bad=1; }
	done
done >"$T/why"
run show --task 1 "$T/long-comm.snap"
{ [ $rc -eq 0 ] && [ "$(tr -cd x <"$T/out" | wc -c)" -ge 600000 ]; } ||
	{ echo "long comm: rc $rc"; bad=1; } >>"$T/why"
run summary "$T/cut.snap"
{ [ $rc -eq 1 ] && grep -q "truncated" "$T/err"; } || { echo "cut: rc $rc"; bad=1; } >>"$T/why"
ok $bad "a file read in pieces parses as standard input read whole (a 600,000-byte comm; a cut file)"
# Raw control bytes (FORMAT.md: a comm writes them as \ooo) never reach a terminal.
sed '2059s/^task 1 init /task 1 in\x1b[2Jit /' "$base" >"$T/esc-comm.snap"
run show --task 1 "$T/esc-comm.snap"
{ [ $rc -eq 1 ] && grep -qxF "ptshare: $T/esc-comm.snap:2059: a control byte (\\033): ptshare files write them as \\ooo escapes" "$T/err" &&
	! grep -q "$(printf '\033')" "$T/out" "$T/err" || { echo "rc $rc"; cat -v "$T/err"; false; }; } >"$T/why"
ok $? "a raw ESC in a comm: refused at its line, escaped in the message"
# Whatever a snapshot holds renders as text in the page: kernel and arch in
# the title, a slot's flags in a cell's title.
k=$(sed -n 's/^kernel //p' "$base" | head -n 1)
sed "s|$k|<script>alert(1)</script>|g; s|^\(slot 282 .*\) RW,USR,x\$|\1 <img/src=x/onerror=alert(2)>|" \
	"$base" >"$T/evil.snap"
run html "$T/evil.snap"
{ [ $rc -eq 0 ] && ! grep -oE '<script[^>]*>|<img[^>]*>' "$T/out" &&
	grep -qF '<title>ptshare map: &lt;script&gt;alert(1)&lt;/script&gt; x86_64</title>' "$T/out" &&
	grep -qF '&lt;img/src=x/onerror=alert(2)&gt;' "$T/out" || { echo "rc $rc"; false; }; } >"$T/why"
ok $? "html: a hostile kernel string and slot flags render as text (no <script>, no <img>)"
# Regions: an entry belongs to every region it overlaps (with KASLR a region
# begins inside a top-level slot); --region and the map's labels follow that.
bad=0
for r in direct-map vmemmap kernel-image modules fixmap efi; do
	run show --task 1 --region "$r" "$F/x86_64-pti-on.snap"
	{ [ $rc -eq 0 ] && ! grep -q '(none)' "$T/out" && grep -qE "^  kernel 0x.* SHARED +([a-z-]+,)*$r(,|$)" "$T/out"; } ||
		{ echo "show --task 1 --region $r: rc $rc"; bad=1; }
done >"$T/why"
for f in "${fixtures[@]}"; do
	grep -q '^kernel_table ttbr1' "$f" && continue
	python3 "$here/region_check.py" "$PT" "$f" 1 >>"$T/why" 2>&1 || { echo "$(basename "$f")"; bad=1; } >>"$T/why"
done
ok $bad "regions: --region selects what overlaps it, entries and map columns name every region they hold (region_check.py)"
# Inputs that must be refused, or kept: a process twice in the summary, a task
# in two dump sections; a section of an unknown kind (refused in 1.0,
# skipped in a newer 1.x snapshot, as the minor-version rule says).
f=$base
row=$(grep -m1 '^mm 1 ' "$f")
python3 "$here/edit-snapshot.py" "$f" summary --after "$row" "$row" >"$T/bad/dup-mm.snap"
d0=$(grep -n '^section dump ' "$f" | cut -d: -f1)
d1=$((d0 + $(sed -n "${d0}p" "$f" | cut -d' ' -f3)))
{ sed -n "1,${d1}p" "$f"; sed -n "${d0},${d1}p" "$f"; echo "end 4"; } >"$T/bad/dup-dump.snap"
{ sed -n "1,$((d0 - 1))p" "$f" | sed '1s/^ptshare-snapshot 1\.0$/ptshare-snapshot 1.1/'
  printf 'section future 2\nnew 1\nend\n'; sed -n "${d0},${d1}p" "$f"; echo "end 4"; } >"$T/future-1.1.snap"
sed '1s/1\.1$/1.0/' "$T/future-1.1.snap" >"$T/bad/future-1.0.snap"
bad_inputs summary "dup-mm:process row 1 after 1: rows are in ascending tgid order, each once" \
	"dup-dump:task 1 is in two dump sections (also at line 2059)" \
	"future-1.0:unknown section 'future'" >"$T/why"
bad=$?
run summary "$T/future-1.1.snap"
{ [ $rc -eq 0 ] && grep -q '^6 processes$' "$T/out" || { echo "1.1 with a future section: rc $rc"; cat "$T/err"; false; }; } >>"$T/why" || bad=1
ok $bad "a process twice, a task in two dump sections, an unknown section in 1.0: refused; in 1.1: skipped"
# A bad master line's value is its raw value in show and in diff, text and JSON.
python3 "$here/edit-snapshot.py" "$F/x86_64-la57-1.0.snap" master \
	--sub "bad 0xffffff2c40000000 0xffffff2c7fffffff pud 0x8000000001042061" \
	"bad 0xffffff2c40000000 0xffffff2c7fffffff pud 0x8000000001043061" >"$T/bad-raw.snap"
{
	run diff "$F/x86_64-la57-1.0.snap" "$T/bad-raw.snap"
	[ $rc -eq 1 ] && grep -qx '~ master kernel range 0xffffff2c40000000 espfix: 0xffffff2c7fffffff 1 GiB pud bad raw 0x8000000001042061 -> 0xffffff2c7fffffff 1 GiB pud bad raw 0x8000000001043061' "$T/out" ||
		{ echo "diff text: rc $rc"; cat "$T/out"; false; }
} >"$T/why" && {
	run --json diff "$F/x86_64-la57-1.0.snap" "$T/bad-raw.snap"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = [x for x in d["changes"] if x["what"] == "range"][0]
assert c["old"]["raw"] == "0x8000000001042061" and c["new"]["raw"] == "0x8000000001043061", c
assert c["old"]["pa"] is None and c["new"]["pa"] is None, c
' "$T/out" || { echo "diff JSON"; false; }
} >>"$T/why" && {
	run show "$T/bad-raw.snap"
	grep -q ' pud raw 0x8000000001043061$' "$T/out" || { echo "show"; false; }
} >>"$T/why"
ok $? "a bad master line: 'raw' in diff as in show (text and JSON), not 'pa'"
# A failed write is an error: > /dev/full exits 2, for every command, text and JSON.
bad=0
for j in "" --json; do
	for c in summary show "show --task 1" cost html "diff $F/x86_64-pti-off.snap"; do
		# shellcheck disable=SC2086
		"$PT" $j $c "$F/x86_64-pti-on.snap" >/dev/full 2>"$T/err"
		rc=$?
		{ [ $rc -eq 2 ] && grep -qx 'ptshare: writing standard output: No space left on device' "$T/err"; } ||
			{ echo "ptshare $j $c > /dev/full: rc $rc, $(cat "$T/err")"; bad=1; }
	done
done >"$T/why"
ok $bad "> /dev/full: exit 2 with a message (summary, show, cost, html, diff; text and JSON)"
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
fake64=$T/debugfs64
mkdir -p "$fake64"
awk -v d="$fake64" '/^section /{f = d "/" $2; next} /^end [0-9]+$/ && !f {next}
	f {print > f} /^end/ && f {close(f); f = ""}' "$A64"
printf 'all\n' >"$fake64/select"
bad=0
for c in summary cost html "show --task 91" "diff --task 1 --task 91"; do
	PTSHARE_DEBUGFS=$fake64 "$PT" $c >"$T/out" 2>"$T/err" || { echo "live $c (ttbr1): $(head -c 300 "$T/err")"; bad=1; }
done >"$T/why"
ok $bad "live commands on a kernel_table ttbr1 module (arm64)"
# ---- every command's JSON against doc/ptshare-json.schema.json ----
# Debian's python3-jsonschema (Draft 2020-12); the schema forbids members it
# does not name, so an undocumented member fails here as a wrong type does.
J=$T/json
mkdir -p "$J"
jn=0
jdoc() { # ARGS...: one document of the tool into $J
	jn=$((jn + 1))
	"$PT" --json "$@" >"$J/$jn.json" 2>/dev/null
	echo "$jn: $*" >>"$J/index"
}
for f in "${fixtures[@]}" "$T/syn.snap" "$T/syn-arm.snap"; do
	jdoc summary "$f"
	jdoc cost "$f"
	jdoc html "$f"
	jdoc show "$f"
	jdoc show --level pte "$f"
	mapfile -t jt < <("$PT" --json summary "$f" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["processes"][:2]:
	print(p["tgid"])')
	[ ${#jt[@]} -ge 1 ] || continue
	jdoc show --task "${jt[0]}" "$f"
	jdoc show --task "${jt[0]}" --region vmalloc "$f"
	jdoc diff --task "${jt[0]}" --master "$f"
	[ ${#jt[@]} -ge 2 ] && jdoc diff --user-slots --task "${jt[0]}" --task "${jt[1]}" "$f"
done
jdoc diff "$F/x86_64-pti-on.snap" "$F/x86_64-pti-off.snap"
jdoc diff "$F/arm64-kpti.snap" "$F/arm64-6.12.snap"
jdoc diff --user-slots "$F/synthetic-x86_64-pti-1.1.snap" "$F/synthetic-x86_64-pti-1.2.snap"
jdoc diff "$T/syn.snap" "$T/syn-v1.snap"
jdoc diff "$F/x86_64-pti-on.snap" "$F/x86_64-pti-on.snap"
PTSHARE_DEBUGFS=$fake jdoc snapshot -o "$T/json-live.snap"
PTSHARE_DEBUGFS=$fake jdoc summary
jdoc --version
jdoc
jdoc frobnicate
jdoc summary /nonexistent
jdoc show --task 424242 "$F/x86_64-pti-on.snap"
jdoc summary /dev/null
/usr/bin/python3 "$here/json_check.py" "$top/doc/ptshare-json.schema.json" "$J"/*.json >"$T/why" 2>&1
r=$?
grep -q "^$jn valid, 0 invalid$" "$T/why" || r=1
[ $r -eq 0 ] || { tail -n 1 "$T/why"; cat "$J/index"; } >>"$T/why"
ok $r "every command's --json output valid against doc/ptshare-json.schema.json ($jn documents)"
unset PTSHARE_DEBUGFS
# An unreadable dump: root reads any file, so as root the tool runs as uid
# and gid 65534 (nobody) through setpriv, on a copy it may use.
U=$(mktemp -d /tmp/ptshare-unpriv.XXXXXX)
cp -r "$fake" "$U/debugfs"
cp "$PT" "$U/ptshare"
printf 'pid 5\n' >"$U/debugfs/select"
unpriv=() who="uid $(id -u)"
if [ "$(id -u)" -eq 0 ]; then
	unpriv=(setpriv --reuid=65534 --regid=65534 --clear-groups --) who="uid 65534 via setpriv"
	chown -R 65534:65534 "$U" && chmod 755 "$U"
fi
chmod 000 "$U/debugfs/dump"
PTSHARE_DEBUGFS=$U/debugfs "${unpriv[@]}" "$U/ptshare" snapshot -o "$U/live3.snap" >"$T/out" 2>"$T/err"
rc=$?
{ [ $rc -eq 1 ] && [ ! -e "$U/live3.snap" ] && [ "$(cat "$U/debugfs/select")" = "pid 5" ] &&
  grep -q "$U/debugfs/dump" "$T/err" && ! "${unpriv[@]}" cat "$U/debugfs/dump" >/dev/null 2>&1 &&
  "${unpriv[@]}" cat "$U/debugfs/summary" >/dev/null; } >"$T/why" 2>&1
ok $? "live snapshot with an unreadable dump ($who): exit 1, no file, select restored"
rm -rf "$U"

# ---- README.md's output blocks: what scripts/readme-output.sh writes ----
check "README.md output blocks are what scripts/readme-output.sh writes from the fixtures" \
	bash "$top/scripts/readme-output.sh" --check "$T/plain/ptshare"

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
	{ cat "$A64"; echo =====; cat "$T/a64-v1.snap"; } >"$T/corpus/pair-arm64"
	{ cat "$S11"; echo =====; cat "$T/s11-v1.snap"; } >"$T/corpus/pair-x86-1.1"
	{ cat "$S12"; echo =====; cat "$T/s12-v1.snap"; } >"$T/corpus/pair-x86-1.2"
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
for src in "$base" "$F/arm-classic.snap" "$F/arm-lpae.snap" "$T/syn.snap" "$A64" "$S11" "$S12"; do
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
	python3 "$here/html_read.py" "$T/$g.html" "$T/$g.json" "$width" >"$T/why" 2>&1
	r=$?
	grep '^# ' "$T/why" | sed -n '1p'
	ok $r "html map of $g read in headless Chromium: every region name whole and apart, shared tables counted once"
done

# ---- 5. scripts/check-console.sh: kernel reports and harmless boot lines ----
C=$here/console
creports=0 cmissed=()
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	creports=$((creports + 1))
	printf '%s\n' "$line" >"$T/console.log"
	"$top/scripts/check-console.sh" "$T/console.log" 2>/dev/null && cmissed+=("$line")
done <"$C/reports.txt"
[ ${#cmissed[@]} -eq 0 ] || printf 'not seen as a report: %s\n' "${cmissed[@]}" >"$T/why"
ok ${#cmissed[@]} "check-console.sh fails on each of $creports kernel report first lines (KASAN, KFENCE, lockdep, kmemleak, DEBUG_VM, ...)"
check "check-console.sh passes harmless boot lines (WARNING inside a line, kasan/kfence/kmemleak/lockdep banners)" \
	"$top/scripts/check-console.sh" "$C/clean.txt"

# ---- 6. the ptdump oracle's parsers (selftests/ptshare/oracle/check.sh) ----
check "selftests/ptshare/oracle/check.sh: ptdump_oracle agrees with ptdump text made from each fixture's master, not with one flipped permission; KASAN alias/repeat; x86's skipped lines" \
	"$top/selftests/ptshare/oracle/check.sh"

# ---- 7. the stress selftest's checks of what a reader got ----
# (stress --check KIND < FILE). Seen in a guest: a master read in pieces
# whose walk resumed inside a pmd leaf that had replaced a pte table
# (execmem, on 7.2) repeated addresses of the previous piece.
SX=$T/stress-host
check "stress.c builds on the host" \
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -I"$top/include" -I"$top/selftests/ptshare" \
	-o "$SX" "$top/selftests/ptshare/stress.c" -lpthread
master_of() {	# FIXTURE: its master section
	awk '/^section master/ { f = 1; next } /^section / { f = 0 } f' "$F/$1.snap"
}
# dup_line FILE KIND: FILE with the first KIND line given twice
dup_line() {
	awk -v k="$2" '{ print } $1 == k && !d { print; d = 1 }' "$1"
}
master_of x86_64-pti-on >"$T/m-real"
master_of synthetic-x86_64-pti-1.2 >"$T/m-syn"
"$SX" --check master <"$T/m-real" >"$T/why" 2>&1
ok $? "stress --check master passes a recorded master (x86_64-pti-on)"
"$SX" --check master <"$T/m-syn" >"$T/why" 2>&1
ok $? "stress --check master passes a master with alias and repeat lines"
# A pmd range listed from a point inside its leaf (how a resumed read shows
# the rest of a leaf that begins before it): start not a multiple of 2 MiB.
python3 -c '
import sys
done = False
for line in open(sys.argv[1]):
    f = line.split()
    if not done and f[:1] == ["range"] and f[4] == "pmd":
        s, size, pa = int(f[1], 16) + 0x5000, int(f[3], 16) - 0x5000, int(f[6], 16) + 0x5000
        line = "range 0x%x %s 0x%x pmd %s 0x%x\n" % (s, f[2], size, f[5], pa)
        done = True
    sys.stdout.write(line)
' "$T/m-real" >"$T/m-clip"
grep -q '^range 0x[0-9a-f]*5000 ' "$T/m-clip"
"$SX" --check master <"$T/m-clip" >"$T/why" 2>&1
ok $? "stress --check master passes a pmd range that begins inside its leaf"
for k in range:m-real alias:m-syn repeat:m-syn; do
	dup_line "$T/${k#*:}" "${k%%:*}" >"$T/m-dup"
	"$SX" --check master <"$T/m-dup" >"$T/out" 2>&1
	rc=$?
	grep -q "not after the previous line" "$T/out"
	ok $((rc != 1 || $? != 0)) "stress --check master fails a duplicated ${k%%:*} line (overlap)"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]

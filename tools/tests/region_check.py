#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""region_check.py PTSHARE SNAPSHOT TGID: one rule for regions, checked from outside.

From the snapshot's own region lines (the source's "regions" in JSON), this
computes which regions each top-level entry of task TGID and each column of
the HTML map overlaps (at each address, the innermost region holding it),
and checks that:
  - 'show --task TGID --region R' lists exactly the kernel top-level entries
    that overlap R, for every region R, and names their regions;
  - every column of 'html --json' carries the regions of its slot.
Prints what differs; exit 1 if anything does.
"""
import json
import subprocess
import sys

pt, snap, tgid = sys.argv[1], sys.argv[2], sys.argv[3]


def run(*args):
    return json.loads(subprocess.run([pt, "--json", *args, snap], check=True,
                                     capture_output=True, text=True).stdout)


def regs(o):
    """An object's regions (an older tool had only "region")."""
    return o["regions"] if "regions" in o else [o["region"]] if o.get("region") else []


def num(x):
    return int(x, 16) if isinstance(x, str) else x


full = run("show", "--task", tgid)
regions = [(num(r["start"]), num(r["last"]), r["name"]) for r in full["source"]["regions"]]


def innermost(a):
    best = None
    for s, l, n in regions:       # in order of start, enclosing first
        if s <= a <= l:
            best = n
    return best


def overlapped(start, last):
    """Regions at some address of [start, last], in address order."""
    cuts = {start}
    for s, l, n in regions:
        if start < s <= last:
            cuts.add(s)
        if start <= l < last:
            cuts.add(l + 1)
    out = []
    for a in sorted(cuts):
        n = innermost(a)
        if n and n not in out:
            out.append(n)
    return out


bad = []
top = [e for e in full["entries"] if e["depth"] == 0 and e["pgd"] == "kernel"]
if not top:
    bad.append("task %s has no kernel top-level entries" % tgid)
for e in top:
    want = overlapped(num(e["start"]), num(e["last"]))
    if regs(e) != want:
        bad.append("entry %s: regions %s, expected %s" % (e["start"], regs(e), want))
for s, l, name in regions:
    want = [e["start"] for e in top if name in overlapped(num(e["start"]), num(e["last"]))]
    got = run("show", "--task", tgid, "--region", name)
    have = [e["start"] for e in got["entries"] if e["depth"] == 0 and e["pgd"] == "kernel"]
    if have != want:
        bad.append("--region %s: top-level entries %s, expected %s" % (name, have, want))
    for m in got["merged"]:
        if m["pgd"] == "kernel" and name not in regs(m):
            bad.append("--region %s: merged row %s names %s" % (name, m["start"], regs(m)))
for c in run("html")["grid"]["columns"]:
    want = overlapped(num(c["start"]), num(c["last"]))
    if regs(c) != want or c["region"] != (",".join(want) or None):
        bad.append("map column %s: %s / %s, expected %s" % (c["slot"], c["region"], regs(c), want))
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)

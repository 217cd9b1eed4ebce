#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Derive a test input from a snapshot: edit one section, keep its line count right.

  edit-snapshot.py SNAPSHOT SECTION [--before-end LINE] [--sub OLD NEW]...
                   [--after OLD NEW]... [--delete OLD]... > OUT

--before-end inserts LINE before the section's end line; --sub replaces the
first line equal to OLD with NEW; --after inserts NEW after the first line
equal to OLD; --delete removes the first line equal to OLD. SECTION is the
kind of the first section to edit (summary, master, dump). The result goes
to stdout; the fixtures themselves are never changed.
"""
import argparse
import sys

p = argparse.ArgumentParser()
p.add_argument("snapshot")
p.add_argument("section")
p.add_argument("--before-end")
p.add_argument("--sub", nargs=2, action="append", default=[])
p.add_argument("--after", nargs=2, action="append", default=[])
p.add_argument("--delete", action="append", default=[])
a = p.parse_args()
lines = open(a.snapshot).read().split("\n")[:-1]
out, i, done = [], 0, False
while i < len(lines):
    l = lines[i]
    if l.startswith("section %s " % a.section) and not done:
        n = int(l.split()[2])
        body = lines[i + 1:i + 1 + n]
        for old, new in a.sub:
            body[body.index(old)] = new
        for old, new in a.after:
            body.insert(body.index(old) + 1, new)
        for old in a.delete:
            del body[body.index(old)]
        if a.before_end:
            body.insert(len(body) - 1, a.before_end)
        out.append("section %s %d" % (a.section, len(body)))
        out += body
        i += 1 + n
        done = True
        continue
    out.append(l)
    i += 1
sys.stdout.write("\n".join(out) + "\n")

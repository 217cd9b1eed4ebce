#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Derive a test input from a snapshot: edit one section, keep its line count right.

  edit-snapshot.py SNAPSHOT SECTION [--before-end LINE] [--sub OLD NEW] > OUT

--before-end inserts LINE before the section's end line; --sub replaces the
first line equal to OLD with NEW. The result goes to stdout; the recorded
fixtures themselves are never changed.
"""
import argparse
import sys

p = argparse.ArgumentParser()
p.add_argument("snapshot")
p.add_argument("section")
p.add_argument("--before-end")
p.add_argument("--sub", nargs=2)
a = p.parse_args()
lines = open(a.snapshot).read().split("\n")[:-1]
out, i = [], 0
while i < len(lines):
    l = lines[i]
    if l.startswith("section %s " % a.section):
        n = int(l.split()[2])
        body = lines[i + 1:i + 1 + n]
        if a.sub:
            body[body.index(a.sub[0])] = a.sub[1]
        if a.before_end:
            body.insert(len(body) - 1, a.before_end)
        out.append("section %s %d" % (a.section, len(body)))
        out += body
        i += 1 + n
        continue
    out.append(l)
    i += 1
sys.stdout.write("\n".join(out) + "\n")

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a headless-Chromium screenshot of 'ptshare html' against 'ptshare html --json'.

  html_check.py SCREENSHOT.png GRID.json

Finds every solid cell (cell_width x cell_height pixels of one class colour,
with a different colour on each side) in the PNG, and checks that the number
of grid rows and the number of cells of each colour are the ones the JSON
grid says (a process row of a kernel_table ttbr1 map is a band, not cells). Prints one line per check; exits 1 on a mismatch. PNG decoding
is done here with zlib (8-bit RGB/RGBA, non-interlaced: what Chromium writes).
"""
import json
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("%s: not a PNG" % path)
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise SystemExit("%s: unsupported PNG (depth %d, type %d)" % (path, depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        ft, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main():
    png, grid_json = sys.argv[1], sys.argv[2]
    doc = json.load(open(grid_json))
    g = doc["grid"]
    cw, ch = g["cell_width"], g["cell_height"]
    colours = {}
    for name, hexc in g["colours"].items():
        if name != "none":
            colours[bytes.fromhex(hexc[1:])] = name
    w, h, bpp, rows = read_png(png)

    def px(x, y):
        o = x * bpp
        return rows[y][o:o + 3]

    found = {}
    tops = set()
    for y in range(h - ch + 1):
        row = rows[y]
        x = 0
        while x < w - cw + 1:
            c = row[x * bpp:x * bpp + 3]
            if c not in colours:
                x += 1
                continue
            # the top-left corner of a cell: left and above differ
            if (x > 0 and px(x - 1, y) == c) or (y > 0 and px(x, y - 1) == c):
                x += 1
                continue
            solid = all(px(x + dx, y + dy) == c for dy in range(ch) for dx in range(cw))
            edge = ((x + cw >= w or px(x + cw, y) != c) and (y + ch >= h or px(x, y + ch) != c))
            if solid and edge:
                found[colours[c]] = found.get(colours[c], 0) + 1
                tops.add(y)
                x += cw
            else:
                x += 1
    want = dict(g["counts"])
    want = {k: v for k, v in want.items() if v}
    # rows of cells (with kernel_table ttbr1 a process row is one band, "cells" null)
    # and the master's rows (its kernel pgd, and with ttbr1 its trampoline table)
    nrows = sum(1 for r in g["rows"] if r["cells"] is not None) + len(g.get("master_rows", [1]))
    fails = 0
    print("# cells found %s, expected %s" % (sorted(found.items()), sorted(want.items())))
    for name in sorted(set(want) | set(found)):
        ok = found.get(name, 0) == want.get(name, 0)
        fails += not ok
        print("# %s %s cells: %d in the screenshot, %d in the grid" %
              ("ok" if ok else "MISMATCH", name, found.get(name, 0), want.get(name, 0)))
    ok = len(tops) == nrows
    fails += not ok
    print("# %s rows: %d in the screenshot, %d in the grid" % ("ok" if ok else "MISMATCH",
                                                           len(tops), nrows))
    sys.exit(1 if fails else 0)


main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the text the kernel's page-table dumper would print for the tables a
ptshare master file describes, in its own format (the format strings of
arch/x86/mm/dump_pagetables.c, arch/arm64/mm/ptdump.c, arch/arm/mm/dump.c,
Linux 6.12): runs merged by attributes only, holes printed (x86, arm64) or
left out (arm), sizes in K/M/G, level names, markers, x86's max_lines.

Used by check.sh to exercise ptdump_oracle's parsers on the host.

mkptdump.py ARCH MASTER [user] [--perturb N] [--skip-after ADDR]
  ARCH        x86_64, arm, arm-lpae or arm64
  user        the "pgd user" section instead of "pgd kernel"
  --perturb N flip the write permission of the N-th mapped run (0-based)
  --espfix A  x86: print at most 2 lines after the marker at A, then "... N entries skipped ..."
              (what max_lines does to ESPfix)
"""
import sys

args = sys.argv[1:]
arch, path = args[0], args[1]
want = "user" if "user" in args[2:] else "kernel"
perturb = int(args[args.index("--perturb") + 1]) if "--perturb" in args else -1
espfix = int(args[args.index("--espfix") + 1], 16) if "--espfix" in args else None
bits = 32 if arch.startswith("arm") and arch != "arm64" else 64

runs, regions, sec, repeats, shift = [], [], None, [], {}
for line in open(path):
    f = line.split()
    if not f:
        continue
    if f[0] == "region":
        regions.append((int(f[1], 16), f[3]))
    elif f[0] == "level":
        shift[f[1]] = int(f[2])
    elif f[0] == "pgd":
        sec = f[1]
    elif f[0] == "repeat" and sec == want:
        repeats.append((int(f[1], 16), int(f[2], 16), f[4]))
    elif f[0] in ("range", "alias", "descend") and sec == want:
        start, last, level, flags = int(f[1], 16), int(f[2], 16), f[4], f[5].split(",")
        if arch == "arm" and level == "pgd":
            kind = flags.pop(0)
            # one run per mapped 1 MiB half (a line may begin at the second half)
            for a in range(start & ~((2 << 20) - 1), last + 1, 2 << 20):
                for h in (0, 1):
                    lo, hi = a + h * (1 << 20), a + (h + 1) * (1 << 20) - 1
                    if kind[h] == "S" and lo >= start and hi <= last:
                        runs.append([lo, hi, level, set(flags)])
            continue
        runs.append([start, last, level, set(flags)])

# A repeat line (format 1.2) stands for entries at its level pointing to a
# table walked just before: ptdump prints what that table maps again under
# each of them. The table is taken to be the one under the entry before the
# repeat's start (espfix's, the only repeats outside KASAN's shadow); deeper
# repeats first, so that a table's copies include the copies inside it.
order = ["pgd", "p4d", "pud", "pmd", "pte"]
for start, last, level in sorted(repeats, key=lambda r: -order.index(r[2])):
    size = 1 << shift[level]
    src = [r for r in runs if r[0] >= start - size and r[1] < start]
    for base in range(start, last + 1, size):
        for r in src:
            off = base - (start - size)
            runs.append([r[0] + off, r[1] + off, r[2], set(r[3])])
runs.sort(key=lambda r: r[0])

mapped = [r for r in runs if not ({"NP"} & r[3] and arch in ("x86_64", "arm64"))]
if 0 <= perturb < len(mapped):
    fl = mapped[perturb][3]
    if "RW" in fl:
        fl.discard("RW"); fl.add("ro")
    else:
        fl.discard("ro"); fl.add("RW")


def x86_prot(level, fl):
    if "NP" in fl:
        return " " * 30
    s = "USR " if "USR" in fl else "    "
    s += "RW " if "RW" in fl else "ro "
    s += "PWT " if "PWT" in fl else "    "
    s += "PCD " if "PCD" in fl else "    "
    s += "PSE " if level in ("pud", "pmd") else "    "
    s += "    "
    s += "GLB " if "GLB" in fl else "    "
    s += "NX " if "NX" in fl else "x  "
    return s


def arm64_prot(fl):
    if "NP" in fl:
        return " F"
    s = "  "
    s += " USR" if "USR" in fl else "    "
    s += " ro" if "ro" in fl else " RW"
    s += " NX" if "PXN" in fl else " x "
    s += " SHD" if "S" in fl else "    "
    s += " AF"
    s += " NG" if "nG" in fl else "   "
    s += " CON" if "CONT" in fl else "    "
    s += "    "
    s += " UXN" if "UXN" in fl else "    "
    s += "   "
    mt = {"tag": "MEM/NORMAL-TAGGED", "nc": "MEM/NORMAL-NC", "dev": "DEVICE/nGnRE",
          "dev-nGnRnE": "DEVICE/nGnRnE"}
    s += " " + next((mt[k] for k in mt if k in fl), "MEM/NORMAL")
    return s


def arm_prot(level, fl):
    if level == "pgd" and arch == "arm":
        s = " KERNEL "
        s += (" USR RW" if "USR" in fl else ("     ro" if "ro" in fl else "     RW"))
    elif level == "pte":
        s = " KERNEL " if arch == "arm" else ""
        s += " USR" if "USR" in fl else "    "
        s += " ro" if "ro" in fl else " RW"
    else:
        s = " USR" if "USR" in fl else ""
        s += " ro" if "ro" in fl else " RW"
    s += " NX" if "XN" in fl else " x "
    s += " SHD" if "S" in fl else "    "
    s += " MEM/CACHED/WBWA"
    return s


def size(n):
    units, u = ("BKMGTPE", 0) if arch == "x86_64" else ("KMGTPE", 0)
    if arch != "x86_64":
        n >>= 10
    while n & 1023 == 0 and u + 1 < len(units):
        n >>= 10
        u += 1
    return "%9d%s" % (n, units[u])


# Merge by attributes only; insert holes.
out, end = [], 0
top = 1 << bits
for s, l, lv, fl in sorted(runs):
    key = (lv, frozenset(fl) if not ({"NP"} & fl and arch != "arm" and arch != "arm-lpae") else "hole")
    if s > end:
        out.append([end, s, "pgd" if arch != "arm64" else "PGD", "hole"])
    if out and out[-1][1] == s and out[-1][2] == lv and out[-1][3] == key[1]:
        out[-1][1] = l + 1
    else:
        out.append([s, l + 1, lv, key[1]])
    end = l + 1
if end < top:
    out.append([end, top, "pgd", "hole"])

w = 16 if bits == 64 else 8
marks = sorted(regions)
mi, lines_in_marker, skipped = 0, 0, 0
print("---[ User Space ]---")
for s, e, lv, fl in out:
    while mi < len(marks) and marks[mi][0] <= s:
        if skipped:
            print("... %d entr%s skipped ... " % (skipped, "y" if skipped == 1 else "ies"))
        print("---[ %s ]---" % marks[mi][1])
        lines_in_marker, skipped = 0, 0
        mi += 1
    if fl == "hole" and arch.startswith("arm") and arch != "arm64":
        continue
    lines_in_marker += 1
    if espfix is not None and mi and marks[mi - 1][0] == espfix and lines_in_marker > 2:
        skipped += 1
        continue
    head = "0x%0*x-0x%0*x   %s " % (w, s, w, e % top, size(e - s))
    if arch == "x86_64":
        print(head + (" " * 30 if fl == "hole" else x86_prot(lv, fl)) + lv)
    elif arch == "arm64":
        print(head + lv.upper() + ("" if fl == "hole" else arm64_prot(fl)))
    else:
        name = {"pgd": "PGD", "pmd": "PMD", "pte": "PTE"}[lv]
        print(head + name + arm_prot(lv, fl))

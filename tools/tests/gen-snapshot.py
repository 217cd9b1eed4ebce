#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a synthetic ptshare snapshot that is valid per doc/FORMAT.md.

Used by the host tests (every class, x86-64 and 32-bit-ARM-like geometry)
and by scripts/bench-tool.sh (a million records). The result is synthetic:
real recordings are tools/tests/fixtures/*.snap, made by
scripts/record-fixtures.sh.

  gen-snapshot.py [--records N] [--tasks N] [--variant V] [--arch x86_64|arm]
                  [--classes shared|all] [--seed S] > FILE

--variant 1 changes a deterministic part of the same snapshot: one task
went, one appeared, every 97th entry of the other tasks has another raw
value, every 89th changed class, and one master range changed.
"""
import argparse
import random
import sys

P = argparse.ArgumentParser()
P.add_argument("--records", type=int, default=2000, help="about this many entry lines")
P.add_argument("--tasks", type=int, default=8)
P.add_argument("--variant", type=int, default=0)
P.add_argument("--arch", default="x86_64", choices=["x86_64", "arm"])
P.add_argument("--classes", default="all", choices=["shared", "all"])
P.add_argument("--seed", type=int, default=1)
A = P.parse_args()
rnd = random.Random(A.seed)

if A.arch == "x86_64":
    LEVELS = [("pgd", 39, 512, "real"), ("p4d", 39, 1, "folded"), ("pud", 30, 512, "real"),
              ("pmd", 21, 512, "real"), ("pte", 12, 512, "real")]
    NLEVELS, KFIRST, KLAST = 4, 0xffff800000000000, 0xffffffffffffffff
    SLOT0, SLOTN, TOP, CHILD = 256, 511, 39, "pud"
    REGIONS = [(0xffff800000000000, 0xffff87ffffffffff, "guard-hole"),
               (0xffff880000000000, 0xffff887fffffffff, "ldt-remap"),
               (0xffff888000000000, 0xffffc87fffffffff, "direct-map"),
               (0xffffc90000000000, 0xffffe8ffffffffff, "vmalloc"),
               (0xffffea0000000000, 0xffffeaffffffffff, "vmemmap"),
               (0xfffffe0000000000, 0xfffffe7fffffffff, "cpu-entry-area"),
               (0xffffffff80000000, 0xffffffff9fffffff, "kernel-image"),
               (0xffffffffa0000000, 0xfffffffffeffffff, "modules")]
    ISOL, USER = "pti on", True
    CHILD_SHIFT, CHILD_N = 30, 512
else:
    LEVELS = [("pgd", 21, 2048, "real"), ("p4d", 21, 1, "folded"), ("pud", 21, 1, "folded"),
              ("pmd", 21, 1, "folded"), ("pte", 12, 512, "real")]
    NLEVELS, KFIRST, KLAST = 2, 0xc0000000, 0xffffffff
    SLOT0, SLOTN, TOP, CHILD = 1536, 2047, 21, "pte"
    REGIONS = [(0xbf000000, 0xbfffffff, "modules"), (0xc0000000, 0xefffffff, "lowmem"),
               (0xf0800000, 0xff7fffff, "vmalloc"), (0xffc00000, 0xffefffff, "fixmap")]
    REGIONS = [r for r in REGIONS if r[0] >= KFIRST]
    ISOL, USER = "- off", False
    CHILD_SHIFT, CHILD_N = 12, 512

CLASSES = ["none", "SHARED", "SAME", "COPY", "DIFF", "MISSING", "EXTRA"]


def region(va):
    for s, l, n in REGIONS:
        if s <= va <= l:
            return n
    return "-"


def header(kind):
    h = ["ptshare %s 1.0" % kind, "kernel 6.1.0-synthetic", "arch " + A.arch, "page_size 4096",
         "levels %d" % NLEVELS]
    h += ["level %s %d %d %s" % l for l in LEVELS]
    h += ["kernel_half 0x%x 0x%x" % (KFIRST, KLAST), "kernel_slots %d %d" % (SLOT0, SLOTN),
          "master_pgd 0x%x 0x%x kallsyms" % (KFIRST + 0x1000000, 0x2000000)]
    h += ["master_user_pgd 0x%x 0x%x" % (KFIRST + 0x1001000, 0x2001000) if USER else
          "master_user_pgd - -"]
    h += ["master_lock init_mm", "isolation " + ISOL]
    h += ["region 0x%x 0x%x %s" % r for r in REGIONS]
    return h


def slot_va(i):
    return KFIRST + ((i - SLOT0) << TOP)


# master: present slots and their tables
master_slots = list(range(SLOT0 + 17, SLOTN + 1, 3))
mtable = {i: 0x100000 + (i << 12) for i in master_slots}


def task_entries(tgid, budget, variant):
    BIG = budget > 1000
    """Entry lines of one task and its per-class counts of top-level slots."""
    out, counts = [], [0] * 7
    slots = sorted(set(master_slots) | ({SLOT0 + 1} if A.classes == "all" else set()))
    for n, i in enumerate(slots):
        va, last = slot_va(i), slot_va(i) + (1 << TOP) - 1
        m = i in mtable
        cls = "SHARED" if m else "EXTRA"
        if A.classes == "all" and m and n % 7 in (1, 2, 3, 4) and (tgid % 2 == 0 or BIG):
            cls = ["COPY", "DIFF", "MISSING", "SAME"][n % 7 - 1]
        if A.arch == "arm" and cls == "SHARED" and n % 5 == 0:
            cls = "SAME"   # leaves at the top level, as 32-bit ARM section maps are
        pkind = "none" if cls == "MISSING" else ("leaf" if cls == "SAME" else "table")
        praw = 0 if pkind == "none" else (mtable.get(i, 0x3000000 + (tgid << 16)) |
                                          (0x63 if pkind == "table" else 0x1e3))
        if cls in ("COPY", "DIFF", "EXTRA"):
            praw = (0x4000000 + (tgid << 20) + (i << 12)) | 0x63
        mkind = "none" if not m else ("leaf" if cls == "SAME" else "table")
        mraw = 0 if not m else (mtable[i] | (0x63 if mkind == "table" else 0x1e3))
        if mkind == "leaf":
            mraw = praw
        ppa = "-" if pkind == "none" else "0x%x" % (praw & ~0xfff)
        mpa = "-" if mkind == "none" else "0x%x" % (mraw & ~0xfff)
        counts[CLASSES.index(cls)] += 1
        out.append("entry kernel pgd 0x%x 0x%x %s %s 0x%x %s %s 0x%x %s %s" %
                   (va, last, cls, pkind, praw, ppa, mkind, mraw, mpa, region(va)))
        if cls in ("COPY", "DIFF", "MISSING", "EXTRA") and len(out) < budget:
            nchild = min(CHILD_N, max(1, budget - len(out) - len(slots)))
            for c in range(nchild):
                cva = va + (c << CHILD_SHIFT)
                ccls = cls if cls != "DIFF" else ("DIFF" if c == 0 else "SHARED")
                if cls == "COPY":
                    ccls = "SHARED"
                ck = "none" if ccls == "MISSING" else "table"
                cm = "none" if ccls == "EXTRA" else "table"
                craw = 0 if ck == "none" else 0x8000000 + (c << 12) + (i << 21) | 0x63
                if ccls == "DIFF":
                    craw += 0x1000
                cmraw = 0 if cm == "none" else 0x8000000 + (c << 12) + (i << 21) | 0x63
                if variant and (len(out) + tgid) % 97 == 0 and ck != "none":
                    craw ^= 0x4   # another raw value (the USR bit)
                out.append("entry kernel %s 0x%x 0x%x %s %s 0x%x %s %s 0x%x %s %s" %
                           (CHILD, cva, cva + (1 << CHILD_SHIFT) - 1, ccls, ck, craw,
                            "-" if ck == "none" else "0x%x" % (craw & ~0xfff), cm, cmraw,
                            "-" if cm == "none" else "0x%x" % (cmraw & ~0xfff), region(cva)))
    if USER:
        for i in (SLOTN - 2, SLOTN):
            va = slot_va(i)
            raw = 0x6000000 + (i << 12) | 0x67
            out.append("entry user pgd 0x%x 0x%x SHARED table 0x%x 0x%x table 0x%x 0x%x %s" %
                       (va, va + (1 << TOP) - 1, raw, raw & ~0xfff, raw, raw & ~0xfff,
                        region(va)))
    return out, counts


def main():
    per_task = max(1, A.records // max(1, A.tasks))
    tgids = [1] + [100 + 7 * k for k in range(1, A.tasks)]
    if A.variant:
        tgids = tgids[:-1] + [tgids[-1] + 1]      # one went, one appeared
    dump = header("dump") + ["selection all"]
    rows = []
    for k, tgid in enumerate(tgids):
        comm = "init" if tgid == 1 else "proc\\040%d" % k if k % 5 == 3 else "proc%d" % k
        dump.append("task %d %s 1 0x%x %s ok" % (tgid, comm, 0x1000000 + (tgid << 13),
                                                   "0x%x" % (0x1001000 + (tgid << 13))
                                                   if USER else "-"))
        ents, counts = task_entries(tgid, per_task, A.variant)
        if A.variant and k % 89 == 5 and len(ents) > 3:
            ents[2] = ents[2].replace(" SHARED ", " DIFF ", 1) if " SHARED " in ents[2] else ents[2]
        dump += ents
        dump.append("taskend %d ok" % tgid)
        present = sum(counts) - counts[5]
        u = "2 2 0 0 0 0 0" if USER else "- - - - - - -"
        rows.append("mm %d %s 1 %d %s %s %d %d" % (tgid, comm, present,
                                                  " ".join(str(c) for c in counts[1:]), u,
                                                  4 + len(ents) // 50, counts[3] + counts[4] +
                                                  counts[6]))
    dump.append("end %d" % len(tgids))

    summary = header("summary") + [
        "columns kind tgid comm threads present shared same copy diff missing extra u_present "
        "u_shared u_same u_copy u_diff u_missing u_extra pt_pages kpriv_pages",
        "master 0 - 0 %d - - - - - - %s - - - - - - %d -" % (len(master_slots),
                                                             "2" if USER else "-",
                                                             40 + len(master_slots))]
    summary += rows + ["end %d" % len(rows)]

    master = header("master") + ["pgd kernel 0x%x 0x2000000" % (KFIRST + 0x1000000)]
    ri = 0
    for i in master_slots:
        va = slot_va(i)
        while ri < len(REGIONS) and REGIONS[ri][0] <= va + (1 << TOP) - 1:
            master.append("marker 0x%x 0x%x %s" % REGIONS[ri])
            ri += 1
        master.append("slot %d 0x%x 0x%x table 0x%x 0x%x RW,x" % (i, va, va + (1 << TOP) - 1,
                                                               mtable[i] | 0x63, mtable[i]))
        size = 0x200000 if not (A.variant and i == master_slots[3]) else 0x400000
        r = region(va)
        if r != "-" and region(va + size - 1) == r:
            master.append("range 0x%x 0x%x 0x%x pmd RW,NX 0x%x" % (va, va + size - 1, size,
                                                                  0x1000000 + (i << 21)))
    while ri < len(REGIONS):
        master.append("marker 0x%x 0x%x %s" % REGIONS[ri])
        ri += 1
    if USER:
        master.append("pgd user 0x%x 0x2001000" % (KFIRST + 0x1001000))
        for s, l, n in REGIONS:
            master.append("marker 0x%x 0x%x %s" % (s, l, n))
    master.append("end")

    out = ["ptshare-snapshot 1.0", "created 2026-01-01T00:00:%02dZ" % A.variant,
           "kernel 6.1.0-synthetic", "arch " + A.arch, "format 1.0", "selection all"]
    for name, sec in (("summary", summary), ("master", master), ("dump", dump)):
        out.append("section %s %d" % (name, len(sec)))
        out += sec
    out.append("end 3")
    sys.stdout.write("\n".join(out) + "\n")


main()

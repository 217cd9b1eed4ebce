#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read 'ptshare html' in headless Chromium as a person would, and check it.

  html_read.py PAGE.html GRID.json WIDTH

GRID.json is 'ptshare html --json' of the same snapshot. A copy of the page
gets a probe script (the page itself has none) that, once laid out, reports
what is on screen; Chromium's --dump-dom prints it. Checks:

  - every region name of the grid's column runs is on the page, whole: the
    rectangle of its text lies inside every ancestor that clips (overflow
    not visible) and inside the window, no other element covers its middle,
    and no two names overlap;
  - the cost table's total row: the shared master tables are counted once
    (the master's table bytes), not once per process.

Prints one line per failed check; exits 1 if any failed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

PROBE = r"""
<script>
window.addEventListener('load', function () {
  function clipped(el, r) {
    for (var a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      var cs = getComputedStyle(a);
      if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
      var ar = a.getBoundingClientRect();
      if (r.left < ar.left - 0.5 || r.right > ar.right + 0.5 ||
          r.top < ar.top - 0.5 || r.bottom > ar.bottom + 0.5)
        return a.className || a.tagName;
    }
    return null;
  }
  var labels = [], grid = document.getElementById('grid');
  var walker = document.createTreeWalker(grid, NodeFilter.SHOW_TEXT);
  var firstRow = grid.querySelector('.reg');
  for (var n = walker.nextNode(); n; n = walker.nextNode()) {
    var el = n.parentElement;
    if (!el.closest('.reg') || !n.textContent.trim()) continue;
    var range = document.createRange();
    range.selectNodeContents(n);
    var r = range.getBoundingClientRect();
    var mid = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    labels.push({text: n.textContent, left: r.left, right: r.right, top: r.top,
                 bottom: r.bottom, clip: clipped(el, r),
                 covered: !(mid && (mid === el || el.contains(mid)))});
  }
  var total = null;
  document.querySelectorAll('table.cost tr').forEach(function (tr) {
    if (/^total/.test(tr.cells[0].textContent))
      total = Array.prototype.map.call(tr.cells, function (c) { return c.textContent; });
  });
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify({width: window.innerWidth, labels: labels, total: total});
  document.body.appendChild(pre);
});
</script>
"""


def human(n):
    """tools/ptshare's pt_human()."""
    if n < 1024:
        return "%d B" % n
    v, u = float(n), -1
    units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    while v >= 1024 and u < 5:
        v /= 1024
        u += 1
    if v == int(v):
        return "%d %s" % (int(v), units[u])
    return "%.1f %s" % (v, units[u])


def main():
    page, grid_json, width = sys.argv[1], sys.argv[2], int(sys.argv[3])
    doc = json.load(open(grid_json))
    grid = doc["grid"]
    html = open(page).read()
    with tempfile.TemporaryDirectory() as d:
        probe = os.path.join(d, "probe.html")
        with open(probe, "w") as f:
            f.write(html.replace("</body>", PROBE + "</body>"))
        out = subprocess.run(
            ["timeout", "90", "chromium", "--headless", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--user-data-dir=" + os.path.join(d, "prof"),
             "--force-device-scale-factor=1", "--hide-scrollbars",
             "--window-size=%d,900" % width, "--dump-dom", "file://" + probe],
            capture_output=True, text=True).stdout
    m = re.search(r'<pre id="probe">([^<]*)</pre>', out)
    if not m:
        print("the probe reported nothing (Chromium failed?)")
        return 1
    seen = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    bad = 0

    # the region names of the runs of columns of one region, in order
    runs = []
    for c in grid["columns"]:
        name = c["region"] or "-"
        if not runs or runs[-1] != name:
            runs.append(name)
    got = [lb["text"] for lb in seen["labels"]]
    if got != runs:
        print("region names on the page %s, the grid's runs %s" % (got, runs))
        bad += 1
    for lb in seen["labels"]:
        if lb["clip"]:
            print("region name %r clipped by its %s" % (lb["text"], lb["clip"]))
            bad += 1
        elif lb["covered"]:
            print("region name %r covered by another element" % lb["text"])
            bad += 1
        elif lb["left"] < 0 or lb["right"] > seen["width"]:
            print("region name %r outside the window (%.0f-%.0f of %d)"
                  % (lb["text"], lb["left"], lb["right"], seen["width"]))
            bad += 1
    ls = seen["labels"]
    for i in range(len(ls)):
        for j in range(i + 1, len(ls)):
            a, b = ls[i], ls[j]
            if (a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and
                    a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5):
                print("region names %r and %r overlap" % (a["text"], b["text"]))
                bad += 1

    cost = doc.get("cost")
    if cost and cost["kernel_table"] == "pgd":
        total = seen["total"]
        want_shared = human(cost["master_table_bytes"])
        if not total:
            print("no total row in the cost table")
            bad += 1
        elif total[-1].split(" once")[0].strip() != want_shared:
            print("cost total of shared master tables %r, the master's tables are %s"
                  " (once, whatever the number of processes)" % (total[-1], want_shared))
            bad += 1
    print("# %d region names read, %s" % (len(ls), "all whole and apart" if not bad else
                                             "%d problem(s)" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# update-readme-matrix.sh [MATRIX]
#
# Put the table of the last test run (out/matrix.md, written by
# run-tests.sh) into README.md between its matrix markers.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

matrix=${1:-$PTSHARE_OUT/matrix.md}
readme=$PTSHARE_TOP/README.md
[ -s "$matrix" ] || die "no $matrix: run ./scripts/run-tests.sh first"
grep -q '^<!-- matrix:begin -->$' "$readme" && grep -q '^<!-- matrix:end -->$' "$readme" ||
	die "README.md has no matrix markers"
awk -v m="$matrix" '
	/^<!-- matrix:begin -->$/ { print; while ((getline l < m) > 0) print l; skip = 1; next }
	/^<!-- matrix:end -->$/ { skip = 0 }
	!skip { print }' "$readme" >"$readme.new"
mv "$readme.new" "$readme"
msg "README.md: matrix from $matrix"

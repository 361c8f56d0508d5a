#!/bin/sh
# bench-import.sh: the Online Retail import benchmark (DESIGN §8), with the
# sqlite3 shell measured in the same run for comparison.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/bench-import.sh [BUILD_DIR] [RUNS]
#   BUILD_DIR  a configured build folder (default: _build)
#   RUNS       runs of each import; the best counts (default: 3)
# The data comes from $ORDERLY_DATA_DIR, else ../shared/data beside the
# checkout.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$here/../.." && pwd)
build=${1:-$source_root/_build}
runs=${2:-3}
data=${ORDERLY_DATA_DIR:-$source_root/../shared/data}

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "bench-import: the sqlite3 shell is needed for the comparison (apt-get install sqlite3)" >&2
  exit 1
fi
if [ ! -f "$data/online-retail.csv.gz" ]; then
  echo "bench-import: $data/online-retail.csv.gz is absent (set ORDERLY_DATA_DIR)" >&2
  exit 77
fi

ninja -C "$build" tests/bench/bench-import >/dev/null
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$build/tests/bench/bench-import" --runs "$runs" "$data/online-retail.csv.gz"

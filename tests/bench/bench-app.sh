#!/bin/sh
# bench-app.sh: the desktop app on a 1,000,000-order shop (DESIGN §8):
# start to first frame, memory, and the dashboard list's sorts, searches and
# scroll jumps. Runs bench-app under Xvfb and a private D-Bus session, with
# GSK_RENDERER=cairo (Xvfb has no GPU; the cairo renderer is what such a
# machine draws with).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/bench-app.sh [BUILD_DIR] [RUNS]
#   BUILD_DIR  a configured build folder (default: _build)
#   RUNS       start-ups of each kind, cold and warm (default: 5)
# The database: $ORDERLY_BENCH_APP_DB (default /tmp/orderly-bench-app/orders-1m.db),
# a copy of $ORDERLY_BENCH_DEMO_DB (default /tmp/demo-bench/orders-1m.db) when
# that exists, else made with `orderlyctl demo --orders 1000000 --seed 1`
# (about 15 minutes). The copy is reused; the original is never opened for
# writing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$here/../.." && pwd)
build=${1:-$source_root/_build}
runs=${2:-5}
db=${ORDERLY_BENCH_APP_DB:-/tmp/orderly-bench-app/orders-1m.db}
demo=${ORDERLY_BENCH_DEMO_DB:-/tmp/demo-bench/orders-1m.db}

for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench-app: $tool is needed (build-aux/deps.sh installs it)" >&2
    exit 1
  fi
done

ninja -C "$build" tests/bench/bench-app tests/bench/bench-app-floor src/ui/orderly src/cli/orderlyctl >/dev/null

if [ ! -f "$db" ]; then
  mkdir -p "$(dirname "$db")"
  if [ -f "$demo" ]; then
    echo "bench-app: copying $demo to $db"
    cp "$demo" "$db.part"
  else
    echo "bench-app: making $db with orderlyctl demo (about 15 minutes)"
    rm -f "$db.part"
    "$build/src/cli/orderlyctl" --database "$db.part" demo --orders 1000000 --seed 1
  fi
  mv "$db.part" "$db"
fi

export GSK_RENDERER=cairo
exec xvfb-run -a -s "-screen 0 1920x1080x24" \
  dbus-run-session -- "$build/tests/bench/bench-app" --runs "$runs" \
  --orderly "$build/src/ui/orderly" "$db"

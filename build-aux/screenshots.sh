#!/usr/bin/env bash
# Starts Orderly under Xvfb on a demo database and saves screenshots of what a
# new user sees, in light and dark style, into OUTDIR (default
# data/screenshots). Needs a build folder with the app (default _build).
# Usage: build-aux/screenshots.sh [BUILD_DIR] [OUTDIR]
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
out=${2:-$top/data/screenshots}
app="$build/src/ui/orderly"
ctl="$build/src/cli/orderlyctl"
[ -x "$app" ] || { echo "screenshots.sh: no app at $app (build with -Dui=true)" >&2; exit 1; }
command -v import >/dev/null || { echo "screenshots.sh: needs imagemagick's import" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
"$ctl" -d "$tmp/shop.db" demo --orders 20000 --seed 7 >/dev/null
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1

# shoot NAME SCHEME ARGS…: one window, one picture of the screen
# (SCREEN=WxH to change the screen's size)
shoot () {
  local name=$1 scheme=$2; shift 2
  xvfb-run -a -s "-screen 0 ${SCREEN:-1200x760}x24" bash -c '
    ADW_DEBUG_COLOR_SCHEME='"$scheme"' "$0" "$@" & pid=$!
    sleep ${SHOT_WAIT:-8}
    import -window root "'"$out/$name.png"'"
    kill $pid' "$app" "$@"
  echo "saved $out/$name.png"
}

for view in dashboard orders products customers; do
  shoot "$view-light" default --database "$tmp/shop.db" --view "$view"
  shoot "$view-dark" prefer-dark --database "$tmp/shop.db" --view "$view"
done
SCREEN=420x760 shoot dashboard-narrow default --database "$tmp/shop.db" --view dashboard
shoot empty-light default --database "$tmp/empty.db"
shoot empty-dark prefer-dark --database "$tmp/empty.db"

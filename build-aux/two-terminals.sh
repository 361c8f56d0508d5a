#!/usr/bin/env bash
# Two app windows on two databases (two terminals of one shop) against one
# orderly-server on 127.0.0.1, as a person would see them: terminal 1 has an
# order before it starts, a third device pushes another one while both are
# open, and two screenshots of both windows are saved into OUTDIR.
# Usage: xvfb-run -a -s "-screen 0 2300x760x24" dbus-run-session \
#          build-aux/two-terminals.sh [BUILD_DIR] [OUTDIR]
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/_build}" && pwd)
out=${2:-/tmp/orderly-two-terminals}
for tool in xdotool import; do
  command -v $tool >/dev/null || { echo "two-terminals.sh: needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
mkdir -p "$out" "$work/config/glib-2.0/settings"
"$build/src/server/orderly-server" --no-auth --listen 127.0.0.1:0 \
  --database "$work/server.db" > "$work/server.out" 2>&1 &
server=$!
trap 'kill $server $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
  port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/server.out" | head -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
echo "orderly-server on 127.0.0.1:$port"
printf "[io/github/orderly/Orderly]\nserver-url='http://127.0.0.1:%s'\n" "$port" \
  > "$work/config/glib-2.0/settings/keyfile"
export XDG_CONFIG_HOME="$work/config" GSETTINGS_BACKEND=keyfile \
  GSETTINGS_SCHEMA_DIR="$build/data" NO_AT_BRIDGE=1 GSK_RENDERER=cairo

ctl="$build/src/cli/orderlyctl"
"$ctl" -d "$work/a.db" create --customer "Ada Lovelace" --new-customer \
  -i "Sourdough loaf:4.50:2" -i "Rye roll:0.90:6" --notes "Pick up at 9" >/dev/null
"$build/src/ui/orderly" --database "$work/a.db" --view dashboard &
sleep 5
"$build/src/ui/orderly" --database "$work/b.db" --view dashboard &
sleep 6

# Side by side: the windows without a window manager all sit at 0,0.
i=0
for w in $(xdotool search --class orderly); do
  case $(xdotool getwindowgeometry "$w" | grep -oE '[0-9]+x[0-9]+') in
    1x1|10x10|200x200) continue ;;
  esac
  xdotool windowmove "$w" $((i * 1150)) 0 windowsize "$w" 1120 720
  i=$((i + 1))
done
sleep 2
import -window root "$out/both-1.png"
echo "saved $out/both-1.png: the order entered on terminal 1, on both"

"$ctl" -d "$work/c.db" create --customer "Grace Hopper" --new-customer \
  -i "Hamper:35.00:1" --notes "Birthday" >/dev/null
"$ctl" -d "$work/c.db" sync --server "http://127.0.0.1:$port"
sleep 2
import -window root "$out/both-2.png"
echo "saved $out/both-2.png: and another device's order, on both"
for db in a b; do
  echo "terminal $db:"
  "$ctl" -d "$work/$db.db" list
done

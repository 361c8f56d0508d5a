#!/usr/bin/env bash
# Installs what is needed, builds Orderly and runs it on its default local
# database ($XDG_DATA_HOME/orderly/orderly.db; demo data is offered on the
# first start). Extra arguments go to the app, e.g. --database PATH.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/build-aux/deps.sh"

orderly_install "${ORDERLY_BUILD_DEPS[@]}"

build="$top/_build"
if [ -f "$build/build.ninja" ]; then
  meson configure "$build" -Dui=true -Ddevelopment=true >/dev/null
else
  meson setup "$build" "$top" -Ddevelopment=true
fi
ninja -C "$build"

# The schema is compiled into the build folder; the app runs from there.
export GSETTINGS_SCHEMA_DIR="$build/data"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting Orderly on a virtual one (xvfb-run)."
  orderly_install xvfb xauth
  exec xvfb-run -a "$build/src/ui/orderly" "$@"
fi
exec "$build/src/ui/orderly" "$@"

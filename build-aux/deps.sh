#!/usr/bin/env bash
# Installs what Orderly needs to build, run and test on Debian 12.
# Sourced by run.sh and test.sh; uses sudo when not run as root.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

ORDERLY_BUILD_DEPS=(
  build-essential meson ninja-build pkg-config gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libsqlite3-dev libgsl-dev libgnutls28-dev
  desktop-file-utils appstream
)
ORDERLY_TEST_DEPS=(
  sqlite3 xvfb xauth dbus dbus-x11 gnome-keyring yelp-tools libxml2-utils python3 poppler-utils
  tzdata
)
# The references the benchmarks and fixture scripts compare against.
ORDERLY_BENCH_DEPS=(
  sqlite3 python3-numpy python3-statsmodels python3-sklearn r-cran-forecast imagemagick
)

as_root () {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the given packages unless every one is already there.
orderly_install () {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"
  fi
}

#!/usr/bin/env bash
# Runs a command with a fresh, unlocked gnome-keyring on the current D-Bus
# session (start it inside dbus-run-session).
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
tmp=$(mktemp -d)
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf pass | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
trap 'rm -rf "$tmp"' EXIT
"$@"

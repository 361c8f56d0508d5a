#!/usr/bin/env bash
# Installs what is needed, builds Orderly and runs the whole test suite:
# unit and integration tests, UI tests under Xvfb, keyring tests under a
# private D-Bus session, the validators, and the non-UI tests again in an
# AddressSanitizer/UndefinedBehaviorSanitizer build.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/build-aux/deps.sh"

orderly_install "${ORDERLY_BUILD_DEPS[@]}" "${ORDERLY_TEST_DEPS[@]}"

jobs=$(nproc)
results=()

# run_suite NAME BUILD_DIR [meson test args…]: keeps each run's log apart.
run_suite () {
  local name=$1 build=$2; shift 2
  local rc=0 log
  echo "=== $name"
  # meson names the log after the wrapper when there is one: take the
  # one this run wrote.
  rm -f "$build"/meson-logs/testlog*.json
  meson test -C "$build" --print-errorlogs --num-processes "$jobs" "$@" || rc=$?
  log=$(ls -t "$build"/meson-logs/testlog*.json | head -n 1)
  cp "$log" "$build/meson-logs/results-$name.json"
  results+=("$build/meson-logs/results-$name.json")
  return $rc
}

# has_suite BUILD_DIR NAME: does the build define tests in suite NAME?
has_suite () {
  meson introspect --tests "$1" | python3 -c "
import json, sys
suites = {s.split(':')[-1] for t in json.load(sys.stdin) for s in t['suite']}
sys.exit(0 if '$2' in suites else 1)"
}

status=0

# 1. The normal build, warnings as errors.
main="$top/_build-test"
[ -f "$main/build.ninja" ] || meson setup "$main" "$top" -Dwerror=true --buildtype=debugoptimized
ninja -C "$main"

run_suite core "$main" --no-suite ui --no-suite keyring || status=1

if has_suite "$main" ui; then
  run_suite ui "$main" --suite ui --wrapper "xvfb-run -a -s '-screen 0 1280x800x24'" || status=1
fi

if has_suite "$main" keyring; then
  run_suite keyring "$main" --suite keyring \
    --wrapper "dbus-run-session -- $top/build-aux/with-keyring.sh" || status=1
fi

# 2. Sanitizers, non-UI tests.
asan="$top/_build-asan"
[ -f "$asan/build.ninja" ] || meson setup "$asan" "$top" -Dui=false \
  -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug
ninja -C "$asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite asan "$asan" --no-suite ui --no-suite keyring --no-suite validate \
  --timeout-multiplier 4 || status=1

# The closing line counts every test that ran, in every build.
python3 - "${results[@]}" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        continue
    for line in lines:
        if not line.strip():
            continue
        r = json.loads(line)
        res = r.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status

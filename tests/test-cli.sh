#!/usr/bin/env bash
# test-cli.sh: orderlyctl as a person uses it: every subcommand, its
# --help, its errors (on stderr, with a non-zero exit code) and its effects.
# Usage: test-cli.sh PATH/TO/orderlyctl   (TAP output)
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

ctl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/shop.db"
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# check DESCRIPTION COMMAND…: passes when the command succeeds
check () { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }

# run EXPECTED_STATUS ARGS…: runs orderlyctl, keeps stdout/stderr
run () {
  local want=$1; shift
  "$ctl" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "# orderlyctl $* exited $got, expected $want" >&2
    sed 's/^/# out: /' "$tmp/out" >&2
    sed 's/^/# err: /' "$tmp/err" >&2
    return 1
  fi
  return 0
}
out_has () { grep -q -- "$1" "$tmp/out"; }
err_has () { grep -q -- "$1" "$tmp/err"; }

# Help for the tool and for each command.
check "--help lists the commands" run 0 --help
check "--help names every command" bash -c "for c in demo import export list show create edit cancel set-status stats sync forecast segments risk anomalies recommend; do grep -q \"  \$c \" '$tmp/out' || exit 1; done"
for c in demo import export list show create edit cancel set-status stats sync forecast segments risk anomalies recommend; do
  check "$c --help" run 0 "$c" --help
  check "$c --help shows usage" out_has "orderlyctl $c"
done

# Wrong arguments: a clear error on stderr, exit code 2.
check "unknown command fails" run 2 frobnicate
check "unknown command is named" err_has "frobnicate"
check "unknown option fails" run 2 -d "$db" list --colour
check "bad status is explained" run 2 -d "$db" list --status shiped
check "bad status names the word" err_has "shiped"
check "bad sort is explained" run 2 -d "$db" list --sort price
check "bad date is explained" run 2 -d "$db" list --from "next tuesday"
check "bad date names the option" err_has "\-\-from"
check "demo needs a positive count" run 2 -d "$db" demo --orders -5
check "import needs a file" run 2 -d "$db" import
check "import: missing file fails" run 1 -d "$db" import "$tmp/nope.csv"
check "import: missing file is named" err_has "nope.csv"
check "bad role is explained" run 1 --role king -d "$db" stats

# An empty shop.
check "stats on a new database" run 0 -d "$db" stats --json
check "new database has no orders" out_has '"orders" : 0'

# Create orders by hand.
check "create with a new customer" run 0 -d "$db" create --customer "Grace Hopper" --new-customer \
  --item "Sourdough loaf:4.50:2" --item "Butter:1.99:1" --notes "Ring twice" --currency EUR \
  --tax-rate 1000
check "create prints the provisional number" out_has "T1-0001"
check "create prints the total with tax" out_has "12.09"
check "create without --new-customer does not invent one" run 1 -d "$db" create --customer "Nobody" --item "Tea:1:1"
check "create: unknown customer is explained" err_has "Nobody"
check "create: bad quantity" run 2 -d "$db" create --customer "Grace Hopper" --item "Tea:1.00:-3"
check "create: bad quantity is explained" err_has "quantity"
check "create: bad price" run 2 -d "$db" create --customer "Grace Hopper" --item "Tea:1.001:1"
check "create a second order" run 0 -d "$db" create --customer "grace hopper" --item "Coffee:3.20:1" --due "2030-01-02 10:30"
check "second order is T1-0002" out_has "T1-0002"

check "show an order" run 0 -d "$db" show T1-0001
check "show lists its lines" out_has "Sourdough loaf"
check "show lists its timeline" out_has "Created"
check "show --json" run 0 -d "$db" show T1-0001 --json
check "show --json has the total" out_has '"total" : 1209'
check "show: unknown order" run 1 -d "$db" show T9-9999
check "show: unknown order is named" err_has "T9-9999"

# Edit, then the status machine.
check "edit the notes and a quantity" run 0 -d "$db" edit T1-0001 --notes "Leave at the door" --set-quantity "Butter=2"
check "edit prints the new total" out_has "14.28"
check "edit is in the timeline" bash -c "'$ctl' -d '$db' show T1-0001 | grep -q 'Edited'"
check "a customer cannot confirm" run 1 --role customer -d "$db" set-status T1-0001 confirmed
check "the refusal says why" err_has "T1-0001"
check "the owner confirms" run 0 -d "$db" set-status T1-0001 confirmed
check "a stale --from loses" run 1 -d "$db" set-status T1-0001 preparing --from pending
check "a customer cannot edit a confirmed order" run 1 --role customer -d "$db" edit T1-0001 --notes "more"
check "cancel needs a reason" run 2 -d "$db" cancel T1-0002
check "cancel with a reason" run 0 -d "$db" cancel T1-0002 --reason "Shop closed that day"
check "cancelled is terminal" run 1 -d "$db" set-status T1-0002 pending
check "cancellation reason in the timeline" bash -c "'$ctl' -d '$db' show T1-0002 | grep -q 'Shop closed that day'"

# Lists.
check "list" run 0 -d "$db" list
check "list shows both orders" bash -c "grep -q T1-0001 '$tmp/out' && grep -q T1-0002 '$tmp/out'"
check "list --status cancelled" run 0 -d "$db" list --status cancelled --json
check "only the cancelled order" bash -c "grep -q T1-0002 '$tmp/out' && ! grep -q T1-0001 '$tmp/out'"
check "list --search" run 0 -d "$db" list --search sourdough --json
check "search finds by item" bash -c "grep -q '\"total\" : 1' '$tmp/out' && grep -q T1-0001 '$tmp/out'"
check "list --customer" run 0 -d "$db" list --customer "Grace Hopper" --sort number --asc
check "list --sort number --asc puts T1-0001 first" bash -c "sed -n 2p '$tmp/out' | grep -q T1-0001"

# Export → import round trip into a new database.
check "export" run 0 -d "$db" export --output "$tmp/orders.csv"
check "export has a header and one line per item" bash -c "[ \$(wc -l < '$tmp/orders.csv') -eq 4 ]"
check "import the export elsewhere" run 0 -d "$tmp/copy.db" import "$tmp/orders.csv"
check "import reports 2 orders" out_has "2 orders imported"
check "importing again adds nothing" run 0 -d "$tmp/copy.db" import "$tmp/orders.csv"
check "second import skips both" out_has "0 orders imported, 2 already present"
check "the copy exports the same" bash -c "'$ctl' -d '$tmp/copy.db' export > '$tmp/again.csv' && cmp '$tmp/orders.csv' '$tmp/again.csv'"

# A CSV with a bad row: reported with file and line, good orders kept.
cp "$tmp/orders.csv" "$tmp/bad.csv"
echo "this,is,not,an,order" >> "$tmp/bad.csv"
check "import with a broken row" run 0 -d "$tmp/bad.db" import "$tmp/bad.csv"
check "the broken row is reported with its line" err_has "bad.csv:5"
check "--strict turns rejects into exit 3" run 3 -d "$tmp/bad2.db" import --strict "$tmp/bad.csv"

# Demo data: deterministic for a seed.
check "demo" run 0 -d "$tmp/demo1.db" demo --orders 300 --seed 42 --end 2026-06-30
check "demo again" run 0 -d "$tmp/demo2.db" demo --orders 300 --seed 42 --end 2026-06-30
check "same seed, same shop" bash -c "'$ctl' -d '$tmp/demo1.db' export > '$tmp/d1.csv' && '$ctl' -d '$tmp/demo2.db' export > '$tmp/d2.csv' && cmp -s '$tmp/d1.csv' '$tmp/d2.csv'"
check "demo stats" run 0 -d "$tmp/demo1.db" stats --json
check "demo has 300 orders" out_has '"orders" : 300'

echo "1..$n"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Measures the checkout's server time on SQLite: `candor serve --demo` (test mode, the
# built-in card processor answering from memory) and the load generator bench/checkout
# on the same machine, one buyer at a time and then four.
#   N=500 bash bench/checkout.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${PORT:-18190}
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/candor" ./cmd/candor
go build -o "$work/load" ./bench/checkout
CANDOR_DATA_DIR="$work/data" "$work/candor" serve --demo --addr "127.0.0.1:$port" --trusted-proxy 127.0.0.1/32 \
  --tax-rate DE=19 --log-level warn >/dev/null 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
"$work/load" -url "http://127.0.0.1:$port" -n 50 -c 1 >/dev/null # warm up
for c in 1 4; do
  "$work/load" -url "http://127.0.0.1:$port" -n "${N:-500}" -c "$c"
done

#!/usr/bin/env bash
# Does the answer time of /subscribe and /orders/find tell who subscribed or bought?
# Starts `candor serve --demo` on 127.0.0.1 (--antibot-difficulty 1: the proof-of-work is
# the visitor's cost; --trusted-proxy so each request has its own client address) and
# prints the medians of n requests of each kind, side by side, with their ratio.
#   N=30 bash bench/timing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${PORT:-18083}
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/candor" ./cmd/candor
go build -o "$work/load" ./bench/timing
CANDOR_DATA_DIR="$work/data" "$work/candor" serve --demo --addr "127.0.0.1:$port" --trusted-proxy 127.0.0.1/32 \
  --antibot-difficulty 1 --tax-rate DE=19 --log-level warn >"$work/log" 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
"$work/load" -url "http://127.0.0.1:$port" -n "${N:-30}"

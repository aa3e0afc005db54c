#!/usr/bin/env bash
# Measures sustained sign-ups per second through POST /subscribe on SQLite (the storage
# runs after the answer: docs/newsletter.md)
# (or CANDOR_DB=postgres://…): a fresh server on 127.0.0.1 with --antibot-difficulty 1
# (the proof-of-work is the visitor's browser's cost; the server still verifies every
# token and solution) and --trusted-proxy so the generator can vary the client IP.
#   N=20000 C=32 bash bench/subscribe.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${PORT:-18081}
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/candor" ./cmd/candor
go build -o "$work/load" ./bench/subscribe
CANDOR_DATA_DIR="$work/data" "$work/candor" serve --addr "127.0.0.1:$port" --trusted-proxy 127.0.0.1/32 \
  --antibot-difficulty 1 --log-level warn >/dev/null 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
"$work/load" -url "http://127.0.0.1:$port" -n "${N:-20000}" -c "${C:-32}"

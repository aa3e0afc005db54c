#!/usr/bin/env bash
# Measures the foundation's figures for docs/performance.md: binary size, time from start
# to /readyz, idle RSS, and sign-in latency. Everything runs on 127.0.0.1 and stops itself.
#   bash bench/foundation.sh            (SQLite)
#   CANDOR_DB=postgres://postgres@127.0.0.1:5432/candor_bench bash bench/foundation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${PORT:-18080}
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

go build -o "$work/candor" ./cmd/candor
go build -ldflags='-s -w' -o "$work/candor-stripped" ./cmd/candor
printf 'binary size: %s bytes (%s MiB); stripped (-s -w): %s bytes\n' \
  "$(stat -c %s "$work/candor")" "$(( $(stat -c %s "$work/candor") / 1048576 ))" "$(stat -c %s "$work/candor-stripped")"

export CANDOR_DATA_DIR="$work/data"
"$work/candor" migrate >/dev/null 2>&1
echo 'bench-password-123' | "$work/candor" staff add --email bench@example.com --role owner >/dev/null 2>&1 || true

t0=$(date +%s%N)
"$work/candor" serve --addr "127.0.0.1:$port" --trusted-proxy 127.0.0.1/32 --log-level warn >/dev/null 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.005; done
t1=$(date +%s%N)
echo "start to /readyz: $(( (t1 - t0) / 1000000 )) ms"
sleep 5
echo "idle RSS after 5 s: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

go run ./bench/signin -url "http://127.0.0.1:$port" -email bench@example.com -password bench-password-123 -n "${N:-100}" -c 1
go run ./bench/signin -url "http://127.0.0.1:$port" -email bench@example.com -password bench-password-123 -n "${N:-100}" -c 4
echo "RSS after sign-ins: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

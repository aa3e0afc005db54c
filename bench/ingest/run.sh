#!/usr/bin/env bash
# Measures `candor ingest-log` on a generated 1,000,000-line combined log beside GoAccess
# (Debian package goaccess) on the same file. Reports wall-clock time, CPU time (user +
# sys, which is steadier on a shared machine) and peak memory of each.
#   LINES=1000000 RUNS=3 bash bench/ingest/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lines=${LINES:-1000000}
go build -o "$work/candor" ./cmd/candor
go run ./bench/ingest -lines "$lines" -o "$work/access.log"
ls -l "$work/access.log" | awk '{printf "log: %d lines, %.0f MB\n", '"$lines"', $5/1e6}'
fmt='%e s wall, %U+%S s CPU, %M KB peak'
for run in $(seq "${RUNS:-3}"); do
  rm -rf "$work/data"
  "$work/candor" migrate --data-dir "$work/data" >/dev/null 2>&1
  "$work/candor" sites add bench --domain example.com --data-dir "$work/data" >/dev/null 2>&1
  echo "run $run: candor ingest-log --site bench FILE"
  /usr/bin/time -f "  candor:   $fmt" "$work/candor" ingest-log --site bench --data-dir "$work/data" --log-level warn "$work/access.log" |
    sed 's/^/  /'
  if command -v goaccess >/dev/null; then
    /usr/bin/time -f "  goaccess: $fmt" goaccess "$work/access.log" --log-format=COMBINED --no-progress -o "$work/report.json" 2>&1 |
      grep -v '^Cleaning' || true
  fi
done

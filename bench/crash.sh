#!/usr/bin/env bash
# Crash recovery of campaign mail for docs/performance.md: N recipients (default
# 20,000) seeded with the seed kit, the mail worker wired as `candor serve` on SQLite
# (2-minute lease, POOL SMTP connections, default 20) in a child process, SIGKILLed when
# the STARTTLS sink has received the K-th message (default 5,000) and restarted at once.
# Reports duplicates, lost recipients and seconds from the restart until done.
#   bash bench/crash.sh            N=20000 K=5000 POOL=20 RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/benchcrash
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./bench/crash
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
for _ in $(seq "${RUNS:-3}"); do
  "$bin" -n "${N:-20000}" -k "${K:-5000}" -pool "${POOL:-20}"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at end"

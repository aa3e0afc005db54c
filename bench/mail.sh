#!/usr/bin/env bash
# Mail delivery figures for docs/performance.md: a campaign to 20,000 confirmed
# subscribers into a local counting SMTP sink (go-smtp, STARTTLS), on SQLite and on
# PostgreSQL, without DKIM and with Ed25519 and RSA-2048 signatures. Each line is run
# RUNS times (default 3); the best and the median rate are what to compare, since other
# work on the machine only ever slows a run down.
#   bash bench/mail.sh
#   PG=postgres://postgres@127.0.0.1:5432/postgres bash bench/mail.sh   (default server)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
pg=${PG:-postgres://postgres@127.0.0.1:5432/postgres}
bin=$(mktemp -d)/benchmail
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./bench/mail
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
row() {
  local label=$1; shift
  local rates=() cpus=()
  for _ in $(seq "$runs"); do
    out=$("$bin" "$@")
    rates+=("$(sed -n 's/.*: \([0-9]*\) messages\/s.*/\1/p' <<<"$out")")
    cpus+=("$(sed -n 's/.*(\([0-9]*\) µs per message).*/\1/p' <<<"$out")")
  done
  sorted=$(printf '%s\n' "${rates[@]}" | sort -n)
  best=$(tail -1 <<<"$sorted"); median=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | head -1)
  printf '%-48s best %6s/s  median %6s/s  CPU %4s µs/message (runs: %s)\n' "$label" "$best" "$median" "$cpu" "${rates[*]}"
}
row "SQLite, newsletter renderer"                  -renderer newsletter
row "SQLite, simple renderer"                      -renderer simple
row "SQLite, newsletter renderer, DKIM Ed25519"    -renderer newsletter -dkim ed25519
row "SQLite, newsletter renderer, DKIM RSA-2048"   -renderer newsletter -dkim rsa
row "PostgreSQL, newsletter renderer"              -db "$pg" -renderer newsletter
row "PostgreSQL, simple renderer"                  -db "$pg" -renderer simple
row "PostgreSQL, newsletter renderer, DKIM Ed25519" -db "$pg" -renderer newsletter -dkim ed25519
row "PostgreSQL, newsletter renderer, DKIM RSA-2048" -db "$pg" -renderer newsletter -dkim rsa
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at end"

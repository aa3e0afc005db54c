#!/usr/bin/env bash
# Dashboard server time and bytes on disk of visitor statistics: feeds N generated page
# views (30 days, 1,000 pages, referrers, countries from random public IPs, real user
# agents, screens, languages) through the real aggregator into a fresh SQLite database
# (or DB=postgres://…), flushing every simulated hour, then times Reports.Summary +
# Reports.Daily for the 30-day range R times and prints the size on disk.
#   N=10000000 R=20 bash bench/stats.sh            # SQLite in a temporary directory
#   DB=postgres://user@host/db N=1000000 bash bench/stats.sh
#   PROFILE=/tmp/reports.pprof bash bench/stats.sh # CPU profile of the report repetitions
#   START=2026-03-03 bash bench/stats.sh            # a range starting on a Tuesday: the most rows read
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/stats" ./bench/stats
args=(-n "${N:-10000000}" -r "${R:-20}" -days "${DAYS:-30}" -pages "${PAGES:-1000}" -start "${START:-2026-03-01}")
[ -n "${DB:-}" ] && args+=(-db "$DB")
[ -n "${PROFILE:-}" ] && args+=(-cpuprofile "$PROFILE")
"$work/stats" "${args[@]}" "$@"

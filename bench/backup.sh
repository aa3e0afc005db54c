#!/usr/bin/env bash
# Measures `candor backup` and `candor restore` (SQLite) on a data directory with N
# confirmed subscribers, and the backup's size against the database's.
#   N=100000 bash bench/backup.sh
set -euo pipefail
n=${N:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/candor" ./cmd/candor
go run ./bench/backup -data "$work/data" -n "$n"
[ -z "${PAGEVIEWS:-}" ] || {
  go run ./bench/ingest -lines "$PAGEVIEWS" -o "$work/access.log"
  "$work/candor" sites add bench --domain example.com --data-dir "$work/data" --log-level warn >/dev/null
  "$work/candor" ingest-log --site bench --data-dir "$work/data" --log-level warn "$work/access.log" >/dev/null
}
"$work/candor" migrate --data-dir "$work/data" --log-level warn >/dev/null 2>&1 || true
age_id=$(go run filippo.io/age/cmd/age-keygen 2>/dev/null | tee "$work/vendor.agekey" | grep -o 'age1[a-z0-9]*' | head -1) || true
if [ -z "$age_id" ]; then
  echo "age-keygen not runnable" >&2; exit 1
fi
fmt="%e s elapsed, %M KB max RSS"
/usr/bin/time -f "backup:  $fmt" "$work/candor" backup --to "$work/b.age" --include-keys --data-dir "$work/data" --backup-recipient "$age_id" --log-level warn
/usr/bin/time -f "restore: $fmt" "$work/candor" restore --from "$work/b.age" --identity "$work/vendor.agekey" --data-dir "$work/restored" --log-level warn
echo "database: $(stat -c %s "$work/data/candor.db") bytes (+ WAL $(stat -c %s "$work/data/candor.db-wal" 2>/dev/null || echo 0)); backup: $(stat -c %s "$work/b.age") bytes; restored database: $(stat -c %s "$work/restored/candor.db") bytes"

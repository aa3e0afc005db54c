#!/usr/bin/env bash
# Measures `candor backup` and `candor restore` on a data directory with N confirmed
# subscribers, and the backup's size against the database's.
#   N=100000 bash bench/backup.sh                      # SQLite (VACUUM INTO)
#   DB=postgres N=100000 bash bench/backup.sh          # PostgreSQL (sqldb.RowsFormat)
# DB=postgres makes two fresh databases on PGSERVER (default
# postgres://postgres@127.0.0.1:5432/postgres), dropped at the end.
set -euo pipefail
n=${N:-100000}
work=$(mktemp -d)
server=${PGSERVER:-postgres://postgres@127.0.0.1:5432/postgres}
src_db=() dst_db=()
cleanup() {
  rm -rf "$work"
  if [ "${DB:-sqlite}" = postgres ]; then
    psql -q "$server" -c "DROP DATABASE IF EXISTS candor_bench_src WITH (FORCE)" -c "DROP DATABASE IF EXISTS candor_bench_dst WITH (FORCE)" >/dev/null
  fi
}
trap cleanup EXIT
if [ "${DB:-sqlite}" = postgres ]; then
  psql -q "$server" -c "DROP DATABASE IF EXISTS candor_bench_src WITH (FORCE)" -c "DROP DATABASE IF EXISTS candor_bench_dst WITH (FORCE)" \
    -c "CREATE DATABASE candor_bench_src" -c "CREATE DATABASE candor_bench_dst" >/dev/null
  src_db=(--db "${server%/*}/candor_bench_src") dst_db=(--db "${server%/*}/candor_bench_dst")
fi
go build -o "$work/candor" ./cmd/candor
go run ./bench/backup -data "$work/data" -n "$n" ${src_db[1]:+-db "${src_db[1]}"}
[ -z "${PAGEVIEWS:-}" ] || {
  go run ./bench/ingest -lines "$PAGEVIEWS" -o "$work/access.log"
  "$work/candor" sites add bench --domain example.com --data-dir "$work/data" "${src_db[@]}" --log-level warn >/dev/null
  "$work/candor" ingest-log --site bench --data-dir "$work/data" "${src_db[@]}" --log-level warn "$work/access.log" >/dev/null
}
"$work/candor" migrate --data-dir "$work/data" "${src_db[@]}" --log-level warn >/dev/null 2>&1 || true
age_id=$(go run filippo.io/age/cmd/age-keygen 2>/dev/null | tee "$work/vendor.agekey" | grep -o 'age1[a-z0-9]*' | head -1) || true
if [ -z "$age_id" ]; then
  echo "age-keygen not runnable" >&2; exit 1
fi
fmt="%e s elapsed, %M KB max RSS"
/usr/bin/time -f "backup:  $fmt" "$work/candor" backup --to "$work/b.age" --include-keys --data-dir "$work/data" "${src_db[@]}" --backup-recipient "$age_id" --log-level warn
/usr/bin/time -f "restore: $fmt" "$work/candor" restore --from "$work/b.age" --identity "$work/vendor.agekey" --data-dir "$work/restored" "${dst_db[@]}" --log-level warn
if [ "${DB:-sqlite}" = postgres ]; then
  size() { psql -At "$server" -c "SELECT pg_database_size('$1')"; }
  echo "database: $(size candor_bench_src) bytes (pg_database_size); backup: $(stat -c %s "$work/b.age") bytes; restored database: $(size candor_bench_dst) bytes"
else
  echo "database: $(stat -c %s "$work/data/candor.db") bytes (+ WAL $(stat -c %s "$work/data/candor.db-wal" 2>/dev/null || echo 0)); backup: $(stat -c %s "$work/b.age") bytes; restored database: $(stat -c %s "$work/restored/candor.db") bytes"
fi

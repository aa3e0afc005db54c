#!/usr/bin/env bash
# Measures hits per second accepted by POST /collect and GET /pixel.gif (answered from
# memory, the aggregator flushing its sums every 5 s) beside a plain net/http handler
# answering 204, under the same load in the same run (in alternating one-second slices, so
# that both see the same load from anything else on the machine), on one machine shared
# by server and generator, loopback only.
# The load is the realistic traffic mix of bench/collect/mix (20,000 visitors from public
# IPv4s, 177 browser user agents + 3 % bots, 500 Zipf(1.1) pages, 45 % with referrers,
# 6 % with UTM tags); TRAFFIC=one-agent sends the older one-Chrome load. MODES lists the
# measurements (collect, pixel, collect-close, pixel-close), each D per side.
# Candor runs `serve --demo` (the demo registers the site 127.0.0.1) with --trusted-proxy
# so the generator can vary visitors by X-Forwarded-For. Afterwards it reads the stored
# page views of the day (`candor stats`) until every hit accepted from a browser is in
# the database, and prints how long after the load that took (the flush lag).
#   C=64 D=10s bash bench/collect.sh
#   C=64 D=10s MODES=collect,pixel,collect-close,pixel-close bash bench/collect.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${PORT:-18090}
bport=$((port + 1))
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
go build -o "$work/candor" ./cmd/candor
go build -o "$work/load" ./bench/collect
export CANDOR_METRICS_TOKEN=bench-collect-metrics-token
CANDOR_DATA_DIR="$work/data" "$work/candor" serve --demo --addr "127.0.0.1:$port" --trusted-proxy 127.0.0.1/32 \
  --log-level warn >/dev/null 2>&1 &
pids+=($!)
"$work/load" -serve-baseline "127.0.0.1:$bport" &
pids+=($!)
until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && curl -s "http://127.0.0.1:$bport/" >/dev/null 2>&1; do sleep 0.05; done
stored() { # the page views stored for today
  CANDOR_DATA_DIR="$work/data" "$work/candor" stats --site demo --json --from "$(date -u +%F)" --to "$(date -u +%F)" |
    sed -n 's/.*"pageviews": \([0-9]*\).*/\1/p' | head -1
}
before=$(stored)
"$work/load" -candor "http://127.0.0.1:$port" -baseline "http://127.0.0.1:$bport" -c "${C:-64}" -d "${D:-10s}" \
  -traffic "${TRAFFIC:-mix}" -modes "${MODES:-collect,pixel,pixel-close}" | tee "$work/out"
sent=$(sed -n 's/^sent to Candor: *\([0-9]*\) accepted.*/\1/p' "$work/out")
end=$(date +%s.%N)
for _ in $(seq 200); do
  now=$(stored)
  if [ $((now - before)) -ge "$sent" ]; then
    printf 'stored:             %d page views, %.1f s after the load ended\n' $((now - before)) "$(awk "BEGIN{print $(date +%s.%N) - $end}")"
    exit 0
  fi
  sleep 0.1
done
echo "stored:             $((now - before)) of $sent page views after 20 s" >&2
exit 1

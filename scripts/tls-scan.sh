#!/usr/bin/env bash
# Scans Candor's own TLS listener with an outside scanner (Debian's sslscan) and fails
# on anything a payment-handling service must not offer (issue 11, "no card over plain
# HTTP"; docs/security.md#tls-scan):
#   - SSLv2, SSLv3, TLS 1.0 or TLS 1.1 accepted;
#   - a cipher suite that is not AEAD (GCM, CCM, ChaCha20-Poly1305) or not forward
#     secret (TLS 1.2 without ECDHE/DHE);
#   - weak key exchange: finite-field DH under 2048 bits, an elliptic curve under 256
#     bits (X25519 counts as 256: its 253-bit field gives 128-bit security), a group
#     of under 128 bits of security; a certificate key under RSA 2048 / EC 256 (sslscan
#     prints an EC key's security bits: P-256 is 128);
#   - insecure renegotiation, TLS compression, Heartbleed;
#   - no Strict-Transport-Security header (curl).
# It starts `candor serve --demo` on 127.0.0.1 with a self-signed certificate (openssl),
# once with an RSA 2048 key and once with an ECDSA P-256 key, so that both families of
# suites are offered. Loopback only, bounded (every step has a timeout).
#   bash scripts/tls-scan.sh            # exit 0: no finding; 1: findings listed
#   KEEP=DIR bash scripts/tls-scan.sh   # keep the scanner's reports in DIR
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
die() { echo "tls-scan: $*" >&2; exit 2; }

command -v sslscan >/dev/null || {
  [ "$(id -u)" = 0 ] || die "sslscan is missing (apt-get install sslscan)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q sslscan >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q sslscan >/dev/null; }
}
command -v openssl >/dev/null || die "openssl is missing"
command -v curl >/dev/null || die "curl is missing"

port=${PORT:-18443}
go build -o "$work/candor" ./cmd/candor
findings=0

# check REPORT: the findings of one sslscan report (text, --no-colour), one a line.
check() {
  awk '
    /^(SSLv2|SSLv3|TLSv1\.0|TLSv1\.1)[ \t]+enabled/ { print "protocol accepted: " $1 }
    /^(Preferred|Accepted)[ \t]/ {
      proto = $2; suite = $5
      if (suite !~ /GCM|CCM|CHACHA20/) print "non-AEAD cipher suite: " proto " " suite
      if (proto != "TLSv1.3" && suite !~ /^(ECDHE|DHE)-/) print "cipher suite without forward secrecy: " proto " " suite
      for (i = 6; i <= NF; i++) {
        if ($i == "DHE" && $(i-1) !~ /^[0-9]+$/ && $(i-2) != "Curve" && $(i+1) + 0 < 2048) print "finite-field DH under 2048 bits: " suite " " $(i+1)
        if ($i == "Curve" && $(i+1) != "25519" && $(i+3) + 0 < 256) print "elliptic curve under 256 bits: " suite " " $(i+1) " " $(i+3)
      }
    }
    /^TLSv1\.[0-9][ \t]+[0-9]+ bits[ \t]/ { if ($2 + 0 < 128) print "key exchange group under 128-bit security: " $0 }
    /^RSA Key Strength:/ { if ($4 + 0 < 2048) print "certificate RSA key under 2048 bits: " $4 }
    /^ECC Key Strength:/ { if ($4 + 0 < 128) print "certificate EC key under 256 bits (" $4 "-bit security)" }
    /Insecure session renegotiation supported/ { print "insecure renegotiation" }
    /^Compression enabled/ { print "TLS compression enabled" }
    / vulnerable to heartbleed/ && !/not vulnerable/ { print "heartbleed: " $0 }
  ' "$1"
}

for kind in rsa ec; do
  case $kind in
    rsa) keyopt=(-newkey rsa:2048) ;;
    ec) keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
  esac
  openssl req -x509 "${keyopt[@]}" -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/$kind.key" -out "$work/$kind.crt" 2>/dev/null
  CANDOR_DATA_DIR="$work/data-$kind" timeout 300 "$work/candor" serve --demo --addr "127.0.0.1:$port" \
    --tls-cert "$work/$kind.crt" --tls-key "$work/$kind.key" >"$work/serve-$kind.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    curl -sk --max-time 2 -o /dev/null "https://127.0.0.1:$port/healthz" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve-$kind.log" >&2; die "candor serve did not start"; }
    sleep 0.2
  done
  timeout 180 sslscan --no-colour "127.0.0.1:$port" >"$work/sslscan-$kind.txt" 2>&1 || die "sslscan failed ($kind): $(tail -3 "$work/sslscan-$kind.txt")"
  hsts=$(curl -sk --max-time 5 -D - -o /dev/null "https://127.0.0.1:$port/" | tr -d '\r' | grep -i '^strict-transport-security:' || true)
  out=$(check "$work/sslscan-$kind.txt")
  [[ "$hsts" =~ max-age=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 15768000 ] || out+=$'\n'"no Strict-Transport-Security of at least 6 months: '${hsts}'"
  out=$(printf '%s\n' "$out" | sed '/^$/d')
  echo "== $kind certificate: sslscan $(sed -n 's/^Version: *//p' "$work/sslscan-$kind.txt" | head -1) on 127.0.0.1:$port"
  sed -n '/SSL\/TLS Protocols:/,/^  SSL Certificate:/p' "$work/sslscan-$kind.txt" | sed '/^  SSL Certificate:/d;/^$/d'
  grep -E '^(RSA Key Strength|ECC Curve Name|ECC Key Strength|Signature Algorithm):' "$work/sslscan-$kind.txt" || true
  echo "HSTS: ${hsts:-none}"
  if [ -n "$out" ]; then
    printf '%s\n' "$out" | sed "s/^/FINDING ($kind): /"
    findings=$((findings + $(printf '%s\n' "$out" | wc -l)))
  else
    echo "no finding"
  fi
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$work/sslscan-$kind.txt" "$KEEP/"
  kill "$pid" && wait "$pid" 2>/dev/null || true
  pid=
done
echo "tls-scan: $findings finding(s)"
[ "$findings" = 0 ]

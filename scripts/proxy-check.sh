#!/usr/bin/env bash
# Runs the reverse-proxy examples of packaging/ (nginx and Caddy, Debian's packages) in
# front of `candor serve --demo`, all on loopback, and checks what docs/packaging.md
# claims of them:
#   - pages and the admin answer through the proxy over TLS 1.2+ (TLS 1.1 refused);
#   - a request body is never spooled to disk: nginx's client-body temp directory stays
#     empty after a 900 KB POST;
#   - a body over the proxy's limit is refused by the proxy (413).
# Installs nginx-light and caddy with apt-get when missing (root only), without starting
# the system's services. Bounded: every step has a timeout; everything stops on exit.
#   bash scripts/proxy-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! command -v nginx >/dev/null || ! command -v caddy >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "nginx and caddy are missing (apt-get install nginx-light caddy)"
  guard=
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light caddy >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light caddy >/dev/null; }
  [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
fi

port=${PORT:-18380}
nginx_port=$((port + 1))
caddy_port=$((port + 2))
go build -o "$work/candor" ./cmd/candor
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=candor.example.com \
  -addext subjectAltName=DNS:candor.example.com -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# The demo keeps its built-in test processor, which a public https URL would refuse:
# the public URL names localhost here (a real install names its own host).
CANDOR_DATA_DIR="$work/data" "$work/candor" serve --demo --addr "127.0.0.1:$port" \
  --public-url https://localhost --trusted-proxy 127.0.0.1/32 --log-level info >"$work/candor.log" 2>&1 &
pids+=($!)

# nginx: the example as shipped, with ports, certificate and temp paths made local.
mkdir -p "$work/nginx/body"
sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$nginx_port ssl http2;|" -e '/listen \[::\]/d' -e '/listen 80;/d' \
    -e "s|/etc/ssl/candor/fullchain.pem|$work/cert.pem|" -e "s|/etc/ssl/candor/privkey.pem|$work/key.pem|" \
    -e "s|127.0.0.1:8080|127.0.0.1:$port|" packaging/nginx/candor.conf >"$work/nginx/site.conf"
cat >"$work/nginx/nginx.conf" <<NGINX
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  include $work/nginx/site.conf;
}
NGINX
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)

# Caddy: the example with the site address on a loopback port and our certificate.
sed -e "s|^candor.example.com {|candor.example.com:$caddy_port {|" -e "s|^\ttls {|\ttls $work/cert.pem $work/key.pem {|" \
    -e "s|127.0.0.1:8080|127.0.0.1:$port|" packaging/caddy/Caddyfile >"$work/Caddyfile"
printf '{\n\tadmin off\n\tauto_https disable_redirects\n\tstorage file_system %s\n}\n' "$work/caddy" | cat - "$work/Caddyfile" >"$work/Caddyfile.run"
XDG_DATA_HOME="$work/caddy" XDG_CONFIG_HOME="$work/caddy" caddy run --adapter caddyfile --config "$work/Caddyfile.run" >"$work/caddy.log" 2>&1 &
pids+=($!)

for _ in $(seq 600); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/candor.log"; fail "Candor did not become ready"; }
check_proxy() { # name port
  local name=$1 p=$2
  local c=(curl -sS --max-time 10 --resolve "candor.example.com:$p:127.0.0.1" --cacert "$work/cert.pem")
  local url="https://candor.example.com:$p"
  for _ in $(seq 100); do "${c[@]}" -o /dev/null "$url/healthz" 2>/dev/null && break; sleep 0.1; done
  for path in / /admin/login; do
    code=$("${c[@]}" -o "$work/page" -w '%{http_code}' "$url$path" || true)
    [ "$code" = 200 ] || { tail -5 "$work/candor.log" "$work/nginx/error.log" "$work/caddy.log" 2>/dev/null; fail "$name: $path answered $code, want 200"; }
  done
  "${c[@]}" --tlsv1.1 --tls-max 1.1 -o /dev/null "$url/" 2>/dev/null && fail "$name: TLS 1.1 accepted"
  # 900 KB of form body: accepted by the proxy, refused or handled by Candor, never on disk.
  head -c 900000 /dev/zero | tr '\0' 'a' | sed 's/^/email=/' >"$work/body"
  code=$("${c[@]}" -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
    -H "Origin: https://candor.example.com" --data-binary @"$work/body" "$url/subscribe")
  case $code in 2??|3??|4??) ;; *) fail "$name: 900 KB POST answered $code" ;; esac
  head -c 9000000 /dev/zero >"$work/big"
  code=$("${c[@]}" -o /dev/null -w '%{http_code}' -X POST --data-binary @"$work/big" "$url/subscribe")
  [ "$code" = 413 ] || fail "$name: a 9 MB POST answered $code, want 413"
  echo "$name: ok (TLS 1.2+, pages through the proxy, 900 KB body streamed, 9 MB refused)"
}
check_proxy nginx "$nginx_port"
[ -z "$(find "$work/nginx/body" -type f)" ] || fail "nginx spooled a request body to $work/nginx/body"
echo "nginx: no request body written to disk"
check_proxy caddy "$caddy_port"
echo "proxy check passed"

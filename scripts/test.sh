#!/usr/bin/env bash
# Runs every Candor test, installing and starting what the tests need first:
#   - Go modules (go mod download);
#   - Debian's chromium for the browser tests (apt-get, when missing and we are root);
#   - mailpit for the mail tests and stripe-mock for the payment tests (go install, when
#     missing; the tests start them);
#   - Debian's dovecot-imapd for the IMAP tests (apt-get, when missing and we are root;
#     the tests start private instances on loopback, never the system's service);
#   - PostgreSQL on 127.0.0.1:5432 (started with pg_ctlcluster when installed but down).
# Then: gofmt and go vet, the whole suite on SQLite, and the storage-backed suites again
# on PostgreSQL (a fresh database per test). With CI=1 a missing PostgreSQL, Chromium,
# stripe-mock or Dovecot (or Dovecot without root) is a failure, never a silent skip.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }
PG_URL="${CANDOR_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"

say "Go modules"
go mod download

say "Chromium (browser tests)"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
  fi
fi
if command -v chromium >/dev/null 2>&1; then
  chromium --version
  export CANDOR_REQUIRE_BROWSER=1
elif [ -n "${CI:-}" ]; then
  echo "chromium is missing and could not be installed" >&2; exit 1
else
  echo "chromium not found: browser tests will be skipped (install Debian's chromium)"
fi

say "mailpit (SMTP server for the mail tests, which start it themselves)"
export PATH="$(go env GOPATH)/bin:$PATH"
if ! command -v mailpit >/dev/null 2>&1; then
  go install github.com/axllent/mailpit@v1.33.1
fi
mailpit version --no-release-check 2>&1 | sed -n 1p

say "stripe-mock (Stripe's API mock for the payment tests, which start it themselves)"
if ! command -v stripe-mock >/dev/null 2>&1; then
  go install github.com/stripe/stripe-mock@v0.203.0
fi
stripe-mock -version 2>&1 | sed -n 1p
export CANDOR_REQUIRE_STRIPEMOCK=1

say "Dovecot (IMAP server for the contact-answer tests, which start private instances of it)"
if ! command -v dovecot >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # Installed without starting the system's own Dovecot (it would listen on every
  # interface): policy-rc.d forbids service starts for the length of the install.
  guard=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q dovecot-imapd >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dovecot-imapd >/dev/null; } || true
  [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
fi
if command -v dovecot >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  dovecot --version
  export CANDOR_REQUIRE_DOVECOT=1
elif [ -n "${CI:-}" ]; then
  echo "Dovecot is missing or the tests do not run as root" >&2; exit 1
else
  echo "Dovecot not usable: the IMAP tests use go-imap's in-memory server instead"
fi

say "PostgreSQL"
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || psql "$PG_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; }
if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 20); do pg_up && break; sleep 0.5; done
fi
if pg_up; then
  echo "PostgreSQL answers at 127.0.0.1:5432"
  HAVE_PG=1
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is not reachable at 127.0.0.1:5432" >&2; exit 1
else
  echo "PostgreSQL not reachable: the PostgreSQL pass is skipped (set CANDOR_TEST_POSTGRES)"
  HAVE_PG=0
fi

say "gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi
go vet ./...

say "Tests on SQLite"
go test -count=1 -timeout 15m ./...

if [ "$HAVE_PG" = 1 ]; then
  say "Tests on PostgreSQL"
  # Every package whose tests open a database (they import testkit/dbtest) runs again.
  pg_pkgs=$(go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... |
    awk '/testkit\/dbtest/ {print $1}' | grep -v '/testkit/dbtest$')
  CANDOR_TEST_POSTGRES="$PG_URL" go test -count=1 -timeout 15m $pg_pkgs
fi
say "All tests passed"

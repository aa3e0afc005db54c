#!/usr/bin/env bash
# Builds a release binary of Candor: reproducible paths (-trimpath), symbols and DWARF
# stripped (-s -w), no cgo, the release and the commit stamped (`candor version` prints
# "candor 0.1.0+<commit>", from the version constant and Go's VCS build info). Prints
# its size and, with SIZES=1, the 25 largest packages by symbol size (from an unstripped
# build, since a stripped one has no symbol table).
#   bash scripts/release.sh [OUT]          (default: dist/candor-linux-amd64)
#   GOOS=darwin GOARCH=arm64 bash scripts/release.sh dist/candor-darwin-arm64
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist/candor-$(go env GOOS)-$(go env GOARCH)}
mkdir -p "$(dirname "$out")"
CGO_ENABLED=0 go build -trimpath -buildvcs=true -ldflags='-s -w' -o "$out" ./cmd/candor
printf '%s: %d bytes (%.1f MiB)\n' "$out" "$(stat -c %s "$out")" "$(awk "BEGIN{print $(stat -c %s "$out")/1048576}")"
if [ "$(go env GOOS)" = "$(go env GOHOSTOS)" ] && [ "$(go env GOARCH)" = "$(go env GOHOSTARCH)" ]; then
  "$out" version
fi
if [ -n "${SIZES:-}" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  CGO_ENABLED=0 go build -trimpath -o "$tmp/candor" ./cmd/candor
  go tool nm -size -sort size "$tmp/candor" | awk '
    { name = $4; sub(/\(.*$/, "", name); n = split(name, p, ".");
      pkg = (n > 1) ? substr(name, 1, length(name) - length(p[n]) - 1) : name;
      sub(/\.\(?\*?[A-Za-z0-9_]+\)?$/, "", pkg); size[pkg] += $2 }
    END { for (k in size) printf "%10.2f MiB  %s\n", size[k] / 1048576, k }' | sort -rn | head -25
fi

// Package packaging holds what a vendor installs Candor with besides the binary: a
// hardened systemd unit (systemd/candor.service) and reverse-proxy examples for nginx
// and Caddy (nginx/, caddy/). Its tests check the unit with systemd-analyze; the proxy
// examples are run in front of a real Candor by scripts/proxy-check.sh. See
// docs/packaging.md.
package packaging

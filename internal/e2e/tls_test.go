package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/testkit/certs"
)

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	cert, err := certs.New()
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = cert.WriteFiles(t, dir)
	return certFile, keyFile, cert.Pool
}

// Promise: under Candor's own TLS, session cookies are Secure with the __Host- prefix,
// HSTS is sent, and the server's own error messages (a failed TLS handshake names the
// client's address) reach the logs without any client IP address.
func TestServeTLS(t *testing.T) {
	in := newInstall(t)
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	if _, err := in.candor("", nil, append([]string{"migrate"}, in.args()...)...); err != nil {
		t.Fatal(err)
	}
	if _, err := in.candor("secret-tls-owner-pw-1\n", nil, append([]string{"staff", "add", "--email", "tls@example.com", "--role", "owner"}, in.args()...)...); err != nil {
		t.Fatal(err)
	}
	in.canary("secret-tls-owner-pw-1", "tls@example.com")
	s := in.serve("--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("listening on %s; want https", s.url)
	}
	b := s.browser()
	b.http.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}

	r := b.get("/healthz")
	want(t, r, http.StatusOK)
	checkSecurityHeaders(t, r)
	if hsts := r.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("Strict-Transport-Security %q", hsts)
	}
	r = b.post("/admin/login", url.Values{"email": {"tls@example.com"}, "password": {"secret-tls-owner-pw-1"}})
	wantRedirect(t, r, "/admin/")
	var session *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == "__Host-candor_session" {
			session = c
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly || session.Path != "/" || session.Domain != "" {
		t.Fatalf("session cookie %q; want __Host-candor_session, Secure, HttpOnly, Path=/", r.Header.Values("Set-Cookie"))
	}
	want(t, b.get("/api/v1/me"), http.StatusOK)

	// A client that speaks plain HTTP to the TLS port: net/http reports a handshake error.
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	client := conn.LocalAddr().String()
	in.canary(client)
	_, _ = conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _ = conn.Read(make([]byte, 512))
	conn.Close()
	deadline := time.Now().Add(30 * time.Second) // how long a loaded machine may take, not a speed check
	for !strings.Contains(in.logs.String(), "TLS handshake error") {
		if time.Now().After(deadline) {
			t.Fatalf("the TLS handshake error did not reach the logs (Env.Stderr) within 30 s:\n%s", in.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.stop()
}

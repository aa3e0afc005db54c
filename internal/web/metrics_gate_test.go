package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serveFrom sends one request straight to the server's handler as if it came from the
// TCP peer remote (host:port), with the given headers: how a test stands at a
// non-loopback address without leaving loopback.
func (e *env) serveFrom(remote, method, target string, body string, hdr map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	r.RemoteAddr = remote
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w
}

// Promise (issue 11, the edges): /metrics, which shows in real time when someone posts
// a form or pays, answers only from this machine or to the --metrics-token.
func TestMetricsOnlyLoopbackOrToken(t *testing.T) {
	const token = "s3cret-metrics-token-0123456789"
	e := newEnv(t, "--metrics-token", token, "--trusted-proxy", "10.0.0.9", "--trusted-proxy", "127.0.0.2")
	cases := []struct {
		name   string
		remote string
		hdr    map[string]string
		want   int
	}{
		{"remote peer without the token", "203.0.113.7:5000", nil, http.StatusUnauthorized},
		{"remote peer with a wrong token", "203.0.113.7:5000", map[string]string{"Authorization": "Bearer wrong-token-0123456789"}, http.StatusUnauthorized},
		{"remote peer with the token", "203.0.113.7:5000", map[string]string{"Authorization": "Bearer " + token}, http.StatusOK},
		{"remote peer with the token, scheme in lower case", "203.0.113.7:5000", map[string]string{"Authorization": "bearer " + token}, http.StatusOK},
		{"remote peer with the token under another scheme", "203.0.113.7:5000", map[string]string{"Authorization": "Basic " + token}, http.StatusUnauthorized},
		{"loopback peer", "127.0.0.1:5000", nil, http.StatusOK},
		{"loopback IPv6 peer", "[::1]:5000", nil, http.StatusOK},
		{"remote peer claiming loopback in X-Forwarded-For", "203.0.113.7:5000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, http.StatusUnauthorized},
		{"trusted proxy forwarding a remote client", "10.0.0.9:5000", map[string]string{"X-Forwarded-For": "203.0.113.7"}, http.StatusUnauthorized},
		{"trusted proxy forwarding a loopback client", "10.0.0.9:5000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, http.StatusUnauthorized},
		{"trusted loopback proxy forwarding a remote client", "127.0.0.2:5000", map[string]string{"X-Forwarded-For": "203.0.113.7"}, http.StatusUnauthorized},
		{"trusted loopback proxy saying nothing", "127.0.0.2:5000", nil, http.StatusUnauthorized},
		{"trusted loopback proxy forwarding a loopback client", "127.0.0.2:5000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, http.StatusOK},
		{"untrusted loopback proxy forwarding someone", "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.7"}, http.StatusUnauthorized},
		{"trusted proxy forwarding with the token", "10.0.0.9:5000", map[string]string{"X-Forwarded-For": "203.0.113.7", "Authorization": "Bearer " + token}, http.StatusOK},
	}
	for _, c := range cases {
		w := e.serveFrom(c.remote, http.MethodGet, "/metrics", "", c.hdr)
		if w.Code != c.want {
			t.Errorf("%s: /metrics answered %d, want %d\n%s", c.name, w.Code, c.want, w.Body)
		}
		if w.Code == http.StatusOK && !strings.Contains(w.Body.String(), "candor_http_requests_total") {
			t.Errorf("%s: no metrics in the answer", c.name)
		}
		if w.Code != http.StatusOK && strings.Contains(w.Body.String(), "candor_") {
			t.Errorf("%s: a refusal carries metrics", c.name)
		}
	}
}

// Without --metrics-token, /metrics answers loopback only and says so (403).
func TestMetricsWithoutTokenLoopbackOnly(t *testing.T) {
	e := newEnv(t)
	if w := e.serveFrom("203.0.113.7:5000", http.MethodGet, "/metrics", "", map[string]string{"Authorization": "Bearer anything-at-all-1234"}); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "--metrics-token") {
		t.Errorf("remote /metrics without a configured token: %d %s", w.Code, w.Body)
	}
	if w := e.serveFrom("127.0.0.1:5000", http.MethodGet, "/metrics", "", nil); w.Code != http.StatusOK {
		t.Errorf("loopback /metrics: %d", w.Code)
	}
}

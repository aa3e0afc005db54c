package mailpit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/testkit/certs"
	"github.com/candor-dev/candor/internal/testkit/proc"
)

// Options choose how a Server listens. STARTTLS with a fresh self-signed
// certificate is always offered (Candor's smtp:// requires it).
type Options struct {
	Auth              bool   // accept any AUTH (--smtp-auth-accept-any --smtp-auth-allow-insecure)
	ImplicitTLS       bool   // TLS from the first byte, for smtps:// (--smtp-require-tls)
	AllowedRecipients string // refuse other recipients with 550 5.1.0 (--smtp-allowed-recipients)
	Chaos             bool   // allow SetChaos (--enable-chaos)
}

// Server is a mailpit process on loopback, started for one test and stopped when it
// ends. Read what it received through its REST API.
type Server struct {
	SMTPAddr string      // 127.0.0.1:PORT
	API      string      // http://127.0.0.1:PORT
	Cert     *certs.Cert // the certificate it presents; trust Cert.Pool
}

// Binary finds the mailpit executable: on PATH, or in $(go env GOPATH)/bin, where
// scripts/test.sh installs it. It returns "" when there is none.
func Binary() string { return proc.Binary("mailpit") }

// Start starts mailpit on random loopback ports. Without a mailpit binary the
// test is skipped, or fails under CI=1 (install: go install github.com/axllent/mailpit@v1.33.1).
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	bin := proc.Require(t, "mailpit", "", "go install github.com/axllent/mailpit@v1.33.1")
	cert, err := certs.New()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := cert.WriteFiles(t, dir)
	var m *Server
	proc.Start(t, bin, startTimeout, func() ([]string, func() bool) {
		smtpPort, apiPort := proc.FreePort(t), proc.FreePort(t)
		m = &Server{SMTPAddr: "127.0.0.1:" + smtpPort, API: "http://127.0.0.1:" + apiPort, Cert: cert}
		args := []string{"--disable-version-check", "--smtp-disable-rdns", "--quiet", "--max", "0",
			"--smtp", m.SMTPAddr, "--listen", "127.0.0.1:" + apiPort,
			"--database", filepath.Join(dir, "mailpit-"+smtpPort+".db"),
			"--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile}
		if o.Auth {
			args = append(args, "--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
		}
		if o.ImplicitTLS {
			args = append(args, "--smtp-require-tls")
		}
		if o.AllowedRecipients != "" {
			args = append(args, "--smtp-allowed-recipients", o.AllowedRecipients)
		}
		if o.Chaos {
			args = append(args, "--enable-chaos")
		}
		return args, m.ready
	})
	return m
}

// ready reports whether the API answers /readyz and the SMTP port accepts connections.
func (m *Server) ready() bool {
	// A bounded probe: a mailpit that accepts but does not answer is retried, not waited on
	// past startTimeout.
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(m.API + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	c, err := net.DialTimeout("tcp", m.SMTPAddr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return resp.StatusCode == http.StatusOK
}

// URL returns the relay URL for Candor: smtp:// (STARTTLS) or smtps:// (implicit TLS),
// with user and password when given.
func (m *Server) URL(scheme, user, pass string) *url.URL {
	u := &url.URL{Scheme: scheme, Host: m.SMTPAddr}
	if user != "" {
		u.User = url.UserPassword(user, pass)
	}
	return u
}

// Address is a mail address in mailpit's JSON.
type Address struct{ Name, Address string }

// Summary is one received message as mailpit lists it.
type Summary struct {
	ID        string
	MessageID string
	From      *Address
	To        []Address
	Subject   string
	Username  string // the AUTH user, when the client authenticated
}

// Messages lists the messages received, newest first.
func (m *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var out struct {
		Total    int
		Messages []Summary `json:"messages"`
	}
	m.getJSON(t, "/api/v1/messages?limit=1000000", &out)
	return out.Messages
}

// Wait polls until at least n messages have arrived, or fails the test after timeout:
// a hang guard, so give it a minute (a loaded CI machine delivers late, not never).
func (m *Server) Wait(t testing.TB, n int, timeout time.Duration) []Summary {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := m.Messages(t)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit received %d messages; want %d within %s", len(got), n, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Raw returns a message exactly as received (for DKIM verification).
func (m *Server) Raw(t testing.TB, id string) []byte {
	t.Helper()
	return m.get(t, "/api/v1/message/"+url.PathEscape(id)+"/raw")
}

// Headers returns a message's header fields.
func (m *Server) Headers(t testing.TB, id string) map[string][]string {
	t.Helper()
	var h map[string][]string
	m.getJSON(t, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h
}

// SetChaos makes mailpit answer the given stage ("Sender", "Recipient" or
// "Authentication") with code at probability percent; 0 turns it off.
func (m *Server) SetChaos(t testing.TB, stage string, code, probability int) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{stage: map[string]int{"ErrorCode": code, "Probability": probability}})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPut, m.API+"/api/v1/chaos", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("mailpit chaos: %s: %s", resp.Status, b)
	}
}

func (m *Server) get(t testing.TB, path string) []byte {
	t.Helper()
	resp, err := http.Get(m.API + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("mailpit GET %s: %s: %s", path, resp.Status, b)
	}
	return b
}

func (m *Server) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(m.get(t, path), v); err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
}

// startTimeout is how long the program may take to answer after it is started before
// the try counts as failed: generous, since CI runs loaded and a slow start is not what
// any test checks.
const startTimeout = 60 * time.Second

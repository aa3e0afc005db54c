package stripemocktest

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"go/build"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Version is the stripe-mock release the tests are written against.
const Version = "v0.203.0"

// install is how to get the binary, for the skip and failure messages.
const install = "go install github.com/stripe/stripe-mock@" + Version

// Key is an API key stripe-mock accepts (any sk_test_… does).
const Key = "sk_test_candor"

// Mock is a stripe-mock process on loopback, started for one test.
type Mock struct {
	URL      *url.URL // http://127.0.0.1:P, for the adapter's API option
	HTTPSURL *url.URL // https://127.0.0.1:Q, with a self-signed certificate
}

// Binary finds the stripe-mock executable: on PATH, or in $(go env GOPATH)/bin, where
// scripts/test.sh installs it. It returns "" when there is none.
func Binary() string {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = build.Default.GOPATH
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "stripe-mock")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// required reports whether a missing stripe-mock fails the test instead of skipping.
func required() bool {
	return os.Getenv("CI") != "" || os.Getenv("CANDOR_REQUIRE_STRIPEMOCK") == "1"
}

// Start starts stripe-mock on two free loopback ports (HTTP and HTTPS) and waits until
// both answer; it is killed when the test ends. Without the binary the test is
// skipped, or fails when CI or CANDOR_REQUIRE_STRIPEMOCK=1 is set.
func Start(t testing.TB) *Mock {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if required() {
			t.Fatal("stripe-mock not found: " + install)
		}
		t.Skip("stripe-mock not found (" + install + "); skipping")
	}
	var lastErr error
	for range 5 {
		httpPort, httpsPort := freePort(t), freePort(t)
		m := &Mock{
			URL:      &url.URL{Scheme: "http", Host: "127.0.0.1:" + httpPort},
			HTTPSURL: &url.URL{Scheme: "https", Host: "127.0.0.1:" + httpsPort},
		}
		var logs bytes.Buffer
		cmd := exec.Command(bin, "-http-addr", m.URL.Host, "-https-addr", m.HTTPSURL.Host)
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if lastErr = m.waitReady(exited); lastErr == nil {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
			})
			return m
		}
		_ = cmd.Process.Kill()
		<-exited
		lastErr = fmt.Errorf("%w; stripe-mock said: %s", lastErr, strings.TrimSpace(logs.String()))
	}
	t.Fatalf("stripe-mock did not start: %v", lastErr)
	return nil
}

// waitReady polls both listeners with an authenticated request.
func (m *Mock) waitReady(exited chan error) error {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // stripe-mock's own self-signed certificate
	}}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("stripe-mock exited: %v", err)
		default:
		}
		if m.answers(client, m.URL) && m.answers(client, m.HTTPSURL) {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("stripe-mock not ready after 20 s")
}

// answers reports whether base answers GET /v1/balance with 200.
func (m *Mock) answers(client *http.Client, base *url.URL) bool {
	req, _ := http.NewRequest(http.MethodGet, base.String()+"/v1/balance", nil)
	req.Header.Set("Authorization", "Bearer "+Key)
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// freePort returns a port that was free on 127.0.0.1 a moment ago.
func freePort(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

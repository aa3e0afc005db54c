package stripemock

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/testkit/proc"
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
func Binary() string { return proc.Binary("stripe-mock") }

// Start starts stripe-mock on two free loopback ports (HTTP and HTTPS) and waits until
// both answer; it is killed when the test ends. Without the binary the test is
// skipped, or fails when CI or CANDOR_REQUIRE_STRIPEMOCK=1 is set.
func Start(t testing.TB) *Mock {
	t.Helper()
	bin := proc.Require(t, "stripe-mock", "CANDOR_REQUIRE_STRIPEMOCK", install)
	var m *Mock
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // stripe-mock's own self-signed certificate
	}}
	defer client.CloseIdleConnections()
	proc.Start(t, bin, startTimeout, func() ([]string, func() bool) {
		m = &Mock{
			URL:      &url.URL{Scheme: "http", Host: "127.0.0.1:" + proc.FreePort(t)},
			HTTPSURL: &url.URL{Scheme: "https", Host: "127.0.0.1:" + proc.FreePort(t)},
		}
		return []string{"-http-addr", m.URL.Host, "-https-addr", m.HTTPSURL.Host},
			func() bool { return m.answers(client, m.URL) && m.answers(client, m.HTTPSURL) }
	})
	return m
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

// startTimeout is how long the program may take to answer after it is started before
// the try counts as failed: generous, since CI runs loaded and a slow start is not what
// any test checks.
const startTimeout = 60 * time.Second

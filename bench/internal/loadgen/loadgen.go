// Package loadgen is what the load generators in bench/ share: running requests over a
// fixed number of concurrent clients, and timing one form post that comes, as far as a
// server behind --trusted-proxy can tell, from a given address.
package loadgen

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Parallel calls fn(0..n-1) from c goroutines and returns how long that took.
func Parallel(n, c int, fn func(i int)) time.Duration {
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// PostForm posts form to target with X-Forwarded-For: forwardedFor (and the extra
// headers given as name, value pairs) and returns the answer, its body closed, and the
// time it took.
func PostForm(client *http.Client, target, forwardedFor string, form url.Values, headers ...string) (*http.Response, time.Duration, error) {
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", forwardedFor)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	t0 := time.Now()
	res, err := client.Do(req)
	d := time.Since(t0)
	if res != nil {
		res.Body.Close()
	}
	return res, d, err
}

// NoRedirects is a client that returns redirects rather than following them.
func NoRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

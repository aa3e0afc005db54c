package canary

import (
	"bytes"
	"sync"
)

// Buffer is a goroutine-safe writer that keeps everything written to it: a log sink
// for a server under test, to be searched for canaries afterwards.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Canaries collects values that must never reach a text (the logs of a test server),
// registered as a test goes along, and checks them all at the end, in every encoding.
type Canaries struct {
	mu     sync.Mutex
	values []string
}

// Add registers values; empty ones are ignored.
func (c *Canaries) Add(values ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range values {
		if v != "" {
			c.values = append(c.values, v)
		}
	}
}

// AssertNotIn fails the test for every canary found in text, which is named by where.
func (c *Canaries) AssertNotIn(t interface {
	Helper()
	Errorf(string, ...any)
}, where, text string) {
	t.Helper()
	c.mu.Lock()
	values := append([]string(nil), c.values...)
	c.mu.Unlock()
	for _, h := range FindIn(where, []byte(text), values...) {
		t.Errorf("the %s contain the canary %q (%s)", where, h.Canary, h.Encoding)
	}
}

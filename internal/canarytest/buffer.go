package canarytest

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

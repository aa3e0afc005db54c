package accesslog

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
)

// fakeRecorder counts page views per path; it refuses every third hit once, to prove
// that the ingester waits and retries instead of dropping.
type fakeRecorder struct {
	mu      sync.Mutex
	pending map[string]int
	flushed map[string]int
	calls   int
	refused int
}

func newFakeRecorder() *fakeRecorder {
	return &fakeRecorder{pending: map[string]int{}, flushed: map[string]int{}}
}

func (r *fakeRecorder) Record(h analytics.Hit) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls%3 == 0 {
		r.refused++
		return false
	}
	if !h.IP.IsValid() || h.Time.IsZero() || h.Kind != analytics.KindPageview {
		panic(fmt.Sprintf("incomplete hit %+v", h))
	}
	r.pending[h.Path]++
	return true
}

func (r *fakeRecorder) Flush(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, v := range r.pending {
		r.flushed[k] += v
	}
	clear(r.pending)
	return nil
}

func (r *fakeRecorder) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, v := range r.flushed {
		n += v
	}
	return n
}

// memStates is a StateStore in memory.
type memStates struct {
	mu sync.Mutex
	m  map[string]State
}

func (s *memStates) IngestState(_ context.Context, site int64, head string) (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[fmt.Sprint(site, head)]
	if !ok {
		return State{}, errs.E(errs.NotFound, "Not found.")
	}
	return st, nil
}

func (s *memStates) SaveIngestState(_ context.Context, st State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]State{}
	}
	s.m[fmt.Sprint(st.SiteID, st.Head)] = st
	return nil
}

func headHash(b []byte) string {
	h := sha256.Sum256(append([]byte("k"), b...))
	return hex.EncodeToString(h[:])
}

func newIngester(t *testing.T, rec Recorder, states StateStore, format string) *Ingester {
	t.Helper()
	f, err := Compile(format, "", "")
	if err != nil {
		t.Fatal(err)
	}
	flt, err := NewFilter(FilterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &Ingester{Site: 1, Format: f, Filter: flt, Recorder: rec, State: states, HeadHash: headHash}
}

// logLines returns n combined lines, one page view each, from second `from` on.
func logLines(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		ts := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second).Format(CLFTime)
		fmt.Fprintf(&b, "192.0.2.%d - - [%s] \"GET /p/%d HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0\"\n", i%250+1, ts, i)
	}
	return b.String()
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestIngestMixAndCounts(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "access.log")
	data := logLines(0, 3) +
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /app.js HTTP/1.1" 200 1 "-" "Mozilla/5.0"` + "\n" +
		`192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] "GET /nope HTTP/1.1" 404 1 "-" "Mozilla/5.0"` + "\n" +
		"not a log line\n" + strings.Repeat("x", MaxLine+10) + "\n" +
		logLines(3, 1) + logLines(4, 1)[:40] // an unfinished last line waits for the next run
	writeFile(t, p, data)
	rec := newFakeRecorder()
	in := newIngester(t, rec, &memStates{}, "combined")
	if err := in.IngestFile(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if err := in.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := in.Stats
	if st.Lines != 8 || st.Kept != 4 || st.Malformed != 2 || st.Filtered[ReasonAsset] != 1 || st.Filtered[ReasonStatus] != 1 || st.Partial != 40 {
		t.Errorf("stats %+v", st)
	}
	if rec.total() != 4 || rec.refused == 0 {
		t.Errorf("recorded %d (refused %d), want 4 after retries", rec.total(), rec.refused)
	}
}

func TestSameLogTwiceCountsOnce(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "access.log")
	writeFile(t, p, logLines(0, 10))
	rec, states := newFakeRecorder(), &memStates{}
	run := func(paths ...string) *Ingester {
		t.Helper()
		in := newIngester(t, rec, states, "combined")
		for _, p := range paths {
			if err := in.IngestFile(context.Background(), p); err != nil {
				t.Fatal(err)
			}
		}
		if err := in.Checkpoint(context.Background()); err != nil {
			t.Fatal(err)
		}
		return in
	}
	run(p)
	if in := run(p); in.Stats.Lines != 0 || in.Stats.Skipped != 10 {
		t.Errorf("second run %+v", in.Stats)
	}
	// The file grew: only the new lines count.
	writeFile(t, p, logLines(0, 15))
	// A copy, and the same log gzipped (as logrotate leaves it), and on standard input.
	cp := filepath.Join(dir, "copy.log")
	writeFile(t, cp, logLines(0, 15))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(logLines(0, 16)))
	zw.Close()
	gzPath := filepath.Join(dir, "access.log.1.gz")
	writeFile(t, gzPath, gz.String())
	in := newIngester(t, rec, states, "combined")
	in.Stdin = strings.NewReader(logLines(0, 17))
	for _, path := range []string{p, cp, gzPath, "-"} {
		if err := in.IngestFile(context.Background(), path); err != nil {
			t.Fatal(err)
		}
	}
	in.Checkpoint(context.Background())
	if got := rec.total(); got != 17 {
		t.Errorf("page views %d, want 17: every line once", got)
	}
	// A different log (another first line) at the same path starts from zero.
	writeFile(t, p, logLines(100, 5))
	run(p)
	if got := rec.total(); got != 22 {
		t.Errorf("page views %d, want 22", got)
	}
}

func TestTruncatedFileRestarts(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "access.log")
	writeFile(t, p, logLines(0, 10))
	rec, states := newFakeRecorder(), &memStates{}
	for _, data := range []string{logLines(0, 10), logLines(0, 3)} {
		writeFile(t, p, data)
		in := newIngester(t, rec, states, "combined")
		if err := in.IngestFile(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		in.Checkpoint(context.Background())
	}
	if got := rec.total(); got != 13 {
		t.Errorf("page views %d, want 13: a file shorter than what was read is read again", got)
	}
}

func TestCommonAndCustomFormats(t *testing.T) {
	for format, line := range map[string]string{
		"common":                               `2001:db8::7 - - [01/Nov/2026:10:00:00 +0100] "GET /a HTTP/1.1" 200 5`,
		`%h %^[%d:%t %^] "%r" %s %b "%R" "%u"`: `192.0.2.3 - - [01/Nov/2026:10:00:00 +0100] "GET /a HTTP/1.1" 200 5 "-" "Mozilla/5.0"`,
	} {
		rec := newFakeRecorder()
		in := newIngester(t, rec, nil, format)
		in.Stdin = strings.NewReader(line + "\n" + line) // the last line without newline counts on stdin
		if err := in.IngestFile(context.Background(), "-"); err != nil {
			t.Fatal(err)
		}
		in.Checkpoint(context.Background())
		if rec.total() != 2 || in.Stats.Malformed != 0 {
			t.Errorf("%s: %d page views, stats %+v", format, rec.total(), in.Stats)
		}
	}
}

func TestFollowAcrossRotationAndTruncation(t *testing.T) {
	if testing.Short() {
		t.Skip("follows a file for a few seconds")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "access.log")
	writeFile(t, p, logLines(0, 5))
	rec, states := newFakeRecorder(), &memStates{}
	in := newIngester(t, rec, states, "combined")
	in.FlushEvery = 20 * time.Millisecond
	// A give-up bound only: the waits below end as soon as the page views are counted.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- in.Follow(ctx, p, 10*time.Millisecond) }()
	waitFor := func(n int) {
		t.Helper()
		for rec.total() < n {
			if ctx.Err() != nil {
				t.Fatalf("page views %d, want %d", rec.total(), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor(5)
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(logLines(5, 3))
	f.WriteString(logLines(8, 1)[:20]) // half a line: waits for the rest
	time.Sleep(50 * time.Millisecond)
	f.WriteString(logLines(8, 1)[20:])
	f.Close()
	waitFor(9)
	// Rotation: rename, a last line to the old file, then a new file at the path.
	os.Rename(p, p+".1")
	f, _ = os.OpenFile(p+".1", os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(logLines(9, 1))
	f.Close()
	writeFile(t, p, logLines(1000, 4))
	waitFor(14)
	// Truncation (copytruncate): the file restarts with new content.
	writeFile(t, p, logLines(2000, 2))
	waitFor(16)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := rec.total(); got != 16 {
		t.Errorf("page views %d, want 16", got)
	}
	// Ingesting the rotated file afterwards counts nothing twice.
	in2 := newIngester(t, rec, states, "combined")
	if err := in2.IngestFile(context.Background(), p+".1"); err != nil {
		t.Fatal(err)
	}
	in2.Checkpoint(context.Background())
	if got := rec.total(); got != 16 {
		t.Errorf("after re-reading the rotated file: %d page views, want 16", got)
	}
}

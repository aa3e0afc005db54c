package accesslog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
)

// Recorder counts hits: *analytics.Aggregator.
type Recorder interface {
	Record(analytics.Hit) bool
	Flush(ctx context.Context) error
}

// State is what is remembered of one ingested log: never a line, an address or an agent.
type State struct {
	SiteID        int64
	Head          string // HeadHash of the first line: the log's identity across copies
	Device, Inode uint64 // the file it was last read from; 0 for standard input
	Offset        int64  // bytes of complete lines ingested (uncompressed)
	UpdatedAt     time.Time
}

// StateStore remembers what was ingested. IngestState returns an errs.NotFound error
// for a log never seen.
type StateStore interface {
	IngestState(ctx context.Context, site int64, head string) (State, error)
	SaveIngestState(ctx context.Context, s State) error
}

// Stats count what an Ingester did.
type Stats struct {
	Lines     int64            // complete lines read, those skipped as already ingested excluded
	Kept      int64            // lines passed to the aggregator (bots among them)
	Filtered  map[string]int64 // by Reason*
	Malformed int64
	Skipped   int64 // lines skipped because an earlier run ingested them
	Partial   int64 // bytes of an unfinished last line left for the next run
}

// Ingester reads access logs of one site into a Recorder. It is not safe for concurrent use.
type Ingester struct {
	Site       int64
	Format     *Format
	Filter     *Filter
	Recorder   Recorder
	State      StateStore          // nil: nothing remembered, every run counts everything
	HeadHash   func([]byte) string // keyed hash of a first line; required with State
	FlushEvery time.Duration       // how often to flush and save offsets; 5 s when zero
	Stdin      io.Reader           // what "-" reads
	Now        func() time.Time

	Stats Stats

	parser    *Parser
	entry     Entry
	dirty     map[string]*stream // streams whose offset moved since the last checkpoint
	lastFlush time.Time
	intern    interner
}

// stream is one log being read.
type stream struct {
	lr       *lineReader
	state    State
	headSeen bool
	skip     int64 // bytes at the start already ingested by an earlier run
	pos      int64 // bytes of complete lines consumed
	grows    bool  // a regular file: an unfinished last line waits for the next run
	size     func() int64
}

func (in *Ingester) init() {
	if in.parser == nil {
		in.parser = in.Format.NewParser()
		in.Stats.Filtered = map[string]int64{}
		in.dirty = map[string]*stream{}
		if in.Now == nil {
			in.Now = time.Now
		}
		if in.FlushEvery <= 0 {
			in.FlushEvery = 5 * time.Second
		}
		if in.Filter == nil {
			in.Filter = &Filter{}
		}
		in.lastFlush = in.Now()
	}
}

// IngestFile reads one file to its end ("-" is Stdin); gzip is detected by content.
func (in *Ingester) IngestFile(ctx context.Context, path string) error {
	in.init()
	var r io.Reader
	s := &stream{}
	if path == "-" {
		if in.Stdin == nil {
			return errors.New("no standard input")
		}
		r = in.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		s.state.Device, s.state.Inode = fileID(fi)
		s.grows = fi.Mode().IsRegular()
		s.size = func() int64 { return fi.Size() }
		r = f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r, s.grows, s.size = zr, false, nil
	} else {
		r = br
	}
	s.lr = newLineReader(r)
	if err := in.drain(ctx, s); err != nil {
		return fmt.Errorf("%s: %w", displayName(path), err)
	}
	if s.lr.err != nil {
		return fmt.Errorf("%s: %w", displayName(path), s.lr.err)
	}
	if line, size, tooLong := s.lr.rest(); size > 0 {
		if s.grows {
			in.Stats.Partial += int64(size)
		} else if err := in.line(ctx, s, line, size, tooLong); err != nil {
			return err
		}
	}
	return nil
}

func displayName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// drain processes every complete line available now.
func (in *Ingester) drain(ctx context.Context, s *stream) error {
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if in.Now().Sub(in.lastFlush) >= in.FlushEvery {
				if err := in.Checkpoint(ctx); err != nil {
					return err
				}
			}
		}
		line, size, tooLong, ok := s.lr.next()
		if !ok {
			return nil
		}
		if err := in.line(ctx, s, line, size, tooLong); err != nil {
			return err
		}
	}
}

// line handles one line that took size bytes of input.
func (in *Ingester) line(ctx context.Context, s *stream, line []byte, size int, tooLong bool) error {
	if line == nil && !tooLong {
		s.pos += int64(size) // part of a line too long, still being dropped
		return nil
	}
	if !s.headSeen {
		if err := in.head(ctx, s, line, tooLong); err != nil {
			return err
		}
	}
	s.pos += int64(size)
	if s.pos <= s.skip {
		in.Stats.Skipped++
		return nil
	}
	in.markDirty(s)
	in.Stats.Lines++
	if tooLong {
		in.Stats.Malformed++
		return nil
	}
	e := &in.entry
	if err := in.parser.Parse(line, e); err != nil {
		in.Stats.Malformed++
		return nil
	}
	if r := in.Filter.Reason(e); r != "" {
		in.Stats.Filtered[r]++
		return nil
	}
	in.Stats.Kept++
	return in.record(ctx, in.hit(e))
}

// head identifies the log by its first line and looks up how far an earlier run got.
func (in *Ingester) head(ctx context.Context, s *stream, line []byte, tooLong bool) error {
	s.headSeen = true
	s.state.SiteID = in.Site
	if in.State == nil || in.HeadHash == nil || tooLong {
		return nil
	}
	s.state.Head = in.HeadHash(line)
	if prev := in.dirty[s.state.Head]; prev != nil && prev != s {
		s.skip = prev.pos // the same log read earlier in this run, not yet saved
		return nil
	}
	old, err := in.State.IngestState(ctx, in.Site, s.state.Head)
	switch {
	case errs.Is(err, errs.NotFound):
		return nil
	case err != nil:
		return err
	}
	s.skip = old.Offset
	if s.size != nil && s.size() < old.Offset {
		s.skip = 0 // truncated and rewritten: start again
	}
	return nil
}

func (in *Ingester) markDirty(s *stream) {
	if s.state.Head != "" && in.dirty[s.state.Head] != s {
		in.dirty[s.state.Head] = s
	}
}

// record passes h on, waiting while the aggregator is full: a log line is never dropped.
func (in *Ingester) record(ctx context.Context, h analytics.Hit) error {
	for wait := time.Millisecond; !in.Recorder.Record(h); wait = min(2*wait, 100*time.Millisecond) {
		if err := in.Checkpoint(ctx); err != nil {
			return err
		}
		if in.Recorder.Record(h) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
	return nil
}

// Checkpoint flushes the aggregates, then saves the offsets of the lines they count.
func (in *Ingester) Checkpoint(ctx context.Context) error {
	in.init()
	in.lastFlush = in.Now()
	if err := in.Recorder.Flush(ctx); err != nil {
		return fmt.Errorf("flushing statistics: %w", err)
	}
	if in.State == nil {
		return nil
	}
	for head, s := range in.dirty {
		st := s.state
		st.Offset, st.UpdatedAt = s.pos, in.Now().UTC()
		if err := in.State.SaveIngestState(ctx, st); err != nil {
			return fmt.Errorf("saving what was ingested: %w", err)
		}
		delete(in.dirty, head)
	}
	return nil
}

// hit builds the page view of a kept entry.
func (in *Ingester) hit(e *Entry) analytics.Hit {
	h := analytics.Hit{SiteID: in.Site, Kind: analytics.KindPageview, Time: e.Time}
	h.IP, _ = e.Addr()
	if len(e.Query) == 0 {
		h.Path = in.intern.get(e.Path)
	} else {
		h.Path = string(e.Path) + "?" + string(e.Query)
		if bytes.Contains(e.Query, []byte("utm_")) {
			if q, err := url.ParseQuery(string(e.Query)); err == nil {
				h.UTMSource, h.UTMMedium, h.UTMCampaign = q.Get("utm_source"), q.Get("utm_medium"), q.Get("utm_campaign")
			}
		}
	}
	h.Referrer = in.intern.get(e.Referrer)
	h.UserAgent = in.intern.get(e.UserAgent)
	if !in.Format.hasAgent {
		h.UserAgent = UnknownAgent
	}
	return h
}

// interner shares the strings of values that repeat (paths, referrers, agents), bounded.
type interner struct{ m map[string]string }

func (t *interner) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := t.m[string(b)]; ok {
		return s
	}
	if t.m == nil || len(t.m) >= 8192 {
		t.m = make(map[string]string, 1024)
	}
	s := string(b)
	t.m[s] = s
	return s
}

package accesslog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Follow reads path like IngestFile, then keeps reading what is appended, polling
// every poll (1 s when zero), until ctx ends; it then checkpoints and returns nil.
// It notices rotation (path names a new file: the rest of the old one is read, then the
// new one from its start) and truncation (the file shrank: read again from the start).
// Standard input ("-") is read until it ends.
//
// However it stops (ctx ended, in the middle of a checkpoint or not, or an error), it
// checkpoints once more with a context of its own, so that what was counted is saved.
func (in *Ingester) Follow(ctx context.Context, path string, poll time.Duration) error {
	in.init()
	if poll <= 0 {
		poll = time.Second
	}
	if path == "-" {
		return in.finish(ctx, in.IngestFile(ctx, path))
	}
	return in.finish(ctx, in.follow(ctx, path, poll))
}

// follow is Follow's loop on a regular file; it returns when ctx ends (with ctx's
// error, or the error of whatever ctx's end interrupted) or on an error.
func (in *Ingester) follow(ctx context.Context, path string, poll time.Duration) error {
	f, s, err := in.openFollowed(path)
	if err != nil {
		return err
	}
	defer func() { f.Close() }()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		if err := in.drain(ctx, s); err != nil {
			return err
		}
		if s.lr.err != nil {
			return fmt.Errorf("%s: %w", path, s.lr.err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		if in.Now().Sub(in.lastFlush) >= in.FlushEvery {
			if err := in.Checkpoint(ctx); err != nil {
				return err
			}
		}
		cur, err := f.Stat()
		if err != nil {
			return err
		}
		if cur.Size() < s.pos+int64(s.lr.end-s.lr.start) {
			// Truncated (copytruncate rotation): read again from the start.
			if err := in.Checkpoint(ctx); err != nil {
				return err
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return err
			}
			s.lr.reset(f)
			s = &stream{lr: s.lr, state: State{Device: s.state.Device, Inode: s.state.Inode}, grows: true, size: s.size}
			continue
		}
		named, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			continue // between the rename and the new file: keep reading the old one
		} else if err != nil {
			return err
		}
		if os.SameFile(cur, named) {
			continue
		}
		// Rotated: finish the old file, then switch to the new one.
		if err := in.drain(ctx, s); err != nil {
			return err
		}
		nf, ns, err := in.openFollowed(path)
		if err != nil {
			return err
		}
		f.Close()
		f, s = nf, ns
	}
}

// openFollowed opens path for following, from its start.
func (in *Ingester) openFollowed(path string) (*os.File, *stream, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: --follow needs a regular file", path)
	}
	s := &stream{lr: newLineReader(f), grows: true}
	s.state.Device, s.state.Inode = fileID(fi)
	s.size = func() int64 {
		if fi, err := f.Stat(); err == nil {
			return fi.Size()
		}
		return 0
	}
	return f, s, nil
}

// finishTimeout bounds the last checkpoint of Follow, which runs after ctx has ended.
const finishTimeout = 30 * time.Second

// finish checkpoints once more, with a context that ctx's end does not cancel (bounded
// by finishTimeout), and returns err unless err is only ctx's end: a cancellation that
// interrupted a checkpoint or a read is a clean stop once the last checkpoint succeeds.
func (in *Ingester) finish(ctx context.Context, err error) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	stopped := err != nil && ctx.Err() != nil &&
		(errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
	if cerr := in.Checkpoint(cctx); cerr != nil && (err == nil || stopped) {
		return cerr
	}
	if stopped {
		return nil
	}
	return err
}

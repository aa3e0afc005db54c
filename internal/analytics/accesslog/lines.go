package accesslog

import (
	"bytes"
	"errors"
	"io"
)

// MaxLine is the longest line parsed, in bytes; longer lines are skipped as malformed.
const MaxLine = 64 << 10

// lineReader yields complete lines from a reader that may grow (a followed file): at
// the end of the data it keeps a partial line and tries again at the next call.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int
	discarding bool // inside a line longer than MaxLine, dropping it up to its newline
	eof        bool // the last read hit the end of the data
	err        error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: r, buf: make([]byte, 4*MaxLine)}
}

// reset points the reader at r and forgets buffered data.
func (lr *lineReader) reset(r io.Reader) {
	lr.r, lr.start, lr.end, lr.discarding, lr.eof, lr.err = r, 0, 0, false, false, nil
}

// next returns the next complete line without its terminator, and the number of bytes
// it took in the input (terminator included). tooLong reports a line over MaxLine that
// was skipped (line is nil then). ok is false when no complete line is available now:
// lr.eof or lr.err says why.
func (lr *lineReader) next() (line []byte, size int, tooLong, ok bool) {
	for {
		if i := bytes.IndexByte(lr.buf[lr.start:lr.end], '\n'); i >= 0 {
			line = lr.buf[lr.start : lr.start+i]
			size = i + 1
			lr.start += size
			if lr.discarding {
				lr.discarding = false
				return nil, size, true, true
			}
			return trimCR(line), size, false, true
		}
		if lr.discarding || lr.end-lr.start >= MaxLine {
			// A line too long: drop what is buffered and keep dropping up to its newline.
			size = lr.end - lr.start
			lr.start, lr.end = 0, 0
			if !lr.discarding {
				lr.discarding = true
			}
			if size > 0 {
				return nil, size, false, true // bytes consumed, the line not finished yet
			}
		}
		if lr.start > 0 && lr.end == len(lr.buf) || lr.start == lr.end {
			n := copy(lr.buf, lr.buf[lr.start:lr.end])
			lr.start, lr.end = 0, n
		}
		n, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += n
		if n > 0 {
			lr.eof = false
			continue
		}
		if errors.Is(err, io.EOF) || err == nil {
			lr.eof = true
			return nil, 0, false, false
		}
		lr.err = err
		return nil, 0, false, false
	}
}

// rest returns the partial line left at the end of the data (for sources that cannot
// grow), and consumes it.
func (lr *lineReader) rest() (line []byte, size int, tooLong bool) {
	size = lr.end - lr.start
	line = trimCR(lr.buf[lr.start:lr.end])
	lr.start = lr.end
	if lr.discarding {
		lr.discarding = false
		return nil, size, true
	}
	return line, size, false
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

package accesslog

import (
	"bytes"
	"errors"
	"net/netip"
	"time"
)

// Entry is one parsed log line. Its byte slices alias the line: valid until the next
// Parse, never to be kept.
type Entry struct {
	Host      []byte
	Time      time.Time // zero when the format has no time
	Method    []byte
	Path      []byte // the URL path, without the query string
	Query     []byte // without the "?"
	Proto     []byte
	Status    int // 0 when the log has "-"
	Bytes     int64
	Referrer  []byte // "-" is returned as empty
	UserAgent []byte // "-" is returned as empty
}

// Parser parses lines of one Format. It caches the last timestamp (log lines come in
// bursts within the same second), so it is not safe for concurrent use.
type Parser struct {
	f        *Format
	lastRaw  []byte
	lastTime time.Time
	date     []byte // %d of the current line, for %t
}

// NewParser returns a parser for f.
func (f *Format) NewParser() *Parser { return &Parser{f: f} }

// errMalformed is returned for any line that does not match the format. It never
// quotes the line: lines carry IP addresses and user agents.
var errMalformed = errors.New("accesslog: line does not match the format")

// Parse parses one line (without its line terminator) into e. It returns errMalformed
// for a line that does not match; it never panics.
func (p *Parser) Parse(line []byte, e *Entry) error {
	*e = Entry{}
	f := p.f
	if !bytes.HasPrefix(line, f.prefix) {
		return errMalformed
	}
	pos := len(f.prefix)
	p.date = nil
	var rawTime []byte
	for i := range f.fields {
		fd := &f.fields[i]
		var end int
		switch {
		case len(fd.after) == 0:
			end = len(line)
		case fd.quoted:
			end = quoteEnd(line, pos)
		default:
			end = bytes.IndexByte(line[pos:], fd.after[0])
			if end >= 0 {
				end += pos
			}
		}
		if end < 0 || !bytes.HasPrefix(line[end:], fd.after) {
			return errMalformed
		}
		v := line[pos:end]
		pos = end + len(fd.after)
		switch fd.dir {
		case 'h':
			e.Host = v
		case 'd':
			p.date = v
		case 't':
			rawTime = v
		case 'r':
			if !splitRequest(v, e) {
				return errMalformed
			}
		case 'm':
			e.Method = v
		case 'U':
			e.Path, e.Query = splitQuery(v)
		case 'q':
			e.Query = bytes.TrimPrefix(v, []byte("?"))
		case 'H':
			e.Proto = v
		case 's':
			n, ok := atoi(v)
			if !ok && !isDash(v) {
				return errMalformed
			}
			e.Status = int(n)
		case 'b':
			n, ok := atoi(v)
			if !ok && !isDash(v) {
				return errMalformed
			}
			e.Bytes = n
		case 'R':
			if !isDash(v) {
				e.Referrer = v
			}
		case 'u':
			if !isDash(v) {
				e.UserAgent = v
			}
		}
	}
	if pos != len(line) {
		return errMalformed
	}
	if f.hasTime {
		t, ok := p.parseTime(rawTime)
		if !ok {
			return errMalformed
		}
		e.Time = t
	}
	if len(e.Path) == 0 || e.Path[0] != '/' {
		// Absolute-form request targets (proxies) keep only their path.
		if i := bytes.Index(e.Path, []byte("://")); i >= 0 {
			rest := e.Path[i+3:]
			if j := bytes.IndexByte(rest, '/'); j >= 0 {
				e.Path = rest[j:]
			} else {
				e.Path = []byte("/")
			}
		}
		// Anything else ("*", garbage) stays as it is: the filter drops it as non-page.
	}
	return nil
}

// quoteEnd returns the index of the double quote that closes a value starting at pos,
// skipping quotes escaped with a backslash; -1 when there is none.
func quoteEnd(line []byte, pos int) int {
	for i := pos; i < len(line); {
		j := bytes.IndexByte(line[i:], '"')
		if j < 0 {
			return -1
		}
		j += i
		bs := 0
		for k := j - 1; k >= pos && line[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 0 {
			return j
		}
		i = j + 1
	}
	return -1
}

// splitRequest splits "GET /path?q HTTP/1.1" into e.
func splitRequest(v []byte, e *Entry) bool {
	sp := bytes.IndexByte(v, ' ')
	if sp <= 0 {
		return false
	}
	e.Method = v[:sp]
	rest := v[sp+1:]
	uri := rest
	if sp2 := bytes.LastIndexByte(rest, ' '); sp2 >= 0 {
		uri, e.Proto = rest[:sp2], rest[sp2+1:]
	}
	if len(uri) == 0 {
		return false
	}
	e.Path, e.Query = splitQuery(uri)
	return true
}

func splitQuery(u []byte) (path, query []byte) {
	if i := bytes.IndexByte(u, '?'); i >= 0 {
		return u[:i], u[i+1:]
	}
	return u, nil
}

func isDash(v []byte) bool { return len(v) == 1 && v[0] == '-' }

// atoi parses a non-negative decimal of at most 18 digits.
func atoi(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// parseTime parses the line's timestamp, reusing the last result when the text is the same.
func (p *Parser) parseTime(raw []byte) (time.Time, bool) {
	if p.date == nil && bytes.Equal(raw, p.lastRaw) && p.lastRaw != nil {
		return p.lastTime, true
	}
	var t time.Time
	var err error
	switch {
	case p.f.clf:
		var ok bool
		if t, ok = parseCLF(raw); !ok {
			return time.Time{}, false
		}
	case p.date != nil:
		t, err = time.Parse(p.f.dateLayout+" "+p.f.timeLayout, string(p.date)+" "+string(raw))
	default:
		t, err = time.Parse(p.f.timeLayout, string(raw))
	}
	if err != nil {
		return time.Time{}, false
	}
	t = t.UTC()
	if p.date == nil {
		p.lastRaw = append(p.lastRaw[:0], raw...)
		p.lastTime = t
	}
	return t, true
}

var months = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// parseCLF parses "10/Oct/2000:13:55:36 -0700" without allocating.
func parseCLF(b []byte) (time.Time, bool) {
	if len(b) != len(CLFTime) || b[2] != '/' || b[6] != '/' || b[11] != ':' || b[14] != ':' || b[17] != ':' || b[20] != ' ' {
		return time.Time{}, false
	}
	num := func(v []byte) int {
		n := 0
		for _, c := range v {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	day, year, hh, mm, ss := num(b[0:2]), num(b[7:11]), num(b[12:14]), num(b[15:17]), num(b[18:20])
	mon := 0
	for i, m := range months {
		if string(b[3:6]) == m {
			mon = i + 1
			break
		}
	}
	zh, zm := num(b[22:24]), num(b[24:26])
	if day < 1 || day > 31 || year < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || mon == 0 || zh < 0 || zm < 0 || (b[21] != '+' && b[21] != '-') {
		return time.Time{}, false
	}
	off := (zh*60 + zm) * 60
	if b[21] == '-' {
		off = -off
	}
	t := time.Date(year, time.Month(mon), day, hh, mm, ss, 0, time.UTC).Add(-time.Duration(off) * time.Second)
	return t, true
}

// Addr parses e.Host as an IP address (IPv4, IPv6, IPv4-mapped IPv6 unmapped; a zone or
// surrounding brackets are dropped). ok is false for a host name or garbage.
func (e *Entry) Addr() (netip.Addr, bool) {
	h := e.Host
	if len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']' {
		h = h[1 : len(h)-1]
	}
	if len(h) == 0 || len(h) > 64 {
		return netip.Addr{}, false
	}
	var buf [64]byte
	n := copy(buf[:], h)
	a, err := netip.ParseAddr(string(buf[:n]))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

package accesslog

import (
	"errors"
	"fmt"
	"strings"
)

// The named formats. Combined is Apache's and nginx's default access log; Common lacks
// the referrer and the user agent.
const (
	Combined = `%h %^ %^ [%t] "%r" %s %b "%R" "%u"`
	Common   = `%h %^ %^ [%t] "%r" %s %b`
)

// CLFTime is the layout of Apache's and nginx's %t (without the brackets).
const CLFTime = "02/Jan/2006:15:04:05 -0700"

// directives are the format-string directives understood, after GoAccess's log-format.
var directives = map[byte]string{
	'h': "host (IPv4 or IPv6 address)",
	'^': "ignore the field",
	'd': "date, see --date-format",
	't': "time, see --time-format",
	'r': "request line: method, URL and protocol",
	'm': "request method",
	'U': "URL path (a query string in it is split off)",
	'q': "query string",
	'H': "protocol",
	's': "status code",
	'b': "response size in bytes",
	'R': "referrer",
	'u': "user agent",
	'D': "duration in microseconds (ignored)",
	'T': "duration in seconds (ignored)",
	'L': "duration in milliseconds (ignored)",
}

// field is one directive and the literal text that follows it up to the next one.
type field struct {
	dir    byte
	after  []byte // the literal after the value; empty for the last field
	quoted bool   // the value sits between double quotes: \" inside does not end it
}

// Format is a compiled log format. It is safe for concurrent use; Parser is not.
type Format struct {
	prefix     []byte // literal before the first directive
	fields     []field
	dateLayout string // Go layout of %d, "" without %d
	timeLayout string // Go layout of %t (the whole timestamp when there is no %d)
	clf        bool   // the timestamp is CLFTime: parsed by hand
	hasTime    bool
	hasAgent   bool // %u: without it (common), hits carry UnknownAgent
}

// UnknownAgent is the user agent given to hits from a format without %u (common): the
// aggregator treats a missing agent as a bot, but a log that never records agents says
// nothing about bots. Such a hit counts as browser, OS and device "(other)".
// TODO(analytics): replace with a Hit field meaning "agent unknown, not a bot".
const UnknownAgent = "Mozilla/5.0 (unknown; access log without user agents)"

// NamedFormat returns the format string of "combined" or "common", or s itself.
func NamedFormat(s string) string {
	switch strings.ToLower(s) {
	case "combined", "":
		return Combined
	case "common", "clf":
		return Common
	}
	return s
}

// Compile compiles a format string (or "combined"/"common"). dateFormat and timeFormat
// are strftime patterns (%d/%b/%Y, %H:%M:%S) or Go layouts; empty takes the default:
// with %t alone, the whole CLF timestamp (10/Oct/2000:13:55:36 -0700); with %d and %t,
// "%d/%b/%Y" and "%H:%M:%S". Errors name the offending directive.
func Compile(format, dateFormat, timeFormat string) (*Format, error) {
	format = NamedFormat(format)
	f := &Format{}
	var lit []byte
	var cur *field
	flush := func() {
		if cur == nil {
			f.prefix = append([]byte(nil), lit...)
		} else {
			cur.after = append([]byte(nil), lit...)
		}
		lit = lit[:0]
	}
	seen := map[byte]bool{}
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			lit = append(lit, c)
			continue
		}
		if i+1 == len(format) {
			return nil, errors.New("log format ends with a lone %")
		}
		i++
		d := format[i]
		if d == '%' {
			lit = append(lit, '%')
			continue
		}
		if _, ok := directives[d]; !ok {
			return nil, fmt.Errorf("log format: unknown directive %%%c (known: %s)", d, knownDirectives())
		}
		if cur != nil && len(lit) == 0 {
			return nil, fmt.Errorf("log format: directives %%%c and %%%c need a separator between them", cur.dir, d)
		}
		if d != '^' && seen[d] {
			return nil, fmt.Errorf("log format: directive %%%c appears twice", d)
		}
		seen[d] = true
		quoted := len(lit) > 0 && lit[len(lit)-1] == '"'
		flush()
		f.fields = append(f.fields, field{dir: d, quoted: quoted})
		cur = &f.fields[len(f.fields)-1]
	}
	flush()
	for i := range f.fields {
		fd := &f.fields[i]
		fd.quoted = fd.quoted && len(fd.after) > 0 && fd.after[0] == '"'
	}
	if !seen['r'] && !seen['U'] {
		return nil, errors.New("log format: needs %r (request line) or %U (URL path)")
	}
	f.hasTime, f.hasAgent = seen['t'], seen['u']
	if seen['d'] && !seen['t'] {
		return nil, errors.New("log format: %d (date) needs %t (time) too")
	}
	if seen['d'] {
		f.dateLayout = goLayout(dateFormat, "02/Jan/2006")
		f.timeLayout = goLayout(timeFormat, "15:04:05")
	} else if seen['t'] {
		f.timeLayout = goLayout(timeFormat, CLFTime)
		f.clf = f.timeLayout == CLFTime
	}
	return f, nil
}

func knownDirectives() string {
	var b strings.Builder
	for _, d := range "h^dtrmUqHsbRuDTL" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("%" + string(d))
	}
	return b.String()
}

// strftime maps the strftime conversions GoAccess users write to Go layout elements.
var strftime = strings.NewReplacer(
	"%d", "02", "%e", "_2", "%b", "Jan", "%h", "Jan", "%B", "January", "%m", "01", "%Y", "2006", "%y", "06",
	"%H", "15", "%I", "03", "%p", "PM", "%M", "04", "%S", "05", "%z", "-0700", "%Z", "MST", "%T", "15:04:05",
	"%F", "2006-01-02", "%D", "01/02/06", "%a", "Mon", "%A", "Monday", "%%", "%",
)

// goLayout turns a strftime pattern into a Go layout; a string without % is taken as a
// Go layout already.
func goLayout(s, def string) string {
	if s == "" {
		return def
	}
	if strings.Contains(s, "%") {
		return strftime.Replace(s)
	}
	return s
}

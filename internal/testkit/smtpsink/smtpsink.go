package smtpsink

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/candor-dev/candor/internal/testkit/certs"
)

// Sink is a counting SMTP server (github.com/emersion/go-smtp) on loopback: it accepts
// every message, keeps nothing but each Message-ID's delivery count, and offers
// STARTTLS with a self-signed certificate. The crash and throughput tests count at it.
type Sink struct {
	Addr string
	Cert *certs.Cert

	srv      *gosmtp.Server
	total    atomic.Int64
	bytes    atomic.Int64
	sessions atomic.Int64
	delay    time.Duration

	mu     sync.Mutex
	counts map[string]int
}

// Options configure a Sink.
type Options struct {
	Addr  string        // listen address; default 127.0.0.1:0
	Delay time.Duration // pause before accepting each message (a slower relay)
	NoTLS bool          // offer no STARTTLS (a relay Candor must refuse)
	// IdleClose makes the sink drop a connection idle for this long (default 1 min),
	// as relays do.
	IdleClose time.Duration
}

// New starts a sink; Close stops it.
func New(o Options) (*Sink, error) {
	cert, err := certs.New()
	if err != nil {
		return nil, err
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, err
	}
	s := &Sink{Addr: ln.Addr().String(), Cert: cert, counts: map[string]int{}, delay: o.Delay}
	s.srv = gosmtp.NewServer(gosmtp.BackendFunc(func(*gosmtp.Conn) (gosmtp.Session, error) { return &sinkSession{s}, nil }))
	s.srv.Domain = "sink.test"
	if !o.NoTLS {
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert.TLS}, MinVersion: tls.VersionTLS12}
	}
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	if o.IdleClose > 0 {
		s.srv.ReadTimeout = o.IdleClose
	}
	s.srv.ErrorLog = quietLog{}
	go func() { _ = s.srv.Serve(countingListener{ln, &s.sessions}) }()
	return s, nil
}

// URL is the relay URL for Candor (STARTTLS).
func (s *Sink) URL() *url.URL { return &url.URL{Scheme: "smtp", Host: s.Addr} }

// Close stops the server and drops its connections.
func (s *Sink) Close() error { return s.srv.Close() }

// Total is the number of messages accepted, duplicates included.
func (s *Sink) Total() int { return int(s.total.Load()) }

// Sessions is the number of connections accepted by the sink.
func (s *Sink) Sessions() int { return int(s.sessions.Load()) }

// Bytes is the size of all messages accepted.
func (s *Sink) Bytes() int64 { return s.bytes.Load() }

// Counts returns a copy of the deliveries per Message-ID.
func (s *Sink) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

type sinkSession struct{ s *Sink }

func (*sinkSession) Reset()                                 {}
func (*sinkSession) Logout() error                          { return nil }
func (*sinkSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (*sinkSession) Rcpt(string, *gosmtp.RcptOptions) error { return nil }
func (ss *sinkSession) Data(r io.Reader) error {
	br := bufio.NewReaderSize(r, 4096)
	var id string
	var n int64
	for {
		line, err := br.ReadSlice('\n')
		n += int64(len(line))
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			return err // the client went away mid-message: not accepted
		}
		trimmed := bytes.TrimRight(line, "\r\n")
		if len(trimmed) == 0 {
			break // end of the header
		}
		if len(trimmed) > 11 && bytes.EqualFold(trimmed[:11], []byte("message-id:")) {
			id = string(bytes.TrimSpace(trimmed[11:]))
		}
	}
	m, err := io.Copy(io.Discard, br)
	if err != nil {
		return err
	}
	if ss.s.delay > 0 {
		time.Sleep(ss.s.delay)
	}
	ss.s.mu.Lock()
	ss.s.counts[id]++
	ss.s.mu.Unlock()
	ss.s.total.Add(1)
	ss.s.bytes.Add(n + m)
	return nil
}

type quietLog struct{}

func (quietLog) Printf(string, ...any) {}
func (quietLog) Println(...any)        {}

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

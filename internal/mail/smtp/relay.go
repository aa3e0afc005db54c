package smtp

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"

	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/mail"
)

// Options configure a Relay.
type Options struct {
	// URL is the relay: smtp://[USER:PASS@]HOST[:587] speaks STARTTLS, which is then
	// mandatory (a relay that does not offer it is refused); smtps://…[:465] speaks TLS
	// from the first byte. AUTH uses the URL's user and password when present.
	URL          *url.URL
	AllowPrivate bool             // permit a relay on loopback or a private range (--smtp-allow-private)
	From         *netmail.Address // the sender of every message
	DKIM         *DKIM            // sign every message; nil: no signature
	Pool         int              // connections kept open to the relay; default 8
	Timeout      time.Duration    // longest one SMTP transaction (or connection set-up) may take; default 30 s
	MaxPerConn   int              // messages sent over one connection before it is renewed; default 1000
	IdleTimeout  time.Duration    // an idle connection older than this is renewed rather than reused; default 30 s
	HELO         string           // the EHLO name; default the machine's host name

	// RootCAs replaces the system's trusted roots when verifying the relay's
	// certificate (--smtp-ca-file: a relay with a private CA, or a test relay with a
	// self-signed certificate); nil: the system roots.
	RootCAs  *x509.CertPool
	Resolver *net.Resolver // nil: the system resolver
	// Egress is the configuration's one way out; nil: a dialer allowing only URL's
	// host (with AllowPrivate and Resolver).
	Egress *egress.Dialer
}

// Relay sends messages through one SMTP relay over a pool of reused connections. It
// implements mail.Sender and is safe for concurrent use.
type Relay struct {
	o      Options
	client *gomail.Client // holds the connection settings; dials, never sends
	from   string         // "<address>" for MAIL FROM
	slots  chan struct{}  // one token per connection in use

	mu     sync.Mutex
	idle   []*conn
	closed bool
}

type conn struct {
	c    *gosmtp.Client
	used int
	last time.Time
}

var _ mail.Sender = (*Relay)(nil)

// bufPool recycles message buffers (a few KB per message).
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// New checks the options and returns a Relay. It does not connect: the first Send or
// Check does.
func New(o Options) (*Relay, error) {
	u := o.URL
	if u == nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, errors.New("setting --smtp: the relay must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
	}
	if o.From == nil || o.From.Address == "" {
		return nil, errors.New("setting --mail-from: a sender address is required to send mail")
	}
	if o.Pool <= 0 {
		o.Pool = 8
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxPerConn <= 0 {
		o.MaxPerConn = 1000
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 30 * time.Second
	}
	host := u.Hostname()
	implicit := u.Scheme == "smtps"
	port := 587
	if implicit {
		port = 465
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, errors.New("setting --smtp: the port is not a number from 1 to 65535")
		}
		port = n
	}
	tlsConfig := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: o.RootCAs}
	dialer := Dialer{AllowPrivate: o.AllowPrivate, Resolver: o.Resolver, Timeout: o.Timeout, Egress: o.Egress}
	opts := []gomail.Option{
		gomail.WithPort(port), gomail.WithTimeout(o.Timeout), gomail.WithTLSConfig(tlsConfig),
	}
	if implicit {
		dialer.TLS = tlsConfig
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	opts = append(opts, gomail.WithDialContextFunc(dialer.DialContext))
	if o.HELO != "" {
		opts = append(opts, gomail.WithHELO(o.HELO))
	}
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		// The strongest mechanism the relay offers. PLAIN and LOGIN only ever travel
		// inside TLS: STARTTLS is mandatory and smtps is TLS throughout.
		opts = append(opts, gomail.WithUsername(user), gomail.WithPassword(pass),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256PLUS, gomail.SMTPAuthSCRAMSHA256,
				gomail.SMTPAuthSCRAMSHA1PLUS, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
	}
	client, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("setting --smtp: %w", err)
	}
	return &Relay{o: o, client: client, from: (&netmail.Address{Address: o.From.Address}).String(), slots: make(chan struct{}, o.Pool)}, nil
}

// Check connects to the relay (TLS and AUTH included) and disconnects: the start-up
// and "test the relay" check. Its error says what failed, never with a recipient.
func (r *Relay) Check(ctx context.Context) error {
	c, err := r.dial(ctx)
	if err != nil {
		return err
	}
	_ = c.c.Quit()
	return nil
}

// Send delivers one message over a pooled connection. A pooled connection that turns
// out closed by the relay (no reply, or 421, to MAIL FROM) is dropped and the message
// tried on another one; nothing reached the relay yet, so that cannot duplicate it.
func (r *Relay) Send(ctx context.Context, m *mail.Message) error {
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			bufPool.Put(buf)
		}
	}()
	sig, err := r.compose(m, buf)
	if err != nil {
		return &mail.SendError{Stage: mail.StageCompose, Cause: err}
	}
	data := [][]byte{sig, buf.Bytes()}
	to := (&netmail.Address{Address: m.To.Reveal()}).String()
	for try := 0; ; try++ {
		c, reused, err := r.acquire(ctx)
		if err != nil {
			return err
		}
		stage, err := r.transact(ctx, c, to, data)
		if err == nil {
			r.release(c, true)
			return nil
		}
		se := sendError(stage, err)
		broken := se.Code == 0 || se.Code == 421
		if !broken && stage != mail.StageData {
			broken = c.c.Reset() != nil // abort the transaction before reusing the connection
		}
		r.release(c, !broken)
		if broken && reused && stage == mail.StageMail && try <= r.o.Pool {
			continue // other idle connections may be as stale: each try drops one
		}
		return se
	}
}

// transact runs one SMTP transaction and reports the stage that failed.
func (r *Relay) transact(ctx context.Context, c *conn, to string, data [][]byte) (mail.Stage, error) {
	timeout := r.o.Timeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl))
	}
	if err := c.c.UpdateDeadline(timeout); err != nil {
		return mail.StageMail, err
	}
	c.used++
	c.last = time.Now()
	if err := c.c.Mail(r.from); err != nil {
		return mail.StageMail, err
	}
	if err := c.c.Rcpt(to); err != nil {
		return mail.StageRcpt, err
	}
	w, err := c.c.Data()
	if err != nil {
		return mail.StageData, err
	}
	for _, d := range data {
		if _, err := w.Write(d); err != nil {
			_ = w.Close()
			return mail.StageData, err
		}
	}
	return mail.StageData, w.Close()
}

// acquire returns a connection: an idle one from the pool, or a new one while fewer
// than Pool are open.
func (r *Relay) acquire(ctx context.Context) (*conn, bool, error) {
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, false, &mail.SendError{Stage: mail.StageConnect, Cause: ctx.Err()}
	}
	for {
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()
			<-r.slots
			return nil, false, &mail.SendError{Stage: mail.StageConnect, Cause: errors.New("the relay is closed")}
		}
		var c *conn
		if n := len(r.idle); n > 0 {
			c, r.idle = r.idle[n-1], r.idle[:n-1]
		}
		r.mu.Unlock()
		if c == nil {
			break
		}
		if c.used < r.o.MaxPerConn && time.Since(c.last) < r.o.IdleTimeout {
			return c, true, nil
		}
		go c.c.Quit() //nolint:errcheck // renewing an old connection; the relay may already have closed it
	}
	c, err := r.dial(ctx)
	if err != nil {
		<-r.slots
		return nil, false, err
	}
	return c, false, nil
}

func (r *Relay) dial(ctx context.Context) (*conn, error) {
	client, err := r.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, &mail.SendError{Stage: mail.StageConnect, Cause: err}
	}
	return &conn{c: client, last: time.Now()}, nil
}

// release returns a connection to the pool, or closes it when it is broken.
func (r *Relay) release(c *conn, healthy bool) {
	r.mu.Lock()
	if healthy && !r.closed {
		r.idle = append(r.idle, c)
		c = nil
	}
	r.mu.Unlock()
	<-r.slots
	if c != nil {
		_ = c.c.Close()
	}
}

// Close says QUIT on every idle connection; connections in use close when released.
func (r *Relay) Close() error {
	r.mu.Lock()
	idle := r.idle
	r.idle, r.closed = nil, true
	r.mu.Unlock()
	for _, c := range idle {
		_ = c.c.Quit()
	}
	return nil
}

package imapin

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/candor-dev/candor/internal/egress"
)

// State remembers how far a mailbox has been read (sqldb.InboundStore).
type State interface {
	Position(ctx context.Context, source string) (validity, last uint32, err error)
	SetPosition(ctx context.Context, source string, validity, last uint32) error
}

// Handler takes the mails that may answer a conversation: Answers says whether a mail
// from this sender referring to these Message-IDs would join a conversation (only such
// mails are downloaded), Receive takes one. An error from either is a storage failure:
// the poll stops there and that mail is read again next time.
type Handler interface {
	Answers(ctx context.Context, refs []string, from string) (bool, error)
	Receive(ctx context.Context, m Message) error
}

// Options configure a Poller.
type Options struct {
	// URL is imaps://USER:PASS@HOST[:993]/MAILBOX (implicit TLS) or
	// imap://USER:PASS@HOST[:143]/MAILBOX (STARTTLS, required); MAILBOX defaults to INBOX.
	URL       *url.URL
	TLSConfig *tls.Config   // RootCAs for a private CA; nil for the system roots
	Timeout   time.Duration // for the whole poll; default 2 minutes
	// Egress is the configuration's one way out (internal/egress); nil: a dialer that
	// allows only URL's host, on any address.
	Egress *egress.Dialer
}

// Stats count what one poll did.
type Stats struct {
	Read      int // mails looked at (their headers)
	Candidate int // mails from a conversation's person that refer to it, downloaded
	Received  int // handed to Receive, which took them
	Skipped   int // candidates that were automatic replies or had no readable text
}

// Poller reads new mails from one mailbox.
type Poller struct {
	opts             Options
	state            State
	source           string // the URL without the password: State's key
	name             string // the URL without the user: what errors and logs name
	user, pass, addr string
	mailbox          string
}

// batch is how many mails' headers one FETCH asks for.
const batch = 200

// headerFields are the headers Answers needs.
var headerFields = &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true,
	HeaderFields: []string{"From", "Message-Id", "In-Reply-To", "References", "Auto-Submitted", "Precedence"}}

// wholeMail is a mail's first MaxSize bytes: its headers and, in any mail a person
// writes, its text (an attachment after it may be cut; it is never kept anyway).
var wholeMail = &imap.FetchItemBodySection{Peek: true, Partial: &imap.SectionPartial{Offset: 0, Size: MaxSize}}

// NewPoller checks the options and returns a poller.
func NewPoller(opts Options, state State) (*Poller, error) {
	u := opts.URL
	if u == nil || (u.Scheme != "imaps" && u.Scheme != "imap") || u.Hostname() == "" || u.User == nil {
		return nil, errors.New("imapin: the mailbox URL must look like imaps://USER:PASS@HOST/MAILBOX")
	}
	p := &Poller{opts: opts, state: state, user: u.User.Username(), mailbox: strings.Trim(u.Path, "/")}
	p.pass, _ = u.User.Password()
	if p.mailbox == "" {
		p.mailbox = "INBOX"
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"imaps": "993", "imap": "143"}[u.Scheme]
	}
	p.addr = net.JoinHostPort(u.Hostname(), port)
	p.source = (&url.URL{Scheme: u.Scheme, User: url.User(p.user), Host: p.addr, Path: "/" + p.mailbox}).String()
	p.name = (&url.URL{Scheme: u.Scheme, Host: p.addr, Path: "/" + p.mailbox}).String()
	if p.opts.Timeout <= 0 {
		p.opts.Timeout = 2 * time.Minute
	}
	return p, nil
}

// Name names the mailbox without its user or password (for logs).
func (p *Poller) Name() string { return p.name }

// Poll reads the mails that arrived since the last poll (all of them the first time,
// or when the mailbox's UIDVALIDITY changed) and hands those that answer a known
// conversation to h. The mailbox is opened read-only and nothing in it changes. The
// position reached is saved after every mail dealt with, also when the poll fails or
// runs out of time, so a poll always makes progress.
func (p *Poller) Poll(ctx context.Context, h Handler) (Stats, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	var st Stats
	c, err := p.dial(ctx)
	if err != nil {
		return st, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() }) // a hung server ends with the poll
	defer stop()
	if err := c.Login(p.user, p.pass).Wait(); err != nil {
		return st, fmt.Errorf("imapin: %s: sign-in refused: %w", p.name, err)
	}
	sel, err := c.Select(p.mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return st, fmt.Errorf("imapin: %s: %w", p.name, err)
	}
	validity, last, err := p.state.Position(ctx, p.source)
	if err != nil {
		return st, err
	}
	if validity != sel.UIDValidity {
		last = 0 // another mailbox under the same name: read it from the start
	}
	saved := last
	for sel.NumMessages > 0 {
		next, err := p.readBatch(ctx, c, h, last, &st)
		if next != saved {
			// Saved even when ctx has ended: the progress made must not be read again.
			sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			serr := p.state.SetPosition(sctx, p.source, sel.UIDValidity, next)
			scancel()
			if err == nil {
				err = serr
			}
			saved = next
		}
		if err != nil {
			return st, err
		}
		if next == last {
			break
		}
		last = next
	}
	return st, c.Logout().Wait()
}

// readBatch reads the headers of up to batch mails after UID last, in UID order, hands
// the answers to h, and returns the last UID dealt with (last when there was none), also
// with an error: every mail up to it is done.
func (p *Poller) readBatch(ctx context.Context, c *imapclient.Client, h Handler, last uint32, st *Stats) (uint32, error) {
	var set imap.UIDSet
	set.AddRange(imap.UID(last+1), imap.UID(last+batch))
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{headerFields}}).Collect()
	if err != nil {
		return last, fmt.Errorf("imapin: %s: %w", p.name, err)
	}
	if len(msgs) == 0 {
		return p.skipGap(c, last)
	}
	slices.SortFunc(msgs, func(a, b *imapclient.FetchMessageBuffer) int { return cmp.Compare(a.UID, b.UID) })
	done := last
	for _, m := range msgs {
		if uint32(m.UID) <= last {
			continue // "N:*" answers the newest mail even when its UID is below N
		}
		st.Read++
		if err := p.consider(ctx, c, h, m, st); err != nil {
			return done, err
		}
		done = uint32(m.UID)
	}
	return done, nil
}

// skipGap handles a batch with no mail: UIDs need not be dense (mails deleted, or
// moved away), so the next UID that exists decides whether there is more to read.
func (p *Poller) skipGap(c *imapclient.Client, last uint32) (uint32, error) {
	data, err := c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(last + 1), Stop: 0}}}}, nil).Wait()
	if err != nil {
		return last, fmt.Errorf("imapin: %s: %w", p.name, err)
	}
	next := last
	for _, uid := range data.AllUIDs() {
		if uint32(uid) > last && (next == last || uint32(uid) < next) {
			next = uint32(uid)
		}
	}
	if next == last {
		return last, nil
	}
	return next - 1, nil // the next batch starts at the next mail there is
}

// consider hands one mail to h when its headers say it answers a conversation h knows,
// from that conversation's person, and is not an automatic reply.
func (p *Poller) consider(ctx context.Context, c *imapclient.Client, h Handler, m *imapclient.FetchMessageBuffer, st *Stats) error {
	raw, err := p.section(c, m, headerFields)
	if err != nil {
		return err
	}
	hdr := ParseHeader(raw)
	if len(hdr.References) == 0 || hdr.From == "" {
		return nil
	}
	if ok, err := h.Answers(ctx, hdr.References, hdr.From); err != nil || !ok {
		return err
	}
	st.Candidate++
	if hdr.Automatic {
		st.Skipped++ // an out-of-office reply would reopen the conversation for nothing
		return nil
	}
	body, err := p.section(c, &imapclient.FetchMessageBuffer{UID: m.UID}, wholeMail)
	if err != nil {
		return err
	}
	msg, err := Parse(body) // an empty body (the mail deleted meanwhile) has no text
	if err != nil {
		st.Skipped++
		return nil
	}
	if err := h.Receive(ctx, msg); err != nil {
		return err
	}
	st.Received++
	return nil
}

// section returns a section of mail m as fetched with it, or else as fetched again by
// itself: go-imap matches a FETCH answer to its command by UID, so an unsolicited one for
// the same UID (another client changing the mail's flags) can take its place. nil when
// the second fetch lacks it too (the mail was deleted meanwhile, or the server has none).
func (p *Poller) section(c *imapclient.Client, m *imapclient.FetchMessageBuffer, sec *imap.FetchItemBodySection) ([]byte, error) {
	if b := m.FindBodySection(sec); b != nil {
		return b, nil
	}
	again, err := c.Fetch(imap.UIDSetNum(m.UID), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil {
		return nil, fmt.Errorf("imapin: %s: %w", p.name, err)
	}
	for _, a := range again {
		if a.UID == m.UID {
			return a.FindBodySection(sec), nil
		}
	}
	return nil, nil
}

// dial connects with TLS, implicit (imaps) or STARTTLS (imap), never in the clear, and
// gives up when ctx ends.
func (p *Poller) dial(ctx context.Context) (*imapclient.Client, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if p.opts.TLSConfig != nil {
		cfg = p.opts.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = p.opts.URL.Hostname()
	}
	o := &imapclient.Options{TLSConfig: cfg}
	d := p.opts.Egress
	if d == nil {
		host, port, _ := net.SplitHostPort(p.addr)
		d = egress.New(egress.Options{Timeout: 30 * time.Second, Destinations: []egress.Destination{{
			Purpose: "contact mailbox", Setting: "--contact-imap", Host: host, Port: port, AllowPrivate: true}}})
	}
	var c *imapclient.Client
	conn, err := d.DialContext(ctx, "tcp", p.addr)
	if err == nil {
		if p.opts.URL.Scheme == "imap" {
			c, err = imapclient.NewStartTLS(conn, o)
		} else {
			tc := tls.Client(conn, cfg)
			if err = tc.HandshakeContext(ctx); err != nil {
				conn.Close()
			} else {
				c = imapclient.New(tc, o)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("imapin: %s: %w", p.name, err)
	}
	return c, nil
}

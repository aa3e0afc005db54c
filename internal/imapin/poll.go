package imapin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// State remembers how far a mailbox has been read (sqldb.InboundStore).
type State interface {
	Position(ctx context.Context, source string) (validity, last uint32, err error)
	SetPosition(ctx context.Context, source string, validity, last uint32) error
}

// Handler takes the mails that may answer a conversation: Answers says whether any of
// these Message-IDs is one the handler knows (only such mails are downloaded whole),
// Receive takes one. An error from either is a storage failure: the poll stops there
// and the mail is read again next time.
type Handler interface {
	Answers(ctx context.Context, refs []string) (bool, error)
	Receive(ctx context.Context, m Message) error
}

// Options configure a Poller.
type Options struct {
	// URL is imaps://USER:PASS@HOST[:993]/MAILBOX (implicit TLS) or
	// imap://USER:PASS@HOST[:143]/MAILBOX (STARTTLS, required); MAILBOX defaults to INBOX.
	URL       *url.URL
	TLSConfig *tls.Config   // RootCAs for a private CA; nil for the system roots
	Timeout   time.Duration // for the whole poll; default 2 minutes
}

// Stats count what one poll did.
type Stats struct {
	Read      int // mails looked at (their headers)
	Candidate int // mails that refer to a known conversation, downloaded whole
	Received  int // handed to Receive
	Skipped   int // candidates too large or unreadable
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
var headerFields = &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"From", "Message-Id", "In-Reply-To", "References"}, Peek: true}

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
// conversation to h. The mailbox is opened read-only and nothing in it changes.
func (p *Poller) Poll(ctx context.Context, h Handler) (Stats, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	var st Stats
	c, err := p.dial()
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
	for sel.NumMessages > 0 {
		next, err := p.readBatch(ctx, c, h, last, &st)
		if err != nil || next == last {
			if err == nil {
				err = p.state.SetPosition(ctx, p.source, sel.UIDValidity, last)
			}
			return st, err
		}
		if err := p.state.SetPosition(ctx, p.source, sel.UIDValidity, next); err != nil {
			return st, err
		}
		last = next
	}
	return st, c.Logout().Wait()
}

// readBatch reads the headers of up to batch mails after UID last, hands the answers
// to h, and returns the last UID it dealt with (last when there was none).
func (p *Poller) readBatch(ctx context.Context, c *imapclient.Client, h Handler, last uint32, st *Stats) (uint32, error) {
	var set imap.UIDSet
	set.AddRange(imap.UID(last+1), imap.UID(last+batch))
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{headerFields}}).Collect()
	if err != nil {
		return last, fmt.Errorf("imapin: %s: %w", p.name, err)
	}
	if len(msgs) == 0 {
		return p.skipGap(c, last)
	}
	done := last
	for _, m := range msgs {
		if uint32(m.UID) <= last {
			continue
		}
		st.Read++
		if err := p.consider(ctx, c, h, m, st); err != nil {
			return done, err
		}
		done = max(done, uint32(m.UID))
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

// consider hands one mail to h when its headers refer to a conversation h knows.
func (p *Poller) consider(ctx context.Context, c *imapclient.Client, h Handler, m *imapclient.FetchMessageBuffer, st *Stats) error {
	refs := ParseHeader(m.FindBodySection(headerFields))
	if len(refs) == 0 {
		return nil
	}
	if ok, err := h.Answers(ctx, refs); err != nil || !ok {
		return err
	}
	st.Candidate++
	if m.RFC822Size > MaxSize {
		st.Skipped++
		return nil
	}
	whole := &imap.FetchItemBodySection{Peek: true}
	full, err := c.Fetch(imap.UIDSetNum(m.UID), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{whole}}).Collect()
	if err != nil {
		return fmt.Errorf("imapin: %s: %w", p.name, err)
	}
	if len(full) != 1 {
		st.Skipped++ // deleted meanwhile
		return nil
	}
	msg, err := Parse(full[0].FindBodySection(whole))
	if err != nil {
		st.Skipped++
		return nil
	}
	st.Received++
	return h.Receive(ctx, msg)
}

// dial connects with TLS: implicit (imaps) or STARTTLS (imap), never in the clear.
func (p *Poller) dial() (*imapclient.Client, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if p.opts.TLSConfig != nil {
		cfg = p.opts.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = p.opts.URL.Hostname()
	}
	o := &imapclient.Options{TLSConfig: cfg, Dialer: &net.Dialer{Timeout: 30 * time.Second}}
	dial := imapclient.DialTLS
	if p.opts.URL.Scheme == "imap" {
		dial = imapclient.DialStartTLS
	}
	c, err := dial(p.addr, o)
	if err != nil {
		return nil, fmt.Errorf("imapin: %s: %w", p.name, err)
	}
	return c, nil
}

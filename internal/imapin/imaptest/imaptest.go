// Package imaptest runs an IMAP server for tests: go-imap's in-memory server
// (imapserver/imapmemserver, a complete IMAP4rev1/rev2 server of the same project as the
// client Candor uses), on loopback, over implicit TLS with a fresh self-signed
// certificate, with one user and an INBOX. It is not Dovecot; what Candor relies on
// (LOGIN, SELECT read-only, UID FETCH of header fields and BODY.PEEK[], UID SEARCH) is
// standard IMAP that both speak.
package imaptest

import (
	"crypto/tls"
	"net/url"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/candor-dev/candor/internal/mailtest"
)

// The test mailbox's account.
const (
	User     = "help@vendor.example"
	Password = "imap-test-password"
)

// Server is a running test IMAP server.
type Server struct {
	t    testing.TB
	Addr string
	Cert *mailtest.Cert
}

// Start starts a server; it stops with the test.
func Start(t testing.TB) *Server {
	t.Helper()
	cert, err := mailtest.NewCert()
	if err != nil {
		t.Fatal(err)
	}
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(User, Password)
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger: discard{},
	})
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert.TLS}})
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return &Server{t: t, Addr: ln.Addr().String(), Cert: cert}
}

// URL is the mailbox's URL with its password (for --contact-imap).
func (s *Server) URL() *url.URL {
	return &url.URL{Scheme: "imaps", User: url.UserPassword(User, Password), Host: s.Addr, Path: "/INBOX"}
}

// TLS trusts the server's certificate.
func (s *Server) TLS() *tls.Config { return &tls.Config{RootCAs: s.Cert.Pool} }

// client signs in as User.
func (s *Server) client() *imapclient.Client {
	s.t.Helper()
	c, err := imapclient.DialTLS(s.Addr, &imapclient.Options{TLSConfig: &tls.Config{RootCAs: s.Cert.Pool, ServerName: "127.0.0.1"}})
	if err != nil {
		s.t.Fatal(err)
	}
	if err := c.Login(User, Password).Wait(); err != nil {
		s.t.Fatal(err)
	}
	return c
}

// Deliver appends mails to INBOX, as mails arriving, and returns their UIDs.
func (s *Server) Deliver(raws ...[]byte) []imap.UID {
	s.t.Helper()
	c := s.client()
	defer c.Close()
	var uids []imap.UID
	for _, raw := range raws {
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			s.t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			s.t.Fatal(err)
		}
		data, err := cmd.Wait()
		if err != nil {
			s.t.Fatal(err)
		}
		uids = append(uids, data.UID)
	}
	return uids
}

// Delete expunges the mails of UIDs first to last (a gap in the UIDs).
func (s *Server) Delete(first, last imap.UID) {
	s.t.Helper()
	c := s.client()
	defer c.Close()
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		s.t.Fatal(err)
	}
	var set imap.UIDSet
	set.AddRange(first, last)
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}, Silent: true}, nil).Close(); err != nil {
		s.t.Fatal(err)
	}
	if err := c.UIDExpunge(set).Close(); err != nil {
		s.t.Fatal(err)
	}
}

// Seen reports whether any mail of INBOX has the \Seen flag.
func (s *Server) Seen() bool {
	s.t.Helper()
	c := s.client()
	defer c.Close()
	data, err := c.Status("INBOX", &imap.StatusOptions{NumUnseen: true, NumMessages: true}).Wait()
	if err != nil {
		s.t.Fatal(err)
	}
	return *data.NumUnseen != *data.NumMessages
}

type discard struct{}

func (discard) Printf(string, ...any) {}

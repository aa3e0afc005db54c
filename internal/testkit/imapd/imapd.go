package imapd

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/candor-dev/candor/internal/testkit/certs"
	"github.com/candor-dev/candor/internal/testkit/proc"
)

// The test mailbox's account.
const (
	User     = "help@vendor.example"
	Password = "imap-test-password"
)

// Server is a running test IMAP server.
type Server struct {
	t    testing.TB
	Addr string // IMAPS (implicit TLS)
	// StartTLSAddr is the same server's plain IMAP port, where a client must STARTTLS
	// before signing in.
	StartTLSAddr string
	Cert         *certs.Cert
	Kind         string // "dovecot" or "memory"
}

// Start starts a server; it stops with the test.
func Start(t testing.TB) *Server {
	t.Helper()
	cert, err := certs.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, Cert: cert}
	bin := proc.Binary("dovecot")
	switch {
	case bin != "" && os.Geteuid() == 0:
		s.Kind = "dovecot"
		s.Addr, s.StartTLSAddr = startDovecot(t, bin, cert)
	case os.Getenv("CANDOR_REQUIRE_DOVECOT") == "1":
		t.Fatal("Dovecot is required (CANDOR_REQUIRE_DOVECOT=1) but not usable: install dovecot-imapd and run the tests as root")
	default:
		s.Kind = "memory"
		s.Addr, s.StartTLSAddr = startMemory(t, cert)
	}
	t.Logf("IMAP server: %s at %s", s.Kind, s.Addr)
	return s
}

// startMemory serves go-imap's in-memory server and returns its IMAPS and STARTTLS
// addresses.
func startMemory(t testing.TB, cert *certs.Cert) (string, string) {
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
		Caps:      imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger:    discard{},
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert.TLS}}, // STARTTLS on the plain port
	})
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert.TLS}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	go func() { _ = srv.Serve(plain) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String(), plain.Addr().String()
}

// dovecotConf is a private Dovecot: IMAPS on one loopback port and IMAP with STARTTLS
// required on another, one password for every user, mail in Maildir under home (owned
// by nobody, as whom Dovecot reads it).
const dovecotConf = `base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {
  driver = static
  args = password=%[3]s
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=%[1]s/home/%%u
}
first_valid_uid = 1
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    port = %[4]s
  }
  inet_listener imaps {
    port = %[2]s
    ssl = yes
  }
}
service anvil {
  chroot =
}
`

// startDovecot runs a private Dovecot in the foreground and returns its IMAPS and
// STARTTLS addresses. Its directory is short-named (Dovecot's sockets live in it) and
// readable by nobody.
func startDovecot(t testing.TB, bin string, cert *certs.Cert) (string, string) {
	dir, err := os.MkdirTemp("", "dv")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	cert.WriteFiles(t, dir)
	if err := os.Mkdir(filepath.Join(dir, "home"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil || os.Chmod(filepath.Join(dir, "home"), 0o777) != nil {
		t.Fatal("cannot open the Dovecot directory to its mail user", err)
	}
	var addr, plainAddr string
	proc.Start(t, bin, startTimeout, func() ([]string, func() bool) {
		port, plain := proc.FreePort(t), proc.FreePort(t)
		addr, plainAddr = net.JoinHostPort("127.0.0.1", port), net.JoinHostPort("127.0.0.1", plain)
		conf := filepath.Join(dir, "dovecot.conf")
		if err := os.WriteFile(conf, fmt.Appendf(nil, dovecotConf, dir, port, Password, plain), 0o644); err != nil {
			t.Fatal(err)
		}
		return []string{"-F", "-c", conf}, func() bool {
			c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
			if err == nil {
				c.Close()
			}
			return err == nil
		}
	})
	return addr, plainAddr
}

// URL is the mailbox's URL with its password (for --contact-imap).
func (s *Server) URL() *url.URL {
	return &url.URL{Scheme: "imaps", User: url.UserPassword(User, Password), Host: s.Addr, Path: "/INBOX"}
}

// StartTLSURL is the same mailbox over plain IMAP with STARTTLS (imap://).
func (s *Server) StartTLSURL() *url.URL {
	return &url.URL{Scheme: "imap", User: url.UserPassword(User, Password), Host: s.StartTLSAddr, Path: "/INBOX"}
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

// startTimeout is how long the program may take to answer after it is started before
// the try counts as failed: generous, since CI runs loaded and a slow start is not what
// any test checks.
const startTimeout = 60 * time.Second

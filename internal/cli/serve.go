package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/procsafe"
	"github.com/candor-dev/candor/internal/web"
)

// shutdownGrace is how long in-flight requests may take to finish after SIGTERM.
const shutdownGrace = 8 * time.Second

// stopGrace is how long serve then waits for the work behind the requests: the forms'
// after-answer work, the background jobs' current runs, the sends in flight and the
// last statistics flush. With shutdownGrace it stays within the service manager's stop
// timeout (TimeoutStopSec=15s in packaging/systemd), which would kill the process anyway.
const stopGrace = 5 * time.Second

// stopBackground cancels the background work, then waits for afterWork and every done
// channel, for at most grace. Work still running then is left as a crash would leave
// it (claimed mail is reclaimed and acknowledged sign-ups are joined at the next
// start); the log says so, and the database closes under it.
func stopBackground(log *slog.Logger, grace time.Duration, cancel context.CancelFunc, afterWork func(), done ...<-chan struct{}) {
	cancel() // nothing after the answers needs the jobs, the mail worker or the collector
	all := make(chan struct{})
	go func() {
		afterWork()
		for _, d := range done {
			<-d
		}
		close(all)
	}()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-all:
	case <-t.C:
		log.Error("shutdown: background work still running; the database closes under it (claimed mail is sent again and acknowledged sign-ups are joined at the next start)", "waited", grace)
	}
}

func runServe(ctx context.Context, inv *invocation) error {
	coreErr := procsafe.DisableCoreDumps() // first, before any key or personal data is in memory
	if err := inv.parse(); err != nil {
		return err
	}
	if err := checkStart(inv.cfg, inv.env.Getenv); err != nil {
		return err
	}
	// Listen first: with --addr HOST:0 the public URL (the base of every link in a mail)
	// needs the port the system chose.
	ln, err := net.Listen("tcp", inv.cfg.Addr)
	if err != nil {
		return fmt.Errorf("setting --addr (CANDOR_ADDR): cannot listen on %s: %w", inv.cfg.Addr, err)
	}
	if u := *inv.cfg.PublicURL; u.Port() == "0" {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		u.Host = net.JoinHostPort(u.Hostname(), port)
		inv.cfg.PublicURL = &u
	}
	a, err := openApp(ctx, inv, appNeeds{migrate: true, relay: true, collect: true, web: true})
	if err != nil {
		ln.Close()
		return err
	}
	defer a.Close() // deferred first, so run last: after the server and the last flush
	if coreErr != nil {
		a.log.Warn("core dumps could not be disabled: a crash could write keys and personal data to disk", "err", coreErr)
	}
	if err := a.warnAndSeed(ctx, inv); err != nil {
		ln.Close()
		return err
	}
	srv, err := web.NewServer(a.webDeps())
	if err != nil {
		ln.Close()
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          httpErrorLog(a.log),
	}
	ctx, cancel := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() { defer close(jobsDone); runJobs(ctx, a) }()
	mailDone := make(chan struct{})
	go func() {
		defer close(mailDone)
		if err := a.mailer.Run(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("mail worker stopped", "error", err)
		}
	}()
	statsDone := make(chan struct{})
	go func() {
		defer close(statsDone)
		if err := a.collect.Run(ctx); err != nil {
			a.log.Error("the last statistics flush failed", "error", err)
		}
	}()
	// The forms' after-answer work, the background jobs' current runs, in-flight sends and
	// the last statistics flush finish before the database closes (for at most stopGrace).
	defer stopBackground(a.log, stopGrace, cancel, srv.Wait, jobsDone, mailDone, statsDone)
	return serveUntilDone(ctx, a, inv, hs, ln)
}

// warnAndSeed logs the database's durability warnings and, in demo mode, seeds the demo.
func (a *app) warnAndSeed(ctx context.Context, inv *invocation) error {
	warnings, err := a.db.Warnings(ctx)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		a.log.Warn(w)
	}
	if inv.cfg.Demo {
		return seedDemo(ctx, a, inv.env.Stdout)
	}
	return nil
}

// serveUntilDone serves (plain HTTP, certificate files or ACME) until ctx ends, then
// shuts down gracefully: new connections are refused, in-flight requests finish.
func serveUntilDone(ctx context.Context, a *app, inv *invocation, hs *http.Server, ln net.Listener) error {
	cfg := inv.cfg
	scheme := "http"
	errc := make(chan error, 2)
	var redirect *http.Server
	switch {
	case len(cfg.ACMEDomains) > 0:
		m := &autocert.Manager{
			Prompt: autocert.AcceptTOS, Cache: autocert.DirCache(cfg.DataDir + "/acme"),
			HostPolicy: autocert.HostWhitelist(cfg.ACMEDomains...), Email: cfg.ACMEEmail,
			Client: &acme.Client{DirectoryURL: egress.ACMEDirectory, HTTPClient: a.out.HTTPClient(0)},
		}
		hs.TLSConfig = serverTLS(m.TLSConfig())
		redirect = &http.Server{Addr: cfg.ACMEHTTPAddr, Handler: m.HTTPHandler(nil), ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := redirect.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("setting --acme-http-addr: %w", err)
			}
		}()
		scheme = "https"
		go func() { errc <- hs.ServeTLS(ln, "", "") }()
	case cfg.TLSCert != "":
		hs.TLSConfig = serverTLS(&tls.Config{})
		scheme = "https"
		go func() { errc <- hs.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey) }()
	default:
		go func() { errc <- hs.Serve(ln) }()
	}
	fmt.Fprintf(inv.env.Stdout, "candor %s: listening on %s://%s (public URL %s)\n", Version(), scheme, ln.Addr(), cfg.PublicURL)
	a.log.Info("listening", "addr", ln.Addr().String(), "tls", cfg.TLS())
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if redirect != nil {
		_ = redirect.Shutdown(sctx)
	}
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	a.log.Info("stopped")
	return nil
}

// httpErrorLog sends net/http's own messages (TLS handshake failures, accept errors) to
// the structured log instead of the process's stderr, without the client addresses they
// name ("TLS handshake error from 203.0.113.9:51234"): Candor logs no IP address.
func httpErrorLog(l *slog.Logger) *log.Logger { return log.New(httpErrorWriter{l}, "", 0) }

type httpErrorWriter struct{ log *slog.Logger }

var addrInText = regexp.MustCompile(`\[[^\]]*\](:\d+)?|\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b`)

func (w httpErrorWriter) Write(p []byte) (int, error) {
	w.log.Info("http server", "error", addrInText.ReplaceAllString(strings.TrimSpace(string(p)), "[client]"))
	return len(p), nil
}

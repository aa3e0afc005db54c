// Command mail measures campaign delivery: it seeds N confirmed subscribers and a
// campaign to them (the ledger rows written with one INSERT … SELECT), then runs the
// real mail worker and SMTP relay adapter (STARTTLS, pooled connections, optional DKIM)
// into a local counting SMTP sink (github.com/emersion/go-smtp) until the campaign is
// sent, and prints the rate. Seeding is not timed.
//
//	go run ./bench/mail                                  # SQLite in a temp dir, 20,000 recipients
//	go run ./bench/mail -dkim ed25519                    # or -dkim rsa (2048 bits)
//	go run ./bench/mail -db postgres://postgres@127.0.0.1:5432/postgres   # a fresh database there, dropped after
//	go run ./bench/mail -sink-only 127.0.0.1:2525 &      # the sink in its own process…
//	go run ./bench/mail -sink 127.0.0.1:2525 -ca /tmp/sink-ca.pem        # …and the worker in another
package main

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	netmail "net/mail"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/candor-dev/candor/bench/internal/benchdb"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/mail/smtp"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/seed"
	"github.com/candor-dev/candor/internal/testkit/smtpsink"
)

func main() {
	dbFlag := flag.String("db", "", "postgres://… server to create a fresh database on; empty: SQLite in a temp dir")
	n := flag.Int("n", 20000, "confirmed subscribers (recipients)")
	dkimFlag := flag.String("dkim", "none", "DKIM signing: none, ed25519 or rsa (2048 bits)")
	pool := flag.Int("pool", 8, "SMTP connections (and concurrent sends)")
	batch := flag.Int("batch", 500, "rows per claim")
	sinkAddr := flag.String("sink", "", "use a sink already running at this address (with -ca); empty: start one in this process")
	caFile := flag.String("ca", "", "the certificate of the -sink, PEM")
	sinkOnly := flag.String("sink-only", "", "only run a counting sink at this address, writing its certificate to /tmp/sink-ca.pem")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the sending phase to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile after sending to this file")
	rendererFlag := flag.String("renderer", "newsletter", "campaign renderer: newsletter (the real one: Markdown, template, unsubscribe token) or simple (one query and a fixed body)")
	flag.Parse()
	if *sinkOnly != "" {
		runSink(*sinkOnly)
		return
	}
	ctx := context.Background()

	dsn, cleanup := freshDatabase(*dbFlag)
	defer cleanup()
	db, err := benchdb.Open(ctx, dsn)
	check(err)
	defer db.Close()
	kr, err := pii.GenerateKeyring()
	check(err)
	sealer := pii.NewSealer(kr)
	t0 := time.Now()
	camp, err := seed.Campaign(ctx, db, sealer, *n, 0)
	check(err)
	fmt.Printf("seeded %d subscribers and the campaign's ledger rows in %s (%s)\n", *n, time.Since(t0).Round(time.Millisecond), db.Dialect)

	var relayURL *url.URL
	var roots *x509.CertPool
	var sink *smtpsink.Sink
	if *sinkAddr == "" {
		sink, err = smtpsink.New(smtpsink.Options{})
		check(err)
		defer sink.Close()
		relayURL, roots = sink.URL(), sink.Cert.Pool
	} else {
		pem, err := os.ReadFile(*caFile)
		check(err)
		roots = x509.NewCertPool()
		roots.AppendCertsFromPEM(pem)
		relayURL = &url.URL{Scheme: "smtp", Host: *sinkAddr}
	}
	var d *smtp.DKIM
	switch *dkimFlag {
	case "none":
	case "ed25519":
		_, k, err := ed25519.GenerateKey(rand.Reader)
		check(err)
		d = &smtp.DKIM{Domain: "candor.test", Selector: "bench", Key: k}
	case "rsa":
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		check(err)
		d = &smtp.DKIM{Domain: "candor.test", Selector: "bench", Key: crypto.Signer(k)}
	default:
		log.Fatalf("-dkim %q: want none, ed25519 or rsa", *dkimFlag)
	}
	relay, err := smtp.New(smtp.Options{URL: relayURL, AllowPrivate: true, RootCAs: roots, Pool: *pool, DKIM: d,
		From: &netmail.Address{Name: "Candor bench", Address: "news@candor.test"}})
	check(err)
	defer relay.Close()
	var renderer mail.Renderer
	switch *rendererFlag {
	case "simple":
		renderer = seed.Renderer(db, sealer, "https://candor.test")
	case "newsletter":
		check(setCampaignBody(ctx, db, camp))
		news := newsletter.NewService(sqldb.NewsletterStore{DB: db}, sealer, noAudit{}, nil, newsletter.Options{
			PublicURL: "https://candor.test", MailDomain: "candor.test", VendorName: "Candor", PostalAddress: "1 Bench Street, Testville"})
		renderer = news.Campaigns(sqldb.NewsletterStore{DB: db})
	default:
		log.Fatalf("-renderer %q: want newsletter or simple", *rendererFlag)
	}
	svc := mail.NewService(mail.Options{
		Store: sqldb.MailStore{DB: db}, Sealer: sealer, Sender: relay, Renderer: renderer,
		Rate: 100000, Concurrency: *pool, Batch: *batch, Poll: 50 * time.Millisecond,
	})

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	cpu0 := cpuTime()
	start := time.Now()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer f.Close()
	}
	go func() { done <- svc.Run(runCtx) }()
	for {
		var st string
		check(db.QueryRow(ctx, "SELECT status FROM campaigns WHERE id = ?", camp).Scan(&st))
		if st == "sent" {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	pprof.StopCPUProfile()
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		check(err)
		check(pprof.Lookup("allocs").WriteTo(f, 0))
		f.Close()
	}
	stop()
	check(<-done)
	counts, err := sqldb.MailStore{DB: db}.CampaignCounts(ctx, camp)
	check(err)
	fmt.Printf("sent %d messages (failed %d) in %s: %.0f messages/s; renderer=%s dkim=%s pool=%d batch=%d GOMAXPROCS=%d\n",
		counts.Sent, counts.Failed, elapsed.Round(time.Millisecond), float64(counts.Sent)/elapsed.Seconds(), *rendererFlag, *dkimFlag, *pool, *batch, runtime.GOMAXPROCS(0))
	fmt.Printf("process CPU %s (%.0f µs per message)", cpu.Round(time.Millisecond), float64(cpu.Microseconds())/float64(counts.Sent))
	if sink != nil {
		fmt.Printf(", sink in process: %d messages, %.1f KiB average", sink.Total(), float64(sink.Bytes())/float64(sink.Total())/1024)
	}
	fmt.Println()
}

// setCampaignBody gives the seeded campaign a realistic Markdown body (about 1.5 KB).
func setCampaignBody(ctx context.Context, db *sqldb.DB, camp int64) error {
	body := "# Candor 2.0\n\n" + strings.Repeat("Candor 2.0 is out: **faster sending**, calmer admin pages, and [nothing new to track](https://candor.test/privacy).\n\n", 14)
	_, err := db.Exec(ctx, "UPDATE campaigns SET subject = 'Candor 2.0', body_markdown = ? WHERE id = ?", body, camp)
	return err
}

type noAudit struct{}

func (noAudit) Record(context.Context, string, string, string, ...string) error { return nil }

// freshDatabase returns a DSN for an empty database and a function that removes it.
func freshDatabase(server string) (string, func()) {
	if server == "" {
		dir, err := os.MkdirTemp("", "candor-bench-mail")
		check(err)
		return "sqlite:" + filepath.Join(dir, "candor.db"), func() { os.RemoveAll(dir) }
	}
	admin, err := sql.Open("pgx", server)
	check(err)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "candor_bench_" + hex.EncodeToString(b)
	_, err = admin.Exec("CREATE DATABASE " + name)
	check(err)
	u, err := url.Parse(server)
	check(err)
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	}
}

func runSink(addr string) {
	sink, err := smtpsink.New(smtpsink.Options{Addr: addr})
	check(err)
	check(os.WriteFile("/tmp/sink-ca.pem", sink.Cert.CertPEM, 0o644))
	fmt.Println("sink listening on", sink.Addr, "(certificate in /tmp/sink-ca.pem)")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	fmt.Println("sink received", sink.Total(), "messages")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

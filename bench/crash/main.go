// Command crash measures crash recovery of campaign mail: it seeds N confirmed
// subscribers and a started campaign with the seed kit (the newsletter store's own
// StartCampaign), runs the mail worker as `candor serve` wires it (SQLite, its store
// named "serve", 2-minute lease, -pool SMTP connections) in a child process against a
// counting STARTTLS sink in this process, SIGKILLs the child when the sink has
// received the K-th message, restarts it at once and reports duplicates (Message-IDs
// received twice), lost recipients (never received) and seconds from the restart
// until the campaign is sent.
//
//	go run ./bench/crash -n 20000 -k 5000
package main

import (
	"context"
	"crypto/x509"
	"flag"
	"fmt"
	"log"
	netmail "net/mail"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/candor-dev/candor/bench/internal/benchdb"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/mail/smtp"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/seed"
	"github.com/candor-dev/candor/internal/testkit/smtpsink"
)

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func main() {
	n := flag.Int("n", 20000, "recipients")
	k := flag.Int("k", 5000, "kill the worker when the sink has received this many messages")
	pool := flag.Int("pool", 20, "SMTP connections (the worker's Concurrency)")
	child := flag.String("child", "", "internal: run the worker on this database")
	flag.Parse()
	if *child != "" {
		check(runChild(*child, *pool))
		return
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "candor-crash")
	check(err)
	defer os.RemoveAll(dir)
	dsn := "sqlite://" + filepath.Join(dir, "candor.db")
	db, err := benchdb.Open(ctx, dsn)
	check(err)
	defer db.Close()
	kr, err := pii.GenerateKeyring()
	check(err)
	camp, err := seed.Campaign(ctx, db, pii.NewSealer(kr), *n, 0)
	check(err)
	sink, err := smtpsink.New(smtpsink.Options{})
	check(err)
	defer sink.Close()
	ca := filepath.Join(dir, "ca.pem")
	check(os.WriteFile(ca, sink.Cert.CertPEM, 0o600))
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-child", dsn, "-pool", fmt.Sprint(*pool))
		cmd.Env = append(os.Environ(), "CRASH_KEYS="+kr.Text(), "CRASH_RELAY="+sink.Addr, "CRASH_CA="+ca)
		cmd.Stderr = os.Stderr
		check(cmd.Start())
		return cmd
	}
	first := start()
	for sink.Total() < *k {
		time.Sleep(time.Millisecond)
	}
	check(first.Process.Signal(syscall.SIGKILL))
	_ = first.Wait()
	atKill := sink.Total()
	restart := time.Now()
	second := start()
	check(second.Wait())
	took := time.Since(restart)

	counts := sink.Counts()
	rows, err := db.Query(ctx, "SELECT message_id FROM mail_outbox WHERE campaign_id = ?", camp)
	check(err)
	dup, lost := 0, 0
	for rows.Next() {
		var id string
		check(rows.Scan(&id))
		switch c := counts[id]; {
		case c == 0:
			lost++
		case c > 1:
			dup += c - 1
		}
	}
	rows.Close()
	fmt.Printf("crash: %d recipients, %d SMTP connections; killed at %d received; restart to done %.1f s; duplicates %d; lost %d\n",
		*n, *pool, atKill, took.Seconds(), dup, lost)
}

// runChild is the mail worker of `candor serve` on SQLite: it sends until the
// campaign is sent (or it is killed).
func runChild(dsn string, pool int) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	kr, err := pii.ParseKeyring(os.Getenv("CRASH_KEYS"))
	if err != nil {
		return err
	}
	sealer := pii.NewSealer(kr)
	pem, err := os.ReadFile(os.Getenv("CRASH_CA"))
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	relay, err := smtp.New(smtp.Options{URL: &url.URL{Scheme: "smtp", Host: os.Getenv("CRASH_RELAY")}, AllowPrivate: true,
		RootCAs: roots, Pool: pool, From: &netmail.Address{Name: "Candor bench", Address: "news@candor.test"}})
	if err != nil {
		return err
	}
	defer relay.Close()
	svc := mail.NewService(mail.Options{
		Store: sqldb.MailStore{DB: db, Name: "serve"}, Sealer: sealer, Sender: relay,
		Renderer: seed.Renderer(db, sealer, "https://candor.test"), Concurrency: pool,
	})
	go func() {
		for ctx.Err() == nil {
			var open int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM campaigns WHERE status <> 'sent'").Scan(&open); err == nil && open == 0 {
				stop()
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	return svc.Run(ctx)
}

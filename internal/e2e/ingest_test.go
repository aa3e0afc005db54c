package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/cli"
	"github.com/candor-dev/candor/internal/testkit/canary"
)

const ingestUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 IngestCanary"

// accessLines returns combined-format lines on day: for each of 6 visitors, page views
// of /, /pricing and their assets, plus a bot, a 404 and a POST that are not page views.
// from numbers the visitors, so that different calls make different logs.
func accessLines(day time.Time, from int, common bool) string {
	var b strings.Builder
	line := func(ip string, t time.Time, req string, status int, ua string) {
		fmt.Fprintf(&b, `%s - - [%s] "%s HTTP/1.1" %d 100`, ip, t.Format("02/Jan/2006:15:04:05 -0700"), req, status)
		if !common {
			fmt.Fprintf(&b, ` "https://www.google.com/" "%s"`, ua)
		}
		b.WriteByte('\n')
	}
	for v := from; v < from+6; v++ {
		ip := fmt.Sprintf("198.51.100.%d", v)
		t := day.Add(time.Duration(v) * time.Minute)
		line(ip, t, "GET /", 200, ingestUA)
		line(ip, t, "GET /static/app.css", 200, ingestUA)
		line(ip, t.Add(time.Minute), "GET /pricing?utm_campaign=spring", 200, ingestUA)
		line(ip, t.Add(time.Minute), "GET /missing", 404, ingestUA)
		line(ip, t.Add(2*time.Minute), "POST /contact", 303, ingestUA)
	}
	line("66.249.66.1", day, "GET /", 200, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
	return b.String()
}

// pageviews reads the total page views of site for one day through `candor stats --json`.
func (in *install) pageviews(day time.Time) int64 {
	in.t.Helper()
	d := day.Format(time.DateOnly)
	out, err := in.candor("", nil, append([]string{"stats", "--site", "logs", "--from", d, "--to", d, "--json"}, in.args()...)...)
	if err != nil {
		in.t.Fatalf("stats: %v\n%s", err, out)
	}
	var rep struct {
		Totals struct {
			Pageviews int64 `json:"pageviews"`
		} `json:"totals"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		in.t.Fatalf("stats --json: %v\n%s", err, out)
	}
	return rep.Totals.Pageviews
}

// Promise: access logs in the usual formats, gzipped or piped, count their page views
// once however often they are read; assets, errors, bots and other methods are not page
// views; no IP address or user agent reaches the database or the logs.
func TestIngestLog(t *testing.T) {
	in := newInstall(t)
	in.canary(ingestUA, "198.51.100.3")
	args := func(a ...string) []string { return append(a, in.args()...) }
	if out, err := in.candor("", nil, args("migrate")...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := in.candor("", nil, args("sites", "add", "logs", "--domain", "logs.example")...); err != nil {
		t.Fatalf("sites add: %v\n%s", err, out)
	}
	dir := t.TempDir()
	day1 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	log1 := filepath.Join(dir, "access.log")
	if err := os.WriteFile(log1, []byte(accessLines(day1, 1, false)+"garbage line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := in.candor("", nil, args("ingest-log", "--site", "logs", log1)...)
	if err != nil {
		t.Fatalf("ingest-log: %v\n%s", err, out)
	}
	for _, want := range []string{"read 32 lines", "page views: 12", "asset 6", "bot 1", "method 6", "status 6", "malformed: 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// The same log again, as a gzipped copy and on standard input: nothing more counts.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(accessLines(day1, 1, false)))
	zw.Close()
	gzPath := filepath.Join(dir, "access.log.1.gz")
	os.WriteFile(gzPath, gz.Bytes(), 0o644)
	out, err = in.candor(accessLines(day1, 1, false), nil, args("ingest-log", "--site", "logs", log1, gzPath, "-")...)
	if err != nil || !strings.Contains(out, "page views: 0") {
		t.Fatalf("ingest-log again: %v\n%s", err, out)
	}
	if got := in.pageviews(day1); got != 12 {
		t.Errorf("day 1: %d page views, want 12 (each log once)", got)
	}

	// Common format on standard input, and a custom format.
	day2, day3 := day1.AddDate(0, 0, 1), day1.AddDate(0, 0, 2)
	out, err = in.candor(accessLines(day2, 20, true), nil, args("ingest-log", "--site", "logs", "--format", "common", "-")...)
	if err != nil {
		t.Fatalf("ingest-log common: %v\n%s", err, out)
	}
	custom := filepath.Join(dir, "custom.log")
	var cb strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(accessLines(day3, 40, false)), "\n") {
		cb.WriteString("vhost.example " + l + " 0.003\n") // a virtual host first, a duration last
	}
	os.WriteFile(custom, []byte(cb.String()), 0o644)
	out, err = in.candor("", nil, args("ingest-log", "--site", "logs", "--format", `%^ %h %^ %^ [%t] "%r" %s %b "%R" "%u" %T`, custom)...)
	if err != nil {
		t.Fatalf("ingest-log custom: %v\n%s", err, out)
	}
	// The common format has no user agent: the crawler's page view cannot be told apart.
	if a, b := in.pageviews(day2), in.pageviews(day3); a != 13 || b != 12 {
		t.Errorf("common: %d, custom: %d page views; want 13 and 12", a, b)
	}
	_, err = in.candor("", nil, args("ingest-log", "--site", "logs", "--format", `%h %Q "%r"`, custom)...)
	if err == nil || !strings.Contains(err.Error(), "unknown directive %Q") || cli.ExitCode(err) != 2 {
		t.Errorf("unknown directive: %v", err)
	}
	if in.dsn == "" {
		canary.AssertAbsent(t, "ingesting logs stores no IP address or user agent", []string{in.dir}, "198.51.100.3", "IngestCanary")
	}
}

// Promise: --follow keeps counting a growing log across rotation and stops cleanly, with
// everything flushed, when interrupted.
func TestIngestLogFollowsRotation(t *testing.T) {
	in := newInstall(t)
	args := func(a ...string) []string { return append(a, in.args()...) }
	in.candor("", nil, args("migrate")...)
	in.candor("", nil, args("sites", "add", "logs", "--domain", "logs.example")...)
	dir := t.TempDir()
	p := filepath.Join(dir, "access.log")
	day := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	os.WriteFile(p, []byte(accessLines(day, 1, false)), 0o644)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out canary.Buffer
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(ctx, args("ingest-log", "--site", "logs", "--follow", "--poll", "20ms", "--flush-every", "50ms", p),
			cli.Env{Getenv: environ(), Stdin: strings.NewReader(""), Stdout: &out, Stderr: in.logs})
	}()
	waitFor := func(want int64) {
		t.Helper()
		for got := in.pageviews(day); got != want; got = in.pageviews(day) {
			if ctx.Err() != nil || got > want {
				t.Fatalf("page views %d, want %d", got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor(12)
	os.Rename(p, p+".1")
	os.WriteFile(p, []byte(accessLines(day, 10, false)), 0o644)
	waitFor(24)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("ingest-log --follow: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "page views: 24") {
		t.Errorf("report:\n%s", out.String())
	}
	// What was followed is remembered: ingesting both files again adds nothing.
	o, err := in.candor("", nil, args("ingest-log", "--site", "logs", p+".1", p)...)
	if err != nil || !strings.Contains(o, "page views: 0") {
		t.Errorf("re-ingest after follow: %v\n%s", err, o)
	}
}

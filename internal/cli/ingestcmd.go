package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/analytics/accesslog"
	"github.com/candor-dev/candor/internal/sqldb"
)

// runIngestLog reads access logs into the visitor statistics (docs/analytics-logs.md).
// main cancels ctx on SIGINT and SIGTERM; --follow then flushes and exits cleanly.
func runIngestLog(ctx context.Context, inv *invocation) error {
	site := inv.fs.String("site", "", "the site's NAME (see candor sites list)")
	format := inv.fs.String("format", "combined", "combined, common, or a format string such as '%h %^ %^ [%t] \"%r\" %s %b \"%R\" \"%u\"'")
	dateFormat := inv.fs.String("date-format", "", "layout of %d (strftime like %d/%b/%Y, or a Go layout)")
	timeFormat := inv.fs.String("time-format", "", "layout of %t (default: the CLF timestamp 10/Oct/2000:13:55:36 -0700; %H:%M:%S with %d)")
	follow := inv.fs.Bool("follow", false, "keep reading the last FILE as it grows, across rotation, until interrupted")
	poll := inv.fs.Duration("poll", time.Second, "how often --follow looks for new lines")
	flushEvery := inv.fs.Duration("flush-every", analytics.DefaultFlushEvery, "how often statistics are written while reading")
	exts := inv.fs.String("skip-ext", strings.Join(accesslog.DefaultAssetExtensions, ","), "extensions of static files, not page views; '' counts every extension")
	methods := inv.fs.String("methods", strings.Join(accesslog.DefaultMethods, ","), "methods counted; '' counts every method")
	status := inv.fs.String("status", accesslog.DefaultStatus, "status codes counted, as ranges; 'all' counts every status")
	skipPaths := inv.fs.String("skip-paths", strings.Join(accesslog.DefaultNonPagePaths, ","), "paths that are not pages; a trailing * matches a prefix")
	files, err := inv.parseInterleaved()
	if err != nil {
		return err
	}
	if *site == "" || len(files) == 0 {
		return fmt.Errorf("%w: candor ingest-log --site NAME [--format F] [--follow] FILE… ('-' for standard input)", errUsage)
	}
	f, err := accesslog.Compile(*format, *dateFormat, *timeFormat)
	if err != nil {
		return fmt.Errorf("%w: --format: %v", errUsage, err)
	}
	filter, err := accesslog.NewFilter(accesslog.FilterOptions{
		AssetExtensions: splitList(*exts), Methods: splitList(*methods), Status: *status, NonPagePaths: splitList(*skipPaths),
	})
	if err != nil {
		return fmt.Errorf("%w: --status: %v", errUsage, err)
	}
	a, err := openApp(ctx, inv, appNeeds{collect: true})
	if err != nil {
		return err
	}
	defer a.Close()
	s, err := siteByName(ctx, a, *site)
	if err != nil {
		return err
	}
	agg := a.collect
	in := &accesslog.Ingester{
		Site: s.ID, Format: f, Filter: filter, Recorder: agg, Stdin: inv.env.Stdin, FlushEvery: *flushEvery,
		State:    sqldb.IngestStore{DB: a.db},
		HeadHash: func(line []byte) string { return a.sealer.Index("ingest.head", string(line)) },
	}
	start := time.Now()
	_, _, bots0 := agg.Counts()
	for i, file := range files {
		if *follow && i == len(files)-1 {
			err = in.Follow(ctx, file, *poll)
		} else {
			err = in.IngestFile(ctx, file)
		}
		if err != nil {
			break
		}
	}
	// The last checkpoint saves what was counted even after an interruption (ctx ended),
	// within a bound of its own.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if cerr := in.Checkpoint(cctx); err == nil {
		err = cerr
	}
	_, _, bots1 := agg.Counts()
	printIngestReport(inv.env.Stdout, in.Stats, bots1-bots0, len(files), time.Since(start))
	return err
}

func splitList(s string) []string {
	out := []string{}
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// printIngestReport prints counts only: never a line, an address or an agent.
func printIngestReport(w io.Writer, st accesslog.Stats, bots int64, files int, took time.Duration) {
	rate := float64(st.Lines) / max(took.Seconds(), 1e-9)
	fmt.Fprintf(w, "read %d lines from %d file(s) in %s (%.0f lines/s)\n", st.Lines, files, took.Round(time.Millisecond), rate)
	fmt.Fprintf(w, "page views: %d\n", st.Kept-bots)
	filtered := map[string]int64{accesslog.ReasonBot: bots}
	for k, v := range st.Filtered {
		filtered[k] = v
	}
	keys := make([]string, 0, len(filtered))
	var total int64
	for k, v := range filtered {
		keys = append(keys, k)
		total += v
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, filtered[k]))
	}
	fmt.Fprintf(w, "filtered: %d (%s)\n", total, strings.Join(parts, ", "))
	fmt.Fprintf(w, "malformed: %d\n", st.Malformed)
	if st.Skipped > 0 {
		fmt.Fprintf(w, "already ingested, skipped: %d lines\n", st.Skipped)
	}
	if st.Partial > 0 {
		fmt.Fprintf(w, "unfinished last line left for the next run: %d bytes\n", st.Partial)
	}
}

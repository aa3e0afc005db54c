// Command stats measures the dashboard's server time and the bytes on disk of visitor
// statistics: it feeds N generated page views, spread over D days and P distinct pages,
// through the real analytics.Aggregator into a fresh database (SQLite by default, or
// PostgreSQL with -db), flushing every -flush-every of simulated time, then reports the
// size on disk, the bytes per million page views, the number of stat_cells rows (one per
// day or week and dimension), and the time of Reports.Summary + Reports.Daily for the whole range
// over R repetitions, the first (cold) one apart.
//
//	go run ./bench/stats -n 10000000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/candor-dev/candor/bench/internal/benchdb"
	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"

	"github.com/candor-dev/candor/bench/internal/latency"
)

var userAgents = []struct {
	ua     string
	weight int
}{
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", 30},
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", 12},
	{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", 18},
	{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36", 15},
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", 8},
	{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", 5},
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", 5},
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", 6},
	{"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", 1},
}

var languages = []string{"en-US,en;q=0.9", "en-GB,en;q=0.8", "de-DE,de;q=0.9", "fr-FR,fr;q=0.9", "es-ES,es;q=0.9",
	"pt-BR,pt;q=0.9", "ja-JP,ja;q=0.9", "zh-CN,zh;q=0.9", "nl-NL,nl;q=0.9", "it-IT,it;q=0.9", "pl-PL,pl;q=0.9", "ru-RU,ru;q=0.9"}

var screens = []int{360, 375, 390, 414, 768, 810, 1024, 1280, 1366, 1440, 1536, 1680, 1920, 2560, 3840}

var campaigns = []string{"spring-sale", "newsletter-42", "newsletter-43", "launch", "webinar", "black-friday", "retarget", "partner-x"}

func main() {
	n := flag.Int("n", 10_000_000, "page views to generate")
	days := flag.Int("days", 30, "days to spread them over (the report's range)")
	pages := flag.Int("pages", 1000, "distinct pages")
	visitors := flag.Int("visitors", 1_000_000, "distinct visitors (IP and user agent) in the pool")
	flushEvery := flag.Duration("flush-every", time.Hour, "simulated time between flushes")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "goroutines calling Record")
	reps := flag.Int("r", 20, "repetitions of Summary + Daily")
	dsn := flag.String("db", "", "database DSN (default: a fresh SQLite file in a temporary directory); must be empty of stats")
	keep := flag.Bool("keep", false, "keep the SQLite database")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the report repetitions to this file")
	seed := flag.Uint64("seed", 1, "random seed")
	startDay := flag.String("start", "2026-03-01", "first day (UTC) of the traffic and of the report's range: a Sunday lets a 30-day range read 4 weeks and 2 days, a Tuesday 3 weeks and 9 days (the most)")
	flag.Parse()
	log.SetFlags(0)
	start, err := time.Parse(time.DateOnly, *startDay)
	if err != nil {
		log.Fatal("-start: ", err)
	}
	ctx := context.Background()

	var dir string
	if *dsn == "" {
		var err error
		if dir, err = os.MkdirTemp("", "candor-stats-bench-"); err != nil {
			log.Fatal(err)
		}
		if !*keep {
			defer os.RemoveAll(dir)
		}
		*dsn = "sqlite:" + filepath.Join(dir, "candor.db")
	}
	db, err := benchdb.Open(ctx, *dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	store := sqldb.AnalyticsStore{DB: db}
	var clock atomic.Int64
	clock.Store(start.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	sites := analytics.NewSites(store, now)
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	site, err := sites.Add(ctx, staff.CLI, name, name+".example")
	if err != nil {
		log.Fatal(err)
	}
	agg := analytics.NewAggregator(store, analytics.Options{Now: now, SiteHost: sites.Host})

	// The site's pages: a few sections, long-tailed popularity.
	paths := make([]string, *pages)
	paths[0] = "/"
	sections := []string{"blog", "docs", "products", "help", "news"}
	for i := 1; i < len(paths); i++ {
		paths[i] = fmt.Sprintf("/%s/page-%d", sections[i%len(sections)], i)
	}
	referrers := []string{"https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/",
		"https://news.ycombinator.com/", "https://www.reddit.com/r/golang/", "https://t.co/abc", "https://www.facebook.com/",
		"https://www.linkedin.com/", "https://github.com/candor-dev/candor", "https://" + site.Domain + "/blog/page-5"}
	for i := range 190 { // a long tail of blogs and forums linking in
		referrers = append(referrers, fmt.Sprintf("https://blog%d.example-%d.org/post/%d", i, i%37, i))
	}
	uaTotal := 0
	for _, u := range userAgents {
		uaTotal += u.weight
	}

	slots := int((time.Duration(*days) * 24 * time.Hour) / *flushEvery)
	perSlot := float64(*n) / float64(slots)
	var fed, events atomic.Int64
	// The exact figure the report estimates: the sum over days of the day's distinct
	// visitors (each worker draws its own part of the pool, so their sets are disjoint).
	// (Two visitors of the pool may share an address and user agent: the aggregator then
	// sees one; with a million random addresses, a handful at most.)
	truth := make([]dayVisitors, *workers)
	began := time.Now()
	var flushTime time.Duration
	var flushes int
	var lastReport time.Time
	for slot := range slots {
		t0 := start.Add(time.Duration(slot) * *flushEvery)
		clock.Store(t0.Add(*flushEvery - time.Millisecond).UnixNano())
		target := int64(float64(slot+1) * perSlot)
		if slot == slots-1 {
			target = int64(*n)
		}
		want := target - fed.Load()
		var wg sync.WaitGroup
		for w := range *workers {
			share := want / int64(*workers)
			if w == 0 {
				share += want % int64(*workers)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(*seed, uint64(slot)*1024+uint64(w)))
				zipf := rand.NewZipf(r, 1.15, 2, uint64(len(paths)-1))
				for share > 0 {
					// One visit: a visitor of this worker's part of the pool, 1–8 pages.
					v := uint64(r.IntN(*visitors / *workers))*uint64(*workers) + uint64(w)
					vr := rand.New(rand.NewPCG(v, 0x5eed)) // the visitor's fixed traits
					ip := publicIP(vr)
					uaPick, ua := vr.IntN(uaTotal), ""
					for _, u := range userAgents {
						if uaPick < u.weight {
							ua = u.ua
							break
						}
						uaPick -= u.weight
					}
					lang := languages[vr.IntN(len(languages))]
					if vr.IntN(3) == 0 {
						lang = languages[0]
					}
					screen := screens[vr.IntN(len(screens))]
					h := analytics.Hit{SiteID: site.ID, Kind: analytics.KindPageview, Language: lang, ScreenWidth: screen, IP: ip, UserAgent: ua}
					switch x := r.IntN(100); {
					case x < 45: // direct
					case x < 85:
						h.Referrer = referrers[min(int(zipf.Uint64()%uint64(len(referrers))), r.IntN(len(referrers)))]
					case x < 90:
						h.UTMSource, h.UTMCampaign = "newsletter", campaigns[r.IntN(len(campaigns))]
					default:
						h.Referrer = referrers[r.IntN(len(referrers))]
					}
					at := t0.Add(time.Duration(r.Int64N(int64(*flushEvery))))
					pv := min(1+int64(r.ExpFloat64()*1.5), 8, share)
					for p := range pv {
						h.Path = paths[zipf.Uint64()]
						if p == 0 && r.IntN(4) == 0 {
							h.Path = "/"
						}
						h.Time = at
						truth[w].see(analytics.DayOf(at), v)
						if !agg.Record(h) {
							log.Fatal("Record refused: raise MaxPending or flush more often (-flush-every)")
						}
						h.Referrer, h.UTMSource, h.UTMCampaign = "https://"+site.Domain+"/", "", ""
						if r.IntN(100) == 0 {
							e := h
							e.Kind, e.Event, e.Path = analytics.KindEvent, []string{"download", "signup", "outbound"}[r.IntN(3)], ""
							agg.Record(e)
							events.Add(1)
						}
						at = at.Add(time.Duration(5+r.IntN(120)) * time.Second)
					}
					share -= pv
					fed.Add(pv)
				}
			}()
		}
		wg.Wait()
		f := time.Now()
		if err := agg.Flush(ctx); err != nil {
			log.Fatal(err)
		}
		flushTime += time.Since(f)
		flushes++
		if time.Since(lastReport) > 10*time.Second {
			lastReport = time.Now()
			log.Printf("  %s: %d page views fed, %.0f s", t0.Format(time.DateTime), fed.Load(), time.Since(began).Seconds())
		}
	}
	feed := time.Since(began)
	accepted, refused, bots := agg.Counts()
	fmt.Printf("fed %d page views + %d events over %d days, %d pages, %d-visitor pool, %d workers: %.1f s (%.0f page views/s), %d flushes of %s simulated time taking %.1f s in all\n",
		fed.Load(), events.Load(), *days, *pages, *visitors, *workers, feed.Seconds(), float64(fed.Load())/feed.Seconds(),
		flushes, *flushEvery, flushTime.Seconds())
	fmt.Printf("aggregator: accepted %d, refused %d, bots %d; peak RSS of the process %d MiB (the generator and its exact count of visitors included)\n", accepted, refused, bots, peakRSS()>>20)

	// Size on disk.
	var rowsN, cellBytes int64
	if err := db.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(LENGTH(cells)), 0) FROM stat_cells WHERE site_id = ?", site.ID).
		Scan(&rowsN, &cellBytes); err != nil {
		log.Fatal(err)
	}
	var values int
	if aggs, err := store.Stats(ctx, site.ID, analytics.DayOf(start), analytics.DayOf(start.AddDate(0, 0, *days))); err != nil {
		log.Fatal(err)
	} else {
		values = len(aggs)
	}
	var size int64
	if db.Dialect == sqldb.SQLite {
		if _, err := db.Exec(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			log.Fatal(err)
		}
		path := (*dsn)[len("sqlite:"):]
		for _, f := range []string{path, path + "-wal"} {
			if st, err := os.Stat(f); err == nil {
				size += st.Size()
			}
		}
		fmt.Printf("disk (SQLite file + WAL after checkpoint; whole database): %d bytes\n", size)
	} else {
		// Each flush rewrites the rows it touches: dead versions wait for (auto)vacuum,
		// whose freed space later rows reuse. Both sizes are printed; the per-million
		// figure is of the live data (after VACUUM FULL).
		for _, vacuum := range []string{"VACUUM stat_cells", "VACUUM FULL stat_cells"} {
			if _, err := db.Exec(ctx, vacuum); err != nil {
				log.Fatal(err)
			}
			if err := db.QueryRow(ctx, "SELECT pg_total_relation_size('stat_cells')").Scan(&size); err != nil {
				log.Fatal(err)
			}
			fmt.Printf("disk (PostgreSQL pg_total_relation_size('stat_cells') after %s, table + TOAST + index): %d bytes\n", vacuum, size)
		}
	}
	perM := float64(size) / (float64(fed.Load()) / 1e6)
	fmt.Printf("bytes per million page views: %.0f (%.2f MB)\n", perM, perM/1e6)
	fmt.Printf("stat_cells rows: %d (one per day or week and dimension); the days hold %d cells (%.0f a day, one per day, dimension and value); all rows %d bytes of cells (%.0f %% of the size)\n",
		rowsN, values, float64(values)/float64(*days), cellBytes, 100*float64(cellBytes)/float64(size))

	// The dashboard's queries for the whole range.
	reports := analytics.NewReports(store, 0, 0)
	from, to := start, start.AddDate(0, 0, *days-1)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	// What GET /admin/stats asks besides: the previous period's summary, for the cards.
	prevTo := from.AddDate(0, 0, -1)
	prevFrom := prevTo.AddDate(0, 0, 1-*days)
	var sum, daily, both, page []time.Duration
	var rep analytics.Report
	for i := range *reps + 1 {
		t := time.Now()
		if rep, err = reports.Summary(ctx, staff.CLI, site.ID, from, to); err != nil {
			log.Fatal(err)
		}
		s := time.Since(t)
		if _, err := reports.Daily(ctx, staff.CLI, site.ID, from, to); err != nil {
			log.Fatal(err)
		}
		d := time.Since(t)
		if _, err := reports.Summary(ctx, staff.CLI, site.ID, prevFrom, prevTo); err != nil {
			log.Fatal(err)
		}
		if i == 0 {
			fmt.Printf("first (cold) Summary + Daily: %v\n", d.Round(10*time.Microsecond))
			continue
		}
		sum, daily, both, page = append(sum, s), append(daily, d-s), append(both, d), append(page, time.Since(t))
	}
	var exact int64
	for _, t := range truth {
		exact += t.total(analytics.DayOf(from), analytics.DayOf(to))
	}
	fmt.Printf("report %s..%s: %d visitors (exact sum of daily distinct visitors %d: %+.2f %%), %d page views, %d visits\n", rep.From, rep.To,
		rep.Totals.Visitors, exact, 100*(float64(rep.Totals.Visitors)/float64(exact)-1), rep.Totals.Pageviews, rep.Totals.Visits)
	fmt.Printf("Summary          %s\n", latency.Summary(sum))
	fmt.Printf("Daily            %s\n", latency.Summary(daily))
	fmt.Printf("Summary + Daily  %s  (%d repetitions after the first)\n", latency.Summary(both), *reps)
	fmt.Printf("+ previous period Summary (the dashboard page's queries)  %s\n", latency.Summary(page))
	if *keep && dir != "" {
		fmt.Printf("database kept: %s\n", *dsn)
	}
}

// dayVisitors counts the distinct visitors of each day, as the aggregator does: a
// visitor counts on every day they have a page view on (a visit past midnight counts
// on both days). Days end up counted once two later days have been seen.
type dayVisitors struct {
	latest int64
	open   map[int64]map[uint64]struct{} // the latest day and the one before
	counts map[int64]int64
}

func (d *dayVisitors) see(day int64, v uint64) {
	if d.open == nil {
		d.open, d.counts = map[int64]map[uint64]struct{}{}, map[int64]int64{}
	}
	if day > d.latest {
		d.latest = day
		for k, set := range d.open {
			if k < day-24*time.Hour.Milliseconds() {
				d.counts[k] += int64(len(set))
				delete(d.open, k)
			}
		}
	}
	if d.open[day] == nil {
		d.open[day] = map[uint64]struct{}{}
	}
	d.open[day][v] = struct{}{}
}

// total sums the distinct visitors of the days from one to another, inclusive.
func (d *dayVisitors) total(from, to int64) (n int64) {
	for k, c := range d.counts {
		if k >= from && k <= to {
			n += c
		}
	}
	for k, set := range d.open {
		if k >= from && k <= to {
			n += int64(len(set))
		}
	}
	return n
}

// peakRSS returns the process's peak resident set size in bytes (0 where unknown).
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) << 10 // kilobytes on Linux
}

// publicIP returns a random IPv4 address outside the private, shared and reserved ranges.
func publicIP(r *rand.Rand) netip.Addr {
	for {
		b := [4]byte{byte(1 + r.IntN(223)), byte(r.IntN(256)), byte(r.IntN(256)), byte(1 + r.IntN(254))}
		a := netip.AddrFrom4(b)
		if a.IsPrivate() || a.IsLoopback() || b[0] == 100 || b[0] == 169 || b[0] == 192 || b[0] == 198 || b[0] == 203 {
			continue
		}
		return a
	}
}

package antibot

import (
	"crypto/sha256"
	"testing"
	"time"
)

// BenchmarkSolve measures Solve at the default difficulty over fresh challenges: the
// figure docs/antibot.md reports (a browser does the same number of hashes).
func BenchmarkSolve(b *testing.B) {
	g, _ := newTestGuard(b, Config{Difficulty: DefaultDifficulty})
	var hashes float64
	for b.Loop() {
		b.StopTimer()
		c, _ := g.Issue(FormContact)
		b.StartTimer()
		nonce, err := Solve(c.PoW)
		if err != nil {
			b.Fatal(err)
		}
		var n float64
		for _, d := range nonce {
			n = n*10 + float64(d-'0')
		}
		hashes += n + 1
	}
	b.ReportMetric(hashes/float64(b.N), "hashes/op")
}

// BenchmarkSHA256 is one hash of a challenge-sized input: Solve's unit of work.
func BenchmarkSHA256(b *testing.B) {
	buf := make([]byte, 64)
	for b.Loop() {
		sha256.Sum256(buf)
	}
}

// BenchmarkIssue is the cost of GET /antibot/challenge without HTTP.
func BenchmarkIssue(b *testing.B) {
	g, _ := newTestGuard(b, Config{})
	for b.Loop() {
		if _, err := g.Issue(FormContact); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck is the server's cost of one accepted submission: both tokens
// verified, the proof-of-work checked and spent, two rate limits, the heuristics on
// a short message. Challenges are issued and solved outside the timer.
func BenchmarkCheck(b *testing.B) {
	g, clk := newTestGuard(b, Config{Difficulty: 8, ReplayCapacity: 1 << 22, IPBurst: 1 << 30, AddressBurst: 1 << 30})
	const batch = 4096
	subs := make([]Submission, 0, batch)
	i := 0
	for b.Loop() {
		if i == len(subs) {
			b.StopTimer()
			subs, i = subs[:0], 0
			for range batch {
				_, s := issue(b, g, FormContact)
				s.ClientIP, s.AddressKey = "192.0.2.1", "index"
				s.Text = []string{"Licence question", "Hello, can I move my licence to a new laptop? Thanks, Ann"}
				subs = append(subs, s)
			}
			clk.advance(3 * time.Second)
			b.StartTimer()
		}
		if v := g.Check(ctx, subs[i]); v.Outcome != Accept {
			b.Fatal(v)
		}
		i++
	}
}

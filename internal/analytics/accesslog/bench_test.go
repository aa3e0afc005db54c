package accesslog

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/candor-dev/candor/internal/analytics"
)

type nopStore struct{}

func (nopStore) Merge(context.Context, []analytics.Aggregate) error { return nil }

// benchLog is a generated log (go run ./bench/ingest -o $CANDOR_BENCH_LOG), or a small
// built-in sample.
func benchLog(b *testing.B) []byte {
	if p := os.Getenv("CANDOR_BENCH_LOG"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	return bytes.Repeat([]byte(sampleCombined+"\n"), 10000)
}

func benchIngest(b *testing.B, rec Recorder) {
	data := benchLog(b)
	f, _ := Compile("combined", "", "")
	flt, _ := NewFilter(FilterOptions{})
	lines := bytes.Count(data, []byte("\n"))
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		in := &Ingester{Format: f, Filter: flt, Recorder: rec, Stdin: bytes.NewReader(data)}
		if err := in.IngestFile(context.Background(), "-"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkParse measures parsing and filtering alone.
func BenchmarkParse(b *testing.B) { benchIngest(b, nopRecorder{}) }

// BenchmarkIngest measures the whole path into a real Aggregator (storage excluded).
func BenchmarkIngest(b *testing.B) {
	benchIngest(b, analytics.NewAggregator(nopStore{}, analytics.Options{}))
}

type nopRecorder struct{}

func (nopRecorder) Record(analytics.Hit) bool   { return true }
func (nopRecorder) Flush(context.Context) error { return nil }

// Package latency summarises the latencies a load generator measured, the same way for
// every benchmark in bench/: nearest-rank percentiles, rounded to 10 µs.
package latency

import (
	"fmt"
	"slices"
	"time"
)

// At returns the p-th percentile (0 < p ≤ 1) of d, rounded to 10 µs; d need not be
// sorted and is not changed. It returns 0 for no samples.
func At(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(int(p*float64(len(s))), len(s)-1)].Round(10 * time.Microsecond)
}

// Summary prints "p50 … p90 … p99 …" of d.
func Summary(d []time.Duration) string {
	return fmt.Sprintf("p50 %-9v p90 %-9v p99 %v", At(d, .5), At(d, .9), At(d, .99))
}

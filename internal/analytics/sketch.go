package analytics

import (
	"github.com/axiomhq/hyperloglog"

	"github.com/candor-dev/candor/internal/errs"
)

// Visitor sketches live only in memory (see cell); storage keeps their estimates.
// Precision 14 (2^14 registers, 16 KiB once dense, standard error 0.8 %) for a site's
// total, the headline figure; precision 12 (4 KiB once dense, standard error 1.6 %) for
// each dimension's values, of which there are thousands a day. Below a few thousand
// visitors both are sparse, and their estimate is almost exact.
const (
	totalPrecision = 14
	valuePrecision = 12
)

// newSketch returns an empty visitor sketch (precision 14, sparse while small): the live
// count's, and the reader's of sketches stored before migration 0008.
func newSketch() *hyperloglog.Sketch { return hyperloglog.New14() }

// denseFrom is how many visitors a cell must have counted in a flush interval for its
// next interval's sketch to start dense: a sparse sketch's inserts slow down as it
// grows (it re-sorts its list every m/100 new keys), a dense one's stay O(1), at the
// price of allocating all its registers (4 or 16 KiB) up front.
const denseFrom = 256

// newCellSketch returns an empty sketch for a cell: the site's total, or a value's;
// dense from the start, or sparse while small.
func newCellSketch(total, dense bool) *hyperloglog.Sketch {
	p := uint8(valuePrecision)
	if total {
		p = totalPrecision
	}
	sk, err := hyperloglog.NewSketch(p, !dense)
	if err != nil {
		panic("analytics: " + err.Error()) // a constant precision within the library's range
	}
	return sk
}

// estimateSketch returns the distinct visitors sk counts; 0 for nil.
func estimateSketch(sk *hyperloglog.Sketch) int64 {
	if sk == nil {
		return 0
	}
	return int64(sk.Estimate())
}

// SketchEstimate returns how many distinct visitors a serialised sketch counts (0 for an
// empty one): storage reads rows written before migration 0008, which kept sketches,
// through it.
func SketchEstimate(b []byte) (int64, error) {
	if len(b) == 0 {
		return 0, nil
	}
	sk := newSketch()
	if err := sk.UnmarshalBinary(b); err != nil {
		return 0, errs.Wrap(errs.Internal, "", err)
	}
	return estimateSketch(sk), nil
}

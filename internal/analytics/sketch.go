package analytics

import (
	"github.com/axiomhq/hyperloglog"

	"github.com/candor-dev/candor/internal/errs"
)

// newSketch returns an empty visitor sketch (precision 14, sparse while small).
func newSketch() *hyperloglog.Sketch { return hyperloglog.New14() }

func decodeSketch(b []byte) (*hyperloglog.Sketch, error) {
	sk := newSketch()
	if len(b) == 0 {
		return sk, nil
	}
	if err := sk.UnmarshalBinary(b); err != nil {
		return nil, errs.Wrap(errs.Internal, "", err)
	}
	return sk, nil
}

// MergeSketches returns the serialised union of two serialised visitor sketches; an
// empty input stands for an empty sketch. Storage calls it inside its flush transaction.
func MergeSketches(a, b []byte) ([]byte, error) {
	if len(a) == 0 {
		return b, nil
	}
	if len(b) == 0 {
		return a, nil
	}
	x, err := decodeSketch(a)
	if err != nil {
		return nil, err
	}
	y, err := decodeSketch(b)
	if err != nil {
		return nil, err
	}
	if err := x.Merge(y); err != nil {
		return nil, errs.Wrap(errs.Internal, "", err)
	}
	return x.MarshalBinary()
}

// SketchEstimate returns how many distinct visitors a serialised sketch counts (0 for an
// empty one). Reports apply suppression to it; this raw figure is for storage tests.
func SketchEstimate(b []byte) (int64, error) { return estimate(b) }

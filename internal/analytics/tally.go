package analytics

// sums are one value's figures over a range: counters and visitors summed over its days.
type sums struct {
	c        Counters
	visitors int64
}

// tally sums packed cells by dimension and value. Reading a cell costs no allocation
// unless its value is new to the tally.
type tally map[string]map[string]*sums

// add sums every cell of d.
func (t tally) add(d DayCells) error {
	values := t[d.Dim]
	if values == nil {
		values = map[string]*sums{}
		t[d.Dim] = values
	}
	r, err := newCellReader(d.Data)
	if err != nil {
		return err
	}
	for {
		value, c, v, ok, err := r.next()
		if err != nil || !ok {
			return err
		}
		s := values[string(value)]
		if s == nil {
			s = &sums{}
			values[string(value)] = s
		}
		s.c.add(c)
		s.visitors += v
	}
}

// get returns the sums of one value (zero when absent).
func (t tally) get(dim, value string) sums {
	if s := t[dim][value]; s != nil {
		return *s
	}
	return sums{}
}

package analytics

// valueID numbers a dimension value within its day's dayValues.
type valueID uint32

// dayValues are the dimension values counted on one UTC day, numbered, so that a visit
// refers to its values by number and holds no pointer: the garbage collector never
// scans the hundreds of thousands of visits live at once. A site's dimension has at most
// MaxValues values a day; beyond them, its new values are folded into Other.
//
// Invariant: a day's values outlive every visit of that day. Both go at the first flush
// that finds the day older than yesterday (Flush drops the values after sweep has
// dropped the visits).
type dayValues struct {
	ids   map[valueKey]valueID
	names []string        // by id
	count map[siteDim]int // distinct values of each site's dimension, Other not included
}

type valueKey struct {
	site  int64
	dim   dimID
	value string
}

type siteDim struct {
	site int64
	dim  dimID
}

// value returns the number and the value under which v counts on day for the site's
// dimension: v itself, or Other once that dimension has MaxValues other values that day.
// Callers hold mu.
func (a *Aggregator) value(site, day int64, dim dimID, v string) (valueID, string) {
	d := a.days[day]
	if d == nil {
		d = &dayValues{ids: map[valueKey]valueID{}, count: map[siteDim]int{}}
		a.days[day] = d
	}
	k := valueKey{site, dim, v}
	if id, ok := d.ids[k]; ok {
		return id, d.names[id]
	}
	if sd := (siteDim{site, dim}); d.count[sd] < a.opts.MaxValues {
		d.count[sd]++
	} else {
		k.value = Other
		if id, ok := d.ids[k]; ok {
			return id, Other
		}
	}
	id := valueID(len(d.names))
	d.ids[k] = id
	d.names = append(d.names, k.value)
	return id, k.value
}

// capped returns the value under which v counts on day (see value). Callers hold mu.
func (a *Aggregator) capped(site, day int64, dim dimID, v string) string {
	_, name := a.value(site, day, dim, v)
	return name
}

// name returns the value numbered id on day. Callers hold mu.
func (a *Aggregator) name(day int64, id valueID) string { return a.days[day].names[id] }

// dropValues forgets the values of the days before yesterday (of now). Callers hold mu,
// and have swept the visits of those days (sweep).
func (a *Aggregator) dropValues(yesterday int64) {
	for day := range a.days {
		if day < yesterday {
			delete(a.days, day)
		}
	}
}

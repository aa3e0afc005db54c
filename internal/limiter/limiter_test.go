package limiter

import (
	"strconv"
	"testing"
	"time"
)

func TestBurstThenRefill(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New[string](3, time.Minute, 10)
	l.now = func() time.Time { return now }
	for i := range 3 {
		if !l.Allow("a") {
			t.Fatalf("event %d refused within the burst", i)
		}
	}
	if l.Allow("a") {
		t.Fatal("fourth event allowed beyond the burst")
	}
	if !l.Allow("b") {
		t.Fatal("another key was limited by the first")
	}
	now = now.Add(time.Minute)
	if !l.Allow("a") {
		t.Fatal("no token after one interval")
	}
	l.Reset("a")
	if !l.Allow("a") || !l.Allow("a") {
		t.Fatal("Reset did not forget the key")
	}
}

func TestMemoryIsBounded(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New[string](1, time.Hour, 100)
	l.now = func() time.Time { return now }
	for i := range 1000 {
		l.Allow(strconv.Itoa(i))
	}
	if l.Len() > 100 {
		t.Fatalf("tracked %d keys, capacity 100", l.Len())
	}
	now = now.Add(2 * time.Hour) // every bucket refilled: all evictable
	if !l.Allow("new") {
		t.Fatal("a new key was refused after the old ones went idle")
	}
}

// A clock stepped back neither drains nor refills a bucket: refilling goes on from the
// new time. (time.Now carries a monotonic reading, which steps of the wall clock do not
// move; this test's times have none, as a clock without one would give.)
func TestClockSteppedBack(t *testing.T) {
	now := time.Unix(10_000, 0)
	l := New[string](3, time.Minute, 10)
	l.now = func() time.Time { return now }
	for range 3 {
		l.Allow("a")
	}
	now = now.Add(-time.Hour)
	if l.Allow("a") {
		t.Fatal("a step back refilled the bucket")
	}
	now = now.Add(time.Minute)
	if !l.Allow("a") {
		t.Fatal("one interval after the step: still refused (the step back drained the bucket)")
	}
}

func TestIntervalMustBePositive(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New with a zero interval did not panic")
		}
	}()
	New[string](1, 0, 1)
}

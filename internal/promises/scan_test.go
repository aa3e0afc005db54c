package promises

import (
	"strings"
	"testing"
	"testing/iotest"
)

// Promise: "Your credit card number is not kept or recorded": the scan finds a card
// number however it is written, in a stream read a byte at a time as well as whole,
// and does not mistake timestamps, hashes or other digits for one.
func TestCountCards(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"4111111111111111", 1},
		{`{"card":"4242424242424242","exp":"12/30"}`, 1},
		{"pan=5555 5555 5555 4444;", 1},
		{"amex 3782-822463-10005 ok", 1},
		{"two: 4111111111111111, 4012888888881881", 2},
		{"card_4111111111111111_", 1},
		{"4111111111111112", 0},                                                 // Luhn fails
		{"1733615487000 1733615487005", 0},                                      // millisecond timestamps start with 1
		{"a4111111111111111", 0},                                                // glued to a letter: part of a token
		{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0}, // a hash
		{"41111111111111110000", 0},                                             // 20 digits
		{"4111 1111 1111 111", 0},                                               // 15 digits grouped, Luhn fails
		{"4111-1111 1111-1111", 0},                                              // mixed separators: four short numbers
		{"", 0},
	} {
		got, err := CountCards(strings.NewReader(c.text))
		if err != nil || got != c.want {
			t.Errorf("CountCards(%q) = %d, %v; want %d", c.text, got, err, c.want)
		}
		got, _ = CountCards(iotest.OneByteReader(strings.NewReader(c.text)))
		if got != c.want {
			t.Errorf("CountCards(%q) byte by byte = %d; want %d", c.text, got, c.want)
		}
	}
}

// Promise: "a broad picture of our population rather than focusing on any one
// individual": an IP address is found wherever it sits in a stored value, and words
// that only look like one are not.
func TestContainsIP(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"203.0.113.9", true},
		{"/from/203.0.113.9/page", true},
		{"ref=2001:db8::1&x", true},
		{"::ffff:192.0.2.1", true},
		{"fe80::1", true},
		{"/docs/std::io", false},
		{"v1.2.3.4", false},
		{"/pricing", false},
		{"1.2.3", false},
		{"999.1.1.1", false},
		{"::", false},
		{"12:30:45", false},
		{"e3b0c44298fc1c149afbf4c8996fb924", false},
	} {
		if got := ContainsIP([]byte(c.text)); got != c.want {
			t.Errorf("ContainsIP(%q) = %v; want %v", c.text, got, c.want)
		}
	}
}

// BenchmarkCountCards measures the scanner's throughput over text with digits, words
// and hashes (go test -bench CountCards ./internal/promises/).
func BenchmarkCountCards(b *testing.B) {
	line := `time=2026-12-07T23:42:11Z level=INFO msg="mail sent" id=1733615487000 hash=e3b0c44298fc1c149afbf4c8996fb924 path=/pricing` + "\n"
	data := []byte(strings.Repeat(line, (1<<20)/len(line)))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := CountCards(strings.NewReader(string(data))); err != nil {
			b.Fatal(err)
		}
	}
}

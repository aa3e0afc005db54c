package classify

import (
	"strings"
	"testing"
)

func TestLanguage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"de-CH,de;q=0.9,en;q=0.8", "de"},
		{"en-US", "en"},
		{"EN-gb", "en"},
		{"fr", "fr"},
		{"zh_CN", "zh"},
		{"fil-PH", "fil"},
		{"*;q=0.5, es", "es"},
		{"*", ""},
		{"da;q=0, sv", "sv"},
		{"  nl-BE ; q=1 , fr", "nl"},
		{"", ""},
		{"x", ""},
		{"toolong-XX", ""},
		{"12-34", ""},
		{"<script>", ""},
		{"\u202ede", ""},
		{strings.Repeat("a,", 10_000) + "de", ""},
		{strings.Repeat(" ", 2000) + "de", ""},
	} {
		if got := Language(tc.in); got != tc.want {
			t.Errorf("Language(%.40q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScreenClass(t *testing.T) {
	for _, tc := range []struct {
		w    int
		want string
	}{
		{-1, ""}, {0, ""}, {1, "mobile"}, {375, "mobile"}, {575, "mobile"}, {576, "tablet"},
		{991, "tablet"}, {992, "laptop"}, {1439, "laptop"}, {1440, "desktop"}, {3840, "desktop"},
		{20000, "desktop"}, {20001, ""}, {1 << 40, ""}, {-1 << 40, ""},
	} {
		if got := ScreenClass(tc.w); got != tc.want {
			t.Errorf("ScreenClass(%d) = %q, want %q", tc.w, got, tc.want)
		}
	}
}

func BenchmarkLanguage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Language("de-CH,de;q=0.9,en;q=0.8")
	}
}

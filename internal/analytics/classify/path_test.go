package classify

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var utm = []string{"utm_source", "utm_medium", "utm_campaign", "ref"}

var pathCases = []struct {
	raw  string
	keep []string
	want string
}{
	{"", nil, "/"},
	{"/", nil, "/"},
	{"pricing", nil, "/pricing"},
	{"/docs/install", nil, "/docs/install"},
	{"/docs//install///step", nil, "/docs/install/step"},
	{"//evil.example/x", nil, "/evil.example/x"},
	{"/a\\b\\\\c", nil, "/a/b/c"},
	{"/page?session=abc&email=a@b.c", nil, "/page"},
	{"/page#section-2", nil, "/page"},
	{"/page?x=1#frag?y=2", utm, "/page"},
	{"/page?utm_source=news&x=1&utm_campaign=spring#top", utm, "/page?utm_campaign=spring&utm_source=news"},
	{"/page?utm_source=b&utm_source=a&utm_source=b", utm, "/page?utm_source=a&utm_source=b"},
	{"/page?utm_source=" + strings.Repeat("v", 100), utm, "/page?utm_source=" + strings.Repeat("v", 64)},
	{"/page?UTM_SOURCE=x", utm, "/page"},
	{"?utm_source=x", utm, "/?utm_source=x"},
	{"https://example.com/docs?x=1", nil, "/docs"},
	{"https://example.com", nil, "/"},
	{"/caf\u00e9/\u65e5\u672c", nil, "/caf\u00e9/\u65e5\u672c"},
	{"/%E2%80%AE/x", nil, "/%E2%80%AE/x"},
	// hostile
	{"/\u202Egnp.exe", nil, "/gnp.exe"},
	{"/a\u2066b\u2069c\u200bd\ufeffe", nil, "/abcde"},
	{"/a\x00b\x1bc\x7fd\u0085e\r\nf\tg", nil, "/abcdefg"},
	{"/\xff\xfebad", nil, "/bad"},
	{"/<script>alert(1)</script>", nil, "/<script>alert(1)</script>"},
	{"/p?utm_source=\u202e<x>\x00", utm, "/p?utm_source=<x>"},
	{"\x00\x01", nil, "/"},
	{"\u202e", nil, "/"},
}

func TestPath(t *testing.T) {
	for _, tc := range pathCases {
		if got := Path(tc.raw, tc.keep); got != tc.want {
			t.Errorf("Path(%q, %q) = %q, want %q", tc.raw, tc.keep, got, tc.want)
		}
		checkPath(t, tc.raw, Path(tc.raw, tc.keep))
	}
}

func TestPathLong(t *testing.T) {
	for _, raw := range []string{
		"/" + strings.Repeat("a", 10_000),
		"/" + strings.Repeat("\u65e5", 10_000), // 3-byte runes: cut must fall on a boundary
		"/" + strings.Repeat("\U0001F600", 10_000),
		"/x?utm_source=" + strings.Repeat("\u00e9", 10_000),
		"/" + strings.Repeat("a", 250) + "?utm_source=abc&utm_medium=def",
		strings.Repeat("/", 10_000) + "x",
	} {
		got := Path(raw, utm)
		checkPath(t, raw, got)
		if len(got) < MaxPath-4 && !strings.HasSuffix(raw, "x") && !strings.Contains(raw, "?") {
			t.Errorf("Path(%.30q…) = %d bytes, want close to %d", raw, len(got), MaxPath)
		}
	}
	if got := Path(strings.Repeat("/", 10_000)+"x", nil); got != "/" {
		// the first KiB is all slashes, so "x" is beyond the cut
		t.Errorf("Path(slashes+x) = %q", got)
	}
}

func TestPathNoAlias(t *testing.T) {
	raw := "/docs/install"
	if got := Path(raw, nil); aliases(got, raw) {
		t.Errorf("Path(%q) aliases its input", raw)
	}
}

func checkPath(t testing.TB, raw, got string) {
	t.Helper()
	if got == "" || got[0] != '/' {
		t.Fatalf("Path(%.40q) = %.40q: no leading /", raw, got)
	}
	if len(got) > MaxPath {
		t.Fatalf("Path(%.40q) = %d bytes", raw, len(got))
	}
	if !utf8.ValidString(got) {
		t.Fatalf("Path(%.40q) = %.40q: invalid UTF-8", raw, got)
	}
	for _, r := range got {
		if unicode.IsControl(r) || unwantedRune(r) || unicode.Is(unicode.Bidi_Control, r) {
			t.Fatalf("Path(%.40q) = %.40q: has %U", raw, got, r)
		}
	}
	pathPart, _, _ := strings.Cut(got, "?")
	if strings.Contains(pathPart, "//") || strings.ContainsRune(got, '#') {
		t.Fatalf("Path(%.40q) = %.40q", raw, got)
	}
}

func FuzzPath(f *testing.F) {
	for _, tc := range pathCases {
		f.Add(tc.raw, "utm_source")
	}
	f.Fuzz(func(t *testing.T, raw, keep string) {
		got := Path(raw, []string{keep, "utm_medium"})
		checkPath(t, raw, got)
		if aliases(got, raw) {
			t.Fatalf("Path(%.40q) aliases its input", raw)
		}
		if again := Path(got, []string{keep, "utm_medium"}); again != got && !strings.Contains(got, "?") {
			t.Fatalf("Path not idempotent: %q → %q → %q", raw, got, again)
		}
	})
}

func BenchmarkPath(b *testing.B) {
	raws := []string{
		"/docs/install",
		"/blog/2026/11/privacy-first-analytics?utm_source=newsletter&utm_campaign=nov&fbclid=abc123",
		"https://example.com//pricing#plans",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Path(raws[i%len(raws)], utm)
	}
}

package classify

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var refCases = []struct {
	ref, site string
	want      Source
}{
	{"", "example.com", Source{"", "direct"}},
	{"   ", "example.com", Source{"", "direct"}},
	{"https://www.google.com/search?q=candor+analytics&client=firefox", "example.com", Source{"google.com", "search"}},
	{"https://www.google.co.uk/", "example.com", Source{"google.co.uk", "search"}},
	{"https://www.google.de/url?sa=t&url=https://example.com/", "example.com", Source{"google.de", "search"}},
	{"https://www.bing.com/search?q=x", "example.com", Source{"bing.com", "search"}},
	{"https://duckduckgo.com/", "example.com", Source{"duckduckgo.com", "search"}},
	{"https://search.yahoo.com/search?p=x", "example.com", Source{"search.yahoo.com", "search"}},
	{"https://yandex.ru/search/?text=x", "example.com", Source{"yandex.ru", "search"}},
	{"https://search.brave.com/search?q=x", "example.com", Source{"search.brave.com", "search"}},
	{"android-app://com.google.android.googlequicksearchbox/", "example.com", Source{"com.google.android.googlequicksearchbox", "search"}},
	{"https://t.co/AbCdEf123", "example.com", Source{"t.co", "social"}},
	{"https://news.ycombinator.com/item?id=123456", "example.com", Source{"news.ycombinator.com", "social"}},
	{"https://old.reddit.com/r/golang/comments/abc/", "example.com", Source{"reddit.com", "social"}},
	{"https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com", "example.com", Source{"facebook.com", "social"}},
	{"https://m.facebook.com/", "example.com", Source{"facebook.com", "social"}},
	{"https://www.linkedin.com/feed/", "example.com", Source{"linkedin.com", "social"}},
	{"https://mail.google.com/mail/u/0/#inbox/FMfcgz", "example.com", Source{"mail.google.com", "email"}},
	{"https://outlook.live.com/mail/0/inbox", "example.com", Source{"outlook.live.com", "email"}},
	{"android-app://com.google.android.gm/", "example.com", Source{"com.google.android.gm", "email"}},
	{"https://mail.google.de/", "example.com", Source{"mail.google.de", "email"}},
	{"https://www.www.www.example.com/", "example.com", Source{"example.com", "internal"}},
	{"https://www../", "example.com", Source{"", "direct"}},
	{"https://webmail.example.org/?_task=mail", "example.com", Source{"webmail.example.org", "email"}},
	{"https://example.com/pricing", "example.com", Source{"example.com", "internal"}},
	{"https://www.example.com/pricing", "example.com", Source{"example.com", "internal"}},
	{"https://EXAMPLE.com:8443/x", "www.example.com:443", Source{"example.com", "internal"}},
	{"https://blog.example.com/post", "example.com", Source{"blog.example.com", "referral"}},
	{"https://Some-Blog.ORG:8080/a/b?c=d#e", "example.com", Source{"some-blog.org", "referral"}},
	{"https://user:pass@evil.example.net/", "example.com", Source{"evil.example.net", "referral"}},
	{"some-blog.org/post", "example.com", Source{"some-blog.org", "referral"}},
	{"//cdn.example.net/x", "example.com", Source{"cdn.example.net", "referral"}},
	{"http://[2001:db8::1]:8080/", "example.com", Source{"2001:db8::1", "referral"}},
	{"http://192.0.2.7/", "example.com", Source{"192.0.2.7", "referral"}},
	{"https://googleusercontent.com/", "example.com", Source{"googleusercontent.com", "referral"}},
	{"https://notgoogle.com/", "example.com", Source{"notgoogle.com", "referral"}},
	// hostile
	{`javascript:alert(1)`, "example.com", Source{"", "direct"}},
	{`https://"><script>alert(1)</script>.com/`, "example.com", Source{"", "direct"}},
	{"https://evil\u202Emoc.com/", "example.com", Source{"", "direct"}},
	{"https://evil\x00.com/", "example.com", Source{"", "direct"}},
	{"https://ex\tample.com/", "example.com", Source{"", "direct"}},
	{"https://a..b/", "example.com", Source{"", "direct"}},
	{"https://[::1/", "example.com", Source{"", "direct"}},
	{"https://example.com:80ab/", "example.com", Source{"", "direct"}},
	{"https://" + strings.Repeat("a", 300) + ".com/", "example.com", Source{"", "direct"}},
}

func TestReferrer(t *testing.T) {
	for _, tc := range refCases {
		if got := Referrer(tc.ref, tc.site); got != tc.want {
			t.Errorf("Referrer(%.60q, %q) = %+v, want %+v", tc.ref, tc.site, got, tc.want)
		}
	}
}

func TestReferrerLong(t *testing.T) {
	long := "https://news.ycombinator.com/item?id=" + strings.Repeat("9", 10_000)
	if got := Referrer(long, "example.com"); got != (Source{"news.ycombinator.com", "social"}) {
		t.Errorf("long referrer: %+v", got)
	}
	if got := Referrer(strings.Repeat("x", 10_000), "example.com"); got.Kind != "direct" {
		t.Errorf("10 kB host: %+v", got)
	}
}

// TestReferrerNoAlias checks that the returned host does not share memory
// with the referrer, so keeping it cannot keep the query string alive.
func TestReferrerNoAlias(t *testing.T) {
	ref := "https://Some-Blog.org/?email=someone@example.com"
	for _, r := range []string{ref, strings.ToLower(ref), "https://news.ycombinator.com/item?id=1"} {
		h := Referrer(r, "example.com").Host
		if aliases(h, r) {
			t.Errorf("Referrer(%q).Host aliases its input", r)
		}
	}
}

var kinds = map[string]bool{"direct": true, "search": true, "social": true, "email": true, "internal": true, "referral": true}

func checkSource(t testing.TB, ref string, s Source) {
	t.Helper()
	if !kinds[s.Kind] {
		t.Errorf("Referrer(%.60q).Kind = %q", ref, s.Kind)
	}
	if (s.Kind == "direct") != (s.Host == "") {
		t.Errorf("Referrer(%.60q) = %+v", ref, s)
	}
	if len(s.Host) > maxHost || !utf8.ValidString(s.Host) {
		t.Errorf("Referrer(%.60q).Host = %q", ref, s.Host)
	}
	for i := 0; i < len(s.Host); i++ {
		c := s.Host[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == ':') {
			t.Errorf("Referrer(%.60q).Host = %q has %q", ref, s.Host, c)
			break
		}
	}
	if strings.HasPrefix(s.Host, "www.") {
		t.Errorf("Referrer(%.60q).Host = %q", ref, s.Host)
	}
}

func FuzzReferrer(f *testing.F) {
	for _, tc := range refCases {
		f.Add(tc.ref, tc.site)
	}
	f.Fuzz(func(t *testing.T, ref, site string) {
		s := Referrer(ref, site)
		checkSource(t, ref, s)
		if s.Host != "" && aliases(s.Host, ref) {
			t.Errorf("Referrer(%.60q).Host aliases its input", ref)
		}
	})
}

func BenchmarkReferrer(b *testing.B) {
	refs := []string{
		"https://www.google.com/search?q=candor+analytics",
		"https://news.ycombinator.com/item?id=123456",
		"https://example.com/pricing",
		"https://Some-Blog.org/posts/2026/privacy?utm_source=x",
		"",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Referrer(refs[i%len(refs)], "example.com")
	}
}

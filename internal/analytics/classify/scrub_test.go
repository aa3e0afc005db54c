package classify

import (
	"strings"
	"testing"
)

var scrubCases = []struct{ in, want string }{
	{"/", "/"},
	{"/docs/install", "/docs/install"},
	{"/blog/2026/12/07/release-notes", "/blog/2026/12/07/release-notes"},
	{"/how-to-install-candor-2", "/how-to-install-candor-2"},
	{"/internationalization-guide", "/internationalization-guide"},
	{"/download/candor-1.2.3-linux-amd64.tar.gz", "/download/candor-1.2.3-linux-amd64.tar.gz"},
	{"/account/alice@example.org", "/account/:email"},
	{"/account/alice%40example.org/settings", "/account/:email/settings"},
	{"/account/ALICE%40EXAMPLE.ORG", "/account/:email"},
	{"/orders/1234567/invoice", "/orders/:id/invoice"},
	{"/call/+49-30-1234567", "/call/:id"},
	{"/u/550e8400-e29b-41d4-a716-446655440000", "/u/:id"},
	{"/verify/3f2a9c0d4e5b6a7f8e9d0c1b2a3f4e5d", "/verify/:id"},
	{"/reset/aB3dE5gH7jK9mN1pQ3sT", "/reset/:id"},
	{"/t/Zm9vYmFyLWJhei1xdXV4LXNlY3JldA_x-Yz12", "/t/:id"},
	{"/search?utm_source=alice@example.org&utm_medium=news", "/search?utm_source=:email&utm_medium=news"},
	{"/:id/:email", "/:id/:email"},
	{"/a@b", "/:email"},
	{"/x%40", "/:email"},
	{"/x%4", "/x%4"},
	{"/12345/ab123", "/12345/ab123"},
	{"/123456", "/:id"},
}

func TestScrub(t *testing.T) {
	for _, tc := range scrubCases {
		if got := Scrub(tc.in); got != tc.want {
			t.Errorf("Scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScrubWords(t *testing.T) {
	for in, want := range map[string]string{
		"download":                        "download",
		"Download: candor 1.2.3":          "Download: candor 1.2.3",
		"signup alice@example.org":        "signup :email",
		"order 12345678 paid":             "order :id paid",
		"token:aB3dE5gH7jK9mN1pQ3sT,done": "token::id,done",
	} {
		if got := ScrubWords(in); got != want {
			t.Errorf("ScrubWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// Promise: statistics show the popular areas of the site, never one person: a path
// with an email address, a long number or a token is counted under a placeholder.
func TestPathScrubsIdentifiers(t *testing.T) {
	if got := Path("https://shop.example/account/alice@example.org?utm_campaign=4915112345678", utm); got != "/account/:email?utm_campaign=:id" {
		t.Errorf("Path = %q", got)
	}
	long := "/" + strings.Repeat("a", MaxPath-3) + "/@"
	if got := Path(long, nil); len(got) > MaxPath || strings.Contains(got, "@") {
		t.Errorf("Path(long) = %d bytes %q…", len(got), got[len(got)-8:])
	}
}

func TestScrubDoesNotAllocateForCleanPaths(t *testing.T) {
	p := "/docs/install/linux"
	if n := testing.AllocsPerRun(100, func() { _ = Scrub(p) }); n != 0 {
		t.Errorf("Scrub of a clean path allocates %v times", n)
	}
}

func FuzzScrub(f *testing.F) {
	for _, tc := range scrubCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Scrub(s)
		if strings.Contains(got, "@") {
			t.Fatalf("Scrub(%q) = %q keeps an @", s, got)
		}
		if again := Scrub(got); again != got {
			t.Fatalf("Scrub not idempotent: %q → %q → %q", s, got, again)
		}
		if w := ScrubWords(s); strings.Contains(w, "@") {
			t.Fatalf("ScrubWords(%q) = %q keeps an @", s, w)
		}
	})
}

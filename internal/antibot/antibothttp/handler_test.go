package antibothttp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/pii"
)

func newGuard(t testing.TB, cfg antibot.Config) *antibot.Guard {
	t.Helper()
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	cfg.MAC = pii.NewSealer(kr).Index
	g, err := antibot.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestChallenge(t *testing.T) {
	g := newGuard(t, antibot.Config{})
	h := Challenge(g, func(o string) bool { return o == "https://www.example.com" })
	cases := []struct {
		name, query, origin string
		status              int
		allowOrigin         string
	}{
		{"same origin", "form=contact", "", 200, ""},
		{"allowed site", "form=subscribe", "https://www.example.com", 200, "https://www.example.com"},
		{"other site", "form=contact", "https://evil.example", 200, ""},
		{"no form", "", "", 400, ""},
		{"bad form", "form=%3Cscript%3E", "", 400, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/antibot/challenge?"+c.query, nil)
			if c.origin != "" {
				r.Header.Set("Origin", c.origin)
			}
			w := httptest.NewRecorder()
			h(w, r)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != c.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, c.allowOrigin)
			}
			if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Set-Cookie") != "" {
				t.Errorf("headers %v", w.Header())
			}
			if c.status != 200 {
				return
			}
			var ch antibot.Challenge
			if err := json.Unmarshal(w.Body.Bytes(), &ch); err != nil {
				t.Fatal(err)
			}
			if ch.TimeToken == "" || ch.PoW == "" || ch.Difficulty != antibot.DefaultDifficulty || ch.MinWaitMS != 2000 {
				t.Fatalf("challenge %+v", ch)
			}
			if _, err := antibot.Solve(ch.PoW); err != nil {
				t.Fatal(err)
			}
		})
	}
	if nilOK := Challenge(g, nil); nilOK != nil {
		r := httptest.NewRequest("GET", "/antibot/challenge?form=contact", nil)
		r.Header.Set("Origin", "https://www.example.com")
		w := httptest.NewRecorder()
		nilOK(w, r)
		if w.Header().Get("Access-Control-Allow-Origin") != "" || w.Code != http.StatusOK {
			t.Fatalf("nil allowOrigin: %d %v", w.Code, w.Header())
		}
	}
}

func TestScript(t *testing.T) {
	h := Script([]byte("(function(){})();"))
	w := httptest.NewRecorder()
	h(w, httptest.NewRequest("GET", "/antibot.js", nil))
	if w.Code != 200 || w.Body.String() != "(function(){})();" {
		t.Fatalf("%d %q", w.Code, w.Body)
	}
	hd := w.Header()
	if hd.Get("Cross-Origin-Resource-Policy") != "cross-origin" || hd.Get("Content-Type") != "text/javascript; charset=utf-8" || hd.Get("ETag") == "" {
		t.Fatalf("headers %v", hd)
	}
	r := httptest.NewRequest("GET", "/antibot.js", nil)
	r.Header.Set("If-None-Match", hd.Get("ETag"))
	w = httptest.NewRecorder()
	h(w, r)
	if w.Code != http.StatusNotModified {
		t.Fatalf("revalidation: %d", w.Code)
	}
}

// Package antibothttp serves antibot's one HTTP endpoint, GET /antibot/challenge, so
// that package antibot stays free of net/http.
//
// Invariants: a challenge is never cached (Cache-Control: no-store) and is readable
// cross-origin only by the origins allowOrigin accepts (the vendor's own site, whose
// static pages fetch challenges from Candor); nothing here sets or reads a cookie.
package antibothttp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/errs"
)

// Challenge returns the handler for GET /antibot/challenge?form=ID: the JSON of
// antibot.Challenge, 400 for an unknown form id. allowOrigin decides which Origin
// headers get Access-Control-Allow-Origin (nil allows none: same-origin pages only).
//
// The handler stores nothing and is cheap (Issue is one random read and two HMACs),
// so it needs no rate limit of its own; the POST it prepares has them.
func Challenge(g *antibot.Guard, allowOrigin func(origin string) bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Add("Vary", "Origin")
		if o := r.Header.Get("Origin"); o != "" && allowOrigin != nil && allowOrigin(o) {
			h.Set("Access-Control-Allow-Origin", o)
		}
		h.Set("Content-Type", "application/json; charset=utf-8")
		c, err := g.Issue(r.URL.Query().Get("form"))
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": string(errs.CodeOf(err)), "message": "Unknown form."})
			return
		}
		_ = json.NewEncoder(w).Encode(c)
	}
}

// Script returns a handler serving antibot.js (body) at a stable URL such as
// GET /antibot.js, for the vendor's static pages, which cannot follow Candor's
// content-hashed asset names from release to release. It may be loaded by any site
// (Cross-Origin-Resource-Policy: cross-origin, overriding Candor's same-origin
// default) and is cached for an hour, revalidated by ETag.
func Script(body []byte) http.HandlerFunc {
	etag := `"` + hashHex(body) + `"`
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("ETag", etag)
		http.ServeContent(w, r, "antibot.js", time.Time{}, bytes.NewReader(body))
	}
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

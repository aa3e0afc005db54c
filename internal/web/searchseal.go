package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"strings"
	"time"
)

// Staff searches by email carry no address in a URL (issue 11, the edges): a reverse
// proxy logs URLs, browsers keep them in history. A search form posts its text; the
// answer is a redirect to the list with ?s=…, a sealed search id: the text encrypted
// (AES-GCM) under a key derived from the member's session token, with an expiry inside.
// Paging, sorting and filter links carry the id, never the text. It opens only with the
// session it was made in (another member's link, or one from a log after the session
// ended, opens nothing), for searchTTL at most, on any instance that shares the database
// (nothing is held in one server's memory).

// searchTTL is how long a sealed search id opens.
const searchTTL = 30 * time.Minute

// searchParam is the URL parameter of a sealed search id.
const searchParam = "s"

// search is the text of a staff search and its sealed id for links.
type search struct {
	Q       string // the text, shown in the search field (in the page, never in a URL)
	Sealed  string // the ?s= value of links; "" without a search
	Expired bool   // a ?s= was given but no longer opens: the page asks to search again
}

// searchAEAD is the sealing cipher of one session: AES-256-GCM under SHA-256 of a
// label and the session token.
func searchAEAD(sessionToken string) cipher.AEAD {
	key := sha256.Sum256([]byte("candor staff search v1\x00" + sessionToken))
	block, _ := aes.NewCipher(key[:]) // a 32-byte key never fails
	aead, _ := cipher.NewGCM(block)
	return aead
}

// sealSearch seals q for links made on r's session; "" for an empty search.
func (s *pages) sealSearch(r *http.Request, q string, now time.Time) string {
	q = strings.TrimSpace(q)
	token := s.cookie(r, sessionCookie)
	if q == "" || token == "" {
		return ""
	}
	aead := searchAEAD(token)
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	plain := binary.BigEndian.AppendUint64(nil, uint64(now.Add(searchTTL).Unix()))
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, append(plain, q...), nil))
}

// openSearch reads the sealed search id of r's URL (searchParam): the search, or an
// empty one marked Expired when the id does not open (expired, another session, forged).
func (s *pages) openSearch(r *http.Request, now time.Time) search {
	sealed := r.URL.Query().Get(searchParam)
	if sealed == "" {
		return search{}
	}
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	token := s.cookie(r, sessionCookie)
	if err != nil || token == "" {
		return search{Expired: true}
	}
	aead := searchAEAD(token)
	if len(raw) < aead.NonceSize() {
		return search{Expired: true}
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
	if err != nil || len(plain) < 8 || now.Unix() > int64(binary.BigEndian.Uint64(plain)) {
		return search{Expired: true}
	}
	return search{Q: string(plain[8:]), Sealed: sealed}
}

// expiredSearch is the notice of a list reached by a sealed search id that no longer opens.
const expiredSearch = "That search has expired (searches last 30 minutes, within one sign-in). Please search again."

// redirectSearch answers a search form's POST: parse the form, then 303 to the list
// built by to from the posted form and the sealed id of its "q" field.
func (s *pages) redirectSearch(w http.ResponseWriter, r *http.Request, to func(form func(string) string, sealed string) string) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, to(r.PostForm.Get, s.sealSearch(r, r.PostForm.Get("q"), time.Now())), http.StatusSeeOther)
}

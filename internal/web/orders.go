package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/pii"
)

// orderFindMessage is the one answer of "find my orders", whether or not the address
// bought anything (no enumeration).
const orderFindMessage = "If this address has orders with us, we have sent it a mail with links to them."

// customerOrder is GET /orders/{ref}?e=…&s=…: the buyer's order page, reached only by
// a signed, expiring link (from the receipt, or "find my orders").
func (s *checkout) customerOrder(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, err := s.shop.CustomerOrder(r.Context(), r.PathValue("ref"), q.Get("e"), q.Get("s"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.cardPageHeaders(w)
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, http.StatusOK, "order", page{Title: "Your order", Data: v})
}

// download is GET /orders/{ref}/downloads/{id}?e=…&s=…: the file, from the downloads
// directory (opened through os.Root, so no path can leave it), or a redirect to its
// external URL.
func (s *checkout) download(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d, err := s.shop.Download(r.Context(), r.PathValue("ref"), r.PathValue("id"), q.Get("e"), q.Get("s"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.URL != "" {
		http.Redirect(w, r, d.URL, http.StatusSeeOther)
		return
	}
	root, err := os.OpenRoot(filepath.Join(s.cfg.DataDir, "downloads"))
	if err != nil {
		s.fail(w, r, errs.Wrap(errs.Unavailable, "This download is not available right now.", err))
		return
	}
	defer root.Close()
	f, err := root.Open(d.File)
	if err != nil {
		s.fail(w, r, errs.Wrap(errs.Unavailable, "This download is not available right now.", err))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		s.fail(w, r, errs.E(errs.NotFound, "This download is not available."))
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeFilename(path.Base(d.File))+`"`)
	http.ServeContent(w, r, d.File, st.ModTime(), f)
}

// safeFilename keeps the characters that need no quoting in a Content-Disposition.
func safeFilename(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// findOrdersPage is GET /orders/find.
func (s *checkout) findOrdersPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "orders_find", page{Title: "Find my orders", Form: map[string]string{}})
}

// findOrders is POST /orders/find: mails fresh order links to the address, rate
// limited per client and per address (both in memory only), with one answer for all.
func (s *checkout) findOrders(w http.ResponseWriter, r *http.Request) {
	f, err := decodePublicForm(r)
	email := f.get("email")
	if err == nil && f.get("website") != "" {
		email = "" // the honeypot: answered as accepted, nothing mailed
	}
	if err == nil && email != "" {
		if !s.shopLimit.Allow(ClientIP(r.Context())) || !s.findLimit.Allow(s.shop.EmailKey(email)) {
			err = errs.E(errs.RateLimited, "Too many requests; please try again in an hour.")
		} else if _, err = pii.NewEmail(email); err == nil {
			// After the answer: a buyer (a look-up and a mail) must not answer later.
			s.later.do(r, "find my orders", func(ctx context.Context) error { return s.shop.FindOrders(ctx, email) })
		}
	}
	if err != nil {
		if f.json || status(err) >= 500 {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status(err), "orders_find", page{Title: "Find my orders", Error: errs.PublicOf(err), Field: fieldOf(err), Form: map[string]string{"email": email}})
		return
	}
	publicAccepted(w, r, f, orderFindMessage, "", "/orders/find/sent")
}

// findOrdersSent is the landing page after "find my orders".
func (s *checkout) findOrdersSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "orders_find", page{Title: "Find my orders", Flash: orderFindMessage, Data: true})
}

// maxWebhookBody caps a webhook's body; Stripe's events are a few kilobytes.
const maxWebhookBody = 256 << 10

// stripeWebhook is POST /webhooks/stripe: the signature is checked on the raw body
// (300 s tolerance), then the event is applied (deduplicated by id, in one transaction
// with its effects). 400 for a bad signature or payload, 500 when applying failed so
// that Stripe retries, 200 otherwise.
func (s *checkout) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	if s.webhooks == nil {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		s.fail(w, r, errs.Wrap(errs.Invalid, "The body could not be read.", err))
		return
	}
	ev, err := s.webhooks.ParseWebhook(body, r.Header.Get("Stripe-Signature"))
	if err != nil {
		msg := "The event could not be read."
		if errors.Is(err, payment.ErrBadSignature) {
			msg = "The signature is missing, wrong or too old."
		}
		s.log.Warn("webhook refused", "request_id", RequestID(r.Context()), "error", err)
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": msg})
		return
	}
	if err := s.shop.HandleEvent(r.Context(), ev); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"received": true})
}

// revokedLicences is GET /licences/revoked: the ids of revoked licences, one per line,
// for the vendor's software to check now and then (docs/licences.md). Ids are not
// personal data; the list may be cached for five minutes.
func (s *checkout) revokedLicences(w http.ResponseWriter, r *http.Request) {
	ids, err := s.shop.RevokedLicences(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	for _, id := range ids {
		_, _ = io.WriteString(w, id+"\n")
	}
}

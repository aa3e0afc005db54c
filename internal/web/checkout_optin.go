package web

import (
	"net/http"

	"github.com/candor-dev/candor/internal/newsletter"
)

// checkoutSource is the consent source of a sign-up from the checkout's opt-in box.
const checkoutSource = "checkout"

// optIn runs the checkout's newsletter opt-in (issue 10 §6): only when the buyer ticked
// the box (it is never ticked for them), and only through the newsletter's normal
// double opt-in, so the address stays pending until its owner confirms it. Nothing else
// links the order to the newsletter: no order id is passed or stored. A refusal (the
// address is the order's, already valid) is logged and never stops the purchase.
func (s *checkout) optIn(r *http.Request, get func(string) string) {
	if s.newsletter == nil || get("newsletter") != "yes" {
		return
	}
	err := s.newsletter.Subscribe(r.Context(), newsletter.SubscribeInput{
		Email: get("email"), Name: get("name"), ConsentVersion: newsletter.ConsentVersion, Source: checkoutSource,
	})
	if err != nil {
		s.log.Warn("checkout newsletter opt-in failed", "request_id", RequestID(r.Context()), "error", err)
	}
}

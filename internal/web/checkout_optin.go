package web

import (
	"context"
	"net/http"

	"github.com/candor-dev/candor/internal/newsletter"
)

// checkoutSource is the consent source of a sign-up from the checkout's opt-in box.
const checkoutSource = "checkout"

// optIn runs the checkout's newsletter opt-in (issue 10 §6): only when the buyer ticked
// the box (it is never ticked for them), and only through the newsletter's normal
// double opt-in, so the address stays pending until its owner confirms it. Nothing else
// links the order to the newsletter: no order id is passed or stored. As for /subscribe
// (issue 12, item 4), the same durable write is made before the answer for every
// address (the sealed intake row) and what differs for a known address runs after it,
// so the checkout's answer time does not tell whether the address was subscribed. A
// refusal (the address is the order's, already valid) is logged and never stops the
// purchase.
func (s *checkout) optIn(r *http.Request, get func(string) string) {
	if s.newsletter == nil || get("newsletter") != "yes" {
		return
	}
	signup, err := s.newsletter.Validate(r.Context(), newsletter.SubscribeInput{
		Email: get("email"), Name: get("name"), ConsentVersion: newsletter.ConsentVersion, Source: checkoutSource,
	})
	var id int64
	if err == nil {
		id, err = s.newsletter.Accept(r.Context(), signup)
	}
	if err != nil {
		s.log.Warn("checkout newsletter opt-in failed", "request_id", RequestID(r.Context()), "error", err)
		return
	}
	s.later.do(r, "checkout newsletter opt-in", func(ctx context.Context) error { return s.newsletter.JoinAccepted(ctx, id, signup) })
}

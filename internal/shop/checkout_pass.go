package shop

import (
	"context"
	"crypto/subtle"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// CheckoutPassTTL is how long the browser that placed an order may use its pay and
// return pages: long enough to pay, authenticate and come back from the card company.
const CheckoutPassTTL = 24 * time.Hour

// CheckoutPass is the value of the checkout cookie set on the browser that places an
// order: "<expiry>.<MAC over the reference and expiry>", so the cookie of one order
// opens no other, and it ends after CheckoutPassTTL.
func (s *Service) CheckoutPass(ref string) string {
	exp := s.now().Add(CheckoutPassTTL).Unix()
	return strconv.FormatInt(exp, 10) + "." + s.linkSig("checkout", ref, "", exp)
}

// CheckCheckoutPass reports whether pass is a valid, unexpired checkout pass for ref.
func (s *Service) CheckCheckoutPass(ref, pass string) bool {
	e, sig, ok := strings.Cut(pass, ".")
	if !ok {
		return false
	}
	exp, err := strconv.ParseInt(e, 10, 64)
	if err != nil || !validRef(ref) || len(sig) != 32 || s.now().Unix() > exp {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(sig), []byte(s.linkSig("checkout", ref, "", exp))) == 1
}

// MailOrderLinks mails fresh links to the orders of an order's buyer, at the address
// on file (as "find my orders" does), for someone who holds only the reference. It
// answers nil for an unknown reference, an order kept only for the legal retention and
// an order with nothing to show, so the caller's answer is the same for every ref.
func (s *Service) MailOrderLinks(ctx context.Context, ref string) error {
	o, err := s.Order(ctx, ref)
	if errs.CodeOf(err) == errs.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if s.retainedOnly(o) {
		return nil
	}
	addr, err := s.sealer.OpenString(SealEmail, o.EmailSealed)
	if err != nil {
		return err
	}
	return s.FindOrders(ctx, addr)
}

package shop

import (
	"crypto/subtle"
	"net/url"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// Signed links: the customer's order page and downloads are reached only through URLs
// that carry an expiry and an HMAC over it (the installation's blind-index key, under
// a purpose of its own), so an order reference alone opens nothing.
const linkPurpose = "shop.link"

func (s *Service) linkSig(kind, ref, id string, exp int64) string {
	return s.sealer.Index(linkPurpose, kind+"\x00"+ref+"\x00"+id+"\x00"+strconv.FormatInt(exp, 10))[:32]
}

func (s *Service) signedURL(path, kind, ref, id string, ttl time.Duration) string {
	exp := s.now().Add(ttl).Unix()
	q := url.Values{"e": {strconv.FormatInt(exp, 10)}, "s": {s.linkSig(kind, ref, id, exp)}}
	return s.opts.PublicURL + path + "?" + q.Encode()
}

// checkLink verifies a signed link's expiry and signature.
func (s *Service) checkLink(kind, ref, id, e, sig string) error {
	exp, err := strconv.ParseInt(e, 10, 64)
	if err != nil || !validRef(ref) || len(sig) != 32 ||
		subtle.ConstantTimeCompare([]byte(sig), []byte(s.linkSig(kind, ref, id, exp))) != 1 {
		return errs.E(errs.NotFound, "This link is not valid.")
	}
	if s.now().Unix() > exp {
		return errs.E(errs.Invalid, "This link has expired. Ask for a new one with “Find my orders”.")
	}
	return nil
}

// OrderURL is the signed link to an order's page, valid for the order-link TTL.
func (s *Service) OrderURL(ref string) string {
	return s.signedURL("/orders/"+ref, "order", ref, "", s.opts.OrderLinkTTL)
}

// DownloadURL is the signed link to one download of an order, valid for the download
// TTL.
func (s *Service) DownloadURL(ref string, downloadID int64) string {
	id := itoa(downloadID)
	return s.signedURL("/orders/"+ref+"/downloads/"+id, "download", ref, id, s.opts.DownloadTTL)
}

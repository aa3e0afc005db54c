package licence

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Licence is what a licence key states. It deliberately holds no personal data: no
// name, no email address, no postal address. A key that leaks, or is posted on a
// forum, identifies a sale (ID) only to the vendor, who alone can look the ID up.
// Keep it that way: do not put a customer's name or address in ID, Product or
// Edition.
type Licence struct {
	// ID names the sale, e.g. an order number or a random token: 1 to MaxIDLen
	// printable ASCII characters. It is what the vendor uses to revoke or look up a
	// licence in its own records.
	ID string
	// Product names the software: 1 to MaxProductLen printable ASCII characters.
	// The vendor's software should check that it is its own name.
	Product string
	// Edition is a free-form tier such as "pro": 0 to MaxEditionLen printable ASCII
	// characters.
	Edition string
	// Seats is how many users or machines the licence covers, 0 to MaxSeats; 0 means
	// not limited by seats.
	Seats int
	// Issued is when the key was signed. It is stored to the second (Sign truncates)
	// and Verify returns it in UTC. Verify does not compare it with the clock.
	Issued time.Time
	// Expires is the first instant at which the licence is no longer valid; the zero
	// time means perpetual. Stored to the second, like Issued, and after Issued.
	Expires time.Time
}

// Field limits, checked by Sign and again by Verify.
const (
	MaxIDLen      = 64            // longest ID, in bytes
	MaxProductLen = 64            // longest Product, in bytes
	MaxEditionLen = 32            // longest Edition, in bytes
	MaxSeats      = math.MaxInt32 // largest Seats; fits an int on every platform
)

// The range of Issued and Expires, in Unix seconds: after the epoch, up to the end of
// year 9999 (so every date prints as four digits).
const (
	minUnix = 1
	maxUnix = 253402300799 // 9999-12-31T23:59:59Z
)

// Sentinel errors of Verify; the returned error wraps one of them with a detail.
var (
	// ErrMalformed: the text is not a licence key of a known version (typing mistake,
	// truncated copy, trailing garbage, wrong prefix).
	ErrMalformed = errors.New("licence: malformed key")
	// ErrSignature: the key is well formed but its signature does not match the
	// public key: forged, altered, or signed by another signing key.
	ErrSignature = errors.New("licence: signature does not match (forged, altered, or signed by another key)")
	// ErrExpired: the key is genuine but its Expires has passed; Verify returns the
	// Licence along with this error.
	ErrExpired = errors.New("licence: expired")
)

// Perpetual reports whether the licence never expires.
func (l Licence) Perpetual() bool { return l.Expires.IsZero() }

// normalize truncates the times to whole seconds in UTC, as they are stored.
func (l Licence) normalize() Licence {
	l.Issued = l.Issued.Truncate(time.Second).UTC()
	if !l.Expires.IsZero() {
		l.Expires = l.Expires.Truncate(time.Second).UTC()
	}
	return l
}

// check enforces the field limits on a normalized Licence.
func (l Licence) check() error {
	if err := checkText("ID", l.ID, 1, MaxIDLen); err != nil {
		return err
	}
	if err := checkText("Product", l.Product, 1, MaxProductLen); err != nil {
		return err
	}
	if err := checkText("Edition", l.Edition, 0, MaxEditionLen); err != nil {
		return err
	}
	if l.Seats < 0 || l.Seats > MaxSeats {
		return fmt.Errorf("licence: Seats %d is outside 0 to %d", l.Seats, MaxSeats)
	}
	if l.Issued.IsZero() || l.Issued.Unix() < minUnix || l.Issued.Unix() > maxUnix {
		return fmt.Errorf("licence: Issued %s is outside 1970-01-01 to 9999-12-31", l.Issued)
	}
	if l.Expires.IsZero() {
		return nil
	}
	if l.Expires.Unix() > maxUnix {
		return fmt.Errorf("licence: Expires %s is after 9999-12-31; use the zero time for a perpetual licence", l.Expires)
	}
	if !l.Expires.After(l.Issued) {
		return fmt.Errorf("licence: Expires %s is not after Issued %s", l.Expires, l.Issued)
	}
	return nil
}

// checkText requires min to max bytes of printable ASCII (0x20 to 0x7E).
func checkText(field, v string, min, max int) error {
	if len(v) < min || len(v) > max {
		return fmt.Errorf("licence: %s must be %d to %d characters, not %d", field, min, max, len(v))
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return fmt.Errorf("licence: %s holds a byte outside printable ASCII at offset %d", field, i)
		}
	}
	return nil
}

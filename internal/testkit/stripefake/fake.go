package stripefake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Key is an API key the fake accepts (any key starting with sk_ is accepted).
const Key = "sk_test_fake"

// Fault is a failure scripted for the next requests.
type Fault int

// The faults Fail can script.
const (
	// RateLimit answers 429 with a rate_limit error, before doing anything.
	RateLimit Fault = iota + 1
	// ServerError answers 500 with an api_error, before doing anything.
	ServerError
	// Hang holds the request, answering nothing, until the client gives up.
	Hang
	// LoseAnswer applies to PaymentIntent creation only: the payment is made and
	// recorded under its idempotency key, then the connection is closed without an
	// answer. A retry with the same key gets that same PaymentIntent, as from Stripe.
	LoseAnswer
)

// Fake is a running fake Stripe API. Point the adapter's API option at URL, with Key.
type Fake struct {
	URL *url.URL

	mu       sync.Mutex
	faults   []scripted
	declines []string
	methods  map[string]map[string]any // pm id → the payment method object (brand, last 4, expiry)
	intents  map[string]map[string]any // pi id → the PaymentIntent object
	refunded map[string]int64          // pi id → amount refunded
	sessions map[string]map[string]any // cs id → the Checkout Session object
	saved    map[string]answer         // idempotency key → the first answer
	requests map[string]int            // idempotency key → requests seen
	refunds  int
	closing  chan struct{}
}

// scripted is a fault for the next times matching requests.
type scripted struct {
	fault Fault
	times int
}

// answer is a response kept under an idempotency key.
type answer struct {
	request string // hash of method, path and parameters
	status  int
	body    []byte
}

// Start starts a fake on a loopback port; it stops when the test ends.
func Start(t testing.TB) *Fake {
	t.Helper()
	f := &Fake{
		methods: map[string]map[string]any{}, intents: map[string]map[string]any{},
		refunded: map[string]int64{}, sessions: map[string]map[string]any{},
		saved: map[string]answer{}, requests: map[string]int{}, closing: make(chan struct{}),
	}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL, _ = url.Parse(srv.URL)
	t.Cleanup(func() {
		close(f.closing) // release hanging requests first: Close waits for them
		srv.Close()
	})
	return f
}

// Fail scripts fault for the next times requests it applies to: RateLimit,
// ServerError and Hang apply to any request, LoseAnswer to PaymentIntent creations.
// Faults run in the order they were scripted.
func (f *Fake) Fail(fault Fault, times int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, scripted{fault, times})
}

// Decline makes the next PaymentIntent creation fail with a 402 card_error with this
// decline code (generic_decline, insufficient_funds, expired_card, incorrect_cvc,
// authentication_required, …); the PaymentIntent is created, and named in the error.
// Each call scripts one decline.
func (f *Fake) Decline(declineCode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.declines = append(f.declines, declineCode)
}

// PaymentIntents returns how many distinct PaymentIntents were created.
func (f *Fake) PaymentIntents() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.intents)
}

// Refunds returns how many refunds were created.
func (f *Fake) Refunds() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refunds
}

// Requests returns how many requests arrived with this idempotency key, retries and
// faulted ones included.
func (f *Fake) Requests(idempotencyKey string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[idempotencyKey]
}

// nextFault takes the first scripted fault that applies to the request, if any. A
// replay under a known idempotency key creates nothing, so LoseAnswer skips it.
func (f *Fake) nextFault(r *http.Request, key string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, replay := f.saved[key]
	isCreate := r.Method == http.MethodPost && r.URL.Path == "/v1/payment_intents" && !replay
	for i := range f.faults {
		s := &f.faults[i]
		if s.times <= 0 || s.fault == LoseAnswer && !isCreate {
			continue
		}
		s.times--
		return s.fault
	}
	return 0
}

// fingerprint identifies a request for idempotency: method, path and parameters.
func fingerprint(r *http.Request) string {
	sum := sha256.Sum256([]byte(r.Method + " " + r.URL.Path + "?" + r.Form.Encode()))
	return hex.EncodeToString(sum[:])
}

// newID returns prefix and 24 random hex digits.
func newID(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// authorized reports whether the request carries a secret key.
func authorized(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Authorization"), "Bearer sk_")
}

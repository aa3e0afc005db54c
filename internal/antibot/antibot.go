package antibot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/limiter"
)

// MACFunc is a keyed hash: in Candor, pii.Sealer.Index. New calls it once to derive
// the signing key; it must be deterministic and return at least 32 characters.
type MACFunc func(purpose, value string) string

// Defaults, each chosen in docs/antibot.md ("Tuning").
const (
	DefaultMinAge          = 2 * time.Second  // faster than any person fills a form
	DefaultMaxAge          = 2 * time.Hour    // a long message, written slowly
	DefaultDifficulty      = 15               // 32,768 hashes expected: ~0.5–1.5 s on a phone
	DefaultChallengeTTL    = 2 * time.Hour    // as long as the time token
	DefaultReplayCapacity  = 100_000          // a few MB; 14 submissions/s for 2 h
	DefaultIPBurst         = 10               // 10 a minute per IP (or IPv6 /64)
	DefaultIPInterval      = 6 * time.Second  //
	DefaultAddressBurst    = 3                // 3 an hour per address
	DefaultAddressInterval = 20 * time.Minute //
	DefaultLimiterCapacity = 100_000          // keys tracked per limiter
	DefaultSpamThreshold   = 5                // see Score's table
)

// Config configures a Guard. Only MAC is required; a zero field takes its default.
type Config struct {
	MAC             MACFunc
	MinAge          time.Duration // time token younger than this: rejected (too fast)
	MaxAge          time.Duration // time token older than this: rejected (expired)
	Difficulty      int           // leading zero bits of SHA-256 a solution needs, 1–32
	ChallengeTTL    time.Duration // a challenge expires this long after Issue
	ReplayCapacity  int           // spent challenges remembered at most
	IPBurst         int           // per-IP: submissions at once…
	IPInterval      time.Duration // …then one more per interval
	AddressBurst    int           // per-address: submissions at once…
	AddressInterval time.Duration // …then one more per interval
	LimiterCapacity int           // IPs, and addresses, tracked at most (each)
	SpamThreshold   int           // content score at which a submission is Spam
	Now             func() time.Time
}

// Guard issues challenges and checks submissions. It is safe for concurrent use.
type Guard struct {
	cfg     Config
	sign    signer
	spent   *spentSet
	perIP   *limiter.Limiter[string]
	perAddr *limiter.Limiter[string]
}

// New returns a Guard for cfg, or an error when cfg.MAC is missing or unusable or a
// setting is out of range.
func New(cfg Config) (*Guard, error) {
	if cfg.MAC == nil {
		return nil, errors.New("antibot: Config.MAC is required")
	}
	key := cfg.MAC(keyPurpose, "v1")
	if len(key) < 32 || key == cfg.MAC(keyPurpose, "v2") {
		return nil, errors.New("antibot: Config.MAC must return a keyed hash of at least 32 characters")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	defInt := func(n *int, v int) {
		if *n == 0 {
			*n = v
		}
	}
	def(&cfg.MinAge, DefaultMinAge)
	def(&cfg.MaxAge, DefaultMaxAge)
	def(&cfg.ChallengeTTL, DefaultChallengeTTL)
	def(&cfg.IPInterval, DefaultIPInterval)
	def(&cfg.AddressInterval, DefaultAddressInterval)
	defInt(&cfg.Difficulty, DefaultDifficulty)
	defInt(&cfg.ReplayCapacity, DefaultReplayCapacity)
	defInt(&cfg.IPBurst, DefaultIPBurst)
	defInt(&cfg.AddressBurst, DefaultAddressBurst)
	defInt(&cfg.LimiterCapacity, DefaultLimiterCapacity)
	defInt(&cfg.SpamThreshold, DefaultSpamThreshold)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch {
	case cfg.Difficulty < 1 || cfg.Difficulty > MaxDifficulty:
		return nil, fmt.Errorf("antibot: difficulty %d is outside 1–%d", cfg.Difficulty, MaxDifficulty)
	case cfg.MinAge < 0 || cfg.MaxAge <= cfg.MinAge:
		return nil, errors.New("antibot: need 0 ≤ MinAge < MaxAge")
	case cfg.ChallengeTTL < 0 || cfg.IPInterval < 0 || cfg.AddressInterval < 0:
		return nil, errors.New("antibot: durations must be positive")
	case cfg.ReplayCapacity < 0 || cfg.IPBurst < 0 || cfg.AddressBurst < 0 || cfg.LimiterCapacity < 0 || cfg.SpamThreshold < 0:
		return nil, errors.New("antibot: counts must be positive")
	}
	return &Guard{
		cfg:     cfg,
		sign:    signer{key: []byte(key)},
		spent:   newSpentSet(cfg.ReplayCapacity),
		perIP:   limiter.New[string](cfg.IPBurst, cfg.IPInterval, cfg.LimiterCapacity),
		perAddr: limiter.New[string](cfg.AddressBurst, cfg.AddressInterval, cfg.LimiterCapacity),
	}, nil
}

// Challenge holds the values of a form's hidden fields, and what antibot.js needs to
// know about them. It is the JSON answer of GET /antibot/challenge.
type Challenge struct {
	Form       string `json:"form"`
	TimeToken  string `json:"time"`       // → FieldTime
	PoW        string `json:"pow"`        // → FieldChallenge
	Difficulty int    `json:"difficulty"` // also inside PoW, signed
	// MinWaitMS is how long after receiving this the form may be sent (MinAge);
	// antibot.js holds a quicker submit back until then.
	MinWaitMS int64 `json:"min_wait_ms"`
	// ExpiresInMS is how long the challenge stays valid.
	ExpiresInMS int64 `json:"expires_in_ms"`
}

// Issue returns fresh hidden-field values for formID. It stores nothing, so it is
// cheap enough to answer every page view. The error is an errs.Invalid for a form id
// that is not 1 to 32 characters from a-z, 0-9, '-' and '_'.
func (g *Guard) Issue(formID string) (Challenge, error) {
	if !validFormID(formID) {
		return Challenge{}, errs.InvalidField("form", "Unknown form.")
	}
	now := g.cfg.Now()
	c := challenge{expires: now.Add(g.cfg.ChallengeTTL), difficulty: g.cfg.Difficulty}
	rand.Read(c.id[:]) // never fails (crypto/rand, Go 1.24+)
	return Challenge{
		Form:        formID,
		TimeToken:   g.sign.timeToken(formID, now),
		PoW:         g.sign.challengeToken(formID, c),
		Difficulty:  c.difficulty,
		MinWaitMS:   g.cfg.MinAge.Milliseconds(),
		ExpiresInMS: g.cfg.ChallengeTTL.Milliseconds(),
	}, nil
}

// Check examines a submission and returns what to do with it; the order of the
// checks is in the package documentation. ctx is reserved for a shared replay store;
// today everything is in memory.
func (g *Guard) Check(ctx context.Context, s Submission) Verdict {
	_ = ctx
	if !validFormID(s.FormID) {
		return Verdict{Outcome: Reject, Reason: ReasonBadForm}
	}
	if s.Honeypot != "" {
		return Verdict{Outcome: Honeypot, Reason: ReasonHoneypot}
	}
	if s.ClientIP != "" && !g.perIP.Allow(limiter.ClientKey(s.ClientIP)) {
		return Verdict{Outcome: RateLimited, Reason: ReasonIPRate}
	}
	now := g.cfg.Now()
	review := ReasonNone

	if s.TimeToken == "" {
		review = ReasonTimeMissing
	} else if r := g.checkTime(s.FormID, s.TimeToken, now); r != ReasonNone {
		return Verdict{Outcome: Reject, Reason: r}
	}

	var solved *challenge
	switch {
	case s.Challenge == "":
		review = first(review, ReasonPoWMissing)
	default:
		c, r := g.checkPoW(s.FormID, s.Challenge, s.Nonce, now)
		if r == ReasonPoWUnsolved {
			review = first(review, r)
		} else if r != ReasonNone {
			return Verdict{Outcome: Reject, Reason: r}
		} else {
			solved = &c
		}
	}
	if solved != nil {
		// Spent before the address limit is charged: a replay costs no one's quota.
		switch g.spent.spend(solved.id, solved.expires.UnixMilli(), now.UnixMilli()) {
		case ReasonPoWReplayed:
			return Verdict{Outcome: Reject, Reason: ReasonPoWReplayed}
		case ReasonPoWBusy:
			return Verdict{Outcome: RateLimited, Reason: ReasonPoWBusy}
		}
	}
	if s.AddressKey != "" && !g.perAddr.Allow(s.AddressKey) {
		return Verdict{Outcome: RateLimited, Reason: ReasonAddressRate}
	}

	v := Verdict{Outcome: Accept}
	if s.Text != nil {
		v.Score, v.Signals = Score(s.Text...)
	}
	switch {
	case v.Score >= g.cfg.SpamThreshold && v.Score > 0:
		v.Outcome, v.Reason = Spam, ReasonContent
	case review != ReasonNone:
		v.Outcome, v.Reason = NeedsReview, review
	}
	return v
}

// checkTime verifies a present time token.
func (g *Guard) checkTime(formID, token string, now time.Time) Reason {
	issued, err := g.sign.parseTimeToken(formID, token)
	switch {
	case errors.Is(err, errForged):
		return ReasonTimeForged
	case err != nil:
		return ReasonTimeBad
	}
	age := now.Sub(issued)
	switch {
	case age < g.cfg.MinAge: // a token from the future (clock skew between instances) too
		return ReasonTimeTooFast
	case age > g.cfg.MaxAge:
		return ReasonTimeExpired
	}
	return ReasonNone
}

// checkPoW verifies a present challenge and its nonce, returning ReasonPoWUnsolved
// for an authentic, unexpired challenge without a nonce.
func (g *Guard) checkPoW(formID, token, nonce string, now time.Time) (challenge, Reason) {
	c, err := g.sign.parseChallenge(formID, token)
	switch {
	case errors.Is(err, errForged):
		return c, ReasonPoWForged
	case err != nil:
		return c, ReasonPoWBad
	case now.After(c.expires):
		return c, ReasonPoWExpired
	case nonce == "":
		return c, ReasonPoWUnsolved
	case !validNonce(nonce):
		return c, ReasonPoWBad
	case !solves(token, nonce, c.difficulty):
		return c, ReasonPoWWrong
	}
	return c, ReasonNone
}

// first returns r unless a reason is already set.
func first(set, r Reason) Reason {
	if set != ReasonNone {
		return set
	}
	return r
}

package staff_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

const goodPassword = "a-good-long-password"

// Promise: only authorized personnel access personal data — staff accounts are created
// only by managers, with a valid email and a strong password, one account per email,
// and every refusal names the field at fault.
func TestAdd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.add(t, "admin@example.com", staff.Admin, "admin-password-1234")
	tests := []struct {
		name     string
		actor    staff.Principal
		email    string
		role     staff.Role
		password string
		code     errs.Code
		field    string
	}{
		{"bad email", staff.CLI, "not-an-email", staff.Support, goodPassword, errs.Invalid, "email"},
		{"empty email", staff.CLI, "", staff.Support, goodPassword, errs.Invalid, "email"},
		{"email with display name", staff.CLI, "Ann <ann@example.com>", staff.Support, goodPassword, errs.Invalid, "email"},
		{"email with a line break", staff.CLI, "ann@example.com\nbcc: x@example.com", staff.Support, goodPassword, errs.Invalid, "email"},
		{"weak password", staff.CLI, "new@example.com", staff.Support, "short", errs.Invalid, "password"},
		{"11-character password", staff.CLI, "new@example.com", staff.Support, "abcdefghijk", errs.Invalid, "password"},
		{"password with control character", staff.CLI, "new@example.com", staff.Support, "good-password\x00x", errs.Invalid, "password"},
		{"password over 256 bytes", staff.CLI, "new@example.com", staff.Support, strings.Repeat("p", 257), errs.Invalid, "password"},
		{"unknown role", staff.CLI, "new@example.com", "king", goodPassword, errs.Invalid, "role"},
		{"empty role", staff.CLI, "new@example.com", "", goodPassword, errs.Invalid, "role"},
		{"duplicate email", staff.CLI, ownerEmail, staff.Support, goodPassword, errs.Invalid, "email"},
		{"duplicate email, other case and spaces", staff.CLI, "  Owner@EXAMPLE.com ", staff.Support, goodPassword, errs.Invalid, "email"},
		{"admin may not add staff", admin.Principal(), "new@example.com", staff.Support, goodPassword, errs.Forbidden, ""},
		{"analyst may not add staff", staff.Principal{ID: 99, Role: staff.Analyst, Name: "staff:99"}, "new@example.com", staff.Support, goodPassword, errs.Forbidden, ""},
		{"nobody may not add staff", staff.Principal{}, "new@example.com", staff.Support, goodPassword, errs.Forbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := e.svc.Add(e.ctx, tt.actor, tt.email, tt.role, tt.password, false)
			wantCode(t, err, tt.code, tt.field)
			if m.ID != 0 {
				t.Fatalf("a refused Add returned member %d", m.ID)
			}
			if pub := errs.PublicOf(err); tt.password != "" && strings.Contains(pub, tt.password) {
				t.Fatalf("the message repeats the password: %q", pub)
			}
		})
	}
	if err := func() error {
		_, err := e.svc.Add(e.ctx, staff.CLI, ownerEmail, staff.Support, goodPassword, false)
		return err
	}(); !strings.Contains(errs.PublicOf(err), "already exists") {
		t.Fatalf("duplicate email says %q; want a clear 'already exists'", errs.PublicOf(err))
	}
	list, err := e.svc.List(e.ctx, staff.CLI)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("after the refused Adds there are %d members; want 2", len(list))
	}

	t.Run("success", func(t *testing.T) {
		// The role is accepted in any case, as ParseRole accepts it, and stored canonical.
		m, err := e.svc.Add(e.ctx, e.owner.Principal(), " New.Person@Example.COM ", " Support", goodPassword, true)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || m.Role != staff.Support || !m.MustChangePassword || m.Disabled || m.Locked || m.HasTOTP {
			t.Fatalf("Add = %+v", m)
		}
		if got := m.Email.Reveal(); got != "new.person@example.com" {
			t.Fatalf("stored email %q; want it normalised", got)
		}
		if !m.CreatedAt.Equal(epoch) {
			t.Fatalf("CreatedAt = %v; want the service clock %v", m.CreatedAt, epoch)
		}
		found, err := e.svc.FindByEmail(e.ctx, staff.CLI, "NEW.person@example.com")
		if err != nil || found.ID != m.ID {
			t.Fatalf("FindByEmail = %d, %v; want %d", found.ID, err, m.ID)
		}
		if _, err := e.svc.FindByEmail(e.ctx, staff.CLI, "nobody@example.com"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("FindByEmail(unknown) = %v; want not_found", err)
		}
		var actor, subject string
		for _, a := range e.auditActions(t, staff.Subject(m.ID)) {
			if a.Action == "staff.add" {
				actor, subject = a.Actor, a.Subject
			}
		}
		if actor != e.owner.Principal().Name || subject != staff.Subject(m.ID) {
			t.Fatalf("audit of staff.add: actor %q subject %q", actor, subject)
		}
	})
}

// Promise: personal data is sealed at rest — the staff table holds no plaintext email
// and no password, and neither do the sessions, recovery codes or the audit log, after
// the account has been created, used, mistyped and changed.
func TestStoredRowsHoldNoPlaintext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const (
		email  = "Canary.Person+staff@Example.org"
		pw1    = "canary-pass-7f3a9c"
		pw2    = "canary-pass-2-b81e"
		wrong  = "canary-wrong-5d2a"
		secret = "canary"
	)
	m := e.add(t, email, staff.Support, pw1)
	tok := e.mustSignIn(t, email, pw1)
	if _, err := e.signIn(email, wrong, ""); !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("wrong password: %v", err)
	}
	if err := e.svc.ChangePassword(e.ctx, m.Principal(), pw1, pw2, staff.HashToken(tok)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.List(e.ctx, staff.CLI); err != nil {
		t.Fatal(err)
	}

	dump := strings.ToLower(e.dumpTables(t, "staff", "staff_sessions", "staff_recovery_codes", "settings", "audit_log"))
	for _, needle := range []string{email, "canary.person", "example.org", pw1, pw2, wrong, tok} {
		if strings.Contains(dump, strings.ToLower(needle)) {
			t.Errorf("the database holds %q in plain text", needle)
		}
	}
	var hash, sealed, index string
	if err := e.db.QueryRow(e.ctx, "SELECT password_hash, email_sealed, email_index FROM staff WHERE id = ?", m.ID).Scan(&hash, &sealed, &index); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("password_hash %q is not an argon2id hash", hash)
	}
	if opened, err := e.sealer.OpenString("staff.email", sealed); err != nil || opened != strings.ToLower(email) {
		t.Fatalf("email_sealed does not open to the normalised email: %v", err)
	}
	if sealed == index || len(index) != 64 {
		t.Fatalf("email_index %q is not a keyed 64-hex index", index)
	}
	// The Member value itself prints masked.
	got, err := e.svc.Get(e.ctx, staff.CLI, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.ToLower(fmt.Sprintf("%v %+v %#v", got, got, got)); strings.Contains(s, "canary") {
		t.Fatalf("formatting a Member reveals the email: %s", s)
	}
}

// Promise: only authorized personnel access personal data — a right password opens a
// session, and every failure (wrong password, unknown email, disabled account, bad
// input) gives one identical answer, so sign-in reveals nothing about who has an account.
func TestSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const supPW, gonePW = "support-password-1", "gone-password-1234"
	sup := e.add(t, "support@example.com", staff.Support, supPW)
	gone := e.add(t, "gone@example.com", staff.Support, gonePW)
	if _, err := e.svc.Disable(e.ctx, staff.CLI, gone.ID); err != nil {
		t.Fatal(err)
	}

	res, err := e.signIn("  Support@Example.com", supPW, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Token == "" || res.NeedCode || res.Member.ID != sup.ID || res.Member.Role != staff.Support {
		t.Fatalf("SignIn = %+v; want a full session for member %d", res, sup.ID)
	}
	e.authOK(t, res.Token, sup.ID)

	failures := []struct{ name, email, password string }{
		{"wrong password", "support@example.com", "wrong-password-123"},
		{"unknown email", "nobody@example.com", supPW},
		{"disabled account, right password", "gone@example.com", gonePW},
		{"malformed email", "not an email", supPW},
		{"empty password", "support@example.com", ""},
		{"empty input", "", ""},
		{"over-long password", "support@example.com", supPW + strings.Repeat("x", 300)},
	}
	var first error
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			res, err := e.signIn(f.email, f.password, "")
			if res.Token != "" || res.NeedCode {
				t.Fatalf("a failed sign-in returned %+v", res)
			}
			wantCode(t, err, errs.Unauthorized, "")
			if first == nil {
				first = err
				return
			}
			if err != first || err.Error() != first.Error() || errs.PublicOf(err) != errs.PublicOf(first) {
				t.Fatalf("failure %q differs from the first: %v vs %v", f.name, err, first)
			}
		})
	}

	reasons := map[string]bool{}
	for _, subject := range []string{staff.Subject(sup.ID), staff.Subject(gone.ID), ""} {
		for _, a := range e.auditActions(t, subject) {
			if a.Action == "staff.signin_failed" {
				reasons[a.Detail["reason"]] = true
			}
		}
	}
	for _, r := range []string{"bad_password", "disabled", "unknown_email"} {
		if !reasons[r] {
			t.Errorf("the audit log has no sign-in failure with reason %q (has %v)", r, reasons)
		}
	}
}

// Promise: only authorized personnel access personal data — five wrong passwords from
// one client lock the account for that client (even the right password is refused
// there) until the lock expires or an owner re-enables the account; a success resets
// the count.
//
// Promise (issue 12, item 9): the lockout is per account and client together, as
// OWASP's guidance on lockout describes, so nobody can keep a member out by failing on
// purpose: the right password plus TOTP from a client that has not failed still signs
// in. Distributed guessing is still stopped: 50 failures from all clients together
// lock the account for everyone.
func TestLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email, pw = "locky@example.com", "locky-password-12"
	m := e.add(t, email, staff.Support, pw)
	opts := e.svc.Options()
	if opts.LockoutThreshold != 5 || opts.LockoutDuration != 15*time.Minute || opts.AccountLockoutThreshold != 50 {
		t.Fatalf("lockout defaults = %d, %d, %v; want 5, 50, 15m", opts.LockoutThreshold, opts.AccountLockoutThreshold, opts.LockoutDuration)
	}
	const attacker = "2001:db8:bad::1"
	at := func(ip, password, code string) (staff.SignInResult, error) {
		return e.svc.SignIn(e.ctx, staff.SignInInput{Email: email, Password: password, Code: code, IP: ip})
	}
	fail := func(ip string, n int) {
		t.Helper()
		for i := range n {
			if _, err := at(ip, "wrong-password-00", ""); !errs.Is(err, errs.Unauthorized) {
				t.Fatalf("wrong password #%d: %v", i+1, err)
			}
		}
	}
	refused := func(ip, what string) {
		t.Helper()
		if _, err := at(ip, pw, ""); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("%s: right password gave %v; want unauthorized", what, err)
		}
	}
	signsIn := func(ip, what string) {
		t.Helper()
		if res, err := at(ip, pw, ""); err != nil || res.Token == "" {
			t.Fatalf("%s: %+v, %v; want a session", what, res, err)
		}
	}
	locked := func(want bool) {
		t.Helper()
		got, err := e.svc.Get(e.ctx, staff.CLI, m.ID)
		if err != nil || got.Locked != want {
			t.Fatalf("Locked (for everyone) = %v, %v; want %v", got.Locked, err, want)
		}
	}

	// Four failures do not lock, and a success resets the count.
	fail(attacker, 4)
	signsIn(attacker, "after four failures")
	fail(attacker, 4)
	fail(attacker, 1)
	refused(attacker, "the failing client, while locked")
	refused("2001:db8:bad:0:1::1", "another address in the failing client's /64")
	locked(false)
	signsIn("2001:db8:900d::1", "a client that has not failed")

	var lockedUntil string
	for _, a := range e.auditActions(t, staff.Subject(m.ID)) {
		if a.Detail["locked_until"] != "" {
			lockedUntil = a.Detail["locked_until"]
		}
	}
	if want := epoch.Add(15 * time.Minute).Format(time.RFC3339); lockedUntil != want {
		t.Fatalf("audit locked_until = %q; want %q", lockedUntil, want)
	}

	e.clock.Advance(opts.LockoutDuration - time.Second)
	refused(attacker, "a second before the lock expires")
	e.clock.Advance(2 * time.Second)
	signsIn(attacker, "after the lock expired")

	// Locked again, an owner's Enable lifts the lock at once. (Another attacker: the
	// first has spent its sign-in attempts of the minute.)
	const attacker2 = "2001:db8:bad2::1"
	fail(attacker2, 5)
	refused(attacker2, "locked again")
	if _, err := e.svc.Enable(e.ctx, e.owner.Principal(), m.ID); err != nil {
		t.Fatal(err)
	}
	signsIn(attacker2, "after Enable")

	// With a second factor, the member's own client still gets in while an attacker
	// keeps failing from another.
	secret, _ := e.enrol(t, m)
	fail("2001:db8:bad3::1", 5)
	if res, err := at("2001:db8:900d::2", pw, e.code(t, secret, 0)); err != nil || res.Token == "" {
		t.Fatalf("password and TOTP from a client that has not failed: %+v, %v; want a session", res, err)
	}

	// Distributed guessing: 50 failures from clients of their own lock the account for
	// everyone.
	for i := range opts.AccountLockoutThreshold {
		fail(fmt.Sprintf("2001:db8:%x:1::1", 0x1000+i), 1)
	}
	locked(true)
	e.clock.Advance(30 * time.Second)
	if _, err := at("2001:db8:900d::3", pw, e.code(t, secret, 0)); !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("after distributed guessing, a fresh client: %v; want unauthorized", err)
	}
}

// Promise (issue 12, item 5): a stolen session is no password oracle: wrong current
// passwords in the change-password form count toward the account's lockout, so the
// fifth locks the change for that session and the account counts them too.
func TestChangePasswordGuessesCountTowardLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email, pw = "stolen@example.com", "stolen-password-12"
	m := e.add(t, email, staff.Support, pw)
	tok := e.mustSignIn(t, email, pw)
	for i := range 5 {
		err := e.svc.ChangePassword(e.ctx, m.Principal(), fmt.Sprintf("guess-password-%02d", i), "a-new-password-12", staff.HashToken(tok))
		if !errs.Is(err, errs.Invalid) {
			t.Fatalf("guess %d: %v; want invalid", i+1, err)
		}
	}
	if err := e.svc.ChangePassword(e.ctx, m.Principal(), pw, "a-new-password-12", staff.HashToken(tok)); err == nil {
		t.Fatal("after five wrong current passwords the session can still change the password (and so test guesses)")
	}
	var failures int
	for _, a := range e.auditActions(t, staff.Subject(m.ID)) {
		if a.Action == "staff.signin_failed" && a.Detail["reason"] == "bad_current_password" {
			failures++
		}
	}
	if failures != 5 {
		t.Errorf("%d wrong current passwords audited as failures; want 5", failures)
	}
	e.clock.Advance(e.svc.Options().LockoutDuration + time.Second)
	if err := e.svc.ChangePassword(e.ctx, m.Principal(), pw, "a-new-password-12", staff.HashToken(tok)); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
}

// Promise: only authorized personnel access personal data — password guessing from one
// address is throttled after 20 attempts a minute, without locking out everyone else,
// and the address is never stored.
func TestPerIPLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const attacker, colleague = "203.0.113.7", "203.0.113.8"
	attempt := func(ip, email, pw string) (staff.SignInResult, error) {
		return e.svc.SignIn(e.ctx, staff.SignInInput{Email: email, Password: pw, IP: ip})
	}
	for i := range 20 {
		if _, err := attempt(attacker, fmt.Sprintf("guess%d@example.com", i), "guess-password-1"); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("attempt %d: %v; want unauthorized (not yet throttled)", i+1, err)
		}
	}
	for _, tt := range []struct{ name, email, pw string }{
		{"21st guess", "guess21@example.com", "guess-password-1"},
		{"even the right password", ownerEmail, ownerPassword},
		{"a pending-token step", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := staff.SignInInput{Email: tt.email, Password: tt.pw, IP: attacker}
			if tt.email == "" {
				in.PendingToken, in.Code = "whatever", "123456"
			}
			if _, err := e.svc.SignIn(e.ctx, in); !errs.Is(err, errs.RateLimited) {
				t.Fatalf("from the throttled address: %v; want rate_limited", err)
			}
		})
	}
	res, err := attempt(colleague, ownerEmail, ownerPassword)
	if err != nil || res.Token == "" {
		t.Fatalf("another address: %+v, %v; want a session", res, err)
	}
	if dump := e.dumpTables(t, "staff", "staff_sessions", "audit_log", "settings"); strings.Contains(dump, "203.0.113") {
		t.Fatal("a client IP address was stored")
	}
}

// Promise (issue 12, item 10): the sign-in throttle keys an IPv6 client by its /64, as
// the anti-bot limits do: walking the addresses of one subscriber line buys no guesses.
func TestPerIPLimitIPv6Prefix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 20 {
		in := staff.SignInInput{Email: fmt.Sprintf("guess%d@example.com", i), Password: "guess-password-1", IP: fmt.Sprintf("2001:db8:77:1::%x", i+1)}
		if _, err := e.svc.SignIn(e.ctx, in); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("attempt %d: %v; want unauthorized (not yet throttled)", i+1, err)
		}
	}
	if _, err := e.svc.SignIn(e.ctx, staff.SignInInput{Email: ownerEmail, Password: ownerPassword, IP: "2001:db8:77:1:ffff::1"}); !errs.Is(err, errs.RateLimited) {
		t.Fatalf("another address in the same /64: %v; want rate_limited", err)
	}
	if res, err := e.svc.SignIn(e.ctx, staff.SignInInput{Email: ownerEmail, Password: ownerPassword, IP: "2001:db8:77:2::1"}); err != nil || res.Token == "" {
		t.Fatalf("the next /64: %+v, %v; want a session", res, err)
	}
}

// Promise: only authorized personnel access personal data — a session ends after 30
// idle minutes or 12 hours in all, on sign-out, when the password changes elsewhere,
// when an owner resets the password, and when the account is disabled.
func TestSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	opts := e.svc.Options()
	if opts.IdleTimeout != 30*time.Minute || opts.AbsoluteTimeout != 12*time.Hour {
		t.Fatalf("timeouts = %v, %v; want 30m, 12h", opts.IdleTimeout, opts.AbsoluteTimeout)
	}
	storedHash := func(t *testing.T, token string) int {
		t.Helper()
		var n int
		if err := e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM staff_sessions WHERE token_hash = ?", staff.HashToken(token)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("authenticate", func(t *testing.T) {
		tok := e.mustSignIn(t, ownerEmail, ownerPassword)
		m, err := e.svc.Authenticate(e.ctx, tok)
		if err != nil || m.ID != e.owner.ID || m.Role != staff.Owner || m.Email.Reveal() != ownerEmail {
			t.Fatalf("Authenticate = %+v, %v", m, err)
		}
		if storedHash(t, tok) != 1 {
			t.Fatal("the session is not stored under the SHA-256 of its token")
		}
		var raw int
		if err := e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM staff_sessions WHERE token_hash = ?", tok).Scan(&raw); err != nil || raw != 0 {
			t.Fatalf("the raw token is stored (%d, %v)", raw, err)
		}
		for _, bad := range []string{"", "x", tok + "x", tok[:len(tok)-1], strings.Repeat("a", 129), staff.HashToken(tok)} {
			e.authFails(t, bad)
		}
	})

	t.Run("idle timeout", func(t *testing.T) {
		tok := e.mustSignIn(t, ownerEmail, ownerPassword)
		e.clock.Advance(30*time.Minute - time.Second)
		e.authOK(t, tok, e.owner.ID) // activity extends the session
		e.clock.Advance(30*time.Minute - time.Second)
		e.authOK(t, tok, e.owner.ID)
		e.clock.Advance(30*time.Minute + time.Second)
		e.authFails(t, tok)
		if storedHash(t, tok) != 0 {
			t.Fatal("an idle-expired session was refused but not deleted")
		}
	})

	t.Run("absolute timeout", func(t *testing.T) {
		tok := e.mustSignIn(t, ownerEmail, ownerPassword)
		var elapsed time.Duration
		for elapsed+25*time.Minute < 12*time.Hour {
			e.clock.Advance(25 * time.Minute)
			elapsed += 25 * time.Minute
			e.authOK(t, tok, e.owner.ID)
		}
		e.clock.Advance(12*time.Hour - elapsed + time.Second) // active, but 12 h old
		e.authFails(t, tok)
		if storedHash(t, tok) != 0 {
			t.Fatal("an expired session was refused but not deleted")
		}
		e.authOK(t, e.mustSignIn(t, ownerEmail, ownerPassword), e.owner.ID) // a new one works
	})

	t.Run("sign out", func(t *testing.T) {
		tok := e.mustSignIn(t, ownerEmail, ownerPassword)
		other := e.mustSignIn(t, ownerEmail, ownerPassword)
		if err := e.svc.SignOut(e.ctx, tok); err != nil {
			t.Fatal(err)
		}
		e.authFails(t, tok)
		e.authOK(t, other, e.owner.ID) // signing out ends only that session
		if err := e.svc.SignOut(e.ctx, tok); err != nil {
			t.Fatalf("second SignOut: %v", err)
		}
		if err := e.svc.SignOut(e.ctx, "not-a-token"); err != nil {
			t.Fatalf("SignOut(garbage): %v", err)
		}
	})

	t.Run("password change revokes the other sessions", func(t *testing.T) {
		const pw1, pw2 = "changer-password-1", "changer-password-2"
		m := e.add(t, "changer@example.com", staff.Support, pw1)
		a := e.mustSignIn(t, "changer@example.com", pw1)
		b := e.mustSignIn(t, "changer@example.com", pw1)
		for _, tt := range []struct {
			name, current, next, field string
		}{
			{"wrong current password", "not-my-password", pw2, "current"},
			{"same password", pw1, pw1, "password"},
			{"weak new password", pw1, "short", "password"},
		} {
			err := e.svc.ChangePassword(e.ctx, m.Principal(), tt.current, tt.next, staff.HashToken(a))
			if !errs.Is(err, errs.Invalid) || fieldOf(err) != tt.field {
				t.Fatalf("%s: %v; want invalid on %s", tt.name, err, tt.field)
			}
			e.authOK(t, b, m.ID) // a refused change revokes nothing
		}
		if err := e.svc.ChangePassword(e.ctx, m.Principal(), pw1, pw2, staff.HashToken(a)); err != nil {
			t.Fatal(err)
		}
		e.authOK(t, a, m.ID)
		e.authFails(t, b)
		if _, err := e.signIn("changer@example.com", pw1, ""); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("old password after change: %v", err)
		}
		e.mustSignIn(t, "changer@example.com", pw2)
	})

	t.Run("owner reset revokes every session and forces a change", func(t *testing.T) {
		const pw1, pw2, pw3 = "forgetful-pass-01", "temporary-pass-02", "my-own-pass-0003"
		m := e.add(t, "forgetful@example.com", staff.Marketing, pw1)
		other := e.add(t, "colleague@example.com", staff.Support, goodPassword)
		a := e.mustSignIn(t, "forgetful@example.com", pw1)
		b := e.mustSignIn(t, "forgetful@example.com", pw1)
		if _, err := e.svc.ResetPassword(e.ctx, other.Principal(), m.ID, pw2); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("reset by a support member: %v; want forbidden", err)
		}
		e.authOK(t, a, m.ID)
		if _, err := e.svc.ResetPassword(e.ctx, e.owner.Principal(), m.ID, "short"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("reset to a weak password: %v; want invalid", err)
		}
		e.authOK(t, a, m.ID)
		got, err := e.svc.ResetPassword(e.ctx, e.owner.Principal(), m.ID, pw2)
		if err != nil || !got.MustChangePassword {
			t.Fatalf("ResetPassword = %+v, %v; want MustChangePassword", got, err)
		}
		e.authFails(t, a)
		e.authFails(t, b)
		if n := e.sessionRows(t, m.ID); n != 0 {
			t.Fatalf("%d sessions left after a reset", n)
		}
		if _, err := e.signIn("forgetful@example.com", pw1, ""); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("old password after reset: %v", err)
		}
		res, err := e.signIn("forgetful@example.com", pw2, "")
		if err != nil || !res.Member.MustChangePassword {
			t.Fatalf("sign-in after reset = %+v, %v; want MustChangePassword", res.Member, err)
		}
		if err := e.svc.ChangePassword(e.ctx, m.Principal(), pw2, pw3, staff.HashToken(res.Token)); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.svc.Get(e.ctx, m.Principal(), m.ID); got.MustChangePassword {
			t.Fatal("MustChangePassword still set after the member chose a password")
		}
		e.authOK(t, res.Token, m.ID)
	})

	t.Run("disable revokes sessions", func(t *testing.T) {
		const pw = "leaver-password-1"
		m := e.add(t, "leaver@example.com", staff.ShopRole, pw)
		tok := e.mustSignIn(t, "leaver@example.com", pw)
		got, err := e.svc.Disable(e.ctx, e.owner.Principal(), m.ID)
		if err != nil || !got.Disabled {
			t.Fatalf("Disable = %+v, %v", got, err)
		}
		e.authFails(t, tok)
		if n := e.sessionRows(t, m.ID); n != 0 {
			t.Fatalf("%d sessions left after Disable", n)
		}
		if _, err := e.signIn("leaver@example.com", pw, ""); !errs.Is(err, errs.Unauthorized) {
			t.Fatalf("sign-in while disabled: %v", err)
		}
		if _, err := e.svc.Enable(e.ctx, e.owner.Principal(), m.ID); err != nil {
			t.Fatal(err)
		}
		tok = e.mustSignIn(t, "leaver@example.com", pw)

		// Even a session row that survived (say, written by a racing sign-in) does not
		// authenticate a disabled member.
		if _, err := e.store.UpdateMember(e.ctx, m.ID, func(r *staff.Record) error { r.DisabledAt = e.clock.Now(); return nil }); err != nil {
			t.Fatal(err)
		}
		e.authFails(t, tok)
	})

	t.Run("purge", func(t *testing.T) {
		tok := e.mustSignIn(t, ownerEmail, ownerPassword)
		e.clock.Advance(31 * time.Minute)
		fresh := e.mustSignIn(t, ownerEmail, ownerPassword)
		n, err := e.svc.PurgeSessions(e.ctx)
		if err != nil || n < 1 {
			t.Fatalf("PurgeSessions = %d, %v; want at least 1", n, err)
		}
		if storedHash(t, tok) != 0 || storedHash(t, fresh) != 1 {
			t.Fatal("PurgeSessions removed the wrong sessions")
		}
	})
}

var recoveryCodeFormat = regexp.MustCompile(`^[a-z2-7]{5}-[a-z2-7]{5}$`)

// enrol runs BeginTOTP and ConfirmTOTP for m and returns the secret and recovery codes;
// it leaves the clock one step past the confirmation code.
func (e *env) enrol(t *testing.T, m staff.Member) (string, []string) {
	t.Helper()
	enr, err := e.svc.BeginTOTP(e.ctx, m.Principal())
	if err != nil {
		t.Fatal(err)
	}
	codes, err := e.svc.ConfirmTOTP(e.ctx, m.Principal(), e.code(t, enr.Secret, 0))
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Second)
	return enr.Secret, codes
}

// Promise: only authorized personnel access personal data — with a second factor, the
// password alone yields only a pending session that opens nothing; a code completes
// sign-in once and only once; recovery codes work once; an owner can reset the factor.
func TestTOTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email, pw = "two@example.com", "two-factor-pass-1"
	m := e.add(t, email, staff.Support, pw)
	p := m.Principal()
	_, wrongPW := e.signIn("nobody@example.com", pw, "") // the one failure, without counting towards a lockout
	complete := func(pending, code string) (staff.SignInResult, error) {
		return e.svc.SignIn(e.ctx, staff.SignInInput{PendingToken: pending, Code: code, IP: e.ip()})
	}
	pending := func(t *testing.T) string {
		t.Helper()
		res, err := e.signIn(email, pw, "")
		if err != nil || !res.NeedCode || res.Token == "" {
			t.Fatalf("password step = %+v, %v; want NeedCode and a pending token", res, err)
		}
		if res.Member.ID != 0 {
			t.Fatal("the password step already reveals the member")
		}
		e.authFails(t, res.Token) // a pending session is no session
		return res.Token
	}
	refused := func(t *testing.T, what string, res staff.SignInResult, err error) {
		t.Helper()
		if err != wrongPW || res.Token != "" {
			t.Fatalf("%s: %+v, %v; want the one sign-in failure %v", what, res, err, wrongPW)
		}
	}

	// Enrolment.
	if _, err := e.svc.ConfirmTOTP(e.ctx, p, "123456"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("ConfirmTOTP before BeginTOTP: %v; want invalid", err)
	}
	enr, err := e.svc.BeginTOTP(e.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	secret := enr.Secret
	if len(secret) < 32 || !strings.HasPrefix(enr.URL, "otpauth://totp/") || !strings.Contains(enr.URL, "issuer=Candor") {
		t.Fatalf("enrolment = %+v", enr)
	}
	e.mustSignIn(t, email, pw) // an unconfirmed secret is not yet a second factor
	if _, err := e.svc.ConfirmTOTP(e.ctx, p, e.wrongCode(t, secret)); !errs.Is(err, errs.Invalid) || fieldOf(err) != "code" {
		t.Fatalf("ConfirmTOTP(wrong code): %v; want invalid on code", err)
	}
	if got, _ := e.svc.Get(e.ctx, p, m.ID); got.HasTOTP {
		t.Fatal("HasTOTP after a wrong confirmation code")
	}
	codes, err := e.svc.ConfirmTOTP(e.ctx, p, e.code(t, secret, 0))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if !recoveryCodeFormat.MatchString(c) || seen[c] {
			t.Fatalf("recovery codes %v: bad format or duplicate %q", codes, c)
		}
		seen[c] = true
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes; want 10", len(codes))
	}
	if n, err := e.svc.RecoveryCodesLeft(e.ctx, p); n != 10 || err != nil {
		t.Fatalf("RecoveryCodesLeft = %d, %v; want 10", n, err)
	}
	if got, _ := e.svc.Get(e.ctx, p, m.ID); !got.HasTOTP {
		t.Fatal("HasTOTP false after confirmation")
	}
	if _, err := e.svc.BeginTOTP(e.ctx, p); !errs.Is(err, errs.Conflict) {
		t.Fatalf("BeginTOTP when enrolled: %v; want conflict", err)
	}
	dump := strings.ToLower(e.dumpTables(t, "staff", "staff_recovery_codes", "audit_log"))
	for _, needle := range append([]string{secret}, codes...) {
		if strings.Contains(dump, strings.ToLower(needle)) || strings.Contains(dump, strings.ReplaceAll(needle, "-", "")) {
			t.Fatalf("the database holds a TOTP secret or recovery code in plain text")
		}
	}
	e.clock.Advance(30 * time.Second) // the confirmation code's step is spent

	t.Run("code completes a pending sign-in once", func(t *testing.T) {
		tok := pending(t)
		res, err := complete(tok, e.wrongCode(t, secret))
		refused(t, "wrong code", res, err)
		res, err = complete("not-a-pending-token", e.code(t, secret, 0))
		refused(t, "unknown pending token", res, err)
		code := e.code(t, secret, 0)
		full, err := complete(tok, code)
		if err != nil || full.NeedCode || full.Token == "" || full.Token == tok || full.Member.ID != m.ID {
			t.Fatalf("code step = %+v, %v; want a full session", full, err)
		}
		e.authOK(t, full.Token, m.ID)
		res, err = complete(full.Token, e.code(t, secret, 1))
		refused(t, "a full session used as a pending token", res, err)
		res, err = complete(tok, e.code(t, secret, 1))
		refused(t, "the spent pending token", res, err)
		res, err = complete(pending(t), code)
		refused(t, "the same code replayed", res, err)
		res, err = e.signIn(email, pw, code)
		refused(t, "the same code replayed in one step", res, err)
		res, err = e.signIn(email, pw, e.code(t, secret, -1))
		refused(t, "an older code", res, err)
		// Four counted failures: a success now resets the count before the lockout.
		e.clock.Advance(30 * time.Second)
		c := e.code(t, secret, 0)
		one, err := e.signIn(email, pw, c[:3]+" "+c[3:]) // typed with a space, as apps show it
		if err != nil || one.NeedCode || one.Token == "" {
			t.Fatalf("password and code in one step = %+v, %v", one, err)
		}
	})

	t.Run("recovery code works once", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		res, err := complete(pending(t), strings.ToUpper(codes[0]))
		if err != nil || res.Token == "" {
			t.Fatalf("recovery code: %+v, %v", res, err)
		}
		e.authOK(t, res.Token, m.ID)
		res, err = complete(pending(t), codes[0])
		refused(t, "a used recovery code", res, err)
		res, err = e.signIn(email, pw, strings.ReplaceAll(codes[1], "-", ""))
		if err != nil || res.Token == "" {
			t.Fatalf("recovery code without dash, in one step: %+v, %v", res, err)
		}
		if n, _ := e.svc.RecoveryCodesLeft(e.ctx, p); n != 8 {
			t.Fatalf("RecoveryCodesLeft = %d; want 8", n)
		}
	})

	t.Run("pending sign-in expires", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		tok := pending(t)
		e.clock.Advance(5*time.Minute + time.Second)
		res, err := complete(tok, e.code(t, secret, 0))
		refused(t, "after five minutes", res, err)
		if _, err := e.signIn(email, pw, e.code(t, secret, 0)); err != nil {
			t.Fatalf("the code refused with the expired token was spent: %v", err)
		}
	})

	t.Run("owner resets the second factor", func(t *testing.T) {
		tok := e.mustSignInCode(t, email, pw, secret)
		other := e.add(t, "helper@example.com", staff.Admin, goodPassword)
		if _, err := e.svc.Reset2FA(e.ctx, other.Principal(), m.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("Reset2FA by an admin: %v; want forbidden", err)
		}
		got, err := e.svc.Reset2FA(e.ctx, e.owner.Principal(), m.ID)
		if err != nil || got.HasTOTP {
			t.Fatalf("Reset2FA = %+v, %v", got, err)
		}
		e.authFails(t, tok)
		if n, _ := e.svc.RecoveryCodesLeft(e.ctx, p); n != 0 {
			t.Fatalf("%d recovery codes left after Reset2FA", n)
		}
		e.mustSignIn(t, email, pw) // the password alone works again
		newSecret, _ := e.enrol(t, m)
		if newSecret == secret {
			t.Fatal("re-enrolment reused the old secret")
		}
		res, err := complete(pending(t), codes[2])
		refused(t, "a recovery code from before the reset", res, err)
		res, err = complete(pending(t), e.code(t, secret, 0))
		refused(t, "a code from the old secret", res, err)
	})
}

// mustSignInCode signs in with password and the current TOTP code, after moving the
// clock to a fresh step.
func (e *env) mustSignInCode(t *testing.T, email, pw, secret string) string {
	t.Helper()
	e.clock.Advance(30 * time.Second)
	res, err := e.signIn(email, pw, e.code(t, secret, 0))
	if err != nil || res.Token == "" || res.NeedCode {
		t.Fatalf("SignIn with code = %+v, %v", res, err)
	}
	return res.Token
}

// Promise: a TOTP code is single-use even when the same code arrives several times at
// once (a phished code replayed in parallel with the real sign-in).
func TestTOTPCodeSingleUseUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const email, pw = "racer@example.com", "racer-password-12"
	m := e.add(t, email, staff.Support, pw)
	secret, _ := e.enrol(t, m)
	res, err := e.signIn(email, pw, "")
	if err != nil || !res.NeedCode {
		t.Fatalf("password step: %+v, %v", res, err)
	}
	code := e.code(t, secret, 0)
	const samePending, oneStep = 3, 3
	var wg sync.WaitGroup
	var mu sync.Mutex
	var tokens []string
	start := make(chan struct{})
	try := func(in staff.SignInInput) {
		defer wg.Done()
		<-start
		r, err := e.svc.SignIn(e.ctx, in)
		if err == nil {
			mu.Lock()
			tokens = append(tokens, r.Token)
			mu.Unlock()
		} else if !errs.Is(err, errs.Unauthorized) {
			t.Errorf("SignIn: %v", err)
		}
	}
	for i := range samePending + oneStep {
		wg.Add(1)
		in := staff.SignInInput{PendingToken: res.Token, Code: code, IP: e.ip()}
		if i >= samePending {
			in = staff.SignInInput{Email: email, Password: pw, Code: code, IP: e.ip()}
		}
		go try(in)
	}
	close(start)
	wg.Wait()
	if len(tokens) != 1 {
		t.Fatalf("one TOTP code opened %d sessions; want exactly 1", len(tokens))
	}
}

// Promise: the installation always keeps an active owner — the last one cannot be
// disabled or demoted; with two, either can be.
func TestLastOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.owner
	changes := []struct {
		name string
		do   func(actor staff.Principal, id int64) error
	}{
		{"disable", func(a staff.Principal, id int64) error { _, err := e.svc.Disable(e.ctx, a, id); return err }},
		{"demote to admin", func(a staff.Principal, id int64) error {
			_, err := e.svc.SetRole(e.ctx, a, id, staff.Admin)
			return err
		}},
		{"demote to analyst", func(a staff.Principal, id int64) error {
			_, err := e.svc.SetRole(e.ctx, a, id, staff.Analyst)
			return err
		}},
	}
	check := func(t *testing.T, id int64) {
		t.Helper()
		got, err := e.svc.Get(e.ctx, staff.CLI, id)
		if err != nil || got.Role != staff.Owner || got.Disabled {
			t.Fatalf("member %d = %+v, %v; want an active owner", id, got, err)
		}
	}
	for _, c := range changes {
		for _, actor := range []staff.Principal{staff.CLI, first.Principal()} {
			t.Run(c.name+" by "+actor.Name, func(t *testing.T) {
				err := c.do(actor, first.ID)
				wantCode(t, err, errs.Conflict, "")
				if !strings.Contains(errs.PublicOf(err), "owner") {
					t.Fatalf("message %q does not explain", errs.PublicOf(err))
				}
				check(t, first.ID)
			})
		}
	}
	// Changes that keep the owner an active owner are fine.
	if _, err := e.svc.SetRole(e.ctx, staff.CLI, first.ID, staff.Owner); err != nil {
		t.Fatalf("SetRole(owner→owner): %v", err)
	}

	second := e.add(t, "owner2@example.com", staff.Owner, "owner2-password-1")
	if _, err := e.svc.Disable(e.ctx, staff.CLI, second.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("a disabled owner does not count", func(t *testing.T) {
		for _, c := range changes {
			wantCode(t, c.do(staff.CLI, first.ID), errs.Conflict, "")
		}
		check(t, first.ID)
	})
	if _, err := e.svc.Enable(e.ctx, staff.CLI, second.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("with two owners either can go", func(t *testing.T) {
		for _, c := range changes {
			if err := c.do(staff.CLI, first.ID); err != nil {
				t.Fatalf("%s with two owners: %v", c.name, err)
			}
			// Now second is the last: the same change to it is refused.
			wantCode(t, c.do(staff.CLI, second.ID), errs.Conflict, "")
			check(t, second.ID)
			// Restore first as an active owner.
			if _, err := e.svc.SetRole(e.ctx, staff.CLI, first.ID, staff.Owner); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Enable(e.ctx, staff.CLI, first.ID); err != nil {
				t.Fatal(err)
			}
			check(t, first.ID)
		}
	})
}

// Promise: the installation always keeps an active owner, even when two managers
// disable or demote the last two owners at the same moment.
func TestLastOwnerConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	second := e.add(t, "owner2@example.com", staff.Owner, "owner2-password-1")
	ids := []int64{e.owner.ID, second.ID}
	for round := range 8 {
		var wg sync.WaitGroup
		start := make(chan struct{})
		errsOut := make([]error, 2)
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if round%2 == 0 {
					_, errsOut[i] = e.svc.Disable(e.ctx, staff.CLI, id)
				} else {
					_, errsOut[i] = e.svc.SetRole(e.ctx, staff.CLI, id, staff.Admin)
				}
			}()
		}
		close(start)
		wg.Wait()
		n, err := e.store.CountActiveOwners(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n < 1 {
			t.Fatalf("round %d: both changes went through (%v, %v): no active owner is left", round, errsOut[0], errsOut[1])
		}
		if errsOut[0] == nil && errsOut[1] == nil {
			t.Fatalf("round %d: both succeeded", round)
		}
		for _, id := range ids { // restore two active owners
			if _, err := e.svc.Enable(e.ctx, staff.CLI, id); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SetRole(e.ctx, staff.CLI, id, staff.Owner); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// Promise: only authorized personnel access personal data — no role but the owner's
// (and the command line's) can read or change staff accounts, and a refusal reveals
// nothing and changes nothing.
func TestManageStaffForbidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := e.add(t, "target@example.com", staff.Support, goodPassword)
	actors := []staff.Principal{{}, {ID: 999, Role: "superuser", Name: "staff:999"}}
	for _, role := range staff.Roles {
		if role == staff.Owner {
			continue
		}
		m := e.add(t, string(role)+"@example.com", role, goodPassword)
		actors = append(actors, m.Principal())
	}
	ops := []struct {
		name string
		do   func(a staff.Principal, id int64) error
	}{
		{"Add", func(a staff.Principal, _ int64) error {
			_, err := e.svc.Add(e.ctx, a, "sneaky@example.com", staff.Owner, goodPassword, false)
			return err
		}},
		{"List", func(a staff.Principal, _ int64) error { _, err := e.svc.List(e.ctx, a); return err }},
		{"Get other", func(a staff.Principal, id int64) error { _, err := e.svc.Get(e.ctx, a, id); return err }},
		{"Get missing", func(a staff.Principal, _ int64) error { _, err := e.svc.Get(e.ctx, a, 987654); return err }},
		{"FindByEmail", func(a staff.Principal, _ int64) error {
			_, err := e.svc.FindByEmail(e.ctx, a, "target@example.com")
			return err
		}},
		{"SetRole", func(a staff.Principal, id int64) error {
			_, err := e.svc.SetRole(e.ctx, a, id, staff.Owner)
			return err
		}},
		{"Disable", func(a staff.Principal, id int64) error { _, err := e.svc.Disable(e.ctx, a, id); return err }},
		{"Enable", func(a staff.Principal, id int64) error { _, err := e.svc.Enable(e.ctx, a, id); return err }},
		{"ResetPassword", func(a staff.Principal, id int64) error {
			_, err := e.svc.ResetPassword(e.ctx, a, id, "hijacked-password-1")
			return err
		}},
		{"Reset2FA", func(a staff.Principal, id int64) error { _, err := e.svc.Reset2FA(e.ctx, a, id); return err }},
		{"SetRequire2FA", func(a staff.Principal, _ int64) error { return e.svc.SetRequire2FA(e.ctx, a, true) }},
	}
	for _, a := range actors {
		for _, op := range ops {
			t.Run(fmt.Sprintf("%s as %s", op.name, a.Role), func(t *testing.T) {
				wantCode(t, op.do(a, target.ID), errs.Forbidden, "")
				// Promoting oneself is forbidden too.
				if op.name == "SetRole" && a.ID != 0 {
					wantCode(t, op.do(a, a.ID), errs.Forbidden, "")
				}
			})
		}
		if a.ID != 0 && a.Role != "superuser" {
			if got, err := e.svc.Get(e.ctx, a, a.ID); err != nil || got.ID != a.ID {
				t.Errorf("%s reading themself: %v", a.Role, err)
			}
		}
	}
	got, err := e.svc.Get(e.ctx, staff.CLI, target.ID)
	if err != nil || got.Role != staff.Support || got.Disabled || got.MustChangePassword {
		t.Fatalf("target after refused changes = %+v, %v", got, err)
	}
	e.mustSignIn(t, "target@example.com", goodPassword)
	if _, err := e.svc.FindByEmail(e.ctx, staff.CLI, "sneaky@example.com"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a forbidden Add created a member: %v", err)
	}
	if e.svc.Require2FA(e.ctx) {
		t.Fatal("a forbidden SetRequire2FA changed the setting")
	}

	// The owner may, and is audited doing it.
	if err := e.svc.SetRequire2FA(e.ctx, e.owner.Principal(), true); err != nil || !e.svc.Require2FA(e.ctx) {
		t.Fatalf("owner SetRequire2FA: %v", err)
	}
	if _, err := e.svc.List(e.ctx, e.owner.Principal()); err != nil {
		t.Fatal(err)
	}
	list, err := e.log.List(e.ctx, audit.Filter{Actor: e.owner.Principal().Name, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, a := range list {
		actions[a.Action] = true
	}
	if !actions["staff.list"] || !actions["settings.require_2fa"] {
		t.Fatalf("owner actions audited: %v; want staff.list and settings.require_2fa", actions)
	}
}

// What a member made to act on their behalf (a statistics API token) asks SubjectMay
// at every use: a member disabled, removed, or moved to a role without the permission
// may no longer, and may again once enabled or given the role back.
func TestSubjectMay(t *testing.T) {
	e := newEnv(t)
	m := e.add(t, "analyst@example.com", staff.Analyst, "a long enough password 1")
	check := func(subject string, want bool) {
		t.Helper()
		if got, err := e.svc.SubjectMay(e.ctx, subject, staff.ViewStats); err != nil || got != want {
			t.Fatalf("SubjectMay(%q, view stats) = %v, %v; want %v", subject, got, err, want)
		}
	}
	check(staff.Subject(m.ID), true)
	check("cli", true)
	for _, other := range []string{"", "staff:", "staff:0", "staff:-1", "staff:x", "staff:99999", "stats-token:1", staff.Subject(m.ID) + " "} {
		check(other, false)
	}
	if _, err := e.svc.Disable(e.ctx, staff.CLI, m.ID); err != nil {
		t.Fatal(err)
	}
	check(staff.Subject(m.ID), false)
	if _, err := e.svc.Enable(e.ctx, staff.CLI, m.ID); err != nil {
		t.Fatal(err)
	}
	check(staff.Subject(m.ID), true)
	if _, err := e.svc.SetRole(e.ctx, staff.CLI, m.ID, staff.Support); err != nil {
		t.Fatal(err)
	}
	check(staff.Subject(m.ID), false)
}

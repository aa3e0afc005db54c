package staff_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// The tests here run the staff domain over real storage: SQLite by default, PostgreSQL
// when CANDOR_TEST_POSTGRES names a server.

const (
	ownerEmail    = "owner@example.com"
	ownerPassword = "owner-password-1234"
)

// epoch is the fake clock's start: on a TOTP step boundary, so steps are predictable.
var epoch = time.Date(2031, 3, 4, 5, 6, 0, 0, time.UTC)

// clock is a fake time source that tests move forward.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	ctx    context.Context
	db     *sqldb.DB
	store  sqldb.StaffStore
	sealer *pii.Sealer
	log    *audit.Log
	svc    *staff.Service
	clock  *clock
	owner  staff.Member
	mu     sync.Mutex
	ipN    int
}

// newEnv opens a fresh database, builds the service on a fake clock and adds one owner.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := dbtest.Open(t)
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	sealer := pii.NewSealer(kr)
	log := audit.New(sqldb.AuditStore{DB: db}, sealer.Index)
	store := sqldb.StaffStore{DB: db}
	svc, err := staff.NewService(ctx, store, sealer, log, staff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: epoch}
	staff.SetNow(svc, c.Now)
	e := &env{ctx: ctx, db: db, store: store, sealer: sealer, log: log, svc: svc, clock: c}
	e.owner = e.add(t, ownerEmail, staff.Owner, ownerPassword)
	return e
}

// add creates a member as the command line.
func (e *env) add(t *testing.T, email string, role staff.Role, password string) staff.Member {
	t.Helper()
	m, err := e.svc.Add(e.ctx, staff.CLI, email, role, password, false)
	if err != nil {
		t.Fatalf("Add(%s): %v", role, err)
	}
	return m
}

// ip returns a fresh client address in a /64 of its own, so tests do not share a per-IP
// budget by accident.
func (e *env) ip() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ipN++
	return fmt.Sprintf("2001:db8:%x::1", e.ipN)
}

func (e *env) signIn(email, password, code string) (staff.SignInResult, error) {
	return e.svc.SignIn(e.ctx, staff.SignInInput{Email: email, Password: password, Code: code, IP: e.ip()})
}

// mustSignIn signs in with a password only and returns the session token.
func (e *env) mustSignIn(t *testing.T, email, password string) string {
	t.Helper()
	res, err := e.signIn(email, password, "")
	if err != nil || res.Token == "" || res.NeedCode {
		t.Fatalf("SignIn = %+v, %v; want a full session", res, err)
	}
	return res.Token
}

// authOK asserts that token authenticates as member id.
func (e *env) authOK(t *testing.T, token string, id int64) {
	t.Helper()
	m, err := e.svc.Authenticate(e.ctx, token)
	if err != nil || m.ID != id {
		t.Fatalf("Authenticate = %d, %v; want member %d", m.ID, err, id)
	}
}

// authFails asserts that token no longer authenticates.
func (e *env) authFails(t *testing.T, token string) {
	t.Helper()
	if m, err := e.svc.Authenticate(e.ctx, token); !errs.Is(err, errs.Unauthorized) {
		t.Fatalf("Authenticate = member %d, %v; want unauthorized", m.ID, err)
	}
}

// sessionRows counts stored sessions of a member.
func (e *env) sessionRows(t *testing.T, id int64) int {
	t.Helper()
	var n int
	if err := e.db.QueryRow(e.ctx, "SELECT COUNT(*) FROM staff_sessions WHERE staff_id = ?", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// code returns the TOTP code for secret at the fake clock's current time plus offset steps.
func (e *env) code(t *testing.T, secret string, steps int) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, e.clock.Now().Add(time.Duration(steps)*30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode returns a six-digit code that matches none of the accepted steps.
func (e *env) wrongCode(t *testing.T, secret string) string {
	t.Helper()
	bad := map[string]bool{}
	for d := -2; d <= 2; d++ {
		bad[e.code(t, secret, d)] = true
	}
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", (123456+i*7919)%1_000_000)
		if !bad[c] {
			return c
		}
	}
}

// auditActions lists the actions recorded so far for a subject, oldest first.
func (e *env) auditActions(t *testing.T, subject string) []audit.Entry {
	t.Helper()
	list, err := e.log.List(e.ctx, audit.Filter{Subject: subject, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

// dumpTables returns every value of every row of the named tables as text.
func (e *env) dumpTables(t *testing.T, tables ...string) string {
	t.Helper()
	var b strings.Builder
	for _, table := range tables {
		rows, err := e.db.Query(e.ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s.%s=%v\n", table, cols[i], v)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

// wantCode asserts err carries code (and, when field is set, that field).
func wantCode(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	if !errs.Is(err, code) {
		t.Fatalf("err = %v; want %s", err, code)
	}
	if field != "" {
		var e *errs.Error
		if !errors.As(err, &e) || e.Field != field {
			t.Fatalf("err = %v (field %q); want field %q", err, fieldOf(err), field)
		}
	}
}

func fieldOf(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

package web

import (
	"context"

	"github.com/candor-dev/candor/internal/staff"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyClientIP
	keyMember
	keySessionToken
)

// RequestID returns the request's id ("" outside a request).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// ClientIP returns the client address as decided by the trusted-proxy rules.
func ClientIP(ctx context.Context) string {
	ip, _ := ctx.Value(keyClientIP).(string)
	return ip
}

// member returns the signed-in staff member, if any.
func member(ctx context.Context) (staff.Member, bool) {
	m, ok := ctx.Value(keyMember).(staff.Member)
	return m, ok
}

// sessionToken returns the raw session token of the signed-in member.
func sessionToken(ctx context.Context) string {
	t, _ := ctx.Value(keySessionToken).(string)
	return t
}

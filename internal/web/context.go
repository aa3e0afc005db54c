package web

import (
	"context"
	"net/netip"

	"github.com/candor-dev/candor/internal/staff"
)

type ctxKey int

const (
	keyRequest ctxKey = iota // *requestValues: the request id and the client address
	keyMember
	keySessionToken
)

// RequestID returns the request's id ("" outside a request).
func RequestID(ctx context.Context) string {
	if v, ok := ctx.Value(keyRequest).(*requestValues); ok {
		return v.id
	}
	return ""
}

// ClientIP returns the client address as decided by the trusted-proxy rules.
func ClientIP(ctx context.Context) string {
	return addrString(clientAddrOf(ctx))
}

// clientAddrOf is ClientIP as an address (invalid outside a request or without a peer).
func clientAddrOf(ctx context.Context) netip.Addr {
	if v, ok := ctx.Value(keyRequest).(*requestValues); ok {
		return v.ip
	}
	return netip.Addr{}
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

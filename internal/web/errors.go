package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[errs.Code]int{
	errs.Invalid:      http.StatusBadRequest,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Forbidden:    http.StatusForbidden,
	errs.RateLimited:  http.StatusTooManyRequests,
	errs.Unavailable:  http.StatusServiceUnavailable,
	errs.Internal:     http.StatusInternalServerError,
}

// status returns the HTTP status for err; an oversized body is 413.
func status(err error) int {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge
	}
	if st, ok := statusOf[errs.CodeOf(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// wantsJSON reports whether the caller is an API client rather than a browser page.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") ||
		strings.Contains(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}

// fail renders err as JSON or as an error page. Internal errors are logged with the
// request id and shown only as a generic sentence with that id.
func (s *pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := status(err)
	msg := errs.PublicOf(err)
	if st == http.StatusRequestEntityTooLarge {
		msg = "The request is too large."
	}
	if st >= 500 {
		s.log.Error("request failed", "request_id", RequestID(r.Context()), "route", r.Pattern, "error", err)
	}
	var field string
	var ce *errs.Error
	if errors.As(err, &ce) {
		field = ce.Field
	}
	if wantsJSON(r) {
		code := string(errs.CodeOf(err))
		if st == http.StatusRequestEntityTooLarge {
			code = "too_large"
		}
		writeJSON(w, st, map[string]any{"error": map[string]string{
			"code": code, "message": msg, "field": field, "request_id": RequestID(r.Context()),
		}})
		return
	}
	s.render(w, r, st, "error", page{Title: http.StatusText(st), Data: map[string]any{
		"Status": st, "Message": msg, "RequestID": RequestID(r.Context()),
	}})
}

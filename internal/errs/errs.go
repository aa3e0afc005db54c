// Package errs is Candor's one error type: a code that decides the HTTP status and the
// exit status, a message that is safe to show to the person who caused it, and the
// wrapped cause, which is logged and never shown.
//
// Invariants: a Public message never contains driver text, secrets or personal data;
// an error without a code is internal; not-found is an error, never (nil, nil).
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers; the web layer maps it to a status.
type Code string

// The codes. Their HTTP statuses are in the web package's one table.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	RateLimited  Code = "rate_limited"
	Unavailable  Code = "unavailable"
	Internal     Code = "internal"
)

// Error is a coded error with a public message and an optional cause.
type Error struct {
	Code   Code
	Public string // shown to the user; never driver text
	Field  string // the input field at fault, when there is one
	Cause  error  // logged, never shown
}

func (e *Error) Error() string {
	msg := string(e.Code)
	if e.Public != "" {
		msg += ": " + e.Public
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Cause }

// E builds an error with a code and a public message.
func E(code Code, public string) *Error { return &Error{Code: code, Public: public} }

// Ef builds an error with a code and a formatted public message.
func Ef(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Public: fmt.Sprintf(format, args...)}
}

// Wrap builds an error with a code and public message around a cause.
func Wrap(code Code, public string, cause error) *Error {
	return &Error{Code: code, Public: public, Cause: cause}
}

// InvalidField reports bad input in one named field.
func InvalidField(field, public string) *Error {
	return &Error{Code: Invalid, Public: public, Field: field}
}

// CodeOf returns the code of the first *Error in err's chain, Internal when there is
// none, and "" for a nil error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// PublicOf returns the message that may be shown for err: the public message of a coded
// error, or a generic sentence for anything else.
func PublicOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Public != "" {
		return e.Public
	}
	switch CodeOf(err) {
	case NotFound:
		return "Not found."
	case Forbidden:
		return "You do not have permission to do that."
	case Unauthorized:
		return "Please sign in."
	case RateLimited:
		return "Too many requests; please wait a moment and try again."
	case Unavailable:
		return "The service is temporarily unavailable."
	}
	return "Something went wrong on our side. It has been logged."
}

// Is reports whether err carries the code c.
func Is(err error, c Code) bool { return CodeOf(err) == c }

package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/config"
)

// Each area holds only what its handlers use, so a page test can build that area alone:
// the renderer (newPages) and the area's few collaborators, no database, no Server.

// newTestPages is the shared renderer over a default configuration.
func newTestPages(t *testing.T) *pages {
	t.Helper()
	p, err := newPages(config.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeHealth is storage as /readyz sees it.
type fakeHealth struct {
	ping    error
	pending int
}

func (h fakeHealth) Ping(context.Context) error           { return h.ping }
func (h fakeHealth) Pending(context.Context) (int, error) { return h.pending, nil }

// /readyz answers 503 while the database is unreachable or migrations are pending.
func TestProbesAlone(t *testing.T) {
	for _, tc := range []struct {
		name   string
		health fakeHealth
		status int
		body   string
	}{
		{"ready", fakeHealth{}, http.StatusOK, "ready\n"},
		{"unreachable", fakeHealth{ping: errors.New("down")}, http.StatusServiceUnavailable, "database unreachable\n"},
		{"pending", fakeHealth{pending: 2}, http.StatusServiceUnavailable, "migrations pending\n"},
	} {
		rec := httptest.NewRecorder()
		(&probes{health: tc.health}).readyz(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if rec.Code != tc.status || rec.Body.String() != tc.body {
			t.Errorf("%s: %d %q; want %d %q", tc.name, rec.Code, rec.Body, tc.status, tc.body)
		}
	}
}

// The public forms' thank-you pages render from the renderer alone.
func TestPublicFormsThanksAlone(t *testing.T) {
	f := &publicForms{pages: newTestPages(t)}
	for _, tc := range []struct {
		handler http.HandlerFunc
		path    string
		want    string
	}{
		{f.subscribeThanks, "/subscribe/thanks", subscribeMessage},
		{f.contactThanks, "/contact/thanks", contactMessage},
	} {
		rec := httptest.NewRecorder()
		tc.handler(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s: %d, want 200 with %q\n%.1000s", tc.path, rec.Code, tc.want, rec.Body)
		}
	}
}

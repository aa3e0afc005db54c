package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

// These tests pin NewsletterStore's contract (newsletter.Store) on both dialects.

// confirmationMail returns a confirm callback for SaveSignup that queues one mail.
func confirmationMail(at time.Time) func(id int64) (*mail.Queued, error) {
	return func(id int64) (*mail.Queued, error) {
		return &mail.Queued{Purpose: "confirm", SubscriberID: id, ToSealed: "sealed-to", ToIndex: "to-index",
			ContentSealed: "sealed-content", MessageID: mail.NewMessageID("candor.test"), CreatedAt: at}, nil
	}
}

func queuedFor(t *testing.T, db *sqldb.DB, id int64) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "SELECT COUNT(*) FROM mail_outbox WHERE subscriber_id = ?", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Promise: a confirmed subscriber's details change only with their own confirmation.
// A sign-up reads the row, then writes it back; a confirmation landing in between is
// not undone by that write, whatever the (stale, pending) record it writes says: the
// row stays confirmed with the confirmed name and consent record. The sign-up's times
// and its confirmation mail still go. A pending row still takes the later sign-up.
func TestConfirmedSubscriberDetailsChangeOnlyWithOwnConfirmation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	s := sqldb.NewsletterStore{DB: db}

	first := newsletter.Record{EmailIndex: "index-alice", EmailSealed: "v1.1.alice", NameSealed: "v1.1.name-alice",
		Status: newsletter.Pending, ConsentSource: "form:footer", ConsentTextHash: "hash-1",
		CreatedAt: t0, ConfirmationSentAt: t0, UpdatedAt: t0}
	id, err := s.SaveSignup(ctx, first, "subscribed", confirmationMail(t0))
	if err != nil {
		t.Fatal(err)
	}

	// A pending row takes a later sign-up's details (the guard is only for confirmed).
	again, err := s.SubscriberByIndex(ctx, first.EmailIndex)
	if err != nil {
		t.Fatal(err)
	}
	again.NameSealed, again.ConsentSource, again.ConsentTextHash = "v1.1.name-alice2", "form:page", "hash-2"
	again.ConfirmationSentAt, again.UpdatedAt = t0.Add(time.Minute), t0.Add(time.Minute)
	if _, err := s.SaveSignup(ctx, again, "subscribed", confirmationMail(again.UpdatedAt)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SubscriberByID(ctx, id); err != nil || got.NameSealed != "v1.1.name-alice2" ||
		got.ConsentSource != "form:page" || got.ConsentTextHash != "hash-2" || got.Status != newsletter.Pending {
		t.Fatalf("pending subscriber after a later sign-up = %+v, %v", got, err)
	}

	// The interleaving: a sign-up reads the row (pending) ...
	stale, err := s.SubscriberByIndex(ctx, first.EmailIndex)
	if err != nil {
		t.Fatal(err)
	}
	// ... the subscriber confirms with the link of the first sign-up ...
	confirmedAt := t0.Add(2 * time.Minute)
	details := newsletter.SignupDetails{NameSealed: first.NameSealed, ConsentSource: first.ConsentSource, ConsentTextHash: first.ConsentTextHash}
	if err := s.Confirm(ctx, id, nil, &details, t0, confirmedAt); err != nil {
		t.Fatal(err)
	}
	// ... and the sign-up writes back what it decided from the pending row it read.
	signedUp := t0.Add(3 * time.Minute)
	stale.NameSealed, stale.ConsentSource, stale.ConsentTextHash = "v1.1.name-mallory", "form:mallory", "hash-3"
	stale.ConfirmationSentAt, stale.UpdatedAt = signedUp, signedUp
	if _, err := s.SaveSignup(ctx, stale, "subscribed", confirmationMail(signedUp)); err != nil {
		t.Fatal(err)
	}

	got, err := s.SubscriberByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != newsletter.Confirmed || !got.ConfirmedAt.Equal(confirmedAt) {
		t.Errorf("status = %q confirmed at %v; want %q at %v", got.Status, got.ConfirmedAt, newsletter.Confirmed, confirmedAt)
	}
	if got.NameSealed != details.NameSealed || got.ConsentSource != details.ConsentSource || got.ConsentTextHash != details.ConsentTextHash {
		t.Errorf("name, consent = %q, %q, %q; want the confirmed %q, %q, %q", got.NameSealed, got.ConsentSource,
			got.ConsentTextHash, details.NameSealed, details.ConsentSource, details.ConsentTextHash)
	}
	if !got.ConfirmationSentAt.Equal(signedUp) || !got.UpdatedAt.Equal(signedUp) {
		t.Errorf("confirmation sent at %v, updated at %v; want both %v", got.ConfirmationSentAt, got.UpdatedAt, signedUp)
	}
	if n := queuedFor(t, db, id); n != 3 {
		t.Errorf("%d confirmation mails queued; want 3 (one per sign-up)", n)
	}
}

package sqldb_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

func signUp(t *testing.T, db *sqldb.DB, who string) int64 {
	t.Helper()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	r := newsletter.Record{EmailIndex: "index-" + who, EmailSealed: "v1.1." + who, NameSealed: "v1.1.name-\u00e9\u202e" + who,
		Status: newsletter.Pending, ConsentSource: "form:footer", ConsentTextHash: "hash-1",
		CreatedAt: at, ConfirmationSentAt: at, UpdatedAt: at}
	id, err := sqldb.NewsletterStore{DB: db}.SaveSignup(context.Background(), r, "subscribed", confirmationMail(at))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Promise (issue 11, backups on both dialects): the rows format copies every table
// into a new, empty database with each table's row count and checksum equal, rows that
// refer to others included, and new rows after the restore get new ids.
func TestExportImportRows(t *testing.T) {
	ctx := context.Background()
	src := dbtest.Open(t)
	var last int64
	for i := range 30 {
		last = signUp(t, src, fmt.Sprint("p", i))
	}
	var buf bytes.Buffer
	want, err := src.ExportRows(ctx, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if want["subscribers"].Rows != 30 || want["mail_outbox"].Rows != 30 {
		t.Fatalf("exported %v", want)
	}
	dst, err := sqldb.Open(ctx, dbtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	got, err := dst.ImportRows(ctx, bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(want, got) {
		t.Fatalf("restored sums differ:\nwant %v\ngot  %v", want, got)
	}
	if id := signUp(t, dst, "after"); id <= last {
		t.Fatalf("a row after the restore took id %d, not past %d", id, last)
	}
	if _, err := dst.ImportRows(ctx, bytes.NewReader(buf.Bytes())); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore into a used database: %v", err)
	}
	damaged := bytes.Replace(buf.Bytes(), []byte("index-p7"), []byte("index-p8"), 1)
	other, err := sqldb.Open(ctx, dbtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ImportRows(ctx, bytes.NewReader(damaged)); err == nil {
		t.Fatal("a damaged backup restored")
	}
}

package privacy_test

import (
	"context"
	"testing"

	"github.com/candor-dev/candor/internal/staff"
)

// BenchmarkEraseOnePersonWith100Records erases one person holding 100 records: a
// subscription, 33 conversations (each a message, a reply and a note), 33 orders
// (half paid, held for the legal retention; half abandoned, erased at once) and 33
// outbox mails. The seeding is outside the timer. Run on PostgreSQL with
// CANDOR_TEST_POSTGRES set (docs/privacy-requests.md has the figures).
func BenchmarkEraseOnePersonWith100Records(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		p := newPerson(1000 + n)
		e.subscriber(b, p)
		for i := range 33 {
			e.conversation(b, p, i)
			e.order(b, p, i, i%2 == 0)
			e.outbox(b, p, i)
		}
		b.StartTimer()
		res, err := e.svc.EraseSubject(ctx, staff.CLI, p.email)
		if err != nil {
			b.Fatal(err)
		}
		if got := res.Counts.Subscriber + res.Counts.Conversations + res.Counts.Orders + res.Counts.Outbox; got != 100 {
			b.Fatalf("erased %d records; want 100", got)
		}
	}
}

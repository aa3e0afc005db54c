package imapin_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/mail/imapin"
	"github.com/candor-dev/candor/internal/testkit/imapd"
)

// memState is a State in memory (sqldb.InboundStore is tested in package sqldb).
type memState struct {
	mu  sync.Mutex
	pos map[string][2]uint32
}

func (s *memState) Position(_ context.Context, src string) (uint32, uint32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pos[src]
	return p[0], p[1], nil
}

func (s *memState) SetPosition(_ context.Context, src string, v, l uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pos == nil {
		s.pos = map[string][2]uint32{}
	}
	s.pos[src] = [2]uint32{v, l}
	return nil
}

// recorder is a Handler that knows the thread ids given, for ana@example.com, and
// records what it receives; stall, when set, is called before each Receive.
type recorder struct {
	known map[string]bool
	fail  error
	stall func(ctx context.Context, m imapin.Message) error
	got   []imapin.Message
}

func (r *recorder) Answers(_ context.Context, refs []string, from string) (bool, error) {
	if from != "ana@example.com" {
		return false, nil
	}
	for _, id := range refs {
		if r.known[id] {
			return true, nil
		}
	}
	return false, nil
}

func (r *recorder) Receive(ctx context.Context, m imapin.Message) error {
	if r.fail != nil {
		return r.fail
	}
	if r.stall != nil {
		if err := r.stall(ctx, m); err != nil {
			return err
		}
	}
	r.got = append(r.got, m)
	return nil
}

func answer(n int, inReplyTo string) []byte {
	h := fmt.Sprintf("From: ana@example.com\r\nTo: %s\r\nSubject: Re: help\r\nMessage-ID: <a%d@example.com>\r\n", imapd.User, n)
	if inReplyTo != "" {
		h += "In-Reply-To: " + inReplyTo + "\r\n"
	}
	return []byte(h + "Content-Type: text/plain\r\n\r\nanswer " + fmt.Sprint(n) + "\r\n")
}

func newPoller(t *testing.T, srv *imapd.Server, u *url.URL, st imapin.State) *imapin.Poller {
	t.Helper()
	return newPollerWithin(t, srv, u, st, 0)
}

func newPollerWithin(t *testing.T, srv *imapd.Server, u *url.URL, st imapin.State, timeout time.Duration) *imapin.Poller {
	t.Helper()
	p, err := imapin.NewPoller(imapin.Options{URL: u, TLSConfig: srv.TLS(), Timeout: timeout}, st)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A poll reads each mail once, downloads only those that answer a known thread, leaves
// the mailbox as it was (nothing marked read), and reads again from where a storage
// failure stopped it.
func TestPollReadsEachAnswerOnce(t *testing.T) {
	srv := imapd.Start(t)
	st := &memState{}
	p := newPoller(t, srv, srv.URL(), st)
	h := &recorder{known: map[string]bool{"<reply@vendor.example>": true}}
	ctx := context.Background()

	srv.Deliver(answer(1, "<reply@vendor.example>"), answer(2, ""), answer(3, "<other@elsewhere.example>"))
	stats, err := p.Poll(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if stats != (imapin.Stats{Read: 3, Candidate: 1, Received: 1}) || len(h.got) != 1 || h.got[0].Text != "answer 1" {
		t.Fatalf("first poll: %+v, got %+v", stats, h.got)
	}
	if srv.Seen() {
		t.Fatal("the poll marked mails as read: Candor must leave the mailbox as it was")
	}
	if stats, err := p.Poll(ctx, h); err != nil || stats.Read != 0 {
		t.Fatalf("second poll: %+v, %v; want nothing read again", stats, err)
	}

	srv.Deliver(answer(4, "<reply@vendor.example>"))
	h.fail = errors.New("database down")
	if _, err := p.Poll(ctx, h); err == nil {
		t.Fatal("a failing handler: no error")
	}
	h.fail = nil
	if stats, err := p.Poll(ctx, h); err != nil || stats.Received != 1 || h.got[len(h.got)-1].Text != "answer 4" {
		t.Fatalf("after the failure: %+v, %v; want the answer read again", stats, err)
	}
}

// UIDs need not be dense: a run of deleted mails longer than a batch is stepped over.
func TestPollStepsOverGaps(t *testing.T) {
	srv := imapd.Start(t)
	mails := make([][]byte, 260)
	for i := range mails {
		mails[i] = answer(i, "<reply@vendor.example>")
	}
	uids := srv.Deliver(mails...)
	srv.Delete(uids[1], uids[258]) // 258 deleted: only the first and the last are left
	h := &recorder{known: map[string]bool{"<reply@vendor.example>": true}}
	stats, err := newPoller(t, srv, srv.URL(), &memState{}).Poll(context.Background(), h)
	if err != nil || stats.Received != 2 || h.got[1].Text != "answer 259" {
		t.Fatalf("%+v, %v, %d received; want the first and the last", stats, err, len(h.got))
	}
}

// A refused sign-in is an error that names the mailbox, never the password; a URL that
// is not imap(s) with a user is refused before any connection.
func TestPollErrors(t *testing.T) {
	srv := imapd.Start(t)
	u := srv.URL()
	u.User = url.UserPassword(imapd.User, "wrong-password-123")
	_, err := newPoller(t, srv, u, &memState{}).Poll(context.Background(), &recorder{})
	if err == nil || !strings.Contains(err.Error(), "sign-in refused") || strings.Contains(err.Error(), "wrong-password-123") {
		t.Fatalf("wrong password: %v", err)
	}
	for _, bad := range []string{"http://u:p@host/INBOX", "imaps://host/INBOX", "imaps://u:p@/INBOX"} {
		u, _ := url.Parse(bad)
		if _, err := imapin.NewPoller(imapin.Options{URL: u}, &memState{}); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// A poll that runs out of time keeps what it did: the next one goes on after the last
// mail taken, so a slow batch can never hold the mailbox up for good, and no mail is
// taken twice.
func TestPollKeepsItsProgressWhenItRunsOutOfTime(t *testing.T) {
	srv := imapd.Start(t)
	mails := make([][]byte, 10)
	for i := range mails {
		mails[i] = answer(i, "<reply@vendor.example>")
	}
	uids := srv.Deliver(mails...)
	st := &memState{}
	p := newPollerWithin(t, srv, srv.URL(), st, 2*time.Second)
	h := &recorder{known: map[string]bool{"<reply@vendor.example>": true}}
	h.stall = func(ctx context.Context, m imapin.Message) error {
		if m.Text == "answer 3" { // the handler hangs on the fourth mail until the poll's time is up
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}
	if _, err := p.Poll(context.Background(), h); err == nil {
		t.Fatal("a poll that ran out of time: no error")
	}
	var last uint32
	for _, pos := range st.pos {
		last = pos[1]
	}
	if len(st.pos) != 1 || last != uint32(uids[2]) {
		t.Fatalf("positions after the timeout: %v; want UID %d, the last mail taken", st.pos, uids[2])
	}
	h.stall = nil
	if _, err := p.Poll(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, m := range h.got {
		texts = append(texts, m.Text)
	}
	if len(h.got) != 10 || strings.Count(strings.Join(texts, ","), "answer 3") != 1 {
		t.Fatalf("received %q; want each of the 10 answers once", texts)
	}
}

// Only mails from the conversation's person are downloaded, and automatic replies (out
// of office) from them are not taken.
func TestPollTakesNoStrangersOrAutomaticReplies(t *testing.T) {
	srv := imapd.Start(t)
	stranger := strings.Replace(string(answer(1, "<reply@vendor.example>")), "From: ana@example.com", "From: mallory@example.net", 1)
	auto := strings.Replace(string(answer(2, "<reply@vendor.example>")), "Subject:", "Auto-Submitted: auto-replied\r\nSubject:", 1)
	srv.Deliver([]byte(stranger), []byte(auto), answer(3, "<reply@vendor.example>"))
	h := &recorder{known: map[string]bool{"<reply@vendor.example>": true}}
	stats, err := newPoller(t, srv, srv.URL(), &memState{}).Poll(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	if stats != (imapin.Stats{Read: 3, Candidate: 2, Received: 1, Skipped: 1}) || len(h.got) != 1 || h.got[0].Text != "answer 3" {
		t.Fatalf("%+v, got %+v; want the stranger's mail not downloaded, the automatic reply skipped", stats, h.got)
	}
}

// A mailbox whose UIDVALIDITY is not the one remembered (recreated, or another mailbox
// under the same name) is read again from its start; what was already taken is known
// again downstream (by Message-ID).
func TestPollRereadsAMailboxWithAnotherUIDValidity(t *testing.T) {
	srv := imapd.Start(t)
	st := &memState{}
	p := newPoller(t, srv, srv.URL(), st)
	h := &recorder{known: map[string]bool{"<reply@vendor.example>": true}}
	srv.Deliver(answer(1, "<reply@vendor.example>"))
	if _, err := p.Poll(context.Background(), h); err != nil || len(h.got) != 1 {
		t.Fatalf("first poll: %v, %d received", err, len(h.got))
	}
	for src, pos := range st.pos {
		st.pos[src] = [2]uint32{pos[0] + 1, pos[1]} // as if the mailbox had been recreated
	}
	if _, err := p.Poll(context.Background(), h); err != nil || len(h.got) != 2 || h.got[1].Text != "answer 1" {
		t.Fatalf("after a UIDVALIDITY change: %v, %d received; want the mailbox read from its start", err, len(h.got))
	}
}

// imap:// is read over STARTTLS: the same answers as over implicit TLS.
func TestPollOverStartTLS(t *testing.T) {
	srv := imapd.Start(t)
	srv.Deliver(answer(1, "<reply@vendor.example>"))
	h := &recorder{known: map[string]bool{"<reply@vendor.example>": true}}
	stats, err := newPoller(t, srv, srv.StartTLSURL(), &memState{}).Poll(context.Background(), h)
	if err != nil || stats.Received != 1 || h.got[0].Text != "answer 1" {
		t.Fatalf("over STARTTLS: %+v, %v", stats, err)
	}
}

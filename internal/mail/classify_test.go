package mail

import (
	"strings"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		stage    Stage
		code     int
		enhanced string
		want     Class
	}{
		{StageRcpt, 550, "5.1.1", HardBounce},
		{StageRcpt, 550, "5.1.0", HardBounce},
		{StageRcpt, 550, "", HardBounce},
		{StageRcpt, 551, "", HardBounce},
		{StageRcpt, 553, "", HardBounce},
		{StageRcpt, 550, "5.2.1", HardBounce}, // mailbox disabled
		{StageData, 550, "5.1.1", HardBounce}, // refused after DATA
		{StageRcpt, 550, "5.7.1", Permanent},  // policy, not the mailbox
		{StageRcpt, 552, "5.2.2", Permanent},  // mailbox full
		{StageData, 554, "", Permanent},
		{StageData, 552, "5.3.4", Permanent},
		{StageRcpt, 450, "4.2.0", Temporary},
		{StageRcpt, 451, "", Temporary},
		{StageData, 421, "", Temporary},
		{StageRcpt, 0, "", Temporary},        // no reply: network
		{StageMail, 550, "5.7.1", Temporary}, // our sender refused: configuration, not the recipient
		{StageMail, 553, "", Temporary},
		{StageConnect, 535, "5.7.8", Temporary}, // AUTH failed
		{StageCompose, 0, "", Permanent},
	} {
		if got := Classify(tc.stage, tc.code, tc.enhanced); got != tc.want {
			t.Errorf("Classify(%s, %d, %q) = %s; want %s", tc.stage, tc.code, tc.enhanced, got, tc.want)
		}
	}
}

func TestParseEnhanced(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"5.1.1 <ann@example.test>: Recipient address rejected": "5.1.1",
		"5.1.10 null MX":         "5.1.10",
		"  5.7.1 go away":        "5.7.1",
		"5.1.1":                  "5.1.1",
		"4.2.0 try later":        "", // class disagrees with a 5xx code
		"Requested action 5.1.1": "",
		"5.1 short":              "",
		"5.1.1234 long":          "",
		"x.1.1 letters":          "",
		"":                       "",
	} {
		if got := ParseEnhanced(550, text); got != want {
			t.Errorf("ParseEnhanced(550, %q) = %q; want %q", text, got, want)
		}
	}
}

// FuzzParseEnhanced: any server text yields either "" or a well-formed code whose class
// matches the reply code, and never anything beyond the first word.
func FuzzParseEnhanced(f *testing.F) {
	f.Add(550, "5.1.1 <a@b> unknown")
	f.Add(451, "4.3.0 later")
	f.Add(250, "2.0.0 ok")
	f.Add(0, "5.5.5")
	f.Fuzz(func(t *testing.T, code int, text string) {
		got := ParseEnhanced(code, text)
		if got == "" {
			return
		}
		parts := strings.Split(got, ".")
		if len(parts) != 3 || strings.ContainsAny(got, " \t\r\n<>@") || !strings.Contains("245", parts[0]) {
			t.Fatalf("ParseEnhanced(%d, %q) = %q", code, text, got)
		}
		if code != 0 && code/100 != int(parts[0][0]-'0') {
			t.Fatalf("class of %q disagrees with %d", got, code)
		}
		_ = Classify(StageRcpt, code, got)
	})
}

func TestSendErrorNeverQuotesTheServer(t *testing.T) {
	t.Parallel()
	e := &SendError{Stage: StageRcpt, Code: 550, Enhanced: "5.1.1"}
	if got := e.Error(); got != "rcpt 550 5.1.1 hard_bounce" {
		t.Fatalf("Error() = %q", got)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	base, max := time.Minute, time.Hour
	for attempt, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute} {
		for range 50 {
			if d := Backoff(attempt, base, max); d < want/2 || d > want {
				t.Fatalf("Backoff(%d) = %s; want within [%s, %s]", attempt, d, want/2, want)
			}
		}
	}
	if d := Backoff(40, base, max); d < max/2 || d > max {
		t.Fatalf("Backoff(40) = %s; want capped at %s", d, max)
	}
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[Backoff(3, base, max)] = true
	}
	if len(seen) < 10 {
		t.Fatalf("Backoff has no jitter: %v", seen)
	}
}

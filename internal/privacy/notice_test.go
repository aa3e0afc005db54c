package privacy_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/privacy"
)

func facts(orderRetention string) privacy.NoticeFacts {
	return privacy.Notice(privacy.NoticeInput{Vendor: "Northwind", Outside: []string{"none"},
		Settings: map[string]string{"order-retention": orderRetention, "payment": "test", "stats-k": "5", "stats-respect-dnt": "true"}})
}

// Promise (issue 10 §2, "when the text last changed"): the version is the hash of the
// generated facts; a restart with the same facts keeps the old date, a changed fact gives
// a new version with the day of the change, and the file holding them is private (0600).
func TestNoticeVersionSurvivesRestarts(t *testing.T) {
	file := privacy.VersionFileIn(t.TempDir())
	day1 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	first, err := privacy.Publish(facts("87600h0m0s"), "", file, day1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Changed.Format(time.DateOnly) != "2026-03-01" || len(first.Version) != 64 {
		t.Fatalf("first publication: %q on %v", first.Version, first.Changed)
	}
	if st, err := os.Stat(file.Path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("version file: %v, %v; want mode 0600", st, err)
	}
	// A restart months later with the same configuration (and a new intro: not part of
	// the generated facts) keeps the version and its date.
	again, err := privacy.Publish(facts("87600h0m0s"), "new words", file, day1.AddDate(0, 4, 0))
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != first.Version || !again.Changed.Equal(first.Changed) {
		t.Fatalf("restart with the same facts: %q %v; want %q %v", again.Version, again.Changed, first.Version, first.Changed)
	}
	// A changed fact: a new version, dated the day of the restart that brought it.
	changed, err := privacy.Publish(facts("43800h0m0s"), "", file, day1.AddDate(0, 5, 0))
	if err != nil {
		t.Fatal(err)
	}
	if changed.Version == first.Version || changed.Changed.Format(time.DateOnly) != "2026-08-01" {
		t.Fatalf("after a change: %q on %v", changed.Version, changed.Changed)
	}
	// And it stays with the new date on the next restart.
	next, err := privacy.Publish(facts("43800h0m0s"), "", file, day1.AddDate(1, 0, 0))
	if err != nil || next.Changed.Format(time.DateOnly) != "2026-08-01" {
		t.Fatalf("restart after the change: %v, %v", next.Changed, err)
	}
}

// A corrupt version file is an error that names it, not a silent new date.
func TestNoticeVersionFileCorrupt(t *testing.T) {
	file := privacy.VersionFile{Path: filepath.Join(t.TempDir(), "privacy-notice.json")}
	if err := os.WriteFile(file.Path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := privacy.Publish(facts("87600h0m0s"), "", file, time.Now()); err == nil {
		t.Fatal("a corrupt version file was accepted")
	}
}

// The facts name configured periods in words, from the settings' effective values.
func TestNoticePeriods(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "kept", 87600 * time.Hour: "10 years", 720 * time.Hour: "30 days",
		24 * time.Hour: "1 day", 3 * time.Hour: "3 hours", 30 * time.Minute: "30 minutes"} {
		if got := privacy.Period(d); got != want {
			t.Errorf("Period(%v) = %q; want %q", d, got, want)
		}
	}
	f := facts("43800h0m0s")
	for _, p := range f.Retention {
		if p.Rule == privacy.RuleOrder && p.Period != "5 years" {
			t.Errorf("order retention %q; want the configured 5 years", p.Period)
		}
	}
	if len(f.Forms) != 4 || f.Forms[2].Path != "/buy" || len(f.Forms[2].SeenBy) == 0 || len(f.Forms[2].Collects) == 0 {
		t.Errorf("forms: %+v", f.Forms)
	}
}

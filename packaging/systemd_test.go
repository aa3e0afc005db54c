package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// systemdAnalyze returns the path of systemd-analyze, skipping the test where it is
// missing outside CI (CI installs Debian's systemd, so there a missing one fails).
func systemdAnalyze(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("systemd-analyze is missing (Debian's systemd package)")
		}
		t.Skip("systemd-analyze not installed")
	}
	return path
}

// unitForCheck copies the shipped unit to a temporary directory with ExecStart pointing
// at an executable that exists here (verify checks the binary).
func unitForCheck(t *testing.T) string {
	t.Helper()
	unit, err := os.ReadFile(filepath.Join("systemd", "candor.service"))
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(unit), "ExecStart=/usr/local/bin/candor", "ExecStart="+self, 1)
	path := filepath.Join(t.TempDir(), "candor.service")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The unit parses without a single warning: systemd-analyze verify exits 0 even for
// unknown keys and bad values, so any output is a failure.
func TestSystemdUnitVerifies(t *testing.T) {
	out, err := exec.Command(systemdAnalyze(t), "verify", unitForCheck(t)).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// Promise: personal data stays on the vendor's computers and is seen only by authorized
// staff: the service runs as its own user with a private state directory, keys from a
// credential outside it, no core dumps, and systemd rates its exposure low.
func TestSystemdUnitIsHardened(t *testing.T) {
	unit, err := os.ReadFile(filepath.Join("systemd", "candor.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "LimitCORE=0",
		"StateDirectory=candor", "StateDirectoryMode=0700", "UMask=0077",
		"LoadCredential=keys:/etc/candor/keys", "Environment=CANDOR_KEYS_FILE=%d/keys", "CapabilityBoundingSet=",
	} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(line) + `$`).Match(unit) {
			t.Errorf("the unit lacks %q", line)
		}
	}
	out, err := exec.Command(systemdAnalyze(t), "security", "--offline=yes", "--no-pager", unitForCheck(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for candor\.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2.0 {
		t.Errorf("systemd rates the unit's exposure %.1f, want at most 2.0 (OK)", level)
	}
}

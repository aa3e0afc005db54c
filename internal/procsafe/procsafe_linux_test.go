//go:build linux

package procsafe

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// childEnv marks the re-executed test binary that may call DisableCoreDumps: its
// effects cannot be undone, so the test process itself never calls it.
const childEnv = "PROCSAFE_TEST_CHILD"

// childOK is printed by the child after every check passed.
const childOK = "procsafe-child: core dumps disabled"

func TestDisableCoreDumps(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		checkInChild(t)
		return
	}
	before := state(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestDisableCoreDumps$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), childOK) {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if after := state(t); after != before {
		t.Errorf("the test process itself changed: %+v, then %+v", before, after)
	}
}

// checkInChild disables core dumps, twice, and reads the result back three ways: the
// limit, the dumpable flag, and the kernel's /proc/self/limits.
func checkInChild(t *testing.T) {
	for range 2 {
		if err := DisableCoreDumps(); err != nil {
			t.Fatalf("DisableCoreDumps: %v", err)
		}
	}
	s := state(t)
	if s.cur != 0 || s.max != 0 || s.dumpable != 0 {
		t.Fatalf("after DisableCoreDumps: %+v, want all zero", s)
	}
	limits, err := os.ReadFile("/proc/self/limits")
	if err != nil {
		t.Fatal(err)
	}
	if f := fieldsOf(string(limits), "Max core file size"); len(f) < 2 || f[0] != "0" || f[1] != "0" {
		t.Fatalf("/proc/self/limits: core file size %v, want 0 0", f)
	}
	// /proc/self/status has no dumpable field, but reading it must still work for the
	// process itself (a not-dumpable process keeps access to its own /proc entries).
	status, err := os.ReadFile("/proc/self/status")
	if err != nil || !strings.Contains(string(status), "Pid:") {
		t.Fatalf("/proc/self/status after PR_SET_DUMPABLE 0: %v", err)
	}
	t.Log(childOK)
}

// coreState is what DisableCoreDumps changes.
type coreState struct {
	cur, max uint64
	dumpable int
}

func state(t *testing.T) coreState {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_CORE, &lim); err != nil {
		t.Fatal(err)
	}
	d, err := dumpable()
	if err != nil {
		t.Fatal(err)
	}
	return coreState{cur: uint64(lim.Cur), max: uint64(lim.Max), dumpable: d}
}

// fieldsOf returns the values after the label of the line of /proc/self/limits that
// begins with label.
func fieldsOf(text, label string) []string {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, label); ok {
			return strings.Fields(rest)
		}
	}
	return nil
}

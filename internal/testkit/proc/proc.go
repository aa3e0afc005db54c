package proc

import (
	"bytes"
	"fmt"
	"go/build"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Binary finds an executable: on PATH, or in $(go env GOPATH)/bin, where
// scripts/test.sh installs the test programs. It returns "" when there is none.
func Binary(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = build.Default.GOPATH
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Require returns the program's path, or skips the test when it is missing — fails it
// instead when CI is set or requireEnv is "1". install says how to get it.
func Require(t testing.TB, name, requireEnv, install string) string {
	t.Helper()
	bin := Binary(name)
	if bin == "" {
		if os.Getenv("CI") != "" || (requireEnv != "" && os.Getenv(requireEnv) == "1") {
			t.Fatalf("%s not found: %s", name, install)
		}
		t.Skipf("%s not found (%s); skipping", name, install)
	}
	return bin
}

// FreePort returns a port that was free on 127.0.0.1 a moment ago.
func FreePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// Start runs bin until the test ends. Each of up to five tries calls setup for fresh
// arguments (its ports may have been taken since FreePort chose them) and a readiness
// check, starts the program and polls ready every 50 ms until it answers, the program
// exits or timeout passes.
func Start(t testing.TB, bin string, timeout time.Duration, setup func() (args []string, ready func() bool)) {
	t.Helper()
	name := filepath.Base(bin)
	var lastErr error
	for range 5 {
		args, ready := setup()
		var logs bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if lastErr = waitReady(exited, ready, timeout); lastErr == nil {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
			})
			return
		}
		_ = cmd.Process.Kill()
		<-exited
		lastErr = fmt.Errorf("%w; %s said: %s", lastErr, name, strings.TrimSpace(logs.String()))
	}
	t.Fatalf("%s did not start: %v", name, lastErr)
}

func waitReady(exited chan error, ready func() bool, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("exited: %v", err)
		default:
		}
		if ready() {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %v", timeout)
}

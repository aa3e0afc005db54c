package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is the release; the VCS revision is appended from the build info.
const version = "0.1.0"

// Version returns the release and, when built from a checkout, the commit.
func Version() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

// runVersion is `candor version`.
func runVersion(ctx context.Context, inv *invocation) error {
	if err := inv.parse(); err != nil {
		return err
	}
	fmt.Fprintln(inv.env.Stdout, "candor", Version())
	return nil
}

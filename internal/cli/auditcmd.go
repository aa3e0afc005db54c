package cli

import (
	"context"
	"fmt"
)

// runAudit is `candor audit verify`: the audit log's hash chain checked end to end;
// `candor audit privacy` is runAuditPrivacy.
func runAudit(ctx context.Context, inv *invocation) error {
	if len(inv.args) > 0 && inv.args[0] == "privacy" {
		return runAuditPrivacy(ctx, inv)
	}
	a, err := openSubcommand(ctx, inv, "verify", "Checks the audit log's hash chain; exits 1 and names the first entry that does not fit.\n"+
		"candor audit privacy checks every promise of the privacy policy (candor audit privacy --help).")
	if err != nil {
		return err
	}
	defer a.Close()
	n, problem, err := a.audit.Verify(ctx)
	if err != nil {
		return err
	}
	if problem != nil {
		return fmt.Errorf("audit log tampered: %s", problem)
	}
	fmt.Fprintf(inv.env.Stdout, "audit log intact: %d entries verified\n", n)
	return nil
}

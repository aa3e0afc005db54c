package cli

import (
	"context"
	"errors"
)

// runLicence runs `candor licence verify|public-key` (being written).
func runLicence(ctx context.Context, inv *invocation) error {
	return errors.New("candor licence: not available yet")
}

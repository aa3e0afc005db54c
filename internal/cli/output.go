package cli

import (
	"errors"
	"fmt"

	"github.com/candor-dev/candor/internal/errs"
)

// printable escapes what a terminal would interpret, for values that came from visitors.
func printable(s string) string {
	q := fmt.Sprintf("%q", s)
	return q[1 : len(q)-1]
}

// fieldError turns a refusal by the domain into its public message, naming the argument
// at fault; other errors pass unchanged.
func fieldError(err error, args map[string]string) error {
	var ce *errs.Error
	if !errors.As(err, &ce) || ce.Code == errs.Internal || ce.Public == "" {
		return err
	}
	if arg := args[ce.Field]; arg != "" {
		return fmt.Errorf("%s: %s", arg, ce.Public)
	}
	return errors.New(ce.Public)
}

// Package privacy is the one place in code that says what Candor stores: every column
// of every table (the inventory), whether it can hold personal data, whether it is
// sealed, why it is kept (its purpose), who may see it, how long it is kept (its
// retention rule) and what erasing it means. docs/privacy.md is generated from it and a
// test fails when a column of the real schema, on either dialect, is not declared here
// or a declared one no longer exists (TestEveryColumnIsInTheInventory in sqldb).
//
// The package is a domain package: it imports no database code. The retention job that
// enforces the rules lives in the command line (internal/cli) and the queries in sqldb.
package privacy

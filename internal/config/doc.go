// Package config turns command-line flags and environment variables into one validated
// Config. Every setting has a flag (--name), an environment variable (CANDOR_NAME) and,
// for secrets, a file variant (CANDOR_NAME_FILE) for secret stores. A flag beats the
// environment, which beats the default.
//
// Invariants: a bad setting is an error that names the setting; secrets are redacted in
// every listing (Config.Listing) and never appear in errors.
package config

package cli

import (
	"errors"
	"strings"
	"testing"
)

// candor products add and list: a product with two editions, one priced in two
// currencies; refusals name the option at fault and add nothing.
func TestProductsCommand(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCandor(t, "", "migrate", "--data-dir", dir); err != nil {
		t.Fatal(err)
	}
	out, err := runCandor(t, "", "products", "add", "--data-dir", dir, "--slug", "northwind-pro", "--name", "Northwind Pro", "--version", "4.2",
		"--platform", "Windows", "--platform", "macOS",
		"--edition", "standard:Standard:49.00:EUR", "--edition", "standard:Standard:59:usd", "--edition", "team:Team:199.50:EUR:5:365")
	if err != nil {
		t.Fatalf("products add: %v\n%s", err, out)
	}
	for _, want := range []string{"added product 1: northwind-pro", "edition standard: EUR 49.00, USD 59.00; 1 seat, perpetual", "edition team: EUR 199.50; 5 seats, 365-day term", "/buy/northwind-pro/EDITION"} {
		if !strings.Contains(out, want) {
			t.Errorf("products add printed no %q:\n%s", want, out)
		}
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--slug", "Bad Slug", "--name", "X", "--edition", "a:A:1:EUR"}, "--slug: A slug is"},
		{[]string{"--slug", "northwind-pro", "--name", "Again", "--edition", "a:A:1:EUR"}, "--slug: Another product already has this slug."},
		{[]string{"--slug", "x", "--name", "X", "--edition", "a:A:1.234:EUR"}, "not a price in EUR"},
		{[]string{"--slug", "x", "--name", "X", "--edition", "a:A"}, "SLUG:NAME:PRICE:CURRENCY"},
		{[]string{"--slug", "x", "--name", "X"}, "at least one --edition"},
	} {
		_, err := runCandor(t, "", append([]string{"products", "add", "--data-dir", dir}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("products add %q: %v; want an error with %q", tc.args, err, tc.want)
		}
		if strings.Contains(tc.want, "SLUG:") || strings.Contains(tc.want, "--edition") {
			if !errors.Is(err, errUsage) {
				t.Errorf("products add %q: %v is not a usage error (exit 2)", tc.args, err)
			}
		}
	}

	out, err = runCandor(t, "", "products", "list", "--data-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[1], "northwind-pro") || !strings.Contains(lines[1], "EUR 49.00, USD 59.00") ||
		!strings.Contains(lines[2], "team") || strings.Contains(out, "Again") {
		t.Errorf("products list:\n%s", out)
	}

	help, err := runCandor(t, "", "products", "add", "--help")
	if err != nil || !strings.Contains(help, "SLUG:NAME:PRICE:CURRENCY[:SEATS[:TERMDAYS]]") || !strings.Contains(help, "--platform") {
		t.Errorf("products add --help: %v\n%s", err, help)
	}
}

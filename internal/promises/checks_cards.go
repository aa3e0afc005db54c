package promises

import (
	"context"
	"fmt"
	"slices"

	"github.com/candor-dev/candor/internal/privacy"
)

func checkCards(ctx context.Context, in *Inputs) outcome {
	hits, files, size, err := scanFiles(ctx, in.Files, in.Skip)
	if err != nil {
		return failed(err)
	}
	var details []string
	for _, name := range sortedKeys(hits) {
		details = append(details, fmt.Sprintf("%s: %d card numbers", name, hits[name]))
	}
	what := fmt.Sprintf("%d files (%d bytes)", files, size)
	if in.ReadTables {
		cols, rows, err := tableCards(ctx, in.Data)
		if err != nil {
			return failed(err)
		}
		details = append(details, rows...)
		what += fmt.Sprintf(" and %d text columns of the database", cols)
	}
	if len(details) > 0 {
		return finding(details, "card numbers found in %d places", len(details))
	}
	return ok("no card number in %s", what)
}

// tableCards reads every text and bytes column of every table of the inventory
// through the database (see Inputs.Skip and Inputs.ReadTables).
func tableCards(ctx context.Context, data Data) (int, []string, error) {
	var tables []string
	for _, f := range privacy.Inventory() {
		if !slices.Contains(tables, f.Table) {
			tables = append(tables, f.Table)
		}
	}
	cols, err := data.TextColumns(ctx, tables)
	if err != nil {
		return 0, nil, err
	}
	var details []string
	for _, c := range cols {
		n := 0
		err := data.Values(ctx, c[0], c[1], func(v []byte) error {
			k, _ := CountCards(bytesReader(v))
			n += k
			return nil
		})
		if err != nil {
			return 0, nil, err
		}
		if n > 0 {
			details = append(details, fmt.Sprintf("%s.%s: %d card numbers", c[0], c[1], n))
		}
	}
	return len(cols), details, nil
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Command backup seeds a data directory (and database, -db) for bench/backup.sh: N confirmed subscribers
// (with a campaign's ledger rows) sealed under the directory's own generated keys.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/candor-dev/candor/bench/internal/benchdb"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/testkit/seed"
)

func main() {
	data := flag.String("data", "", "the data directory to create")
	n := flag.Int("n", 100000, "confirmed subscribers")
	dsn := flag.String("db", "", "the database (default: the data directory's SQLite file)")
	flag.Parse()
	if *data == "" {
		log.Fatal("-data is required")
	}
	ctx := context.Background()
	if err := os.MkdirAll(*data, 0o700); err != nil {
		log.Fatal(err)
	}
	if *dsn == "" {
		*dsn = "sqlite:" + filepath.Join(*data, "candor.db")
	}
	db, err := benchdb.Open(ctx, *dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	kr, _, err := pii.LoadOrCreateKeyFile(filepath.Join(*data, "keys"))
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	if _, err := seed.Campaign(ctx, db, pii.NewSealer(kr), *n, 0); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("seeded %d subscribers in %s\n", *n, time.Since(t0).Round(time.Millisecond))
}

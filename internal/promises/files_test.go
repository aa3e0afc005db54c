package promises

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The scan never opens the live SQLite files it is told to skip: closing any
// descriptor of them would drop the POSIX locks SQLite holds in this process, and
// another process could then delete the WAL that serve still writes to (found when a
// `candor stats` run beside `serve` saw none of the hits serve had stored after its
// daily audit). Their content is read through the database instead.
func TestScanSkipsTheLiveDatabaseFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"candor.db", "candor.db-wal", "candor.db-shm", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("card 4111111111111111\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	skip := []string{filepath.Join(dir, "candor.db"), filepath.Join(dir, "candor.db-wal"), filepath.Join(dir, "candor.db-shm"),
		filepath.Join(dir, "candor.db-journal")}
	hits, files, _, err := scanFiles(context.Background(), []string{dir}, skip)
	if err != nil {
		t.Fatal(err)
	}
	if files != 1 || len(hits) != 1 || hits["notes.txt"] != 1 {
		t.Errorf("scanned %d files with hits %v; want only notes.txt, the database's files untouched", files, hits)
	}
}

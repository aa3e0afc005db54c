package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
)

// Suffix ends the name of every backup file the schedule writes.
const Suffix = ".backup.age"

// ToDir writes a backup into dir as candor-YYYYMMDDTHHMMSSZ.backup.age (mode 0600,
// written under a temporary name and renamed when complete), then deletes all but the
// newest keep backups there. It returns the file's path.
func ToDir(ctx context.Context, dir string, now time.Time, keep int, src Source, recipients ...age.Recipient) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "candor-"+now.UTC().Format("20060102T150405Z")+Suffix)
	if err := ToFile(ctx, path, src, recipients...); err != nil {
		return "", err
	}
	return path, prune(dir, keep)
}

// ToFile writes a backup to path (mode 0600), under a temporary name renamed when
// complete, so that a failed backup leaves no partial file.
func ToFile(ctx context.Context, path string, src Source, recipients ...age.Recipient) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".candor-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := Write(ctx, f, src, recipients...); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// prune deletes all but the newest keep backups in dir (their names sort by time).
func prune(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "candor-") && strings.HasSuffix(e.Name(), Suffix) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return fmt.Errorf("deleting an old backup: %w", err)
		}
		names = names[1:]
	}
	return nil
}

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

// Due reports whether a scheduled backup is due in dir at now: true when dir holds no
// backup written in the last every (judged by the time in the file names). A restart
// therefore does not write a backup of its own, so a restart loop cannot push the kept
// backups out one by one.
func Due(dir string, now time.Time, every time.Duration) (bool, error) {
	names, err := backups(dir)
	if err != nil || len(names) == 0 {
		if os.IsNotExist(err) {
			err = nil
		}
		return err == nil, err
	}
	stamp := strings.TrimSuffix(strings.TrimPrefix(names[len(names)-1], "candor-"), Suffix)
	at, err := time.Parse("20060102T150405Z", stamp)
	if err != nil {
		return true, nil // a name we did not write: judge by the others next time
	}
	return !now.Before(at.Add(every)), nil
}

// backups lists the names of the backups the schedule wrote in dir, oldest first (their
// names sort by time).
func backups(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "candor-") && strings.HasSuffix(e.Name(), Suffix) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// prune deletes all but the newest keep backups in dir.
func prune(dir string, keep int) error {
	names, err := backups(dir)
	if err != nil {
		return err
	}
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return fmt.Errorf("deleting an old backup: %w", err)
		}
		names = names[1:]
	}
	return nil
}

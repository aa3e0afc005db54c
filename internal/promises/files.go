package promises

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// minCardFile is the smallest file that can hold a card number.
const minCardFile = 13

// scanFiles counts card numbers in every regular file under the roots (a root may be
// a file), streaming each: symbolic links are not followed, files under 13 bytes,
// age-encrypted backups (.age) and the files in skip (see Inputs.Skip: never opened)
// are skipped, .gz files are read decompressed. It returns the hits per file, named
// relative to the first root when inside it, and how many files and bytes it read.
func scanFiles(ctx context.Context, roots, skip []string) (hits map[string]int, files int, size int64, err error) {
	hits = map[string]int{}
	seen := map[string]bool{}
	for _, s := range skip {
		if abs, err := filepath.Abs(s); err == nil {
			seen[abs] = true
		}
	}
	for _, root := range roots {
		werr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil // a WAL or journal that is not there now
				}
				return err
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !d.Type().IsRegular() || seen[path] || strings.HasSuffix(path, ".age") {
				return nil
			}
			seen[path] = true
			info, err := d.Info()
			if err != nil || info.Size() < minCardFile {
				return nil
			}
			n, err := scanFile(path)
			if err != nil {
				return fmt.Errorf("%s: %w", display(roots[0], path), errors.Unwrap(err))
			}
			files++
			size += info.Size()
			if n > 0 {
				hits[display(roots[0], path)] += n
			}
			return nil
		})
		if werr != nil {
			return hits, files, size, werr
		}
	}
	return hits, files, size, nil
}

func scanFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		if zr, err := gzip.NewReader(f); err == nil {
			defer zr.Close()
			r = zr
		} else if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
	}
	n, err := CountCards(r)
	if err != nil {
		return n, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return n, nil
}

// display names a file relative to the data directory, or by its base name elsewhere.
func display(dataDir, path string) string {
	if rel, err := filepath.Rel(dataDir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.Base(path)
}

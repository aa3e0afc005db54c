package privacy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Published is the privacy notice as served: the generated facts, their version, the
// day that version first appeared, and the vendor's own words.
type Published struct {
	Facts   NoticeFacts
	Version string    // Hash of Facts
	Changed time.Time // the UTC day the generated part last changed
	Intro   string    // the vendor's Markdown (--privacy-intro); "" for none
}

// Hash is the version of the generated part: the hex SHA-256 of the facts' canonical
// JSON (encoding/json writes a struct's fields in declaration order, so equal facts give
// equal bytes).
func (f NoticeFacts) Hash() string {
	b, err := json.Marshal(f)
	if err != nil { // plain strings, numbers and slices: cannot happen
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// VersionFile keeps the notice's latest version and the day it changed, so that a
// restart with the same facts keeps the old date. It is a file in the data directory,
// not a table: the facts come from this process's configuration, not from the database,
// and a file needs no migration on either dialect.
type VersionFile struct{ Path string }

// VersionFileIn is the version file of a data directory.
func VersionFileIn(dataDir string) VersionFile {
	return VersionFile{Path: filepath.Join(dataDir, "privacy-notice.json")}
}

// stamp is the file's content.
type stamp struct {
	Version string `json:"version"`
	Changed string `json:"changed"` // YYYY-MM-DD, UTC
}

// Publish versions facts: the date of the file is kept when its version is the facts'
// hash; otherwise today (now, UTC) becomes the date and the file is rewritten (mode 0600).
func Publish(facts NoticeFacts, intro string, file VersionFile, now time.Time) (Published, error) {
	p := Published{Facts: facts, Version: facts.Hash(), Intro: intro}
	var old stamp
	b, err := os.ReadFile(file.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return Published{}, fmt.Errorf("privacy notice version: %w", err)
	default:
		if err := json.Unmarshal(b, &old); err != nil {
			return Published{}, fmt.Errorf("privacy notice version %s: %w", file.Path, err)
		}
	}
	if day, err := time.Parse(time.DateOnly, old.Changed); err == nil && old.Version == p.Version {
		p.Changed = day
		return p, nil
	}
	p.Changed = now.UTC().Truncate(24 * time.Hour)
	b, err = json.Marshal(stamp{Version: p.Version, Changed: p.Changed.Format(time.DateOnly)})
	if err != nil {
		return Published{}, err
	}
	tmp := file.Path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return Published{}, fmt.Errorf("privacy notice version: %w", err)
	}
	if err := os.Rename(tmp, file.Path); err != nil {
		return Published{}, fmt.Errorf("privacy notice version: %w", err)
	}
	return p, nil
}

package audit

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A keyed head: the head row holds the last entry's hash and a MAC over the head's seq
// and that hash, so a head that fits a shortened log cannot be written without the key.
// A checkpoint: the same keyed head, kept outside the database (a file in the data
// directory, rewritten after every entry; and a line in the log stream at most once a
// minute), so that a rollback of the whole database is found too, as far as the
// checkpoint is newer than the copy put back.

// headMAC is the keyed head of a log whose last entry is seq with hash.
func (l *Log) headMAC(seq int64, hash string) string {
	return l.mac("audit-head", strconv.FormatInt(seq, 10)+"\x00"+hash)
}

// keyedHead is what the head row stores: the hash and the head MAC, space-separated.
func (l *Log) keyedHead(seq int64, hash string) string {
	return hash + " " + l.headMAC(seq, hash)
}

// splitHead returns the hash and MAC of a stored head (mac "" for an unkeyed one).
func splitHead(stored string) (hash, mac string) {
	hash, mac, _ = strings.Cut(stored, " ")
	return hash, mac
}

// checkpoint is the latest keyed head kept outside the database.
type checkpoint struct {
	turn    sync.Mutex // held by Record from the append to the note (entries noted in order)
	mu      sync.Mutex
	path    string
	log     *slog.Logger
	seq     int64 // the newest seq written (or read at start)
	logged  time.Time
	loadErr error
}

// SetCheckpoint keeps the latest keyed head in the file at path as well, rewritten
// after every entry (a small write and a rename, no fsync: the database's own commit
// is the durable one), and, when logger is non-nil, logs it at most once a minute.
// Verify then reports entries missing from the database that the checkpoint knew. A
// checkpoint ahead of the log is never overwritten by a shorter log: delete the file
// to accept a database put back on purpose.
func (l *Log) SetCheckpoint(path string, logger *slog.Logger) {
	cp := &checkpoint{path: path, log: logger}
	if seq, _, _, err := readCheckpoint(path); err == nil {
		cp.seq = seq
	} else if !os.IsNotExist(err) {
		cp.loadErr = err
	}
	l.cp = cp
}

// note records seq and hash as the checkpoint, unless it is not newer.
func (l *Log) note(seq int64, hash string) {
	cp := l.cp
	if cp == nil {
		return
	}
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if seq <= cp.seq {
		if cp.log != nil {
			cp.log.Error("audit: the log is behind its checkpoint; run candor audit verify", "entry", seq, "checkpoint", cp.seq)
		}
		return
	}
	mac := l.headMAC(seq, hash)
	line := fmt.Sprintf("%d %s %s\n", seq, hash, mac)
	tmp := cp.path + ".tmp"
	err := os.WriteFile(tmp, []byte(line), 0o600)
	if err == nil {
		err = os.Rename(tmp, cp.path)
	}
	if err != nil {
		if cp.log != nil {
			cp.log.Error("audit: cannot write the checkpoint", "file", filepath.Base(cp.path), "err", err)
		}
		return
	}
	cp.seq = seq
	if cp.log != nil && l.now().Sub(cp.logged) >= time.Minute {
		cp.logged = l.now()
		cp.log.Info("audit checkpoint", "entry", seq, "head_mac", mac)
	}
}

// readCheckpoint reads a checkpoint file: seq, hash and head MAC.
func readCheckpoint(path string) (int64, string, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, "", "", err
	}
	f := strings.Fields(string(b))
	if len(f) != 3 {
		return 0, "", "", fmt.Errorf("audit: the checkpoint %s is malformed", path)
	}
	seq, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, "", "", fmt.Errorf("audit: the checkpoint %s is malformed", path)
	}
	return seq, f[1], f[2], nil
}

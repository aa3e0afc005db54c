package pii

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// KeySize is the length in bytes of every key in a Keyring.
const KeySize = 32

// maxKeyID bounds seal key ids so that they fit any integer column and any int.
const maxKeyID = math.MaxInt32

// keyFileHeader opens the text written by Keyring.Text.
const keyFileHeader = `# Candor data keys: keep secret (mode 0600). Lines: "index <base64 32 bytes>" once, ` +
	`"seal <id> <base64 32 bytes>" one or more; the highest id seals new data.`

// Keyring holds the index key and the seal keys. Build one with ParseKeyring or
// GenerateKeyring; the zero value is empty and not usable by NewSealer. A Keyring is
// not safe for concurrent mutation (AddSealKey).
type Keyring struct {
	index []byte
	seals []sealKey // sorted by id, ascending
}

// sealKey is one seal key and its id.
type sealKey struct {
	id  int
	key []byte
}

// ParseKeyring reads the key file format: blank lines and lines starting with '#' are
// ignored; "index <base64>" must appear once and "seal <id> <base64>" at least once,
// with distinct positive ids and 32-byte keys in standard padded base64. Errors name
// the line number and never repeat the text of the line.
func ParseKeyring(text string) (*Keyring, error) {
	kr := &Keyring{}
	indexLine := 0
	seen := map[string]int{} // key bytes -> line, to refuse a key used twice
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		var b64 string
		id := 0
		switch {
		case f[0] == "index" && len(f) == 2:
			if indexLine != 0 {
				return nil, fmt.Errorf("pii: key line %d: second index key (first on line %d)", n, indexLine)
			}
			indexLine, b64 = n, f[1]
		case f[0] == "seal" && len(f) == 3:
			var ok bool
			if id, ok = parseKeyID(f[1]); !ok {
				return nil, fmt.Errorf("pii: key line %d: seal key id must be a positive integer up to %d, without leading zeros", n, maxKeyID)
			}
			if kr.hasID(id) {
				return nil, fmt.Errorf("pii: key line %d: duplicate seal key id %d", n, id)
			}
			b64 = f[2]
		case f[0] == "index" || f[0] == "seal":
			return nil, fmt.Errorf(`pii: key line %d: wrong number of fields (want "index <key>" or "seal <id> <key>")`, n)
		default:
			return nil, fmt.Errorf(`pii: key line %d: unknown entry (want "index <key>" or "seal <id> <key>")`, n)
		}
		key, err := decodeKey(b64)
		if err != nil {
			return nil, fmt.Errorf("pii: key line %d: %w", n, err)
		}
		if first, dup := seen[string(key)]; dup {
			return nil, fmt.Errorf("pii: key line %d: same key as line %d; every key must be distinct", n, first)
		}
		seen[string(key)] = n
		if id == 0 {
			kr.index = key
		} else {
			kr.seals = append(kr.seals, sealKey{id: id, key: key})
		}
	}
	if indexLine == 0 {
		return nil, errors.New(`pii: keys: no "index <key>" line`)
	}
	if len(kr.seals) == 0 {
		return nil, errors.New(`pii: keys: no "seal <id> <key>" line`)
	}
	slices.SortFunc(kr.seals, func(a, b sealKey) int { return a.id - b.id })
	return kr, nil
}

// decodeKey decodes one key; its errors never contain the input.
func decodeKey(b64 string) ([]byte, error) {
	key, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, errors.New("key is not valid standard base64 (with = padding)")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	return key, nil
}

// parseKeyID accepts a decimal integer in 1..maxKeyID written without sign or
// leading zeros, so that every id has exactly one spelling.
func parseKeyID(s string) (int, bool) {
	if s == "" || len(s) > 10 || s[0] == '0' {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > maxKeyID {
		return 0, false
	}
	return int(n), true
}

// GenerateKeyring returns a new Keyring with a random index key and one random seal
// key with id 1.
func GenerateKeyring() (*Keyring, error) {
	index, err := randomKey()
	if err != nil {
		return nil, err
	}
	kr := &Keyring{index: index}
	if _, err := kr.AddSealKey(); err != nil {
		return nil, err
	}
	return kr, nil
}

// randomKey returns KeySize bytes from crypto/rand.
func randomKey() ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("pii: reading random key: %w", err)
	}
	return key, nil
}

// AddSealKey adds a random seal key with id one more than the highest id, which
// makes it the key that seals new data, and returns that id. Save the ring (Text,
// WriteKeyFile) and deploy it to every instance before relying on the new key.
func (kr *Keyring) AddSealKey() (id int, err error) {
	id = kr.NewestID() + 1
	if id > maxKeyID {
		return 0, fmt.Errorf("pii: seal key ids exhausted (highest is %d)", maxKeyID)
	}
	key, err := randomKey()
	if err != nil {
		return 0, err
	}
	kr.seals = append(kr.seals, sealKey{id: id, key: key})
	return id, nil
}

// NewestID returns the id of the seal key that seals new data, or 0 for an empty
// Keyring.
func (kr *Keyring) NewestID() int {
	if len(kr.seals) == 0 {
		return 0
	}
	return kr.seals[len(kr.seals)-1].id
}

// IDs returns the ids of all seal keys in ascending order, as a new slice.
func (kr *Keyring) IDs() []int {
	ids := make([]int, len(kr.seals))
	for i, k := range kr.seals {
		ids[i] = k.id
	}
	return ids
}

// Text returns the Keyring in the key file format, header comment first and seal
// keys in ascending id order. The result is key material: write it only to a file
// of mode 0600 (WriteKeyFile) or a secret store.
func (kr *Keyring) Text() string {
	var b strings.Builder
	b.WriteString(keyFileHeader + "\n")
	b.WriteString("index " + base64.StdEncoding.EncodeToString(kr.index) + "\n")
	for _, k := range kr.seals {
		b.WriteString("seal " + strconv.Itoa(k.id) + " " + base64.StdEncoding.EncodeToString(k.key) + "\n")
	}
	return b.String()
}

// hasID reports whether the ring holds a seal key with the given id.
func (kr *Keyring) hasID(id int) bool {
	for _, k := range kr.seals {
		if k.id == id {
			return true
		}
	}
	return false
}

package canary

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// Encodings returns the forms a value may take when leaked, by name.
func Encodings(v string) map[string]string {
	enc := map[string]string{
		"plain":      v,
		"lower":      strings.ToLower(v),
		"upper":      strings.ToUpper(v),
		"url":        url.QueryEscape(v),
		"path":       url.PathEscape(v),
		"html":       html.EscapeString(v),
		"base64":     base64.StdEncoding.EncodeToString([]byte(v)),
		"base64url":  base64.RawURLEncoding.EncodeToString([]byte(v)),
		"hex":        hex.EncodeToString([]byte(v)),
		"hex-upper":  strings.ToUpper(hex.EncodeToString([]byte(v))),
		"utf16le":    utf16le(v),
		"json":       jsonString(v),
		"decimal":    decimalBytes(v),
		"base64-raw": base64.RawStdEncoding.EncodeToString([]byte(v)),
	}
	for name, e := range enc {
		if e == "" || (name != "plain" && e == v) {
			delete(enc, name) // identical to plain: one name is enough
		}
	}
	return enc
}

func utf16le(v string) string {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(v)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.String()
}

func jsonString(v string) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

// decimalBytes is "52 50 52 50": how a byte slice prints with %v.
func decimalBytes(v string) string {
	parts := make([]string, len(v))
	for i := range len(v) {
		parts[i] = itoa(int(v[i]))
	}
	return strings.Join(parts, " ")
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// Hit is one canary found.
type Hit struct {
	Where    string // file path, or the name given to FindIn
	Canary   string
	Encoding string
}

// FindIn searches one text for every encoding of every canary.
func FindIn(where string, data []byte, canaries ...string) []Hit {
	var hits []Hit
	for _, c := range canaries {
		for name, e := range Encodings(c) {
			if len(e) >= 4 && bytes.Contains(data, []byte(e)) {
				hits = append(hits, Hit{Where: where, Canary: c, Encoding: name})
			}
		}
	}
	return hits
}

// Find searches every regular file under the roots.
func Find(roots []string, canaries ...string) ([]Hit, error) {
	var hits []Hit
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil // a file removed while walking (a WAL checkpointed away)
				}
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			hits = append(hits, FindIn(p, data, canaries...)...)
			return nil
		})
		if err != nil {
			return hits, err
		}
	}
	return hits, nil
}

// AssertAbsent fails the test for every hit under the roots, naming the promise.
func AssertAbsent(t testing.TB, promise string, roots []string, canaries ...string) {
	t.Helper()
	hits, err := Find(roots, canaries...)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		t.Errorf("%s: canary %q found (%s) in %s", promise, h.Canary, h.Encoding, h.Where)
	}
}

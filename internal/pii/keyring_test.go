package pii

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
)

// testKey returns a distinct base64 key for each n.
func testKey(n byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{n, 0xA5}, KeySize/2))
}

func TestParseKeyring(t *testing.T) {
	k1, k2, k3 := testKey(1), testKey(2), testKey(3)
	short := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 16))
	long := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{8}, 33))
	tests := []struct {
		name    string
		text    string
		ids     []int
		wantErr string // substring; "" means success
	}{
		{"minimal", "index " + k1 + "\nseal 1 " + k2 + "\n", []int{1}, ""},
		{"comments, blanks, CRLF, order", "# c\r\n\r\nseal 9 " + k2 + "\r\n  seal 3 " + k3 + "\nindex " + k1, []int{3, 9}, ""},
		{"missing index", "seal 1 " + k2, nil, `no "index <key>" line`},
		{"no seal key", "index " + k1, nil, `no "seal <id> <key>" line`},
		{"empty", "", nil, "no \"index"},
		{"second index", "index " + k1 + "\nindex " + k2 + "\nseal 1 " + k3, nil, "line 2: second index key (first on line 1)"},
		{"duplicate id", "index " + k1 + "\nseal 1 " + k2 + "\nseal 1 " + k3, nil, "line 3: duplicate seal key id 1"},
		{"zero id", "index " + k1 + "\nseal 0 " + k2, nil, "line 2: seal key id must be a positive integer"},
		{"negative id", "index " + k1 + "\nseal -1 " + k2, nil, "line 2: seal key id"},
		{"plus id", "index " + k1 + "\nseal +1 " + k2, nil, "line 2: seal key id"},
		{"leading zero id", "index " + k1 + "\nseal 01 " + k2, nil, "line 2: seal key id"},
		{"huge id", "index " + k1 + "\nseal 2147483648 " + k2, nil, "line 2: seal key id"},
		{"max id", "index " + k1 + "\nseal 2147483647 " + k2, []int{2147483647}, ""},
		{"short key", "index " + k1 + "\nseal 1 " + short, nil, "line 2: key is 16 bytes, want 32"},
		{"long key", "index " + long + "\nseal 1 " + k2, nil, "line 1: key is 33 bytes, want 32"},
		{"bad base64", "index " + k1 + "\nseal 1 " + k2[:20] + "!" + k2[21:], nil, "line 2: key is not valid standard base64"},
		{"unpadded base64", "index " + strings.TrimRight(k1, "=") + "\nseal 1 " + k2, nil, "line 1: key is not valid"},
		{"url base64", "index " + base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32)) + "\nseal 1 " + k2, nil, "line 1: key is not valid"},
		{"unknown entry", "index " + k1 + "\n" + k2, nil, "line 2: unknown entry"},
		{"index extra field", "index 1 " + k1 + "\nseal 1 " + k2, nil, "line 1: wrong number of fields"},
		{"seal missing id", "index " + k1 + "\nseal " + k2, nil, "line 2: wrong number of fields"},
		{"trailing comment", "index " + k1 + " # x\nseal 1 " + k2, nil, "line 1: wrong number of fields"},
		{"reused key", "index " + k1 + "\nseal 1 " + k1, nil, "line 2: same key as line 1"},
		{"reused seal key", "index " + k1 + "\nseal 1 " + k2 + "\nseal 2 " + k2, nil, "line 3: same key as line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := ParseKeyring(tt.text)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseKeyring: %v", err)
				}
				if got := kr.IDs(); !slices.Equal(got, tt.ids) {
					t.Errorf("IDs() = %v, want %v", got, tt.ids)
				}
				if got, want := kr.NewestID(), tt.ids[len(tt.ids)-1]; got != want {
					t.Errorf("NewestID() = %d, want %d", got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseKeyring succeeded, want error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			assertNoKeyMaterial(t, err.Error(), tt.text)
		})
	}
}

// assertNoKeyMaterial fails when msg contains any long token of text, or a
// recognisable piece of one (errors must never echo key material).
func assertNoKeyMaterial(t *testing.T, msg, text string) {
	t.Helper()
	for _, tok := range strings.Fields(text) {
		if len(tok) < 16 {
			continue
		}
		for i := 0; i+8 <= len(tok); i += 4 {
			if piece := tok[i : i+8]; strings.Contains(msg, piece) {
				t.Errorf("error %q contains key material %q", msg, piece)
				return
			}
		}
	}
}

func TestKeyringTextRoundTrip(t *testing.T) {
	kr, err := GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	if got := kr.IDs(); !slices.Equal(got, []int{1}) {
		t.Fatalf("new keyring IDs() = %v, want [1]", got)
	}
	for want := 2; want <= 3; want++ {
		id, err := kr.AddSealKey()
		if err != nil || id != want {
			t.Fatalf("AddSealKey() = %d, %v; want %d", id, err, want)
		}
	}
	text := kr.Text()
	if !strings.HasPrefix(text, "# Candor data keys: keep secret (mode 0600).") {
		t.Errorf("Text() lacks the header:\n%s", text)
	}
	if n := strings.Count(text, "\nseal "); n != 3 {
		t.Errorf("Text() has %d seal lines, want 3", n)
	}
	back, err := ParseKeyring(text)
	if err != nil {
		t.Fatalf("ParseKeyring(Text()): %v", err)
	}
	if back.Text() != text {
		t.Errorf("round trip changed the text:\n%s\nvs\n%s", text, back.Text())
	}
	if back.NewestID() != 3 || !slices.Equal(back.IDs(), []int{1, 2, 3}) {
		t.Errorf("round trip ids = %v newest %d", back.IDs(), back.NewestID())
	}
	other, _ := GenerateKeyring()
	if line := func(s string) string { return strings.Split(s, "\n")[1] }; line(other.Text()) == line(text) {
		t.Error("two generated keyrings share an index key")
	}
}

func TestAddSealKeyExhausted(t *testing.T) {
	kr, err := ParseKeyring("index " + testKey(1) + "\nseal 2147483647 " + testKey(2))
	if err != nil {
		t.Fatal(err)
	}
	if id, err := kr.AddSealKey(); err == nil {
		t.Fatalf("AddSealKey() = %d, want an error", id)
	}
	if got := kr.IDs(); !slices.Equal(got, []int{2147483647}) {
		t.Errorf("failed AddSealKey changed the ring: %v", got)
	}
}

func TestIDsIsACopy(t *testing.T) {
	kr, _ := GenerateKeyring()
	kr.IDs()[0] = 99
	if kr.NewestID() != 1 {
		t.Error("modifying IDs() changed the keyring")
	}
}

package pii

import (
	"bytes"
	"database/sql/driver"
	"encoding/base64"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"text/template"
)

const (
	canaryEmail  = "canary.leak@example.com"
	canarySecret = "s3cr3t-canary-pass"
)

// holder keeps the value in an unexported field, the case that defeats a value-type
// wrapper: fmt cannot call methods on unexported fields.
type holder struct {
	name string
	v    any
	e    Email
	s    Secret
}

// exported keeps the values in exported fields, as encoders see them.
type exported struct {
	Name   string
	Email  Email
	Secret Secret
}

// forbidden lists every spelling of a canary that must not appear in any output.
func forbidden(canary string) []string {
	b := []byte(canary)
	return []string{
		"canary",
		hex.EncodeToString(b),
		strings.ToUpper(hex.EncodeToString(b)),
		base64.StdEncoding.EncodeToString(b)[:16],
		strings.Trim(fmt.Sprint(b), "[]")[:20], // decimal bytes, as %v prints []byte
	}
}

// outputs renders v through every path the program might print, log or encode it.
func outputs(t *testing.T, v any) map[string]string {
	t.Helper()
	var (
		h     holder
		ptr   any // *Email or *Secret
		typed any // []Email or []Secret
	)
	switch x := v.(type) {
	case Email:
		h, ptr, typed = holder{name: "h", v: x, e: x}, &x, []Email{x}
	case Secret:
		h, ptr, typed = holder{name: "h", v: x, s: x}, &x, []Secret{x}
	}
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "% x", "%d", "%T", "%p", "%20s", "%-8v", "%.3s", "%U"} {
		out["fmt "+verb] = fmt.Sprintf(verb, v)
		out["fmt ptr "+verb] = fmt.Sprintf(verb, ptr)
		out["fmt slice "+verb] = fmt.Sprintf(verb, typed)
		out["fmt map "+verb] = fmt.Sprintf(verb, map[string]any{"k": v, "p": ptr})
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		out["unexported field "+verb] = fmt.Sprintf(verb, h)
		out["unexported field via ptr "+verb] = fmt.Sprintf(verb, &h)
	}
	out["Sprint"] = fmt.Sprint(v, h)
	out["Sprintln"] = fmt.Sprintln(v, &h)
	out["Errorf"] = fmt.Errorf("failed for %v: %w", v, fmt.Errorf("inner %+v", h)).Error()

	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		log := slog.New(newHandler(&buf))
		log.Info("msg", "value", v, "holder", h, slog.Group("g", "nested", v), "any", slog.AnyValue(v))
		log.With("with", v).Info("msg", "exported", exportedOf(v))
		log.Info(fmt.Sprint(v))
		out["slog "+name] = buf.String()
	}

	if b, err := json.Marshal(v); err != nil {
		t.Errorf("json.Marshal: %v", err)
	} else {
		out["json"] = string(b)
	}
	b, err := json.Marshal(map[string]any{"ex": exportedOf(v), "h": h, "list": []any{v}})
	if err != nil {
		t.Errorf("json.Marshal(struct): %v", err)
	}
	out["json struct"] = string(b)
	b, _ = xml.Marshal(exportedOf(v))
	out["xml"] = string(b)

	var tb strings.Builder
	tmpl := template.Must(template.New("t").Parse("{{.}} {{printf \"%q\" .}}"))
	if err := tmpl.Execute(&tb, v); err != nil {
		t.Errorf("template: %v", err)
	}
	out["template"] = tb.String()
	return out
}

// exportedOf wraps v in the exported struct.
func exportedOf(v any) exported {
	ex := exported{Name: "x"}
	switch x := v.(type) {
	case Email:
		ex.Email = x
	case Secret:
		ex.Secret = x
	}
	return ex
}

func TestRedaction(t *testing.T) {
	email, err := NewEmail(" " + strings.ToUpper(canaryEmail) + " ")
	if err != nil {
		t.Fatal(err)
	}
	secret := NewSecret([]byte(canarySecret))
	tests := []struct {
		name   string
		v      any
		canary string
		mask   string
	}{
		{"Email", email, canaryEmail, emailMask},
		{"Secret", secret, canarySecret, secretMask},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := outputs(t, tt.v)
			for path, text := range out {
				for _, bad := range forbidden(tt.canary) {
					if strings.Contains(strings.ToLower(text), strings.ToLower(bad)) {
						t.Errorf("%s leaks (%q): %s", path, bad, text)
					}
				}
			}
			for _, path := range []string{"fmt %v", "fmt %#v", "fmt %x", "fmt ptr %+v", "json", "slog text", "slog json", "template"} {
				if !strings.Contains(out[path], tt.mask) {
					t.Errorf("%s does not show the mask %q: %s", path, tt.mask, out[path])
				}
			}
		})
	}
	if email.Reveal() != canaryEmail || string(secret.Reveal()) != canarySecret {
		t.Error("Reveal does not return the value")
	}
}

func TestRefusedEncodings(t *testing.T) {
	email, _ := NewEmail(canaryEmail)
	secret := NewSecret([]byte(canarySecret))
	tests := []struct {
		name string
		v    any
	}{
		{"Email", email},
		{"Secret", secret},
		{"struct with Email", exportedOf(email)},
		{"struct with Secret", exportedOf(secret)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := gob.NewEncoder(&buf).Encode(tt.v)
			if err == nil {
				t.Error("gob encoding succeeded, want refusal")
			}
			if strings.Contains(buf.String(), "canary") {
				t.Error("gob output contains the value")
			}
			if err != nil && strings.Contains(err.Error(), "canary") {
				t.Errorf("gob error leaks: %v", err)
			}
		})
	}
	for _, v := range []driver.Valuer{email, secret, Email{}, Secret{}} {
		if got, err := v.Value(); err == nil || got != nil {
			t.Errorf("%T.Value() = %v, %v; want refusal", v, got, err)
		}
	}
}

package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
)

// publicForm is a public form submission decoded from any supported content type, so
// that every way in (plain form post, multipart, JSON from fetch) passes the same
// validation and the same anti-bot checks.
type publicForm struct {
	values map[string][]string
	json   bool // the caller sent JSON and wants JSON back
}

// Limits of a public form, whatever its encoding.
const (
	maxPublicFields     = 64
	maxPublicFieldBytes = 16 << 10
)

var errUnsupportedType = errs.E(errs.Invalid,
	"Send the form as application/x-www-form-urlencoded, multipart/form-data or application/json.")

// decodePublicForm reads the body (already capped by the server) into publicForm.
func decodePublicForm(r *http.Request) (publicForm, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return publicForm{}, errUnsupportedType
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return publicForm{}, badBody(err)
		}
		return checkedForm(r.PostForm, false)
	case "multipart/form-data":
		values, err := readMultipartFields(r)
		if err != nil {
			return publicForm{}, err
		}
		return checkedForm(values, false)
	case "application/json":
		return decodeJSONForm(r.Body)
	}
	return publicForm{}, errUnsupportedType
}

// readMultipartFields reads the text fields of a multipart body in memory and discards
// file parts unread: ParseMultipartForm would spill large parts to a temporary file,
// and nothing a visitor sends may reach the disk unsealed.
func readMultipartFields(r *http.Request) (map[string][]string, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badBody(err)
	}
	values := map[string][]string{}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return values, nil
		}
		if err != nil {
			return nil, badBody(err)
		}
		if n >= maxPublicFields {
			part.Close()
			return nil, errs.E(errs.Invalid, "The form has too many fields.")
		}
		if part.FileName() != "" || part.FormName() == "" {
			part.Close() // files are not accepted by any public form
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxPublicFieldBytes+1))
		part.Close()
		if err != nil {
			return nil, badBody(err)
		}
		values[part.FormName()] = append(values[part.FormName()], string(b))
	}
}

// badBody keeps an oversized body a 413 (the status table looks for *http.MaxBytesError
// in the chain) and turns other parse errors into 400.
func badBody(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	return errs.Wrap(errs.Invalid, "The form could not be read.", err)
}

// decodeJSONForm accepts one JSON object whose values are strings, numbers, booleans or
// arrays of strings (for repeated fields such as "list").
func decodeJSONForm(body io.Reader) (publicForm, error) {
	var raw map[string]any
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return publicForm{}, badJSON(err)
	}
	if dec.More() {
		return publicForm{}, errs.E(errs.Invalid, "Send one JSON object.")
	}
	values := map[string][]string{}
	for k, v := range raw {
		switch x := v.(type) {
		case string:
			values[k] = []string{x}
		case json.Number:
			values[k] = []string{x.String()}
		case bool:
			values[k] = []string{map[bool]string{true: "true", false: "false"}[x]}
		case []any:
			for _, item := range x {
				s, ok := item.(string)
				if !ok {
					return publicForm{}, errs.InvalidField(k, "Arrays may hold only strings.")
				}
				values[k] = append(values[k], s)
			}
		case nil:
		default:
			return publicForm{}, errs.InvalidField(k, "Nested objects are not accepted.")
		}
	}
	return checkedForm(values, true)
}

func badJSON(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	return errs.Wrap(errs.Invalid, "The JSON body could not be read.", err)
}

// checkedForm caps the number and size of fields and refuses invalid UTF-8.
func checkedForm(values map[string][]string, isJSON bool) (publicForm, error) {
	n := 0
	for k, vs := range values {
		n += len(vs)
		for _, v := range vs {
			if len(v) > maxPublicFieldBytes || !utf8.ValidString(v) {
				return publicForm{}, errs.InvalidField(k, "A field is too long or not valid text.")
			}
		}
	}
	if n > maxPublicFields {
		return publicForm{}, errs.E(errs.Invalid, "The form has too many fields.")
	}
	return publicForm{values: values, json: isJSON}, nil
}

// get returns the first value of a field, or "".
func (f publicForm) get(name string) string {
	if vs := f.values[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// all returns every value of a repeated field (a JSON array or a repeated form field);
// a single comma-separated value is split too.
func (f publicForm) all(name string) []string {
	var out []string
	for _, v := range f.values[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// publicAccepted answers an accepted public form: JSON for fetch callers; otherwise a
// redirect to the configured thank-you page, or Candor's own (ownPage).
func publicAccepted(w http.ResponseWriter, r *http.Request, f publicForm, message, configured, ownPage string) {
	if f.json {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "message": message})
		return
	}
	to := ownPage
	if configured != "" {
		to = configured
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

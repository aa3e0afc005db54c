package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
)

// Importing subscribers from CSV: upload → preview (counts, rows left out, the consent
// source and lists to declare) → commit. The upload is streamed from the multipart body
// straight into the parser (never through a temporary file), and the parsed file waits
// for the commit sealed in memory (newsletter.PreviewImport).

// importPath is the upload route, whose body may be larger than other requests'.
const importPath = "/admin/subscribers/import"

// importBodyLimit is the upload route's body cap: the file plus the multipart envelope.
const importBodyLimit = newsletter.MaxImportBytes + 64<<10

// bodyLimit is the body cap of a request: the configured one, raised for the upload.
func (s *pages) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && r.URL.Path == importPath {
		return max(s.cfg.MaxBodyBytes, importBodyLimit)
	}
	return s.cfg.MaxBodyBytes
}

type importData struct {
	Lists   []newsletter.List
	Preview newsletter.ImportPreview
	Chosen  map[int64]bool // lists ticked
	Result  *newsletter.ImportResult
	MaxMB   int
	MaxRows int
}

func (s *subscriberPages) renderImport(w http.ResponseWriter, r *http.Request, st int, name string, p page, data importData) {
	lists, err := s.newsletter.Lists(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Lists, data.MaxMB, data.MaxRows = lists, newsletter.MaxImportBytes>>20, newsletter.MaxImportRows
	if data.Chosen == nil && len(lists) > 0 {
		data.Chosen = map[int64]bool{}
		for _, l := range lists {
			if l.Slug == newsletter.DefaultList {
				data.Chosen[l.ID] = true
			}
		}
	}
	p.Nav, p.Data = "subscribers", data
	if p.Title == "" {
		p.Title = "Import subscribers"
	}
	s.render(w, r, st, name, p)
}

// subscriberImportPage is the upload form.
func (s *subscriberPages) subscriberImportPage(w http.ResponseWriter, r *http.Request) {
	s.renderImport(w, r, http.StatusOK, "subscribers_import", page{}, importData{})
}

// subscriberImportUpload reads the uploaded file and shows the preview.
func (s *subscriberPages) subscriberImportUpload(w http.ResponseWriter, r *http.Request) {
	pv, err := s.previewUpload(r)
	if err != nil {
		if st := status(err); st < 500 && st != http.StatusForbidden {
			s.renderImport(w, r, st, "subscribers_import", page{Error: errs.PublicOf(err), Field: "file"}, importData{})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.renderImport(w, r, http.StatusOK, "subscribers_import_preview", page{Title: "Check the import", Logged: true}, importData{Preview: pv})
}

var errNoFile = errs.InvalidField("file", "Choose a CSV file to upload.")

// previewUpload streams the "file" part of a multipart form into the import parser.
func (s *subscriberPages) previewUpload(r *http.Request) (newsletter.ImportPreview, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return newsletter.ImportPreview{}, errNoFile
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return newsletter.ImportPreview{}, errNoFile
		}
		if err != nil {
			if err = tooLargeUpload(err); errs.Is(err, errs.Invalid) {
				return newsletter.ImportPreview{}, err
			}
			return newsletter.ImportPreview{}, errs.Wrap(errs.Invalid, "The upload could not be read. Please try again.", err)
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		defer part.Close()
		if part.FileName() == "" {
			return newsletter.ImportPreview{}, errNoFile
		}
		pv, err := s.newsletter.PreviewImport(r.Context(), principal(r), part)
		return pv, tooLargeUpload(err)
	}
}

// tooLargeUpload names an upload cut off by the body cap for what it is.
func tooLargeUpload(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errs.InvalidField("file", "The file is too large: split it into files of at most 5 MB.")
	}
	return err
}

// subscriberImportCommit imports a previewed file with the declared consent source and
// lists, and shows what it did.
func (s *subscriberPages) subscriberImportCommit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PostFormValue("id")
	var lists []int64
	chosen := map[int64]bool{}
	for _, v := range r.PostForm["lists"] {
		if l, err := strconv.ParseInt(v, 10, 64); err == nil {
			lists, chosen[l] = append(lists, l), true
		}
	}
	res, err := s.newsletter.CommitImport(r.Context(), principal(r), id, r.PostFormValue("consent"), lists)
	if err != nil {
		if st := status(err); st == http.StatusBadRequest {
			pv, perr := s.newsletter.ImportPreviewByID(r.Context(), principal(r), id)
			if perr == nil {
				s.renderImport(w, r, st, "subscribers_import_preview", page{Title: "Check the import", Logged: true,
					Error: errs.PublicOf(err), Field: fieldOf(err), Form: map[string]string{"consent": r.PostFormValue("consent")}},
					importData{Preview: pv, Chosen: chosen})
				return
			}
		}
		if errs.Is(err, errs.NotFound) {
			s.renderImport(w, r, http.StatusNotFound, "subscribers_import", page{Error: errs.PublicOf(err)}, importData{})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.renderImport(w, r, http.StatusOK, "subscribers_import_done", page{Title: "Import finished"}, importData{Result: &res})
}

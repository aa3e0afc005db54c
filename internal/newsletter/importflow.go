package newsletter

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// An import is two steps: PreviewImport parses the upload, counts what would happen and
// keeps the parsed file, sealed, in this process's memory under a random id for
// ImportTTL; CommitImport takes it back by that id. Nothing of the file is written to
// disk in the clear (the sealed copy lives only in memory), and a preview can be
// committed once, by the staff member who uploaded it. Behind a load balancer the
// commit must reach the instance that made the preview (sticky sessions); elsewhere it
// answers "upload the file again", which is safe.

// Import limits.
const (
	ImportTTL          = 30 * time.Minute
	maxStagedImports   = 8
	importBatch        = 2000
	MaxConsentSource   = 200
	sealImport         = "newsletter.import"
	consentSourcePrefx = "import: "
)

// ImportRecord is one new subscriber for ImportSubscribers: sealed and indexed.
type ImportRecord struct {
	EmailIndex, EmailSealed, NameSealed string
}

// ImportOutcome counts what an import did.
type ImportOutcome struct {
	Added      int // new confirmed subscribers
	Existing   int // already known (any status): left unchanged
	Suppressed int // unsubscribed, bounced or erased before: never added back
}

// ImportPreview is what an import would do, shown before it is committed.
type ImportPreview struct {
	ID           string
	Format       ImportFormat
	Rows         int // valid, distinct addresses
	New          int
	Existing     int
	Suppressed   int
	Invalid      []ImportIssue
	InvalidCount int
	Skipped      []ImportIssue
	SkippedCount int
	NamesDropped int
	Refused      int // held only for another purpose (purpose.go): listed in Skipped
	Expires      time.Time
}

// refuse lists rows refused for purpose limitation among the skipped rows, with why.
func (pv *ImportPreview) refuse(rows []ImportIssue) {
	pv.Refused += len(rows)
	pv.SkippedCount += len(rows)
	for _, r := range rows {
		if len(pv.Skipped) < maxIssuesKept {
			pv.Skipped = append(pv.Skipped, r)
		}
	}
}

// ImportResult is what a committed import did.
type ImportResult struct {
	ImportOutcome
	Invalid, Skipped int
	Refused          int // held only for another purpose: not imported (purpose.go)
}

type stagedImport struct {
	owner   int64
	sealed  string // JSON of stagedData, sealed
	expires time.Time
}

type stagedData struct {
	Parsed  ParsedImport
	Preview ImportPreview
}

// importStage holds previews waiting to be committed; the zero value is ready.
type importStage struct {
	mu sync.Mutex
	m  map[string]stagedImport
}

func (st *importStage) put(id string, si stagedImport, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.m == nil {
		st.m = map[string]stagedImport{}
	}
	for k, v := range st.m { // one pending import per member; drop expired ones
		if v.owner == si.owner || now.After(v.expires) {
			delete(st.m, k)
		}
	}
	for len(st.m) >= maxStagedImports {
		oldest := ""
		for k, v := range st.m {
			if oldest == "" || v.expires.Before(st.m[oldest].expires) {
				oldest = k
			}
		}
		delete(st.m, oldest)
	}
	st.m[id] = si
}

// get returns a staged import of owner; take also removes it.
func (st *importStage) get(id string, owner int64, now time.Time, take bool) (stagedImport, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	si, ok := st.m[id]
	if !ok || si.owner != owner || now.After(si.expires) {
		return stagedImport{}, false
	}
	if take {
		delete(st.m, id)
	}
	return si, true
}

var errImportGone = errs.E(errs.NotFound, "This import preview has expired or was already imported. Please upload the file again.")

// PreviewImport parses an uploaded CSV file and counts what importing it would do: new
// addresses, addresses already known, suppressed addresses (skipped), invalid and
// skipped rows. The parsed file waits, sealed in memory, for CommitImport.
func (s *Service) PreviewImport(ctx context.Context, actor staff.Principal, file io.Reader) (ImportPreview, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return ImportPreview{}, err
	}
	st := s.store
	parsed, err := ParseImport(file)
	if err != nil {
		return ImportPreview{}, err
	}
	now := s.now()
	pv := ImportPreview{
		ID: rand.Text(), Format: parsed.Format, Rows: len(parsed.Rows),
		Invalid: parsed.Invalid, InvalidCount: parsed.InvalidCount, Skipped: parsed.Skipped,
		SkippedCount: parsed.SkippedCount, NamesDropped: parsed.NamesDropped, Expires: now.Add(ImportTTL),
	}
	for batch := range slices.Chunk(parsed.Rows, importBatch) {
		idx := make([]string, len(batch))
		for i, row := range batch {
			idx[i] = s.EmailIndex(row.Email)
		}
		existing, suppressed, err := st.KnownAddresses(ctx, idx)
		if err != nil {
			return ImportPreview{}, err
		}
		_, refused, err := s.refuseHeldElsewhere(ctx, batch, func(i int) bool { return !existing[idx[i]] && !suppressed[idx[i]] })
		if err != nil {
			return ImportPreview{}, err
		}
		for _, x := range idx {
			switch {
			case suppressed[x]:
				pv.Suppressed++
			case existing[x]:
				pv.Existing++
			default:
				pv.New++
			}
		}
		pv.New -= len(refused)
		pv.refuse(refused)
	}
	b, err := json.Marshal(stagedData{Parsed: parsed, Preview: pv})
	if err != nil {
		return ImportPreview{}, err
	}
	sealed, err := s.sealer.SealString(sealImport, string(b))
	if err != nil {
		return ImportPreview{}, err
	}
	if err := s.audit.Record(ctx, actor.Name, "subscriber.import.preview", "", "format", string(parsed.Format),
		"rows", strconv.Itoa(pv.Rows), "new", strconv.Itoa(pv.New), "existing", strconv.Itoa(pv.Existing),
		"suppressed", strconv.Itoa(pv.Suppressed), "invalid", strconv.Itoa(pv.InvalidCount)); err != nil {
		return ImportPreview{}, err
	}
	s.imports.put(pv.ID, stagedImport{owner: actor.ID, sealed: sealed, expires: pv.Expires}, now)
	return pv, nil
}

// ImportPreviewByID returns a waiting preview again (to show it with a form error).
func (s *Service) ImportPreviewByID(ctx context.Context, actor staff.Principal, id string) (ImportPreview, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return ImportPreview{}, err
	}
	d, err := s.staged(id, actor, false)
	return d.Preview, err
}

func (s *Service) staged(id string, actor staff.Principal, take bool) (stagedData, error) {
	var d stagedData
	si, ok := s.imports.get(id, actor.ID, s.now(), take)
	if !ok {
		return d, errImportGone
	}
	plain, err := s.sealer.OpenString(sealImport, si.sealed)
	if err != nil {
		return d, errs.Wrap(errs.Internal, "", err)
	}
	if err := json.Unmarshal([]byte(plain), &d); err != nil {
		return d, errs.Wrap(errs.Internal, "", err)
	}
	return d, nil
}

// CheckConsentSource validates the consent source an importer declares, e.g.
// "Mailchimp export 2026-11, double opt-in there".
func CheckConsentSource(declared string) (string, error) {
	declared = strings.TrimSpace(declared)
	switch {
	case utf8.RuneCountInString(declared) < 3:
		return "", errs.InvalidField("consent", "Say where these people gave their consent, e.g. “Mailchimp export 2026-11, double opt-in there”.")
	case len(declared) > MaxConsentSource || !utf8.ValidString(declared):
		return "", errs.InvalidField("consent", "Keep the consent source to one line of at most 200 characters.")
	case strings.ContainsFunc(declared, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }):
		return "", errs.InvalidField("consent", "Keep the consent source to one line of plain text.")
	}
	return declared, nil
}

// CommitImport imports a previewed file: every new address becomes a confirmed
// subscriber of lists, with consent source "import: <declared>", except addresses held
// only for another purpose (the inbox, orders: purpose.go), which are refused. Addresses already
// known are left as they are; suppressed addresses are never added back (checked again
// at commit, inside each transaction). The preview is used up even if the import fails
// halfway (batches already written stay; re-uploading skips them as known).
func (s *Service) CommitImport(ctx context.Context, actor staff.Principal, id, declared string, lists []int64) (ImportResult, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return ImportResult{}, err
	}
	st := s.store
	if _, err := s.staged(id, actor, false); err != nil {
		return ImportResult{}, err
	}
	declared, err := CheckConsentSource(declared)
	if err != nil {
		return ImportResult{}, err
	}
	if lists, err = s.checkListIDs(ctx, lists); err != nil {
		return ImportResult{}, err
	}
	d, err := s.staged(id, actor, true)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Invalid: d.Parsed.InvalidCount, Skipped: d.Parsed.SkippedCount}
	source := consentSourcePrefx + declared
	for batch := range slices.Chunk(d.Parsed.Rows, importBatch) {
		if batch, err = s.importable(ctx, batch, &res); err != nil {
			return res, err
		}
		recs := make([]ImportRecord, len(batch))
		for i, row := range batch {
			rec := ImportRecord{EmailIndex: s.EmailIndex(row.Email)}
			if rec.EmailSealed, err = s.sealer.SealString(SealEmail, row.Email); err != nil {
				return res, err
			}
			if rec.NameSealed, err = s.sealName(row.Name); err != nil {
				return res, err
			}
			recs[i] = rec
		}
		out, err := st.ImportSubscribers(ctx, recs, lists, source, s.now().UTC())
		if err != nil {
			return res, err
		}
		res.Added += out.Added
		res.Existing += out.Existing
		res.Suppressed += out.Suppressed
	}
	listText := make([]string, len(lists))
	for i, l := range lists {
		listText[i] = strconv.FormatInt(l, 10)
	}
	err = s.audit.Record(ctx, actor.Name, "subscriber.import", "", "format", string(d.Parsed.Format),
		"added", strconv.Itoa(res.Added), "existing", strconv.Itoa(res.Existing), "suppressed", strconv.Itoa(res.Suppressed),
		"invalid", strconv.Itoa(res.Invalid), "skipped", strconv.Itoa(res.Skipped), "refused", strconv.Itoa(res.Refused), "lists", strings.Join(listText, ","))
	return res, err
}

// checkListIDs requires at least one list and only existing ones.
func (s *Service) checkListIDs(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, errs.InvalidField("lists", "Choose at least one list.")
	}
	known, err := s.listIndex(ctx)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range ids {
		if _, ok := known[id]; !ok {
			return nil, errs.InvalidField("lists", "There is no such list.")
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

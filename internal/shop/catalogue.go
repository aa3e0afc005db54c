package shop

import (
	"context"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/textfield"
)

// Product is something the vendor sells, with its editions and downloads.
type Product struct {
	ID          int64
	Slug        string // in URLs and licence keys: a-z, 0-9 and dashes
	Name        string
	Description string
	Version     string
	Platforms   []string
	Active      bool // shown and sold
	Editions    []Edition
	Downloads   []Download
	CreatedAt   time.Time
}

// Edition is one way to buy a product, with its licence policy and its prices.
type Edition struct {
	ID        int64
	ProductID int64
	Slug      string
	Name      string
	TermDays  int              // licence term; 0: perpetual
	Seats     int              // seats per unit bought (at least 1)
	Prices    map[string]int64 // currency (ISO 4217, upper case) → minor units
}

// Download is a file a buyer of the product may fetch: in DATA-DIR/downloads (File) or
// elsewhere (URL).
type Download struct {
	ID        int64
	ProductID int64
	Name      string
	File      string // relative path under the downloads directory
	URL       string // an external https URL
}

// Edition returns the product's edition with that slug.
func (p Product) Edition(slug string) (Edition, bool) {
	i := slices.IndexFunc(p.Editions, func(e Edition) bool { return e.Slug == slug })
	if i < 0 {
		return Edition{}, false
	}
	return p.Editions[i], true
}

// Currencies lists the currencies an edition is priced in, sorted.
func (e Edition) Currencies() []string {
	out := make([]string, 0, len(e.Prices))
	for c := range e.Prices {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// MaxPrice caps a unit price (minor units), so totals never overflow.
const MaxPrice = 100_000_000_00

// Validate checks a product's own fields (not its editions).
func (p *Product) Validate() error {
	if !slugRE.MatchString(p.Slug) {
		return errs.InvalidField("slug", "A slug is 1–63 lower-case letters, digits and dashes.")
	}
	var err error
	if p.Name, err = textfield.Line("name", p.Name, 120, false); err != nil {
		return err
	}
	if p.Description, err = textfield.Text("description", p.Description, 5000, true); err != nil {
		return err
	}
	if p.Version, err = textfield.Line("version", p.Version, 40, true); err != nil {
		return err
	}
	for i, pl := range p.Platforms {
		if p.Platforms[i], err = textfield.Line("platforms", pl, 40, false); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks an edition and its prices.
func (e *Edition) Validate() error {
	if !slugRE.MatchString(e.Slug) {
		return errs.InvalidField("edition_slug", "A slug is 1–63 lower-case letters, digits and dashes.")
	}
	var err error
	if e.Name, err = textfield.Line("edition_name", e.Name, 80, false); err != nil {
		return err
	}
	if e.Seats < 1 || e.Seats > 10000 {
		return errs.InvalidField("seats", "Seats per unit are between 1 and 10000.")
	}
	if e.TermDays < 0 || e.TermDays > 3660 {
		return errs.InvalidField("term_days", "The licence term is 0 (perpetual) to 3660 days.")
	}
	if len(e.Prices) == 0 {
		return errs.InvalidField("price", "An edition needs at least one price.")
	}
	for c, a := range e.Prices {
		if !currencyRE.MatchString(c) {
			return errs.InvalidField("price", "A currency is a three-letter ISO 4217 code such as EUR.")
		}
		if a < 0 || a > MaxPrice {
			return errs.InvalidField("price", "A price is between 0 and 100,000,000.00.")
		}
	}
	return nil
}

// Validate checks a download: a clean relative file path or an https URL.
func (d *Download) Validate() error {
	var err error
	if d.Name, err = textfield.Line("download_name", d.Name, 120, false); err != nil {
		return err
	}
	switch {
	case (d.File == "") == (d.URL == ""):
		return errs.InvalidField("download", "Give a file in the downloads directory or a URL, not both.")
	case d.File != "":
		if !utf8.ValidString(d.File) || path.IsAbs(d.File) || path.Clean(d.File) != d.File || strings.HasPrefix(d.File, "..") || strings.ContainsAny(d.File, "\\\x00") {
			return errs.InvalidField("download", "A file is a relative path inside the downloads directory.")
		}
	default:
		u, err := url.Parse(d.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return errs.InvalidField("download", "A download URL must start with https://.")
		}
	}
	return nil
}

// Catalogue returns the products on sale (active ones), for the public pages.
func (s *Service) Catalogue(ctx context.Context) ([]Product, error) {
	all, _, err := s.products(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slices.Clone(all), func(p Product) bool { return !p.Active }), nil
}

// Product returns an active product by slug (public pages).
func (s *Service) Product(ctx context.Context, slug string) (Product, error) {
	p, err := s.productBySlug(ctx, slug)
	if err == nil && !p.Active {
		err = errs.E(errs.NotFound, "No such product.")
	}
	return p, err
}

// Products returns every product, active or not (staff).
func (s *Service) Products(ctx context.Context, actor staff.Principal) ([]Product, error) {
	if err := actor.Require(staff.ManageShop); err != nil {
		return nil, err
	}
	return s.store.Products(ctx)
}

// SaveProduct creates (ID 0) or updates a product's own fields; audited.
func (s *Service) SaveProduct(ctx context.Context, actor staff.Principal, p *Product) error {
	if err := actor.Require(staff.ManageShop); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if p.ID == 0 {
		p.CreatedAt = s.now().UTC()
	}
	if err := s.store.SaveProduct(ctx, p); err != nil {
		return err
	}
	s.forgetCatalogue()
	return s.audit.Record(ctx, actor.Name, "shop.product.save", "product:"+p.Slug)
}

// SaveEdition creates (ID 0) or updates an edition and replaces its prices; audited.
func (s *Service) SaveEdition(ctx context.Context, actor staff.Principal, e *Edition) error {
	if err := actor.Require(staff.ManageShop); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if err := s.store.SaveEdition(ctx, e); err != nil {
		return err
	}
	s.forgetCatalogue()
	return s.audit.Record(ctx, actor.Name, "shop.edition.save", "edition:"+e.Slug)
}

// AddDownload attaches a download to a product; audited.
func (s *Service) AddDownload(ctx context.Context, actor staff.Principal, d *Download) error {
	if err := actor.Require(staff.ManageShop); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	if err := s.store.AddDownload(ctx, d); err != nil {
		return err
	}
	s.forgetCatalogue()
	return s.audit.Record(ctx, actor.Name, "shop.download.add", "product_id:"+itoa(d.ProductID))
}

// DeleteDownload removes a download; audited.
func (s *Service) DeleteDownload(ctx context.Context, actor staff.Principal, productID, id int64) error {
	if err := actor.Require(staff.ManageShop); err != nil {
		return err
	}
	if err := s.store.DeleteDownload(ctx, productID, id); err != nil {
		return err
	}
	s.forgetCatalogue()
	return s.audit.Record(ctx, actor.Name, "shop.download.delete", "download:"+itoa(id))
}

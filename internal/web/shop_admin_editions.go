package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// One product's page: its own fields, each edition as a small form of its own (prices
// per currency typed as decimal amounts), a form to add an edition, and the downloads.

// priceRow is one currency of an edition's price form.
type priceRow struct{ Currency, Amount string }

// blankPrices is how many empty price rows an edition form offers for new currencies.
const blankPrices = 2

// editionForm is an edition as its form shows it.
type editionForm struct {
	ID, ProductID               int64
	Slug, Name, Seats, TermDays string
	Prices                      []priceRow
	Err                         map[string]string
	Perpetual                   bool
}

var editionFields = []string{"edition_slug", "edition_name", "seats", "term_days", "price"}

// downloadForm is the form that adds a download.
type downloadForm struct {
	Name, Location string
	Err            map[string]string
}

type shopProductData struct {
	Product    productForm
	Editions   []editionForm
	NewEdition editionForm
	Downloads  []shop.Download
	Download   downloadForm
}

func editionFormOf(e shop.Edition) editionForm {
	f := editionForm{ID: e.ID, Slug: e.Slug, Name: e.Name, Seats: strconv.Itoa(e.Seats), TermDays: strconv.Itoa(e.TermDays), Perpetual: e.TermDays == 0}
	for _, c := range e.Currencies() {
		f.Prices = append(f.Prices, priceRow{c, decimal(e.Prices[c], c)})
	}
	return f.withBlanks()
}

func (f editionForm) withBlanks() editionForm {
	for range blankPrices {
		f.Prices = append(f.Prices, priceRow{})
	}
	return f
}

// shopProductPage shows one product.
func (s *shopAdmin) shopProductPage(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.pathProduct(w, r, false); ok {
		s.renderProductPage(w, r, http.StatusOK, p, shopProductData{Product: productFormOf(p)})
	}
}

// renderProductPage renders the page of p; d carries the one form that was refused
// (with what was typed), the others are filled from p.
func (s *shopAdmin) renderProductPage(w http.ResponseWriter, r *http.Request, st int, p shop.Product, d shopProductData) {
	if d.Product.Err == nil {
		d.Product = productFormOf(p)
	}
	for _, e := range p.Editions {
		if f := editionFormOf(e); e.ID == d.NewEdition.ID && d.NewEdition.Err != nil {
			d.Editions = append(d.Editions, d.NewEdition)
		} else {
			d.Editions = append(d.Editions, f)
		}
	}
	if d.NewEdition.ID != 0 || d.NewEdition.Err == nil {
		d.NewEdition = editionForm{Seats: "1", TermDays: "0"}.withBlanks()
	}
	for i := range d.Editions {
		d.Editions[i].ProductID = p.ID
	}
	d.NewEdition.ProductID = p.ID
	d.Downloads = p.Downloads
	p0 := page{Title: p.Name, Nav: "shop", Flash: shopFlash(r), Data: d}
	s.render(w, r, st, "shop_admin_product", p0)
}

// readEdition reads the posted edition form; a price typed wrongly is refused here.
func readEdition(r *http.Request, productID int64) (editionForm, shop.Edition, error) {
	f := editionForm{Slug: strings.TrimSpace(r.PostFormValue("edition_slug")), Name: r.PostFormValue("edition_name"),
		Seats: r.PostFormValue("seats"), TermDays: r.PostFormValue("term_days")}
	f.ID, _ = strconv.ParseInt(r.PostFormValue("edition_id"), 10, 64)
	e := shop.Edition{ID: f.ID, ProductID: productID, Slug: f.Slug, Name: f.Name, Prices: map[string]int64{}}
	var err error
	amounts := r.PostForm["amount"]
	for i, c := range r.PostForm["currency"] {
		row := priceRow{Currency: currencyCode(c)}
		if i < len(amounts) {
			row.Amount = strings.TrimSpace(amounts[i])
		}
		if row.Currency == "" && row.Amount == "" {
			continue
		}
		f.Prices = append(f.Prices, row)
		if err != nil {
			continue
		}
		if _, dup := e.Prices[row.Currency]; dup {
			err = errs.InvalidField("price", "Give each currency once.")
		} else if a, ok := shop.ParseMoney(row.Amount, row.Currency); !ok || row.Currency == "" {
			err = errs.InvalidField("price", "Type a currency code and a price such as 49.00 (EUR) or 4900 (JPY).")
		} else {
			e.Prices[row.Currency] = a
		}
	}
	f = f.withBlanks()
	if err == nil {
		e.Seats, err = formInt(f.Seats, 1, "seats", "Seats per unit are a whole number.")
	}
	if err == nil {
		e.TermDays, err = formInt(f.TermDays, 0, "term_days", "The licence term is a whole number of days.")
	}
	return f, e, err
}

// shopEditionSave adds an edition (edition_id empty) or saves one, prices included.
func (s *shopAdmin) shopEditionSave(w http.ResponseWriter, r *http.Request) {
	s.productChange(w, r, "shop-edition-saved", func(p shop.Product, d *shopProductData) error {
		f, e, err := readEdition(r, p.ID)
		if err == nil {
			err = s.shop.SaveEdition(r.Context(), principal(r), &e)
		}
		if err != nil {
			f.Err = formErrors(err, editionFields...)
		}
		d.NewEdition = f
		return err
	})
}

// shopDownloadAdd attaches a download: a path under DATA-DIR/downloads, or an https URL.
func (s *shopAdmin) shopDownloadAdd(w http.ResponseWriter, r *http.Request) {
	s.productChange(w, r, "shop-download-added", func(p shop.Product, d *shopProductData) error {
		f := downloadForm{Name: r.PostFormValue("download_name"), Location: strings.TrimSpace(r.PostFormValue("location"))}
		dl := shop.Download{ProductID: p.ID, Name: strings.TrimSpace(f.Name)}
		if strings.Contains(f.Location, "://") {
			dl.URL = f.Location
		} else {
			dl.File = strings.TrimPrefix(f.Location, "./")
		}
		err := s.shop.AddDownload(r.Context(), principal(r), &dl)
		if err != nil {
			f.Err = formErrors(err, "download_name", "download")
		}
		d.Download = f
		return err
	})
}

// shopDownloadDelete removes the download named by the posted download id.
func (s *shopAdmin) shopDownloadDelete(w http.ResponseWriter, r *http.Request) {
	s.productChange(w, r, "shop-download-gone", func(p shop.Product, d *shopProductData) error {
		id, _ := strconv.ParseInt(r.PostFormValue("download"), 10, 64)
		if id <= 0 {
			return errs.E(errs.Invalid, "Choose a download to remove.")
		}
		return s.shop.DeleteDownload(r.Context(), principal(r), p.ID, id)
	})
}

// productChange runs one change of a product's page: on success it redirects back
// with the notice done; a refusal shows the page again with the form as typed.
func (s *shopAdmin) productChange(w http.ResponseWriter, r *http.Request, done string, change func(shop.Product, *shopProductData) error) {
	p, ok := s.pathProduct(w, r, true)
	if !ok {
		return
	}
	var d shopProductData
	if err := change(p, &d); err != nil {
		if !refused(err) {
			s.fail(w, r, err)
			return
		}
		if d.NewEdition.Err == nil && d.Download.Err == nil {
			d.Download.Err = map[string]string{"": errs.PublicOf(err)}
		}
		s.renderProductPage(w, r, status(err), p, d)
		return
	}
	redirectDone(w, r, productURL(p.ID), done, "")
}

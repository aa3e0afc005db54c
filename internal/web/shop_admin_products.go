package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// The catalogue: the product list, and one page per product with its own fields, its
// editions and prices, and its downloads (shop_admin_editions.go).

// productRow is one product of the list.
type productRow struct {
	shop.Product
	URL      string
	Editions []string // "Standard: EUR 49.00 · USD 59.00"
}

// shopProducts lists every product, active or not.
func (s *shopAdmin) shopProducts(w http.ResponseWriter, r *http.Request) {
	ps, err := s.shop.Products(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]productRow, len(ps))
	for i, p := range ps {
		rows[i] = productRow{Product: p, URL: productURL(p.ID)}
		for _, e := range p.Editions {
			rows[i].Editions = append(rows[i].Editions, e.Name+": "+priceList(e))
		}
	}
	s.render(w, r, http.StatusOK, "shop_admin_products", page{Title: "Shop", Nav: "shop", Flash: shopFlash(r), Data: rows})
}

// priceList prints an edition's prices: "EUR 49.00 · USD 59.00".
func priceList(e shop.Edition) string {
	var out []string
	for _, c := range e.Currencies() {
		out = append(out, shop.FormatMoney(e.Prices[c], c))
	}
	return strings.Join(out, " · ")
}

// productForm is the product's own fields as the form shows them.
type productForm struct {
	ID                                          int64
	Slug, Name, Description, Version, Platforms string
	Active                                      bool
	Err                                         map[string]string
}

var productFields = []string{"slug", "name", "description", "version", "platforms"}

func productFormOf(p shop.Product) productForm {
	return productForm{ID: p.ID, Slug: p.Slug, Name: p.Name, Description: p.Description, Version: p.Version,
		Platforms: strings.Join(p.Platforms, ", "), Active: p.Active}
}

// readProduct reads the posted product form.
func readProduct(r *http.Request, id int64) (productForm, shop.Product) {
	f := productForm{ID: id, Slug: strings.TrimSpace(r.PostFormValue("slug")), Name: r.PostFormValue("name"),
		Description: strings.ReplaceAll(r.PostFormValue("description"), "\r\n", "\n"), Version: r.PostFormValue("version"),
		Platforms: r.PostFormValue("platforms"), Active: r.PostFormValue("active") == "on"}
	p := shop.Product{ID: id, Slug: f.Slug, Name: f.Name, Description: f.Description, Version: f.Version, Active: f.Active}
	for _, pl := range strings.Split(f.Platforms, ",") {
		if pl = strings.TrimSpace(pl); pl != "" && !slices.Contains(p.Platforms, pl) {
			p.Platforms = append(p.Platforms, pl)
		}
	}
	return f, p
}

// shopProductNew shows the form of a new product (active by default).
func (s *shopAdmin) shopProductNew(w http.ResponseWriter, r *http.Request) {
	s.renderProductForm(w, r, http.StatusOK, productForm{Active: true})
}

func (s *shopAdmin) renderProductForm(w http.ResponseWriter, r *http.Request, st int, f productForm) {
	s.render(w, r, st, "shop_admin_product", page{Title: "New product", Nav: "shop", Data: shopProductData{Product: f}})
}

// shopProductCreate creates a product, then shows its page to add editions.
func (s *shopAdmin) shopProductCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	f, p := readProduct(r, 0)
	if err := s.shop.SaveProduct(r.Context(), principal(r), &p); err != nil {
		if !refused(err) {
			s.fail(w, r, err)
			return
		}
		f.Err = formErrors(err, productFields...)
		s.renderProductForm(w, r, status(err), f)
		return
	}
	redirectDone(w, r, productURL(p.ID), "shop-product-created", "")
}

// shopProductSave saves the product's own fields.
func (s *shopAdmin) shopProductSave(w http.ResponseWriter, r *http.Request) {
	cur, ok := s.pathProduct(w, r, true)
	if !ok {
		return
	}
	id := cur.ID
	f, p := readProduct(r, id)
	p.CreatedAt = cur.CreatedAt
	if err := s.shop.SaveProduct(r.Context(), principal(r), &p); err != nil {
		if !refused(err) {
			s.fail(w, r, err)
			return
		}
		f.Err = formErrors(err, productFields...)
		s.renderProductPage(w, r, status(err), cur, shopProductData{Product: f})
		return
	}
	redirectDone(w, r, productURL(id), "shop-product-saved", "")
}

// pathProduct reads the product in the path (and with posted, the posted form),
// answering 404 when there is no shop or no such product.
func (s *shopAdmin) pathProduct(w http.ResponseWriter, r *http.Request, posted bool) (shop.Product, bool) {
	var id int64
	var ok bool
	if posted {
		id, ok = s.postedID(w, r, "product")
	} else {
		id, ok = s.pathIDOr404(w, r, "product")
	}
	if !ok {
		return shop.Product{}, false
	}
	p, err := s.productByID(r, id)
	if err != nil {
		s.fail(w, r, err)
		return p, false
	}
	return p, true
}

// productByID finds a product, active or not, by its id.
func (s *shopAdmin) productByID(r *http.Request, id int64) (shop.Product, error) {
	ps, err := s.shop.Products(r.Context(), principal(r))
	if err != nil {
		return shop.Product{}, err
	}
	i := slices.IndexFunc(ps, func(p shop.Product) bool { return p.ID == id })
	if i < 0 {
		return shop.Product{}, errs.E(errs.NotFound, "There is no such product.")
	}
	return ps[i], nil
}

package sqldb

import (
	"context"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
)

// ShopStore keeps the shop's catalogue, orders, licences, refunds and handled webhook
// events; it implements shop.Store. Authorization is the domain's.
type ShopStore struct{ DB *DB }

var _ shop.Store = ShopStore{}

// Products returns every product with its editions, prices and downloads, by name.
func (s ShopStore) Products(ctx context.Context) ([]shop.Product, error) {
	rows, err := s.DB.Query(ctx, query("products"))
	if err != nil {
		return nil, err
	}
	var out []shop.Product
	byID := map[int64]int{}
	for rows.Next() {
		var p shop.Product
		var platforms string
		var active int
		var created int64
		if err := rows.Scan(&p.ID, &p.Slug, &p.Name, &p.Description, &p.Version, &platforms, &active, &created); err != nil {
			rows.Close()
			return nil, translate(err)
		}
		if platforms != "" {
			p.Platforms = strings.Split(platforms, ",")
		}
		p.Active, p.CreatedAt = active != 0, millis(created)
		byID[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, translate(err)
	}
	if err := s.editions(ctx, out, byID); err != nil {
		return nil, err
	}
	return out, s.downloads(ctx, out, byID)
}

func (s ShopStore) editions(ctx context.Context, ps []shop.Product, byID map[int64]int) error {
	rows, err := s.DB.Query(ctx, query("editions"))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e shop.Edition
		var currency string
		var amount int64
		if err := rows.Scan(&e.ID, &e.ProductID, &e.Slug, &e.Name, &e.TermDays, &e.Seats, &currency, &amount); err != nil {
			return translate(err)
		}
		i, ok := byID[e.ProductID]
		if !ok {
			continue
		}
		p := &ps[i]
		if n := len(p.Editions); n == 0 || p.Editions[n-1].ID != e.ID {
			e.Prices = map[string]int64{}
			p.Editions = append(p.Editions, e)
		}
		if currency != "" {
			p.Editions[len(p.Editions)-1].Prices[currency] = amount
		}
	}
	return translate(rows.Err())
}

func (s ShopStore) downloads(ctx context.Context, ps []shop.Product, byID map[int64]int) error {
	rows, err := s.DB.Query(ctx, query("downloads"))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d shop.Download
		if err := rows.Scan(&d.ID, &d.ProductID, &d.Name, &d.File, &d.URL); err != nil {
			return translate(err)
		}
		if i, ok := byID[d.ProductID]; ok {
			ps[i].Downloads = append(ps[i].Downloads, d)
		}
	}
	return translate(rows.Err())
}

// SaveProduct inserts (ID 0) or updates a product's own fields.
func (s ShopStore) SaveProduct(ctx context.Context, p *shop.Product) error {
	active := boolInt(p.Active)
	return s.DB.InTx(ctx, func(tx *Tx) error {
		if p.ID == 0 {
			id, err := InsertID(ctx, tx, query("insert-product"), p.Slug, p.Name, p.Description, p.Version, strings.Join(p.Platforms, ","), active, toMillis(p.CreatedAt))
			p.ID = id
			return conflictAs(err, "slug", "Another product already has this slug.")
		}
		return conflictAs(Affected(tx.Exec(ctx, query("update-product"), p.Slug, p.Name, p.Description, p.Version, strings.Join(p.Platforms, ","), active, p.ID)), "slug", "Another product already has this slug.")
	})
}

// SaveEdition inserts or updates an edition and replaces its prices.
func (s ShopStore) SaveEdition(ctx context.Context, e *shop.Edition) error {
	return s.DB.InTx(ctx, func(tx *Tx) error {
		var err error
		if e.ID == 0 {
			e.ID, err = InsertID(ctx, tx, query("insert-edition"),
				e.ProductID, e.Slug, e.Name, e.TermDays, e.Seats)
		} else {
			err = Affected(tx.Exec(ctx, query("update-edition"),
				e.Slug, e.Name, e.TermDays, e.Seats, e.ID, e.ProductID))
		}
		if err != nil {
			return conflictAs(err, "edition_slug", "This product already has an edition with this slug.")
		}
		if _, err := tx.Exec(ctx, query("clear-prices"), e.ID); err != nil {
			return err
		}
		for _, c := range e.Currencies() {
			if _, err := tx.Exec(ctx, query("add-price"), e.ID, c, e.Prices[c]); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddDownload attaches a download to a product.
func (s ShopStore) AddDownload(ctx context.Context, d *shop.Download) error {
	return s.DB.InTx(ctx, func(tx *Tx) (err error) {
		d.ID, err = InsertID(ctx, tx, query("add-download"), d.ProductID, d.Name, d.File, d.URL)
		return err
	})
}

// DeleteDownload removes a product's download.
func (s ShopStore) DeleteDownload(ctx context.Context, productID, id int64) error {
	return Affected(s.DB.Exec(ctx, query("delete-download"), id, productID))
}

// SaveCoupon inserts a coupon.
func (s ShopStore) SaveCoupon(ctx context.Context, c *shop.Coupon) error {
	return s.DB.InTx(ctx, func(tx *Tx) (err error) {
		c.ID, err = InsertID(ctx, tx, query("save-coupon"), c.Code, c.PercentOff, c.AmountOff, c.Currency, toMillis(c.ExpiresAt), c.MaxUses, toMillis(c.CreatedAt))
		return conflictAs(err, "code", "A coupon with this code exists already.")
	})
}

func scanCoupon(sc interface{ Scan(...any) error }) (shop.Coupon, error) {
	var c shop.Coupon
	var expires, created int64
	err := sc.Scan(&c.ID, &c.Code, &c.PercentOff, &c.AmountOff, &c.Currency, &expires, &c.MaxUses, &c.Used, &created)
	c.ExpiresAt, c.CreatedAt = millis(expires), millis(created)
	return c, translate(err)
}

// Coupons lists the coupons, newest first.
func (s ShopStore) Coupons(ctx context.Context) ([]shop.Coupon, error) {
	rows, err := s.DB.Query(ctx, query("coupons"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shop.Coupon
	for rows.Next() {
		c, err := scanCoupon(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, translate(rows.Err())
}

// CouponByCode returns a coupon by its (upper-case) code.
func (s ShopStore) CouponByCode(ctx context.Context, code string) (shop.Coupon, error) {
	return scanCoupon(s.DB.QueryRow(ctx, query("coupon-by-code"), code))
}

// EndCoupon makes a coupon that has not expired yet expire at at.
func (s ShopStore) EndCoupon(ctx context.Context, id int64, at time.Time) error {
	return Affected(s.DB.Exec(ctx, query("end-coupon"),
		toMillis(at), id, toMillis(at)))
}

// conflictAs gives a unique-constraint error a public message for one field.
func conflictAs(err error, field, public string) error {
	if errs.CodeOf(err) == errs.Conflict {
		return &errs.Error{Code: errs.Invalid, Field: field, Public: public, Cause: err}
	}
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

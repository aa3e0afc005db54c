package shop

import (
	"context"
	"sync"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// catalogueTTL is how long the in-memory catalogue is trusted. A staff change made on
// this instance shows at once; one made on another instance within this long.
const catalogueTTL = 10 * time.Second

// catalogueCache holds every product (active or not) in memory, so the checkout and
// the fulfilment read no catalogue rows: the fulfilment runs inside the order's
// transaction and needs the product's downloads without another query.
type catalogueCache struct {
	mu      sync.Mutex
	bySlug  map[string]Product
	all     []Product
	expires time.Time
}

// products returns the cached catalogue, reloading it when stale.
func (s *Service) products(ctx context.Context) ([]Product, map[string]Product, error) {
	c := &s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := s.now(); c.bySlug == nil || now.After(c.expires) {
		all, err := s.store.Products(ctx)
		if err != nil {
			return nil, nil, err
		}
		c.all, c.bySlug, c.expires = all, make(map[string]Product, len(all)), now.Add(catalogueTTL)
		for _, p := range all {
			c.bySlug[p.Slug] = p
		}
	}
	return c.all, c.bySlug, nil
}

// productBySlug returns a product, active or not, from the cached catalogue.
func (s *Service) productBySlug(ctx context.Context, slug string) (Product, error) {
	_, bySlug, err := s.products(ctx)
	if err != nil {
		return Product{}, err
	}
	p, ok := bySlug[slug]
	if !ok {
		return Product{}, errs.E(errs.NotFound, "No such product.")
	}
	return p, nil
}

// forgetCatalogue drops the cache after a staff change.
func (s *Service) forgetCatalogue() {
	s.cache.mu.Lock()
	s.cache.bySlug, s.cache.all = nil, nil
	s.cache.mu.Unlock()
}

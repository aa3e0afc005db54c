package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/shop"
)

// CouponHolds returns pending orders with no payment in flight that hold a use of a
// coupon with a usage cap, created before t (oldest first, at most limit).
func (s ShopStore) CouponHolds(ctx context.Context, t time.Time, limit int) ([]shop.Order, error) {
	rows, err := s.DB.Query(ctx, query("coupon-holds"), toMillis(t), limit)
	if err != nil {
		return nil, err
	}
	return collectOrders(rows)
}

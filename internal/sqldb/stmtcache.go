package sqldb

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxCachedStatements bounds a statement cache; queries are static strings in code, so
// a real workload stays far below it, and beyond it statements are simply not cached.
const maxCachedStatements = 512

// stmtCache keeps prepared statements by query text for one pool, so that a hot query
// is parsed once per connection instead of at every call (on SQLite, parsing can cost
// more than running the statement).
type stmtCache struct {
	pool   *sql.DB
	mu     sync.RWMutex
	m      map[string]*sql.Stmt
	wanted map[string]bool // missed inside a transaction: prepared after it (see peek)
}

// cacheable reports whether a query may be prepared: one statement only (a prepared
// multi-statement string would run just its first statement on SQLite).
func cacheable(q string) bool {
	return !strings.Contains(strings.TrimRight(strings.TrimSpace(q), ";"), ";")
}

// get returns the prepared statement for q, or nil when q is not to be cached.
func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, error) {
	if !cacheable(q) {
		return nil, nil
	}
	c.mu.RLock()
	st, ok := c.m[q]
	c.mu.RUnlock()
	if ok {
		return st, nil
	}
	// Prepare without holding the lock: on SQLite preparing waits for the writer's one
	// connection, which a transaction may hold while it peeks at this cache.
	st, err := c.pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cached, ok := c.m[q]; ok {
		_ = st.Close() // another caller prepared it meanwhile
		return cached, nil
	}
	if len(c.m) >= maxCachedStatements {
		_ = st.Close()
		return nil, nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st, nil
}

// peek returns the cached statement for q without preparing one: a transaction holds
// the writer's only SQLite connection, so preparing on the pool then would wait forever.
// A miss is remembered and prepared by prepareWanted once the transaction is over.
func (c *stmtCache) peek(q string) *sql.Stmt {
	if !cacheable(q) {
		return nil
	}
	c.mu.RLock()
	st := c.m[q]
	c.mu.RUnlock()
	if st == nil {
		c.mu.Lock()
		if c.wanted == nil {
			c.wanted = map[string]bool{}
		}
		if len(c.wanted) < maxCachedStatements {
			c.wanted[q] = true
		}
		c.mu.Unlock()
	}
	return st
}

// prepareWanted prepares the statements that transactions missed.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.RLock()
	n := len(c.wanted)
	c.mu.RUnlock()
	if n == 0 {
		return
	}
	c.mu.Lock()
	wanted := c.wanted
	c.wanted = nil
	c.mu.Unlock()
	for q := range wanted {
		_, _ = c.get(ctx, q) // a failure just leaves q uncached
	}
}

// close closes every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}

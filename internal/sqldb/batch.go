package sqldb

import (
	"context"
	"fmt"
	"sync"
)

// maxBatch bounds how many operations share one group commit.
const maxBatch = 256

// batchOp is one operation waiting for a group commit.
type batchOp struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

// batcher runs write operations of many callers in shared transactions (group commit):
// on SQLite every commit waits for an fsync of the WAL, and one writer connection can
// do only so many a second; sharing the commit multiplies the durable write rate
// under load, while a lone operation still commits at once.
type batcher struct {
	once sync.Once
	ops  chan batchOp
	stop chan struct{}
}

// Batch runs fn in a write transaction shared with other concurrent Batch calls, inside
// its own savepoint: an error from fn rolls back fn's writes only and is returned to
// this caller alone. Batch returns after the shared transaction committed, so a nil
// result is durable exactly as with InTx. On PostgreSQL, which commits concurrently,
// Batch is InTx. Either way a panic in fn comes back as an error.
func (db *DB) Batch(ctx context.Context, fn func(tx *Tx) error) error {
	if !db.Dialect.sharesCommits() {
		return db.InTx(ctx, func(tx *Tx) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("sqldb: batched operation panicked: %T", p)
				}
			}()
			return fn(tx)
		})
	}
	db.batch.once.Do(func() {
		db.batch.ops = make(chan batchOp, maxBatch)
		db.batch.stop = make(chan struct{})
		go db.runBatches()
	})
	op := batchOp{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.batch.ops <- op:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.batch.stop:
		return errClosed
	}
	return <-op.done
}

var errClosed = fmt.Errorf("sqldb: the database is closed")

// runBatches takes every operation waiting at the moment (up to maxBatch) and commits
// them together, until the database closes.
func (db *DB) runBatches() {
	for {
		var first batchOp
		select {
		case first = <-db.batch.ops:
		case <-db.batch.stop:
			for {
				select {
				case op := <-db.batch.ops:
					op.done <- errClosed
				default:
					return
				}
			}
		}
		ops := []batchOp{first}
	drain:
		for len(ops) < maxBatch {
			select {
			case op := <-db.batch.ops:
				ops = append(ops, op)
			default:
				break drain
			}
		}
		db.commitBatch(ops)
	}
}

func (db *DB) commitBatch(ops []batchOp) {
	results := make([]error, len(ops))
	err := db.InTx(context.Background(), func(tx *Tx) error {
		for i, op := range ops {
			if err := op.ctx.Err(); err != nil {
				results[i] = err
				continue
			}
			results[i] = runSavepoint(op.ctx, tx, op.fn)
		}
		return nil
	})
	for i, op := range ops {
		if err != nil && results[i] == nil {
			results[i] = err // the shared commit failed: nothing of this op is durable
		}
		op.done <- results[i]
	}
}

// runSavepoint runs fn inside a savepoint of tx, rolling back to it when fn fails or
// panics (a panic is returned as an error to its caller, not raised in the batcher).
func runSavepoint(ctx context.Context, tx *Tx, fn func(tx *Tx) error) (err error) {
	if _, err := tx.Exec(ctx, query("savepoint")); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqldb: batched operation panicked: %T", p)
		}
		if err != nil {
			_, _ = tx.Exec(context.Background(), query("rollback-to-savepoint"))
		}
		_, _ = tx.Exec(context.Background(), query("release-savepoint"))
	}()
	return fn(tx)
}

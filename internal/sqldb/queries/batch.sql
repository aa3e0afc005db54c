-- Batch (batch.go) runs each operation of a shared transaction in its own savepoint.
-- name: savepoint
SAVEPOINT candor_op;

-- name: rollback-to-savepoint
ROLLBACK TO SAVEPOINT candor_op;

-- name: release-savepoint
RELEASE SAVEPOINT candor_op;

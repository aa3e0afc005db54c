package sqldb

import "context"

// PrepareNamedQueries prepares every named query of db's dialect on its writer, as the
// query files hold it (markers unfilled), and returns the failures by name.
func PrepareNamedQueries(ctx context.Context, db *DB) (prepared int, failed map[string]error) {
	failed = map[string]error{}
	for name := range namedQueries {
		q := db.Dialect.queryText(name)
		if q == "" {
			continue // another dialect's query alone
		}
		st, err := db.write.PrepareContext(ctx, db.Dialect.Rebind(q))
		if err != nil {
			failed[name] = err
			continue
		}
		_ = st.Close()
		prepared++
	}
	return prepared, failed
}

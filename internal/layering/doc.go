// Package layering holds no code: its test enforces the import rules of
// docs/architecture.md, so that the map stays true.
//
// Invariants (checked on every package of the module, transitively, test files
// excluded): a domain package never reaches net/http, database/sql, the storage
// adapter, the web layer, the commands or an outside-service adapter; the kernel
// reaches no domain; storage and adapters never reach the web layer or the commands;
// no production package imports a test kit; and every package belongs to a layer.
package layering

package privacy

import (
	"slices"
	"strings"

	"github.com/candor-dev/candor/internal/staff"
)

// Purpose is why a column is stored.
type Purpose string

// The purposes. The first five are the ones the privacy policy names; Operation is
// bookkeeping of the installation that is about no one.
const (
	Administration  Purpose = "administration"   // running the newsletter, inbox and staff
	Identification  Purpose = "identification"   // knowing who a person is (addresses, names)
	Fulfilment      Purpose = "fulfilment"       // delivering what was bought or asked for
	LegalObligation Purpose = "legal obligation" // tax records, proof of consent
	Statistics      Purpose = "statistics"       // aggregate visitor statistics
	Operation       Purpose = "operation"        // non-personal bookkeeping of the installation
)

// Purposes lists every purpose in the order the summary shows them.
var Purposes = []Purpose{Administration, Identification, Fulfilment, LegalObligation, Statistics, Operation}

// Erasure is what erasing a person, or the end of retention, does to a column.
type Erasure string

// The ways a column is erased.
const (
	WithRow       Erasure = "deleted with the row"
	Blanked       Erasure = "blanked"
	Pseudonymised Erasure = "pseudonymised"
	KeptIDs       Erasure = "kept: ids only"
	Kept          Erasure = "kept: nothing personal, or required by law"
)

// Field is one stored column.
type Field struct {
	Table, Column string
	What          string
	Personal      bool    // can hold personal data (also pseudonymous ids and blind indexes)
	Sealed        bool    // encrypted at rest with the installation's key (*_sealed)
	Purpose       Purpose // why it is stored
	Retention     string  // the name of its Rule
	See           staff.Permission
	Erasure       Erasure
}

// Roles lists the staff roles that may see the field (the command line sees everything).
func (f Field) Roles() []staff.Role {
	var out []staff.Role
	for _, r := range staff.Roles {
		if r.Can(f.See) {
			out = append(out, r)
		}
	}
	return out
}

// table declares every column of one table with the table's defaults; a column
// overrides what it sets itself. A column about no one in an administration table is
// bookkeeping (Operation); in other tables it serves the table's purpose.
func table(name string, purpose Purpose, retention string, see staff.Permission, erasure Erasure, cols ...Field) []Field {
	for i := range cols {
		f := &cols[i]
		f.Table = name
		f.Sealed = strings.HasSuffix(f.Column, "_sealed")
		if f.Purpose == "" {
			f.Purpose = purpose
			if !f.Personal && (purpose == Administration || purpose == Identification) {
				f.Purpose = Operation
			}
		}
		if f.Retention == "" {
			f.Retention = retention
		}
		if f.See == "" {
			f.See = see
		}
		if f.Erasure == "" {
			f.Erasure = erasure
			if erasure == KeptIDs && !f.Personal {
				f.Erasure = Kept
			}
		}
	}
	return cols
}

// join concatenates the fields of several tables.
func join(parts ...[]Field) []Field {
	var out []Field
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// col declares a column that holds nothing about a person.
func col(name, what string) Field { return Field{Column: name, What: what} }

// pers declares a column that can hold personal data.
func pers(name, what string) Field { return Field{Column: name, What: what, Personal: true} }

// as sets the purpose of a column.
func (f Field) as(p Purpose) Field { f.Purpose = p; return f }

// erased sets how a column is erased.
func (f Field) erased(e Erasure) Field { f.Erasure = e; return f }

// kept sets the retention rule of a column.
func (f Field) kept(rule string) Field { f.Retention = rule; return f }

// Inventory returns every declared column, sorted by table and column.
func Inventory() []Field {
	all := join(staffTables(), newsletterTables(), contactTables(), shopTables(), statsTables(), installationTables())
	slices.SortFunc(all, func(a, b Field) int {
		if c := strings.Compare(a.Table, b.Table); c != 0 {
			return c
		}
		return strings.Compare(a.Column, b.Column)
	})
	return all
}

// Summary counts the declared fields by purpose, and how many of them are personal.
func Summary() (byPurpose map[Purpose]int, personal, total int) {
	byPurpose = map[Purpose]int{}
	for _, f := range Inventory() {
		byPurpose[f.Purpose]++
		total++
		if f.Personal {
			personal++
		}
	}
	return byPurpose, personal, total
}

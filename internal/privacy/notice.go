package privacy

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/staff"
)

// NoticeInput is what the public privacy notice (/privacy) is generated from besides the
// inventory: the running configuration, the vendor's name, and the places Candor
// connects to (egress.Listing of the same configuration).
type NoticeInput struct {
	Settings map[string]string // the effective settings by name (config.Config.ListingByName)
	Vendor   string            // the vendor's name, as mails and pages show it
	Outside  []string          // every outbound destination, one a line; ["none"] when there is none
}

// settings reads the effective values of a NoticeInput.
type settings map[string]string

func (s settings) duration(name string) time.Duration {
	d, _ := time.ParseDuration(s[name]) // "0" parses as 0
	return d
}

func (s settings) int(name string) int {
	n, _ := strconv.Atoi(s[name])
	return n
}

func (s settings) bool(name string) bool { return s[name] == "true" }

// NoticeFacts is the generated part of the privacy notice: the same facts for the HTML
// page and /privacy.json, and what the version hash is computed over.
type NoticeFacts struct {
	Vendor         string        `json:"vendor"`
	PostalAddress  string        `json:"postal_address"`
	Forms          []FormFacts   `json:"forms"`
	Storage        StorageFacts  `json:"storage"`
	Retention      []PeriodFacts `json:"retention"`
	OutsideParties []string      `json:"outside_parties"`
	Payment        PaymentFacts  `json:"payment"`
	Statistics     StatsFacts    `json:"statistics"`
	Backups        *BackupFacts  `json:"backups"` // nil: no scheduled backups
	Rights         RightsFacts   `json:"rights"`
}

// FormFacts says what one form collects, why, how long it is kept and who may see it.
type FormFacts struct {
	Name     string       `json:"name"`
	Path     string       `json:"path"`
	Why      string       `json:"why"`
	Collects []string     `json:"collects"` // the personal columns it fills, from the inventory
	Purposes []Purpose    `json:"purposes"`
	Kept     []string     `json:"kept"`    // the retention rules (names) of what it stores
	SeenBy   []staff.Role `json:"seen_by"` // the staff roles that may see it
}

// StorageFacts says where the data lives: the database kind, never its address.
type StorageFacts struct {
	Database string `json:"database"` // "SQLite" or "PostgreSQL"
	Sealed   string `json:"sealed"`
}

// PeriodFacts is one retention rule with its configured period.
type PeriodFacts struct {
	Rule    string `json:"rule"`
	Setting string `json:"setting,omitempty"`
	Period  string `json:"period"`
	From    string `json:"from"`
	Then    string `json:"then"`
}

// PaymentFacts says how cards are paid and who sees the card.
type PaymentFacts struct {
	Mode      string `json:"mode"` // --payment: test, hosted or pass-through
	Processor string `json:"processor"`
	Receives  string `json:"receives"`
}

// StatsFacts says how visitor statistics work.
type StatsFacts struct {
	Cookie        bool     `json:"cookie"`
	Counted       []string `json:"counted"`
	MinVisitors   int      `json:"small_count_threshold"` // --stats-k
	RespectDNT    bool     `json:"respect_dnt_gpc"`       // --stats-respect-dnt
	DoNotTrack    string   `json:"dnt_gpc"`
	PathsScrubbed bool     `json:"paths_scrubbed"`
	CityDatabase  bool     `json:"city_database"` // --geoip-city
	Period        string   `json:"kept"`
}

// BackupFacts says how scheduled backups keep data, and for how long after an erasure.
type BackupFacts struct {
	Every        string `json:"every"`
	Keep         int    `json:"keep"`
	ErasedAfter  string `json:"erased_data_gone_after"` // every × keep
	EncryptedFor string `json:"encrypted"`
}

// RightsFacts says how a person sees, exports or erases what is held about them.
type RightsFacts struct {
	URL  string `json:"url"`
	Text string `json:"text"`
}

// MyDataPath is the self-service page where a person sees, exports and erases their data.
const MyDataPath = "/my-data"

// Notice builds the generated facts of the privacy notice from the inventory and in.
func Notice(in NoticeInput) NoticeFacts {
	cfg := settings(in.Settings)
	n := NoticeFacts{
		Vendor: in.Vendor, PostalAddress: cfg["postal-address"],
		Storage: StorageFacts{Database: databaseKind(cfg["db"]),
			Sealed: "addresses, names and texts are encrypted in the database with this installation's own key"},
		Retention:      periods(cfg),
		OutsideParties: slices.Clone(in.Outside),
		Payment:        payment(cfg),
		Statistics:     statistics(cfg),
		Rights: RightsFacts{URL: MyDataPath, Text: "Type your email on " + MyDataPath +
			": we mail you a link to see everything we hold under it, download a copy, or erase it."},
	}
	if len(n.OutsideParties) == 0 {
		n.OutsideParties = []string{"none"}
	}
	for _, f := range forms {
		n.Forms = append(n.Forms, f.facts())
	}
	if cfg["backup-dir"] != "" {
		every, keep := cfg.duration("backup-every"), cfg.int("backup-keep")
		n.Backups = &BackupFacts{Every: Period(every), Keep: keep, ErasedAfter: Period(every * time.Duration(keep)),
			EncryptedFor: "encrypted to the vendor's own key; older backups are deleted"}
	}
	return n
}

// databaseKind names the database of a --db value, never its address.
func databaseKind(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "PostgreSQL"
	}
	return "SQLite"
}

// payment describes the card processor of --payment.
func payment(cfg settings) PaymentFacts {
	p := PaymentFacts{Mode: cfg["payment"]}
	switch p.Mode {
	case "hosted":
		p.Processor = "Stripe (its own payment page)"
		p.Receives = "your card details, typed on Stripe's page, the amount, currency, what is bought and the order's reference; not the name or email you give us"
	case "pass-through":
		p.Processor = "Stripe (the card form here passes the card straight through)"
		p.Receives = "your card details, the amount, currency, what is bought and the order's reference; not the name or email you give us"
	default:
		p.Processor = "none: the built-in test processor, no card is charged"
		p.Receives = "nothing leaves this server"
	}
	return p
}

// statistics describes visitor statistics under cfg.
func statistics(cfg settings) StatsFacts {
	s := StatsFacts{
		Counted: []string{"page views and visitors per day (a daily salted hash, never stored)", "pages (paths, with identifiers removed)",
			"referring sites", "countries", "browsers, systems and device types", "events the vendor's pages name"},
		MinVisitors: cfg.int("stats-k"), RespectDNT: cfg.bool("stats-respect-dnt"), PathsScrubbed: true,
		CityDatabase: cfg["geoip-city"] != "", Period: Period(cfg.duration("stats-retention")),
	}
	if s.CityDatabase {
		s.Counted = append(s.Counted, "regions and cities (from a city database on this server)")
	}
	s.DoNotTrack = "not counted: browsers that send Do Not Track or Global Privacy Control are left out"
	if !s.RespectDNT {
		s.DoNotTrack = "counted like any other visit: this installation does not honour Do Not Track or Global Privacy Control"
	}
	return s
}

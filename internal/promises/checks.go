package promises

// The promises of the privacy policy (../shared/seed/privacy-policy.md), in its own
// words; "…" stands for the vendor's name.
const (
	promiseStoredHome = "Personal information is stored on … computers and is only accessed by authorized … personnel."
	promiseEncrypted  = "the credit card number is encrypted as it passes over the Internet"
	promiseNotShared  = "will not be shared with our partners or third parties"
	promisePurpose    = "This information will be used for administrative and identification purposes only"
	promiseNoCard     = "Your credit card number is not kept or recorded by … or our computers"
	promiseBroad      = "a broad picture of our population rather than focusing on any one individual"
)

// Checks lists every check in the order they run and are shown.
func Checks() []Check {
	return []Check{
		{ID: "keys-apart", Title: "Data keys apart from the data", Promise: promiseStoredHome, run: checkKeys,
			Help: "red when Candor listens on a public (non-loopback) address and the data keys are inside the data directory (generated into DATA-DIR/keys, or CANDOR_KEYS_FILE pointing there): a copy of that directory would open every sealed field"},
		{ID: "tls-public", Title: "TLS on a public address", Promise: promiseEncrypted, run: checkTLS,
			Help: "red when Candor listens on a public address with neither its own TLS (--tls-cert, --acme-domain) nor an https public URL (a proxy terminating TLS)"},
		{ID: "egress", Title: "Outbound connections only to allowed destinations", Promise: promiseNotShared, run: checkEgress,
			Help: "red when a destination Candor connects to is outside the allowlist of outbound connections (today: the configured relay, mailbox, card processor and ACME; a processor over plain http off loopback, or through a proxy only the environment names, is refused)"},
		{ID: "retention", Title: "Nothing kept past its retention period", Promise: promisePurpose, run: checkRetention,
			Help: "red when, for a time-bound retention rule of docs/privacy.md, records older than the rule's period plus a grace of two runs of the hourly retention job (2 h) are still stored"},
		{ID: "card-numbers", Title: "No card number on disk", Promise: promiseNoCard, run: checkCards,
			Help: "red when a Luhn-valid run of 13 to 19 digits that starts like a card number (2–6) is found in any file of the data directory (logs, backups, temporary files; .gz files decompressed, .age backups skipped as encrypted) or in any text column of the database, read through the database on both SQLite and PostgreSQL (the open SQLite files themselves are never opened)"},
		{ID: "stats-no-ip", Title: "No IP address in the statistics", Promise: promiseBroad, run: checkStatsIPs,
			Help: "red when a raw IPv4 or IPv6 address is found in any text or packed column of the statistics tables (those under the stats retention rule of the inventory)"},
		{ID: "sealed", Title: "Personal fields sealed at rest", Promise: promiseStoredHome, run: checkSealed,
			Help: "red when a column the inventory declares sealed holds a non-empty value that is not a sealed value (v1.<key id>.<payload>); every row is read, none sampled"},
		{ID: "audit-chain", Title: "Audit log intact", Promise: promiseStoredHome, run: checkChain,
			Help: "red when the audit log's hash chain does not verify (what `candor audit verify` checks)"},
		{ID: "outbox", Title: "No mail stuck in the outbox", Promise: promisePurpose, run: checkOutbox,
			Help: "red when a transactional mail (sealed recipient and text) is still queued longer than its delivery limit (72 h) after it was queued"},
	}
}

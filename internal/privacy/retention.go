package privacy

import "time"

// Rule is a named retention rule: how long one kind of record is kept, counted from
// when, what happens then, and the setting that changes it (empty when fixed).
type Rule struct {
	Name    string // how the inventory names it
	Setting string // the --flag that sets the period; "" when the period is not configurable
	Default string // the setting's default ("0": off), or the fixed period in words
	From    string // what the period counts from
	Then    string // what the retention job (or the named path) does at the end
	Why     string // why this default
}

// The retention rules, by name. Every Field.Retention names one of them (a test checks).
const (
	RuleStaffAccount   = "staff-account"
	RuleStaffSession   = "staff-session"
	RuleAudit          = "audit"
	RuleDataRequest    = "data-request"
	RuleInstallation   = "installation"
	RuleSubscription   = "subscription"
	RulePending        = "pending-subscription"
	RuleSignupIntake   = "signup-intake"
	RuleSuppression    = "suppression"
	RuleOutbox         = "outbox"
	RuleCampaignMail   = "campaign-delivery"
	RuleContactSpam    = "contact-spam"
	RuleContactReview  = "contact-review"
	RuleContactClosed  = "contact-closed"
	RuleContactIdle    = "contact-inactive"
	RuleCheckout       = "checkout"
	RuleOrder          = "order"
	RuleStats          = "stats"
	RuleStatsMailState = "stats-report"
)

// Rules lists every retention rule, in the order docs/privacy.md shows them.
var Rules = []Rule{
	{RuleSubscription, "", "while subscribed", "the sign-up", "the subscriber is erased at unsubscribe or erasure; only the blind index stays, as a suppression", "a subscription is consent that lasts until it is withdrawn"},
	{RulePending, "pending-ttl", "168h", "the sign-up", "unconfirmed sign-ups are deleted", "a week is enough to click a confirmation link"},
	{RuleSignupIntake, "", "seconds", "the answer to the sign-up form", "the row is deleted once the sign-up is stored (or refused for a suppressed address); rows left by a crash are processed at start-up and every 30 seconds, and every row before an erasure", "the sign-up is kept across a crash between the answer and its storage, and no longer"},
	{RuleSuppression, "", "kept", "the unsubscribe, bounce or erasure", "kept: only the keyed blind index of the address", "needed to never mail an address that said no (no readable address is kept)"},
	{RuleCampaignMail, "", "with the subscriber or campaign", "the send", "deleted with the subscriber or the campaign (no address or text in the row)", "the campaign's counts are read from these rows"},
	{RuleOutbox, "outbox-retention", "720h", "the send (dead or cancelled: the queueing)", "sent, dead and cancelled transactional mail is deleted", "a month to answer \"did my receipt go out?\""},
	{RuleContactSpam, "retention-spam", "720h", "the move to spam", "deleted with its messages", "a month to rescue a message filed as spam by mistake"},
	{RuleContactReview, "retention-review", "720h", "the move to needs review", "deleted with its messages", "a month to look at a held message"},
	{RuleContactClosed, "retention-closed", "8760h", "the closing", "deleted with its messages", "a year for a follow-up question on the same matter"},
	{RuleContactIdle, "retention-inactive", "8760h", "the last activity", "new, open and waiting conversations without activity are deleted with their messages", "a conversation nobody touched for a year is abandoned; open cases are not kept for ever"},
	{RuleCheckout, "checkout-retention", "720h", "the last change of the order", "failed and abandoned checkouts are deleted", "a month to answer a buyer whose payment failed; nothing was sold, so no law asks to keep them"},
	{RuleOrder, "order-retention", "87600h", "the payment", "the buyer's name, email, card brand/last 4/expiry and the processor's ids are erased; amounts, items, country, invoice number and licences stay for the books; payment events are deleted", "10 years: the longest EU tax-record period for invoices and books (Germany, §147 AO and §14b UStG)"},
	{RuleStaffAccount, "staff-retention", "8760h", "the disabling of the account", "the disabled account is deleted; its replies, notes and refunds keep no author; the audit log keeps its id", "a year to answer who did what with the account's name still at hand"},
	{RuleStaffSession, "session-idle", "30m", "the last request", "the session is deleted", "an unattended signed-in browser should not stay usable"},
	{RuleStats, "stats-retention", "0", "the counted day", "aggregates of older days are deleted (0: kept)", "aggregates hold no personal data; a vendor compares years"},
	{RuleStatsMailState, "", "with the staff member or site", "the subscription", "deleted with the staff member or the site", "which weeks were mailed, nothing else"},
	{RuleDataRequest, "", "3 years", "the answer (or the receipt, while unanswered)", "the request record (its blind index and sealed address) is deleted", "proof that a person's request was answered in time (GDPR Art. 5(2) and 12(3)) for as long as a claim about it can be brought: the usual 3-year limitation period"},
	{RuleAudit, "", "kept", "the event", "kept: it holds ids and counts, never an address or a text", "the hash-chained audit log proves what staff did; removing entries would break the chain"},
	{RuleInstallation, "", "until staff remove it", "its creation", "deleted by staff (catalogue, lists, sites, settings)", "configuration of the installation, not about a person"},
}

// DataRequestRetention is how long a data request's record is kept after its answer
// (RuleDataRequest): 3 years.
const DataRequestRetention = 3 * 365 * 24 * time.Hour

// RuleNamed returns the rule of that name; ok is false when there is none.
func RuleNamed(name string) (Rule, bool) {
	for _, r := range Rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

package privacy

import "github.com/candor-dev/candor/internal/staff"

// The staff accounts and the audit log.
func staffTables() []Field {
	return append(append(append(
		table("staff", Administration, RuleStaffAccount, staff.ManageStaff, WithRow,
			col("id", "the account's number; the audit log names it"),
			pers("email_index", "keyed blind index of the staff member's email").as(Identification),
			pers("email_sealed", "the staff member's email").as(Identification),
			pers("display_name_sealed", "the name colleagues see").as(Identification),
			col("role", "the role"),
			pers("password_hash", "Argon2id hash of the password"),
			col("must_change_password", "whether the next sign-in must set a new password"),
			pers("totp_sealed", "the second factor's secret"),
			pers("totp_pending_sealed", "a second factor's secret being set up"),
			col("totp_last_step", "the last second-factor step used (replay protection)"),
			col("failed_logins", "failed sign-ins in a row"),
			col("locked_until", "sign-in lock after failures"),
			col("disabled_at", "when the account was disabled; retention counts from here"),
			col("created_at", "when the account was created"),
			col("password_changed_at", "when the password last changed"),
		),
		table("staff_recovery_codes", Administration, RuleStaffAccount, staff.ManageStaff, WithRow,
			pers("staff_id", "the account"),
			pers("code_hash", "hash of a one-time recovery code"),
			col("used_at", "when the code was used"),
		)...),
		table("staff_sessions", Administration, RuleStaffSession, staff.ManageStaff, WithRow,
			pers("token_hash", "hash of the session cookie"),
			pers("staff_id", "the signed-in account"),
			col("created_at", "sign-in time"),
			col("last_seen_at", "last request; the idle timeout counts from here"),
			col("mfa_pending", "whether the second factor is still to be given"),
		)...),
		table("audit_log", Administration, RuleAudit, staff.ViewAudit, KeptIDs,
			col("seq", "position in the hash chain"),
			col("at", "when"),
			pers("actor", "who acted, as an id (staff:ID, cli, subscriber, public)"),
			col("action", "what was done"),
			pers("subject", "what it was done to, as an id (subscriber:ID, order:ID…)"),
			pers("detail", "ids and counts of the action; never an address or a text"),
			col("prev_hash", "the previous entry's hash"),
			col("hash", "this entry's hash"),
		)...)
}

// The newsletter and the outbox of every mail.
func newsletterTables() []Field {
	sub := table("subscribers", Administration, RuleSubscription, staff.ManageSubscribers, WithRow,
		col("id", "the subscriber's number"),
		pers("email_index", "keyed blind index of the address (finds it, suppresses it)").as(Identification),
		pers("email_sealed", "the subscriber's email").as(Identification),
		pers("name_sealed", "the subscriber's name, when given").as(Identification),
		col("status", "pending, confirmed or unsubscribed"),
		pers("consent_source", "where consent was given (form, import)").as(LegalObligation),
		pers("consent_text_hash", "hash of the consent text shown").as(LegalObligation),
		pers("created_at", "when the sign-up happened").as(LegalObligation),
		pers("confirmed_at", "when the address was confirmed (double opt-in)").as(LegalObligation),
		col("confirmation_sent_at", "last confirmation mail (rate limit)"),
		col("updated_at", "last change"),
	)
	lists := table("subscriber_lists", Administration, RuleSubscription, staff.ManageSubscribers, WithRow,
		pers("subscriber_id", "the subscriber"),
		col("list_id", "the list"),
		pers("subscribed", "whether the subscriber receives that list"),
		col("updated_at", "last change"),
	)
	events := table("subscriber_events", LegalObligation, RuleSubscription, staff.ManageSubscribers, WithRow,
		col("id", "the event's number"),
		pers("subscriber_id", "the subscriber"),
		pers("at", "when"),
		pers("event", "what happened (subscribed, confirmed, …): the consent history"),
		pers("detail", "ids of the event (list, campaign); no address"),
	)
	supp := table("suppressions", LegalObligation, RuleSuppression, staff.ManageSubscribers, KeptIDs,
		pers("email_index", "keyed blind index of an address never to be mailed again"),
		col("reason", "unsubscribed, bounce, complaint, erased or manual"),
		col("created_at", "when"),
	)
	outbox := table("mail_outbox", Fulfilment, RuleOutbox, staff.ViewOutbox, WithRow,
		col("id", "the message's number"),
		col("purpose", "what the mail is (campaign, confirmation, reply, receipt…)"),
		col("campaign_id", "the campaign of a campaign mail"),
		pers("subscriber_id", "the recipient of a campaign mail").kept(RuleCampaignMail),
		pers("to_sealed", "the recipient of a transactional mail").as(Identification),
		pers("to_index", "keyed blind index of that recipient (bounce suppression)").as(Identification),
		pers("content_sealed", "the rendered transactional mail"),
		col("message_id", "the mail's Message-ID"),
		col("status", "queued, sending, sent, failed, dead or cancelled"),
		col("attempts", "delivery attempts"),
		col("next_attempt_at", "next delivery attempt"),
		col("lease_until", "a worker's claim"),
		col("first_failure_at", "first temporary failure"),
		col("hard_bounce", "whether the relay refused the address"),
		col("last_error", "the SMTP code of the last failure; never the recipient"),
		col("created_at", "when queued"),
		col("sent_at", "when sent"),
	)
	return append(append(append(append(sub, lists...), events...), supp...), outbox...)
}

// The contact form and the staff inbox.
func contactTables() []Field {
	conv := table("contact_conversations", Administration, RuleContactClosed, staff.ReadInbox, WithRow,
		col("id", "the conversation's number"),
		col("folder", "new, open, waiting, closed, spam or review; decides the retention rule"),
		col("assignee_id", "the staff member it is assigned to"),
		pers("email_index", "keyed blind index of the sender's address").as(Identification),
		pers("email_sealed", "the sender's email").as(Identification),
		pers("name_sealed", "the sender's name").as(Identification),
		pers("subject_sealed", "the subject the sender wrote"),
		col("topic", "a product or topic from a fixed list"),
		col("spam_score", "the spam filter's score"),
		col("spam_signals", "names of the spam rules that matched; never the text"),
		col("thread_id", "the Message-ID that roots the mail thread"),
		col("created_at", "when it arrived"),
		col("updated_at", "last activity; the inactivity retention counts from here"),
		col("folder_changed_at", "last folder change; folder retention counts from here"),
	)
	msgs := table("contact_messages", Administration, RuleContactClosed, staff.ReadInbox, WithRow,
		col("id", "the message's number"),
		col("conversation_id", "the conversation"),
		col("kind", "in (from the sender), out (a reply) or note (internal)"),
		pers("body_sealed", "what was written"),
		col("author_id", "the staff member of a reply or note"),
		col("message_id", "the mail Message-ID of a reply or an answer"),
		col("created_at", "when"),
	)
	return append(conv, msgs...)
}

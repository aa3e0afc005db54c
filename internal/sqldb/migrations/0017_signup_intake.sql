-- Sign-ups acknowledged and not yet processed (issue 12 item 4). /subscribe stores one
-- row per accepted sign-up before it answers, the same write whatever Candor knows about
-- the address, so its answer time tells nothing and a crash after the answer loses
-- nothing; the after-answer job (or, after a crash, `serve`'s intake job) runs the
-- sign-up and deletes the row. payload_sealed holds the address, name, lists, consent
-- version and source as one sealed value (context "newsletter.intake"); no index, so the
-- row says nothing about who signed up until it is opened. Times are BIGINT Unix ms.

CREATE TABLE signup_intake (
	id {{ID}},
	payload_sealed TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE INDEX signup_intake_created ON signup_intake (created_at);

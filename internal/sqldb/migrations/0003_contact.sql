-- Contact form and staff inbox. What people write is sealed (*_sealed); the sender is
-- found by blind index (email_index). No IP address or user agent is stored.
-- Times are BIGINT Unix milliseconds.

CREATE TABLE contact_conversations (
	id {{ID}},
	folder TEXT NOT NULL CHECK (folder IN ('new', 'open', 'waiting', 'closed', 'spam', 'review')),
	assignee_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
	email_index TEXT NOT NULL,
	email_sealed TEXT NOT NULL,
	name_sealed TEXT NOT NULL,
	subject_sealed TEXT NOT NULL,
	topic TEXT NOT NULL DEFAULT '',          -- a product or topic from a fixed list; not personal
	spam_score INTEGER NOT NULL DEFAULT 0,
	spam_signals TEXT NOT NULL DEFAULT '',   -- rule names, comma-separated; never the text
	thread_id TEXT NOT NULL,                 -- the Message-ID that roots the mail thread
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	folder_changed_at BIGINT NOT NULL        -- retention counts from here
);
CREATE INDEX contact_conversations_folder ON contact_conversations (folder, updated_at);
CREATE INDEX contact_conversations_email ON contact_conversations (email_index);
CREATE INDEX contact_conversations_assignee ON contact_conversations (assignee_id, folder);

CREATE TABLE contact_messages (
	id {{ID}},
	conversation_id BIGINT NOT NULL REFERENCES contact_conversations (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('in', 'out', 'note')),
	body_sealed TEXT NOT NULL,
	author_id BIGINT REFERENCES staff (id) ON DELETE SET NULL, -- the staff member of a reply or note
	message_id TEXT NOT NULL DEFAULT '',     -- the mail Message-ID of a reply
	created_at BIGINT NOT NULL
);
CREATE INDEX contact_messages_conversation ON contact_messages (conversation_id, id);

-- Answers by mail to the inbox's replies (read from an IMAP mailbox): an answer is
-- found by the Message-IDs it refers to (a reply's, or the thread's root), and stored
-- once per conversation, by its own Message-ID.

CREATE INDEX contact_messages_message_id ON contact_messages (message_id);
CREATE UNIQUE INDEX contact_messages_once ON contact_messages (conversation_id, message_id) WHERE message_id <> '';
CREATE INDEX contact_conversations_thread ON contact_conversations (thread_id);

-- How far an inbound mailbox has been read: its UIDVALIDITY and the last UID looked at.
-- Nothing of any mail is kept here.
CREATE TABLE mail_inbound_state (
	source TEXT PRIMARY KEY,          -- the mailbox's URL without its password
	uid_validity BIGINT NOT NULL,
	last_uid BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

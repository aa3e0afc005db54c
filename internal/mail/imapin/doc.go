// Package imapin reads the answers people send to the inbox's replies from an IMAP
// mailbox: Poller fetches the mails that arrived since the last poll, Parse keeps of
// each only its sender, the ids of the mails it answers and its new text.
//
// Invariants: Candor never changes the mailbox (mails are read with BODY.PEEK, so they
// stay unread for the mail program of whoever else reads it, and none is moved or
// deleted); the position reached (UIDVALIDITY and the last UID) is all it remembers of
// the mailbox; a mail's text reaches only the conversation it answers.
package imapin

-- A display name each staff member chooses for colleagues: how the inbox names an
-- assignee or the author of a reply or note, so no one needs a colleague's email. It is
-- a person's name, so it is sealed like the email (context staff.name); '' when unset.

ALTER TABLE staff ADD COLUMN display_name_sealed TEXT NOT NULL DEFAULT '';

-- Each person may choose the language of the till's screens and receipts;
-- NULL means the store's default. The codes are the message catalogue's
-- (two or three lower-case letters); the service checks that the catalogue
-- has the language, this CHECK keeps anything else out of the column.
ALTER TABLE users ADD COLUMN language text NULL;
ALTER TABLE users ADD CONSTRAINT users_language_code CHECK (language IS NULL OR language ~ '^[a-z]{2,3}$');

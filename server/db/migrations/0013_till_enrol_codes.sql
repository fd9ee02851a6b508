-- 0013: till enrolment codes. A manager creates a short code on the back
-- office (or `salespider till enrol-code`); a new browser types it with a
-- till name to enrol itself without anyone signing in on it
-- (docs/security.md "Enrolment codes"). Never edit once released.
--
-- Only the code's SHA-256 is kept: whoever reads the database cannot enrol
-- with a code still open. A code is used at most once (used_at, till_id set
-- in the enrolling transaction, under the row's lock) and expires 15 minutes
-- after it was made (the service decides the lifetime; the table keeps it).
CREATE TABLE till_enrol_codes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id    uuid NOT NULL REFERENCES stores(id),
  code_hash   bytea NOT NULL UNIQUE CHECK (length(code_hash) = 32),
  name        text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 400),  -- the suggested till name
  created_by  uuid REFERENCES users(id),  -- NULL: made with the admin CLI
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  till_id     uuid REFERENCES tills(id),
  CHECK ((used_at IS NULL) = (till_id IS NULL))
);
CREATE INDEX till_enrol_codes_open ON till_enrol_codes (store_id, expires_at) WHERE used_at IS NULL;

-- Wrong codes are throttled per client address with the login throttle
-- (login_throttle, login_attempts): they are failed attempts of their own kind.
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_method_check;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_method_check
  CHECK (method IN ('password', 'pin', 'enrol_code'));

-- 0006: login throttling per account and client address, with backoff
-- (docs/security.md "Login throttling").
--
-- One row per (account, client address): the failures counted in the
-- current window, the block they led to and how many blocks came before it
-- (the backoff doubles with each). An attempt is counted *before* its
-- password is checked, by one INSERT ... ON CONFLICT DO UPDATE on this row
-- (a row lock), so concurrent wrong guesses never pass the limit; a right
-- password deletes the row again. `account` is the user's id, or
-- 'login:' || the lowercased login when no user has that login, so unknown
-- names are throttled exactly like real ones (no enumeration by the lock).
-- users.locked_until and users.failures_reset_at (0002) are no longer used:
-- a lock was per account, so a stranger could keep the owner out.

CREATE TABLE login_throttle (
  store_id          uuid NOT NULL REFERENCES stores(id),
  account           text NOT NULL CHECK (length(account) <= 300),
  client_ip         text NOT NULL CHECK (length(client_ip) <= 64),  -- '' when not over HTTP
  failures          integer NOT NULL CHECK (failures >= 0),
  window_started_at timestamptz NOT NULL,
  blocked_until     timestamptz,
  blocks            integer NOT NULL DEFAULT 0 CHECK (blocks >= 0),
  last_failure_at   timestamptz NOT NULL,
  PRIMARY KEY (store_id, account, client_ip)
);

CREATE INDEX login_throttle_blocked ON login_throttle (account) WHERE blocked_until IS NOT NULL;

UPDATE users SET locked_until = NULL;

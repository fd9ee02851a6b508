-- 0002: staff, sessions, login throttling, till credentials, offline grants
-- and the sealed audit chain (docs/security.md). Never edit once released.

-- ---------------------------------------------------------------- users
-- Three roles (the original's SUPER_ADMIN, MANAGER, CASHIER); 'admin' is gone.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('super_admin', 'manager', 'cashier'));
ALTER TABLE users
  ADD COLUMN locked_until        timestamptz,   -- too many failed logins; NULL = not locked
  ADD COLUMN failures_reset_at   timestamptz,   -- failures before this no longer count (success, unlock)
  ADD COLUMN password_changed_at timestamptz;

-- Every login attempt, kept for throttling (per account, per address) and
-- for the operator; each one is also in audit_log.
CREATE TABLE login_attempts (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store_id      uuid NOT NULL REFERENCES stores(id),
  login         text NOT NULL CHECK (length(login) <= 254),  -- as typed, lowercased
  user_id       uuid REFERENCES users(id),
  client_ip     inet,
  method        text NOT NULL CHECK (method IN ('password', 'pin')),
  succeeded     boolean NOT NULL,
  reason        text CHECK (reason IS NULL OR reason ~ '^[a-z_]{1,32}$'),
  attempted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_user_idx ON login_attempts (user_id, attempted_at) WHERE NOT succeeded;
CREATE INDEX login_attempts_ip_idx ON login_attempts (client_ip, attempted_at) WHERE NOT succeeded;

-- Throttling and grant policy, per store.
ALTER TABLE settings
  ADD COLUMN login_max_failures             integer NOT NULL DEFAULT 5 CHECK (login_max_failures BETWEEN 1 AND 100),
  ADD COLUMN login_max_failures_per_address integer NOT NULL DEFAULT 20 CHECK (login_max_failures_per_address BETWEEN 1 AND 10000),
  ADD COLUMN login_window_minutes           integer NOT NULL DEFAULT 15 CHECK (login_window_minutes BETWEEN 1 AND 1440),
  ADD COLUMN login_lockout_minutes          integer NOT NULL DEFAULT 60 CHECK (login_lockout_minutes BETWEEN 1 AND 10080);
-- Offline grants last 7 days unless the owner says otherwise.
ALTER TABLE settings ALTER COLUMN offline_grant_hours SET DEFAULT 168;
UPDATE settings SET offline_grant_hours = 168 WHERE offline_grant_hours = 72;

-- ---------------------------------------------------------------- sessions and tills
ALTER TABLE sessions
  ADD COLUMN method text NOT NULL DEFAULT 'password' CHECK (method IN ('password', 'pin')),
  ADD COLUMN revoked_reason text CHECK (revoked_reason IS NULL OR revoked_reason ~ '^[a-z_]{1,32}$');
CREATE INDEX sessions_store_idx ON sessions (store_id, created_at DESC);

-- A credential names one till.
CREATE UNIQUE INDEX tills_credential_key ON tills (credential_hash) WHERE credential_hash IS NOT NULL;

-- ---------------------------------------------------------------- offline grants
-- What the server signed (service/grants.hpp). The signature makes a grant
-- trustworthy offline; this row makes it revocable. Revoked, unexpired
-- grants are pulled by their till (GET /api/v1/grants/revoked).
CREATE TABLE offline_grants (
  id              uuid PRIMARY KEY,
  store_id        uuid NOT NULL REFERENCES stores(id),
  user_id         uuid NOT NULL REFERENCES users(id),
  till_id         uuid NOT NULL REFERENCES tills(id),
  session_id      uuid REFERENCES sessions(id),
  role            text NOT NULL CHECK (role IN ('super_admin', 'manager', 'cashier')),
  issued_at       timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  revoked_reason  text CHECK (revoked_reason IS NULL OR revoked_reason ~ '^[a-z_]{1,32}$'),
  CHECK (expires_at > issued_at),
  CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX offline_grants_user_idx ON offline_grants (user_id) WHERE revoked_at IS NULL;
CREATE INDEX offline_grants_till_revoked_idx ON offline_grants (till_id, expires_at) WHERE revoked_at IS NOT NULL;

-- ---------------------------------------------------------------- the audit chain
-- Writers insert with their transaction id; the sealer (service/audit.cpp)
-- chains rows in (txid, id) order below pg_snapshot_xmin, so a row committed
-- late by a long transaction is never skipped or chained out of place.
ALTER TABLE audit_log
  ADD COLUMN txid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
  ADD COLUMN chain_pos bigint UNIQUE CHECK (chain_pos IS NULL OR chain_pos > 0),
  ADD CONSTRAINT audit_log_sealed_whole CHECK ((chain_pos IS NULL) = (hash IS NULL) AND (hash IS NULL) = (prev_hash IS NULL));
CREATE INDEX audit_log_unsealed_idx ON audit_log (txid, id) WHERE chain_pos IS NULL;
CREATE INDEX audit_log_action_idx ON audit_log (store_id, action, id);

-- Append-only, except that the sealer may fill the three sealing columns of
-- a row once. Everything else (edits, deletes, re-sealing) is refused. A
-- superuser can still switch triggers off; the chain and its anchors outside
-- the database are what catch that.
DROP TRIGGER audit_log_append_only ON audit_log;
CREATE FUNCTION audit_log_seal_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.chain_pos IS NOT NULL THEN
    RAISE EXCEPTION 'audit_log row % is sealed', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.id, NEW.store_id, NEW.occurred_at, NEW.actor_user_id, NEW.actor_till_id, NEW.action, NEW.entity,
      NEW.entity_id, NEW.request_id, NEW.client_ip, NEW.detail, NEW.txid)
     IS DISTINCT FROM
     (OLD.id, OLD.store_id, OLD.occurred_at, OLD.actor_user_id, OLD.actor_till_id, OLD.action, OLD.entity,
      OLD.entity_id, OLD.request_id, OLD.client_ip, OLD.detail, OLD.txid) THEN
    RAISE EXCEPTION 'audit_log is append-only: only sealing may update a row' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_seal_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_seal_only();

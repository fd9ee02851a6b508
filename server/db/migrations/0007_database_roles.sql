-- 0007: the audit table under least privilege (docs/security.md "The
-- database roles"). The server's application role may only INSERT and SELECT
-- audit_log (grants: db/roles.cpp); what it inserts cannot lie about when or
-- in which transaction, and it cannot pre-seal a row. Sealing goes through
-- one function that keeps the chain contiguous. Never edit once released.

-- ---------------------------------------------------------------- forced columns
-- Whatever a writer sends, the database sets: occurred_at (the transaction's
-- start, as the old DEFAULT did), txid (the writer's own transaction, which
-- the sealer's watermark relies on), and no chain position or hashes.
CREATE FUNCTION audit_log_force_columns() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.occurred_at := now();
  NEW.txid := pg_current_xact_id();
  NEW.chain_pos := NULL;
  NEW.prev_hash := NULL;
  NEW.hash := NULL;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_force_columns
  BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_force_columns();

-- ---------------------------------------------------------------- sealing
-- The application role has no UPDATE on audit_log. The sealer (service/
-- audit.cpp, in the server under the app role) calls this instead; it runs
-- with the owner's rights and seals exactly one unsealed row as the next
-- position after the current head, so even a hostile caller can only extend
-- the chain in order (a wrong hash is caught by `audit verify`).
CREATE FUNCTION audit_seal_row(p_id bigint, p_position bigint, p_prev_hash bytea, p_hash bytea)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  head_pos  bigint;
  head_hash bytea;
BEGIN
  SELECT chain_pos, hash INTO head_pos, head_hash
    FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1;
  IF head_pos IS NULL THEN
    head_pos := 0;
    head_hash := decode(repeat('00', 32), 'hex');
  END IF;
  IF p_position IS DISTINCT FROM head_pos + 1 OR p_prev_hash IS DISTINCT FROM head_hash THEN
    RAISE EXCEPTION 'audit_seal_row: position % after head % does not extend the chain', p_position, head_pos
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE audit_log SET chain_pos = p_position, prev_hash = p_prev_hash, hash = p_hash
   WHERE id = p_id AND chain_pos IS NULL
     AND txid < pg_snapshot_xmin(pg_current_snapshot());
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit_seal_row: row % is not sealable', p_id USING ERRCODE = 'insufficient_privilege';
  END IF;
END;
$$;
REVOKE ALL ON FUNCTION audit_seal_row(bigint, bigint, bytea, bytea) FROM PUBLIC;

-- ---------------------------------------------------------------- Z reports
-- A Z report carries the audit chain head as it was when the shift closed
-- (the last sealed row; the sealer runs every second), so a printed Z report
-- is one more copy of the head outside the database. Set by the database at
-- the close and never changed afterwards.
ALTER TABLE shifts
  ADD COLUMN close_audit_position bigint CHECK (close_audit_position IS NULL OR close_audit_position >= 0),
  ADD COLUMN close_audit_hash     bytea CHECK (close_audit_hash IS NULL OR length(close_audit_hash) = 32);

CREATE FUNCTION shifts_record_audit_head() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'closed' THEN
    NEW.close_audit_position := OLD.close_audit_position;
    NEW.close_audit_hash := OLD.close_audit_hash;
  ELSIF NEW.status = 'closed' THEN
    SELECT chain_pos, hash INTO NEW.close_audit_position, NEW.close_audit_hash
      FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1;
    NEW.close_audit_position := coalesce(NEW.close_audit_position, 0);
  ELSE
    NEW.close_audit_position := NULL;
    NEW.close_audit_hash := NULL;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER shifts_record_audit_head
  BEFORE INSERT OR UPDATE ON shifts
  FOR EACH ROW EXECUTE FUNCTION shifts_record_audit_head();

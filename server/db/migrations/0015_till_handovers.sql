-- 0015: hand-overs of a till's unsynced ops (docs/security.md "Hand-over of
-- a retired till", docs/reliability.md). A till that was retired, replaced
-- or whose credential is refused keeps its ops; they reach the server under
-- the OLD till's identity either pushed by the till that browser became
-- after a manager re-enrolled it (via 're-enrol': to_till is that till), or
-- from an export file imported on the server's shell (via 'import': to_till
-- NULL). One row per accepted batch or imported file; the ops themselves are
-- in sync_ops as always (applied once by op id). Never edit once released.
CREATE TABLE till_handovers (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id   uuid NOT NULL REFERENCES stores(id),
  from_till  uuid NOT NULL REFERENCES tills(id),
  to_till    uuid REFERENCES tills(id),
  via        text NOT NULL CHECK (via IN ('re-enrol', 'import')),
  by_user    uuid REFERENCES users(id),  -- who enrolled to_till / NULL: the admin CLI
  at         timestamptz NOT NULL DEFAULT now(),
  op_count   integer NOT NULL CHECK (op_count >= 0),  -- ops in the batch or file
  new_ops    integer NOT NULL CHECK (new_ops >= 0),   -- of them, recorded for the first time
  CHECK ((via = 're-enrol') = (to_till IS NOT NULL)),
  CHECK (from_till IS DISTINCT FROM to_till)
);
CREATE INDEX till_handovers_from ON till_handovers (from_till, at);

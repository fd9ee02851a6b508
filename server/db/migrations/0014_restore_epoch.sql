-- 0014: the restore epoch (docs/sync-protocol.md "The restore epoch").
-- Every pull answer carries the newest epoch. `salespider restore` adds a
-- row after each restore: the database is then back at an earlier point,
-- feed cursors (transaction ids) can repeat and ops the tills saw
-- acknowledged may be gone, so a till that sees the epoch change pushes the
-- ops it kept again (applied once, by op id) and pulls from the start.
--
-- One row per epoch, the first made here: a database that was never restored
-- has one epoch from its installation on. The table is the database's, not a
-- store's: a restore puts back every store at once. Never edit once released.
CREATE TABLE restore_epochs (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  epoch       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  started_at  timestamptz NOT NULL DEFAULT now(),
  -- what was restored: 'installed' for the first epoch, else the restore's
  -- target as the command was given it ('latest', 'time 2026-05-01 18:00:00
  -- (Europe/Paris)', 'set 20260501-010000F')
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 400)
);

INSERT INTO restore_epochs (reason) VALUES ('installed');

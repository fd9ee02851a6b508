-- 0019: network receipt printers the server relays to, and "no sale"
-- drawer opens (docs/printers.md, docs/api.md "Printers").
--
--   * printers: store configuration a manager sets up (an ESC/POS printer on
--     the LAN, raw TCP, port 9100 by default). Only these hosts are ever
--     connected to by POST /api/v1/printers/{id}/print: a request never
--     names a host. row_version is bumped by the trigger of 0003; printers
--     are NOT in the pull feed (printing through the server needs the server
--     anyway, so a till reads the list with GET when it is online).
--   * drawer_opens: a cash drawer opened without a sale. The id is made by
--     the till, so a retried request is recognised and recorded once.
-- Never edit once released.

CREATE TABLE printers (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id    uuid NOT NULL REFERENCES stores(id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  -- A host name or an IPv4/IPv6 literal, checked by service/printers.cpp;
  -- here only its bounds and no scheme, path or space.
  host        text NOT NULL CHECK (length(host) BETWEEN 1 AND 253 AND host !~ '[/\s@]'),
  port        integer NOT NULL DEFAULT 9100 CHECK (port BETWEEN 1 AND 65535),
  paper_mm    integer NOT NULL DEFAULT 80 CHECK (paper_mm IN (58, 80)),
  code_page   text NOT NULL DEFAULT 'cp437' CHECK (code_page ~ '^[a-z0-9]{1,16}$'),
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  row_version bigint NOT NULL DEFAULT 1 CHECK (row_version > 0)
);
-- Names are what a cashier picks from: unique in a store, whatever the case.
CREATE UNIQUE INDEX printers_name_key ON printers (store_id, lower(name));
CREATE TRIGGER printers_row_version BEFORE UPDATE ON printers FOR EACH ROW EXECUTE FUNCTION sync_bump_row_version();

CREATE TABLE drawer_opens (
  id          uuid PRIMARY KEY,  -- the till's own id for this open (a retry repeats it)
  store_id    uuid NOT NULL REFERENCES stores(id),
  till_id     uuid REFERENCES tills(id),  -- NULL: a session not on a till
  user_id     uuid NOT NULL REFERENCES users(id),
  reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  opened_at   timestamptz NOT NULL DEFAULT now()  -- the server's clock
);
CREATE INDEX drawer_opens_store_idx ON drawer_opens (store_id, opened_at);

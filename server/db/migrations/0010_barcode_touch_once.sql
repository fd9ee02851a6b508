-- 0010: a barcode change touches its product once per transaction, not once
-- per barcode.
--
-- A product's barcodes travel inside the product (0003): every barcode
-- insert, update or delete bumped the product row, which wrote a new product
-- version (through every index) and a second feed row. When the product
-- itself was already written by the same transaction (a product created or
-- edited with its barcodes, a CSV import of 100,000 products), that bump adds
-- nothing: the transaction's feed row for the product commits together with
-- the barcodes, and the pull reads the product with its barcodes as they are
-- at pull time. Measured on the 100,000-row CSV import: the bump was most of
-- its time (docs/benchmarks.md "CSV import").
--
-- "Already written by this transaction": the row's xmin is this
-- transaction's id. A row written in a subtransaction has another xmin and
-- is bumped as before, which is only slower, never wrong.
CREATE OR REPLACE FUNCTION sync_touch_product_of_barcode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE products SET updated_at = now()
     WHERE id = OLD.product_id AND xmin <> pg_current_xact_id()::xid;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.product_id <> OLD.product_id) THEN
    UPDATE products SET updated_at = now()
     WHERE id = NEW.product_id AND xmin <> pg_current_xact_id()::xid;
  END IF;
  RETURN NULL;
END;
$$;

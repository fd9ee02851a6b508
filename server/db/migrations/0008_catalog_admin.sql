-- 0008: the back office's product list (db/catalog_admin.cpp) at 100,000
-- products. The list matches text anywhere in the name and from the start
-- of a SKU or a barcode, case-insensitively:
--   * SKU and barcode prefixes: btree indexes on lower(...) with
--     text_pattern_ops, which serve LIKE 'abc%' whatever the collation;
--   * the name anywhere: a trigram index (pg_trgm) when the server has the
--     extension. pg_trgm is a trusted extension (the database owner, who
--     runs migrations, may create it); without it the query is the same and
--     still correct, only a name search scans the table. The application
--     role needs nothing extra: LIKE uses the index, no pg_trgm function is
--     called by the server.
-- Never edit once released.

CREATE INDEX products_sku_prefix_idx ON products (store_id, lower(sku) text_pattern_ops) WHERE sku IS NOT NULL;
CREATE INDEX barcodes_prefix_idx ON barcodes (store_id, lower(barcode) text_pattern_ops);
-- "Sort by last changed" and the price sort, newest or dearest first.
CREATE INDEX products_updated_idx ON products (store_id, updated_at);
CREATE INDEX products_price_idx ON products (store_id, price_minor);
-- Subcategories of a category (the list's category filter, the tree).
CREATE INDEX categories_parent_idx ON categories (parent_id);
-- Products per tax rate (products_using, delete-if-unused).
CREATE INDEX products_tax_rate_idx ON products (tax_rate_id);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    -- The extension may live in another schema (created before, for another
    -- schema of this database): name its operator class where it is.
    EXECUTE format('CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) %I.gin_trgm_ops)',
                   (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                     WHERE e.extname = 'pg_trgm'));
  END IF;
END;
$$;

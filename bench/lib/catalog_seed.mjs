// The benchmarks' catalog, written set-based through psql on the embedded
// cluster's socket in one transaction (every change-feed trigger fires):
// products with a price in force since 2000, one EAN-13-shaped barcode each,
// 8 categories, 2 tax rates, opening stock of `stockMilli` per product
// through the server's own apply_stock_deltas(). SKUs as in the demo:
// D<10000+i>. Used by bench/till_bench.mjs and bench/catchup_bench.mjs.
export function catalogSeedSql(n, { stockMilli = 60000 } = {}) {
  return `
    CREATE TEMP TABLE bench_store AS SELECT id, currency FROM stores ORDER BY created_at LIMIT 1;
    INSERT INTO tax_rates (store_id, code, kind, rate_ppm, name)
      SELECT id, 'VAT', 'standard', 75000, 'VAT 7.5%' FROM bench_store
      UNION ALL SELECT id, 'ZERO', 'zero', 0, 'Zero-rated food' FROM bench_store;
    INSERT INTO categories (store_id, name)
      SELECT b.id, c FROM bench_store b, unnest(ARRAY['Groceries','Drinks','Household','Produce','Bakery','Dairy','Personal care','Snacks']) c;
    CREATE TEMP TABLE bench_cat AS SELECT row_number() OVER (ORDER BY name) - 1 AS k, id FROM categories;
    CREATE TEMP TABLE bench_tax AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, id FROM tax_rates;
    INSERT INTO products (store_id, sku, name, category_id, tax_rate_id, unit, price_minor, cost_minor, currency,
                          track_stock, reorder_level_milli)
      SELECT b.id, 'D' || (10000 + i),
             (ARRAY['Golden','Sunny','Premium','Valley','Royal','Fresh','Classic','Family'])[1 + i % 8] || ' '
               || (ARRAY['Rice 5kg','Tomato paste 70g','Sardines 125g','Bar soap','Milk powder 400g','Bread loaf',
                         'Orange juice 1L','Biscuits 100g','Sugar 1kg','Groundnut oil 1L','Spaghetti 500g'])[1 + i % 11]
               || ' ' || (i / 88),
             (SELECT id FROM bench_cat WHERE k = i % 8), (SELECT id FROM bench_tax WHERE k = i % 2), 'each',
             100 * (5 + i % 200), 70 * (5 + i % 200), b.currency, true, 10000
        FROM bench_store b, generate_series(0, ${n - 1}) i;
    INSERT INTO price_history (store_id, product_id, price_minor, cost_minor, currency, effective_from)
      SELECT store_id, id, price_minor, cost_minor, currency, '2000-01-01' FROM products;
    INSERT INTO barcodes (store_id, barcode, product_id)
      SELECT store_id, '20' || lpad((substr(sku, 2)::bigint - 10000)::text, 11, '0'), id FROM products;
    SELECT count(*) FROM apply_stock_deltas((SELECT id FROM bench_store),
      (SELECT array_agg(id ORDER BY id) FROM products), (SELECT array_agg(${stockMilli}::bigint) FROM products));
  `;
}

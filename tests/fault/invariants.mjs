// The invariant checker of the soak: compares what every till recorded (its
// IndexedDB journal, read through the page, and the sales the runner saw it
// complete) with what PostgreSQL holds, after the tills synced to an empty
// outbox. It returns problems as stable keys ("lost:<op id>"), so a runner
// checking again after the next schedule counts each problem once.
// Invariants (architecture.md 1-4, 7, 8 as a user sees them): each completed
// sale arrives once (by op id == sale id, and by receipt number), with the
// till's total; each payment and stock movement once; stock levels are the
// sum of the ledger; receipt numbers are unique; the audit chain verifies;
// nothing is flagged or rejected unless the schedule made it bad on purpose.
// Deliberately not here: refunds, cash movements (the soak rings sales only).
import { execFileSync } from 'node:child_process';
import { sql } from '../browser/lib/till.mjs';

// Every journal record of the till on `page` (acked ones included: the till
// keeps them for 14 days), straight from IndexedDB.
export { readJournal } from '../browser/lib/harness.mjs';

const payloadOf = (record) => (typeof record.payload === 'string' ? JSON.parse(record.payload) : record.payload);

function rowsBy(rows, key) {
  const map = new Map();
  for (const r of rows) map.set(r[key], r);
  return map;
}

// tills: [{ id, journal: [records], rung: [{ receipt_number, total }], inflight }]
//   rung: the sales the runner saw complete ("Sale complete" on screen);
//   inflight: sales a kill interrupted (each may or may not exist).
// deliberate: op ids the schedule spoiled on purpose (may be flagged).
// Returns { problems: [{ key, kind, detail }] } where kind is one of
// lost, duplicated, wrongly_flagged, unsynced, mismatch, audit.
export function checkInvariants({ dataPath, bin, tills, deliberate = new Set() }) {
  const problems = [];
  const add = (kind, id, detail) => problems.push({ key: `${kind}:${id}`, kind, detail });
  const q = (query) => sql(dataPath, query);

  const pgSales = q(`SELECT s.op_id, s.id, s.till_id, s.receipt_number, s.total_minor,
      (SELECT count(*) FROM payments p WHERE p.sale_id = s.id),
      (SELECT coalesce(sum(p.amount_minor), 0) FROM payments p WHERE p.sale_id = s.id)
    FROM sales s`).map(([opId, id, tillId, receipt, total, payments, paid]) => (
    { opId, id, tillId, receipt, total: Number(total), payments: Number(payments), paid: Number(paid) }));
  const byOp = rowsBy(pgSales, 'opId');
  const rejected = new Set(q(`SELECT op_id FROM applied_ops WHERE status = 'rejected'`).map(([id]) => id));

  for (const till of tills) {
    const sales = till.journal.filter((r) => r.kind === 'sale');
    const inJournal = new Set(sales.map((r) => r.op_id));
    for (const r of till.journal) {
      if (r.state === 'pending') add('unsynced', r.op_id, `${r.kind} still pending after the heal`);
    }
    for (const r of sales) {
      const payload = payloadOf(r);
      if (r.state === 'rejected' || rejected.has(r.op_id)) {
        if (!deliberate.has(r.op_id)) add('wrongly_flagged', r.op_id, `sale ${payload.receipt_number} rejected: ${r.reason || ''}`);
        continue;
      }
      const row = byOp.get(r.op_id);
      if (!row) {
        if (r.state === 'acked') add('lost', r.op_id, `sale ${payload.receipt_number} acked but not in PostgreSQL`);
        continue;
      }
      if (row.id !== r.op_id) add('mismatch', r.op_id, `sale id ${row.id} != op id`);
      if (row.receipt !== payload.receipt_number) add('mismatch', r.op_id, `receipt ${row.receipt} != ${payload.receipt_number}`);
      if (row.total !== payload.total) add('mismatch', r.op_id, `total ${row.total} != till's ${payload.total}`);
      const tillPaid = payload.payments.reduce((n, p) => n + p.amount, 0);
      if (row.payments !== payload.payments.length) {
        add(row.payments > payload.payments.length ? 'duplicated' : 'lost', `payments-${r.op_id}`,
          `${row.payments} payments in PostgreSQL, ${payload.payments.length} on the till`);
      } else if (row.paid !== tillPaid && row.paid !== payload.total) {
        add('mismatch', `paid-${r.op_id}`, `paid ${row.paid} != till's ${tillPaid}`);
      }
    }
    // A sale PostgreSQL holds for this till that its journal does not know.
    for (const row of pgSales) {
      if (row.tillId === till.id && !inJournal.has(row.opId)) add('duplicated', row.opId, `sale ${row.receipt} unknown to the till`);
    }
    // What the cashier saw complete is in the journal, with the same total.
    const journalByReceipt = new Map(sales.map((r) => [payloadOf(r).receipt_number, payloadOf(r)]));
    for (const c of till.rung) {
      const p = journalByReceipt.get(c.receipt_number);
      if (!p) add('lost', c.receipt_number, `sale ${c.receipt_number} shown complete but not in the journal`);
      else if (p.total !== c.total) add('mismatch', c.receipt_number, `total on screen ${c.total} != journal ${p.total}`);
    }
    // More sale ops than sales rung (plus those a kill interrupted): one was recorded twice.
    const extra = sales.length - till.rung.length - till.inflight;
    if (extra > 0) add('duplicated', `count-${till.id}-${sales.length}`, `${sales.length} sale ops for ${till.rung.length} rung + ${till.inflight} interrupted`);
  }

  for (const [receipt, n] of q(`SELECT receipt_number, count(*) FROM sales GROUP BY 1 HAVING count(*) > 1`)) {
    add('duplicated', `receipt-${receipt}`, `receipt ${receipt} held by ${n} sales`);
  }
  for (const [line, n] of q(`SELECT sale_line_id, count(*) FROM stock_movements WHERE kind = 'sale' GROUP BY 1 HAVING count(*) > 1`)) {
    add('duplicated', `movement-${line}`, `sale line ${line} moved stock ${n} times`);
  }
  for (const [line] of q(`SELECT sl.id FROM sale_lines sl JOIN products p ON p.id = sl.product_id
      WHERE p.track_stock AND NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.sale_line_id = sl.id)`)) {
    add('lost', `movement-${line}`, `sale line ${line} has no stock movement`);
  }
  for (const [product, ledger, level] of q(`SELECT coalesce(m.product_id, l.product_id), coalesce(m.q, 0), coalesce(l.on_hand_milli, 0)
      FROM (SELECT product_id, sum(quantity_milli) AS q FROM stock_movements GROUP BY 1) m
      FULL JOIN stock_levels l ON l.product_id = m.product_id
      WHERE coalesce(m.q, 0) <> coalesce(l.on_hand_milli, 0)`)) {
    add('mismatch', `stock-${product}-${ledger}-${level}`, `product ${product}: level ${level} != ledger ${ledger}`);
  }
  // Flags: an oversold sale is flagged rightly when the product did run out.
  for (const [opId, kind] of q(`SELECT f.op_id, f.kind FROM op_flags f
      WHERE NOT (f.kind = 'oversold' AND EXISTS (SELECT 1 FROM sale_lines sl JOIN stock_levels l ON l.product_id = sl.product_id
        WHERE sl.sale_id = f.sale_id AND l.on_hand_milli < 0))`)) {
    if (!deliberate.has(opId)) add('wrongly_flagged', `${opId}-${kind}`, `op ${opId} flagged ${kind}`);
  }
  for (const id of rejected) {
    if (!deliberate.has(id) && !tills.some((t) => t.journal.some((r) => r.op_id === id))) {
      add('wrongly_flagged', id, `op ${id} rejected`);
    }
  }

  try {
    const out = JSON.parse(execFileSync(bin, ['audit', 'verify', '--data-path', dataPath, '--json'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    if (!out.ok) add('audit', `verify-${out.checked}`, JSON.stringify(out));
  } catch (err) {
    add('audit', `verify-failed-${(err.stdout || '').length}`, `audit verify: ${err.stdout || ''} ${err.stderr || err.message}`);
  }
  return { problems, sales: pgSales.length };
}

// The per-run line's counters from problems first seen in this run.
export function summarise(problems) {
  const n = { lost: 0, duplicated: 0, wrongly_flagged: 0, other: 0 };
  for (const p of problems) {
    if (p.kind in n) n[p.kind] += 1;
    else n.other += 1;
  }
  return n;
}

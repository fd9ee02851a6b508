// The owners' report screens, in Debian's Chromium against the real server
// (issue 24): a till sells a few sales, the owner opens the Dashboard from
// the back office, and Today's revenue and sales count are exactly what
// PostgreSQL sums over today's sales in the store's time zone; This month
// asks the month's dates; Reorder lists the products with their class and
// a suggestion; on a 360 x 640 phone no label on the Dashboard is wider
// than its widget or runs off the screen. One till, one test, to keep CI's
// budget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, withScreenshotOnFailure, clickId } from './lib/harness.mjs';
import { startStore, enrol, waitFor, waitScreen, waitSynced, sell, openBackOffice, sql } from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

function dashboardLoaded(period) {
  return (p) => {
    const d = window.salespider.state().dashboard;
    return d.period === p && !d.loading && (d.loaded || d.error !== '');
  };
}

test('the dashboard sums today exactly as PostgreSQL does, switches to this month, reorder lists products, '
  + 'and a phone cuts no label', async (t) => {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    await sell(page, ['D10000']);
    await sell(page, ['D10001', 'D10002']);
    await sell(page, ['D10003', 'D10003']);
    await waitSynced(page);

    // Today, in the store's time zone, as the database sees it.
    const [[revenue, count]] = sql(store.dataPath, `SELECT coalesce(sum(s.total_minor), 0), count(*)
      FROM sales s CROSS JOIN settings st WHERE s.status = 'completed'
      AND (s.occurred_at AT TIME ZONE st.time_zone)::date = (now() AT TIME ZONE st.time_zone)::date`);
    assert.ok(Number(count) >= 3, `the three sales are today's: ${count}`);

    await openBackOffice(page, 'Dashboard', 'dashboard');
    await waitFor(page, dashboardLoaded('today'), 'today');
    let d = (await tillState(page)).dashboard;
    assert.equal(d.error, '');
    assert.equal(d.from, d.to);
    assert.equal(String(d.figures.revenue), revenue, 'revenue is the sum of the sales\' totals');
    assert.equal(d.figures.sales, Number(count));
    assert.equal(d.by_hour.length, 24);
    assert.equal(d.by_hour.reduce((n, h) => n + Number(h.revenue), 0), Number(revenue), 'the hours add up');
    assert.ok(d.previous !== null, 'yesterday is compared');

    await clickId(page, '##dash-month');
    await waitFor(page, dashboardLoaded('month'), 'month');
    d = (await tillState(page)).dashboard;
    assert.equal(d.error, '');
    assert.match(d.from, /^\d{4}-\d{2}-01$/);
    assert.ok(d.to >= d.from && d.to.slice(0, 7) === d.from.slice(0, 7), `${d.from} .. ${d.to}`);
    assert.ok(Number(d.figures.revenue) >= Number(revenue), 'the month holds today');
    assert.equal(d.by_day.length, Number(d.to.slice(8)), 'every day of the month so far');

    // Reorder, from the hub.
    await clickId(page, '###back');
    await waitScreen(page, 'back_office');
    await openBackOffice(page, 'Reorder', 'reorder');
    await waitFor(page, () => {
      const r = window.salespider.state().reorder;
      return !r.loading && (r.items.length > 0 || r.error !== '');
    });
    const r = (await tillState(page)).reorder;
    assert.equal(r.error, '');
    assert.equal(r.lead_days, 7);
    assert.equal(r.safety_days, 3);
    assert.ok(r.items.every((i) => ['reorder', 'ok', 'slow', 'dead'].includes(i.class)), JSON.stringify(r.items[0]));
    assert.ok(r.items.every((i) => i.explanation.length > 0 && Number.isInteger(i.suggested_order_milli)));
    await clickId(page, '##reorder-dead');
    await waitFor(page, () => window.salespider.state().reorder.filter === 'dead');
    const shown = (await tillState(page)).reorder.shown;
    assert.equal(shown, r.items.filter((i) => i.class === 'dead').length);

    // The Dashboard on a phone: one column, no label wider than its widget.
    await clickId(page, '###back');
    await waitScreen(page, 'back_office');
    await openBackOffice(page, 'Dashboard', 'dashboard');
    await waitFor(page, dashboardLoaded('month'), 'month');
    await page.setViewportSize({ width: 360, height: 640 });
    await waitFor(page, () => window.salespider.widgets().some((w) => w.full_label.endsWith('##dash-today')
      && w.rect.x + w.rect.w <= 360));
    const all = (await widgets(page)).filter((w) => w.window.startsWith('Dashboard') && w.label !== ''
      && w.role !== 'scrollbar' && w.role !== 'titlebar');
    assert.ok(all.length >= 6, all.map((w) => w.label).join(', '));
    const widths = await page.evaluate((labels) => {
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = '18px "DejaVu Sans"';
      return labels.map((l) => ctx.measureText(l).width);
    }, all.map((w) => w.label));
    all.forEach((w, i) => {
      assert.ok(widths[i] <= w.rect.w + 2, `"${w.label}" (${widths[i].toFixed(0)} px) is cut in ${w.rect.w} px`);
      assert.ok(w.rect.x >= 0 && w.rect.x + w.rect.w <= 361, `"${w.label}" runs off the phone: ${JSON.stringify(w.rect)}`);
    });
    const s = await tillState(page);
    assert.equal(s.screen, 'dashboard');
  });
});

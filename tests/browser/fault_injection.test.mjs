// The bounded soak CI runs (tests/fault/): six schedules through the
// fault-injection proxy that together drop requests, drop answers after the
// server committed, reset requests mid-body, truncate answers and delay
// them, and SIGKILL the server, the embedded PostgreSQL and the browser
// (during a sale and during a new till's bootstrap). After each schedule
// every till syncs to an empty outbox and the invariant checker compares
// the tills' journals with PostgreSQL: nothing lost, nothing doubled,
// nothing wrongly flagged. `make soak SCHEDULES=1000` runs many more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak, KILLS } from '../fault/soak.mjs';
import { FAULTS } from '../fault/proxy.mjs';

const PLANS = [
  { force: ['drop_answer', 'drop_request'], kill: null },
  { force: ['reset_mid_body', 'truncate_answer'], kill: 'kill_server' },
  { force: ['delay', 'drop_answer'], kill: 'kill_postgres' },
  { force: ['truncate_answer', 'reset_mid_body'], kill: 'kill_browser_sale' },
  { force: ['drop_request', 'delay'], kill: 'kill_browser_bootstrap' },
  { force: ['drop_answer'], kill: null },
];

test('six fault schedules with every fault and kill kind lose, double and wrongly flag nothing', async () => {
  const lines = [];
  const { total, failures, faults } = await runSoak({
    schedules: PLANS.length, seed: 23, plans: PLANS, requests: 2, salesPerTill: 2, log: (l) => { lines.push(l); console.log(l); },
  });
  assert.deepEqual(failures, [], lines.join('\n'));
  assert.equal(total.schedules, PLANS.length);
  assert.ok(total.sales >= PLANS.length * 2, `sales rung: ${total.sales}`);
  for (const kind of [...FAULTS.filter((f) => f !== 'pass'), ...KILLS]) {
    assert.ok(faults[kind] > 0, `the schedules hit ${kind} (${JSON.stringify(faults)})`);
  }
});

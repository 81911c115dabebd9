/**
 * Monitor e2e, an agent freed by its own `orch done` beside the daemon: the
 * verb commits (the daemon has nothing to commit), yet the daemon sees HEAD
 * move and kicks the monitor, so the agent's next task is dispatched at once —
 * not at the next `monitor.interval` (here far longer than the deadline).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { World } from '../adapters/tmux-world.js';
import { waitFor } from '../helpers/index.js';
import { startDaemon, stopDaemon, waitForTrailer, type Running } from './daemon-kit.js';
import { dispose, monitorWorld, putTask, read } from './monitor-kit.js';

let w: World;
let daemon: Running | undefined;
const INTERVAL_S = 120;
before(async () => {
  w = await monitorWorld({ boss: { window: 0, role: 'orchestrator' }, w1: { window: 1 } },
    `{ interval: ${INTERVAL_S}s, idle_after: 1s, remind_after: 1h, max_reminders: 3, lease: 1h }`, { dispatch: '{ auto: true }' });
  daemon = await startDaemon(w.dir, { ...w.env, ORCH_TICKERS: 'monitor' });
});
after(async () => {
  if (daemon) await stopDaemon(daemon).catch(() => undefined);
  await dispose(w);
});

const deliveredAt = (id: string): number | null => {
  const m = new RegExp(`^(\\S+) INFO dispatch ${id} -> w1 delivered`, 'm').exec(read(w, '.orch/logs/dispatch.log'));
  return m ? Date.parse(m[1]!) : null;
};

test('an agent that reports its task done with orch done gets its next task at once, not at the next monitor interval', async () => {
  await waitFor(() => /"monitor"/.test(read(w, '.orch/run/agents/w1.json')), 'the first monitor tick');
  // Two tasks for one agent: the second can only go once the first is done.
  putTask(w, 'TASK-1', { tags: '[tests]', priority: 'high' });
  putTask(w, 'TASK-2', { tags: '[tests]', priority: 'low' });
  await waitForTrailer(w.dir, 'TASK-1 in_progress -> completed', 30_000);
  const doneAt = Date.now();
  const second = await waitFor(() => deliveredAt('TASK-2'), 'TASK-2 dispatched to w1 after TASK-1 was done', 30_000);
  assert.ok(deliveredAt('TASK-1')! < second, 'TASK-1 first');
  assert.ok(second - doneAt < 20_000, `TASK-2 went ${second - doneAt} ms after TASK-1's done (interval ${INTERVAL_S} s)`);
  await waitForTrailer(w.dir, 'TASK-2 in_progress -> completed', 30_000);
  assert.equal(await stopDaemon(daemon!), 0, 'the daemon stops cleanly');
  daemon = undefined;
});

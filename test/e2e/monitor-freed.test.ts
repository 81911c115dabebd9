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
import { stopDaemon, waitForTrailer } from './daemon-kit.js';
import { daemonWorld, disposeDaemonWorld, putTask, read, type DaemonWorld } from './monitor-kit.js';

const INTERVAL_S = 120;
let x: DaemonWorld | undefined;
let w: World;
before(async () => {
  x = await daemonWorld(INTERVAL_S);
  w = x.w;
});
after(async () => { await disposeDaemonWorld(x); });

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
  assert.equal(await stopDaemon(x!.daemon!), 0, 'the daemon stops cleanly');
  x!.daemon = undefined;
});

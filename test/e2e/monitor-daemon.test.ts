/**
 * Monitor e2e, the whole loop under the daemon: `orch watch` runs the monitor
 * every `monitor.interval`; a task file dropped into tasks/pending is
 * committed, dispatched to the idle sim agent by a monitor pass, worked on,
 * and reported with `orch done` by the sim — within a deadline, and the
 * history shows create → claim → done for it, each exactly once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { World } from '../adapters/tmux-world.js';
import { waitFor } from '../helpers/index.js';
import { commits, stopDaemon, waitForTrailer } from './daemon-kit.js';
import { daemonWorld, disposeDaemonWorld, putTask, read, type DaemonWorld } from './monitor-kit.js';

const INTERVAL_S = 6;
let x: DaemonWorld | undefined;
let w: World;
before(async () => {
  x = await daemonWorld(INTERVAL_S);
  w = x.w;
});
after(async () => { await disposeDaemonWorld(x); });

test('orch watch: a dropped task is dispatched by the monitor ticker and completed by the sim agent', async () => {
  // The daemon's first monitor tick is over (it wrote its memory): the next one is an interval away.
  await waitFor(() => /"monitor"/.test(read(w, '.orch/run/agents/w1.json')), 'the first monitor tick');
  const t0 = Date.now();
  putTask(w, 'TASK-1', { tags: '[tests]' });
  // The sim's `orch done` moves the file; the daemon commits the move.
  await waitForTrailer(w.dir, 'TASK-1 in_progress -> completed', 30_000);
  const elapsed = Date.now() - t0;

  const mine = (await commits(w.dir)).reverse().flatMap((c) => c.tasks.filter((t) => t.startsWith('TASK-1 ')));
  assert.deepEqual(mine, ['TASK-1 new -> pending', 'TASK-1 pending -> in_progress', 'TASK-1 in_progress -> completed'],
    'create, claim, done: each exactly once, in order');
  assert.match(read(w, 'tasks/completed/TASK-1.md'), /agent: w1/);
  assert.equal(w.received('w1').filter((x) => x.text.includes('TASK_ID: TASK-1')).length, 1, 'delivered once');
  assert.equal(w.received('boss').length, 0, 'the orchestrator takes preset tasks only');
  const line = /^(\S+) INFO dispatch TASK-1 -> w1 delivered/m.exec(read(w, '.orch/logs/dispatch.log'));
  assert.ok(line, read(w, '.orch/logs/dispatch.log'));
  // The daemon kicks the monitor when it commits a dropped task: no wait for the next interval.
  assert.ok(Date.parse(line[1]!) - t0 < (INTERVAL_S - 1.5) * 1000, `dispatched ${Date.parse(line[1]!) - t0} ms after the drop (interval ${INTERVAL_S} s)`);
  // The agent record follows at a later tick of the monitor: idle again, no task.
  await waitFor(() => /state: idle/.test(read(w, 'status/w1.md')) && /task: null/.test(read(w, 'status/w1.md')), 'w1 idle without a task', (INTERVAL_S + 10) * 1000);
  assert.equal(await stopDaemon(x!.daemon!), 0, 'the daemon stops cleanly');
  x!.daemon = undefined;
  process.stderr.write(`# dropped -> completed in ${elapsed} ms\n`);
});

/**
 * `orch remind <agent>` by hand: the seed's [RAPPEL] through verified
 * delivery, counted in the monitor's own memory — the monitor's reminders
 * continue from a hand-sent one and stop at max_reminders in total.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { World } from '../adapters/tmux-world.js';
import { dispose, monitorWorld, passUntil, putTask, read, reminders } from './monitor-kit.js';

let w: World;
before(async () => {
  w = await monitorWorld({ amp: { window: 1, sim: ['--no-report'] } },
    '{ interval: 1h, idle_after: 1s, remind_after: 1s, max_reminders: 2, lease: 1h }');
});
after(async () => { await dispose(w); });

test('orch remind: delivered, counted with the monitor\'s reminders, max_reminders in total', async () => {
  const none = await w.orch(['remind', 'amp']);
  assert.equal(none.exitCode, 1);
  assert.match(none.stderr, /amp has no task in progress/);

  putTask(w, 'TASK-1', { agent: 'amp' });
  assert.equal((await w.orch(['watch', '--once'])).exitCode, 0);
  const d = await w.orch(['dispatch', '--predefined', '--json']);
  assert.equal(d.exitCode, 0, d.stderr + d.stdout);

  const r1 = await w.orch(['remind', 'amp']);
  assert.equal(r1.exitCode, 0, r1.stderr);
  assert.match(r1.stdout, /reminded amp of TASK-1 \(1\/2\)/);
  const r2 = await w.orch(['remind', 'amp', '--json']);
  assert.equal(r2.exitCode, 0, r2.stderr);
  assert.equal((JSON.parse(r2.stdout) as { count: number }).count, 2);
  const got = reminders(w, 'amp', 'TASK-1');
  assert.equal(got.length, 2);
  assert.match(got[0]!.text, /Reminder 1 of 2\./);
  assert.match(got[1]!.text, /Reminder 2 of 2\./);

  // The monitor sees both: no third reminder, the alert once amp stays idle.
  await passUntil(w, () => /ALERT agent amp is still idle on TASK-1 after 2 reminders/.test(read(w, '.orch/logs/monitor.log')), 'the reminders alert');
  assert.equal(reminders(w, 'amp', 'TASK-1').length, 2, 'no reminder beyond max_reminders');
});

/**
 * Monitor e2e, golden rule 1 and waiting agents: a monitor pass gives a ready
 * task to an idle agent without one; an agent stuck on a permission dialog
 * (sim --permission) longer than `idle_after` raises an alert that ends when
 * a human answers. The real binary, a private tmux server, nothing faked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { World } from '../adapters/tmux-world.js';
import { gitOut, waitFor } from '../helpers/index.js';
import { dispose, monitorWorld, pass, passUntil, putTask, read, statusAlerts } from './monitor-kit.js';

let w: World;
before(async () => {
  w = await monitorWorld({ boss: { window: 0, role: 'orchestrator' }, w1: { window: 1, sim: ['--permission'] } },
    '{ interval: 1h, idle_after: 1s, remind_after: 1h, max_reminders: 3, lease: 1h }', { dispatch: '{ auto: true }' });
});
after(async () => { await dispose(w); });

test('golden rule 1: a monitor pass dispatches a ready task to the idle agent without one', async () => {
  putTask(w, 'TASK-1', { tags: '[tests]' });
  assert.equal((await w.orch(['watch', '--once'])).exitCode, 0);
  const r = await pass(w);
  assert.deepEqual(r.dispatched.map((d) => `${d.agent}:${d.taskId}:${d.result}`), ['w1:TASK-1:delivered'], 'the orchestrator takes preset tasks only');
  assert.match(read(w, 'tasks/in_progress/TASK-1.md'), /agent: w1/);
  assert.match(read(w, 'status/w1.md'), /task: TASK-1/);
  assert.ok(w.received('w1').some((x) => x.text.includes('TASK_ID: TASK-1')), 'w1 received its task prompt');
  assert.equal(w.received('boss').length, 0);
  assert.match(read(w, '.orch/logs/dispatch.log'), /dispatch TASK-1 -> w1 delivered/);
  const body = await gitOut(w.dir, ['log', '-1', '--format=%B', '--grep', 'TASK-1 pending -> in_progress']);
  assert.match(body, /dispatched to w1/);
});

test('waiting on a permission dialog longer than idle_after: an alert, gone once a human answers', async () => {
  const alertRx = /agent w1 has been waiting for an answer for \d+ s: a human must answer in window 1/;
  await passUntil(w, () => alertRx.test(read(w, '.orch/logs/monitor.log')), 'the waiting alert in monitor.log');
  assert.match(statusAlerts(w), alertRx);
  assert.match(read(w, 'status/w1.md'), /state: waiting/);
  assert.match(read(w, 'tasks/in_progress/TASK-1.md'), /agent: w1/, 'a waiting agent keeps its task');

  // A human answers "1" (yes): the sim runs `orch done TASK-1`.
  await w.tmux.run(['send-keys', '-t', `=${w.session}:1`, '1']);
  await waitFor(() => read(w, 'tasks/completed/TASK-1.md'), 'TASK-1 completed after the answer');
  await passUntil(w, () => !/waiting for an answer/.test(statusAlerts(w)), 'the waiting alert to leave the status');
  assert.equal((read(w, '.orch/logs/monitor.log').match(new RegExp(alertRx.source, 'g')) ?? []).length, 1, 'alerted once');
});

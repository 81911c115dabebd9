/**
 * Monitor e2e, dead agents and leases: a dead agent's window is restarted
 * with its command and role prompt and its task sent again, at most
 * `monitor.max_restarts_per_hour` times, then an alert; a task whose agent is
 * gone (not in the config, or dead beyond the lease with its restarts used
 * up) goes back to pending with a commit saying why. The real binary, a
 * private tmux server, sim agents (one that crashes on its 2nd prompt).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { World } from '../adapters/tmux-world.js';
import { gitOut } from '../helpers/index.js';
import { dispose, monitorWorld, pass, passUntil, putTask, read, statusAlerts, type PassReport } from './monitor-kit.js';

let w: World;
const LEASE_S = 6;
before(async () => {
  // cr: role prompt = 1st prompt, its task = 2nd prompt -> it crashes (exit 70) each time it is given its task.
  w = await monitorWorld({ cr: { window: 1, prompt: 'prompts/amp-worker.md', sim: ['--crash-after', '2'] } },
    `{ interval: 1h, idle_after: 1s, remind_after: 1h, max_reminders: 3, lease: ${LEASE_S}s, max_restarts_per_hour: 2 }`);
});
after(async () => { await dispose(w); });

const lastBodyFor = async (grep: string): Promise<string> => gitOut(w.dir, ['log', '-1', '--format=%B', '--fixed-strings', '--grep', grep]);

test('lease: a task in progress held by an agent not in the config goes back to pending with a commit saying why', async () => {
  putTask(w, 'TASK-9', { agent: 'ghost' }, 'in_progress');
  assert.equal((await w.orch(['watch', '--once'])).exitCode, 0);
  assert.ok(read(w, 'tasks/in_progress/TASK-9.md'), 'committed in progress');
  const r = await pass(w);
  assert.ok(r.actions.some((a) => a.kind === 'requeue' && a.taskId === 'TASK-9'), JSON.stringify(r.actions));
  assert.ok(read(w, 'tasks/pending/TASK-9.md'), 'TASK-9 back in pending');
  const body = await lastBodyFor('TASK-9 in_progress -> pending');
  assert.match(body, /^orch: TASK-9 in_progress -> pending/);
  assert.match(body, /requeued by the monitor: agent ghost is not in \.orch\/config\.yml/);
  assert.match(read(w, '.orch/logs/monitor.log'), /requeue TASK-9: agent ghost is not in/);
  // Gone for good: the next pass does nothing more with it.
  const again = await pass(w);
  assert.ok(!again.actions.some((a) => a.kind === 'requeue'), JSON.stringify(again.actions));
});

test('a dead agent is restarted with its role prompt and its task, max_restarts_per_hour times, then an alert; after the lease its task goes back to pending', async () => {
  putTask(w, 'TASK-1');
  assert.equal((await w.orch(['watch', '--once'])).exitCode, 0);
  const c = await w.orch(['claim', 'TASK-1', '--agent', 'cr']);
  assert.equal(c.exitCode, 0, c.stderr);
  assert.equal(w.received('cr').length, 1, 'only the role prompt so far');

  // Kill the agent's process: its pane stays, dead (remain-on-exit).
  const pane = await w.tmux.pane(`=${w.session}:1`);
  assert.ok(pane?.pid, 'the agent pane has a process');
  process.kill(pane.pid, 'SIGKILL');

  const restarts: PassReport['actions'] = [];
  const alertRx = /agent cr is dead and was restarted 2 times in the last hour; no more automatic restarts/;
  await passUntil(w, (r) => {
    restarts.push(...r.actions.filter((a) => a.kind === 'restart'));
    return alertRx.test(read(w, '.orch/logs/monitor.log'));
  }, 'the restarts to run out');
  assert.deepEqual(restarts.map((a) => `${a.agent}:${a.taskId}`), ['cr:TASK-1', 'cr:TASK-1'], 'two restarts, each resending TASK-1');
  const got = w.received('cr');
  const roles = got.filter((x) => x.text.includes('cr') && !x.text.includes('TASK_ID:'));
  const tasks = got.filter((x) => x.text.includes('TASK_ID: TASK-1'));
  assert.equal(roles.length, 3, 'the role prompt at start and after each restart');
  assert.equal(tasks.length, 2, 'TASK-1 sent again after each restart');
  assert.equal(read(w, '.orch/logs/monitor.log').match(/restart cr: window relaunched/g)?.length, 2);
  assert.match(statusAlerts(w), alertRx);
  assert.match(read(w, 'status/cr.md'), /state: dead/);

  // Restarts used up, nothing heard from cr for the lease: TASK-1 goes back to pending, with the reason.
  await passUntil(w, () => read(w, 'tasks/pending/TASK-1.md'), 'TASK-1 requeued after the lease', (LEASE_S + 20) * 1000);
  const body = await lastBodyFor('TASK-1 in_progress -> pending');
  assert.match(body, new RegExp(`requeued by the monitor: agent cr silent for \\d+ s \\(dead; lease ${LEASE_S} s\\)`));
  assert.doesNotMatch(read(w, 'status/cr.md'), /task: TASK-1/);
  // One commit for the requeue: the task's move and the record that lets go of it.
  const requeue = (await gitOut(w.dir, ['log', '-1', '--format=%H', '--fixed-strings', '--grep', 'Orch-Task: TASK-1 in_progress -> pending'])).trim();
  assert.match(await gitOut(w.dir, ['show', '--name-only', '--format=', requeue]), /^status\/cr\.md$/m, 'the record changes in the requeue commit');
  assert.equal(w.received('cr').filter((x) => x.text.includes('TASK_ID: TASK-1')).length, 2, 'no third resend');
});

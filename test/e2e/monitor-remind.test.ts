/**
 * Monitor e2e, reminders: an idle agent holding an in-progress task (a sim
 * with --no-report: it finishes the work but never runs `orch done`) gets the
 * seed's [RAPPEL] after `remind_after`, at most `max_reminders`, then an alert.
 * The real binary, a private tmux server, nothing faked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { World } from '../adapters/tmux-world.js';
import { waitFor } from '../helpers/index.js';
import { dispose, monitorWorld, pass, passUntil, putTask, read, reminders, statusAlerts } from './monitor-kit.js';

let w: World;
before(async () => {
  w = await monitorWorld({ amp: { window: 1, sim: ['--no-report'] } },
    '{ interval: 1h, idle_after: 1s, remind_after: 1s, max_reminders: 2, lease: 1h }');
});
after(async () => { await dispose(w); });

test('an idle agent on its task gets max_reminders [RAPPEL] reminders, then an alert (log and status)', async () => {
  // The monitor has known amp idle (without a task) for longer than remind_after before the task comes.
  await pass(w);
  const idleSince = (JSON.parse(read(w, '.orch/run/agents/amp.json')) as { monitor: { state: string; since: string } }).monitor;
  assert.equal(idleSince.state, 'idle');
  await waitFor(() => Date.now() - Date.parse(idleSince.since) > 1500, 'amp idle for longer than remind_after');
  putTask(w, 'TASK-1', { agent: 'amp' });
  assert.equal((await w.orch(['watch', '--once'])).exitCode, 0);
  const d = await w.orch(['dispatch', '--predefined', '--json']);
  assert.equal(d.exitCode, 0, d.stderr + d.stdout);
  const given = w.received('amp').find((x) => x.text.includes('TASK_ID: TASK-1'));
  assert.ok(given, 'amp received TASK-1');

  const alertRx = /ALERT agent amp is still idle on TASK-1 after 2 reminders/;
  await passUntil(w, () => alertRx.test(read(w, '.orch/logs/monitor.log')), 'the reminders alert in monitor.log');
  const got = reminders(w, 'amp', 'TASK-1');
  assert.equal(got.length, 2, `exactly max_reminders reminders: ${JSON.stringify(got)}`);
  assert.match(got[0]!.text, /^\[RAPPEL\] Tu as une tache en cours\. Continue le travail\.\nTASK_ID: TASK-1 — Task TASK-1\nReminder 1 of 2\./);
  assert.match(got[1]!.text, /Reminder 2 of 2\./);
  assert.ok(Date.parse(got[0]!.t) - Date.parse(given.t) >= 1000, 'the first reminder comes remind_after after the task, not at once');
  assert.ok(Date.parse(got[1]!.t) - Date.parse(got[0]!.t) >= 1000, 'reminders spaced by remind_after');
  assert.match(statusAlerts(w), /agent amp is still idle on TASK-1 after 2 reminders/);
  assert.match(read(w, 'status/amp.md'), /task: TASK-1/);

  // Later passes: no third reminder, the standing alert is logged once, the task stays with amp (lease 1h).
  await pass(w);
  await pass(w);
  assert.equal(reminders(w, 'amp', 'TASK-1').length, 2);
  assert.equal((read(w, '.orch/logs/monitor.log').match(new RegExp(alertRx.source, 'g')) ?? []).length, 1, 'alerted once');
  assert.match(read(w, 'tasks/in_progress/TASK-1.md'), /agent: amp/);
  assert.match(statusAlerts(w), /still idle on TASK-1/);
});

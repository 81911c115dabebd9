/**
 * Dispatch end to end: the real binary, a private tmux server, `orch sim-agent`
 * agents (the deaf one never takes a prompt). Nothing is faked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorld, type World } from '../adapters/tmux-world.js';
import { gitOut, taskText, waitFor } from '../helpers/index.js';

let w: World;
const put = (id: string, extra: Record<string, string> = {}) => writeFileSync(join(w.dir, 'tasks/pending', `${id}.md`), taskText(id, `Task ${id}`, extra));
const at = (state: string, id: string) => existsSync(join(w.dir, 'tasks', state, `${id}.md`));

before(async () => {
  w = await makeWorld({
    claude: { window: 0, role: 'orchestrator' },
    amp: { window: 1, sim: ['--no-report'] },
    codex: { window: 2, sim: ['--no-report'] },
    deaf: { window: 3, sim: ['--mode', 'deaf'] },
    w1: { window: 4, sim: ['--no-report'] },
    w2: { window: 5, sim: ['--no-report'] },
  });
  const s = await w.orch(['start', '--no-daemon', '--no-dispatch']);
  assert.equal(s.exitCode, 0, s.stderr + s.stdout);
  put('TASK-1', { agent: 'amp', priority: 'high' });
  put('TASK-2', { agent: 'codex' });
  put('TASK-3', { agent: 'deaf' });
  // Kept out of automatic dispatch until the failure test names it explicitly.
  writeFileSync(join(w.dir, 'status/deaf.md'), readFileSync(join(w.dir, 'status/deaf.md'), 'utf8').replace('paused: false', 'paused: true'));
  const r = await w.orch(['watch', '--once']);
  assert.equal(r.exitCode, 0, r.stderr);
});
after(async () => { await w?.cleanup(); });

test('orch dispatch --predefined claims and delivers the preset tasks', async () => {
  const r = await w.orch(['dispatch', '--predefined', '--json']);
  assert.equal(r.exitCode, 0, r.stderr + r.stdout);
  const out = JSON.parse(r.stdout) as { dispatched: { agent: string; taskId: string; result: string }[] };
  assert.deepEqual(out.dispatched.map((d) => `${d.agent}:${d.taskId}:${d.result}`).sort(), ['amp:TASK-1:delivered', 'codex:TASK-2:delivered']);
  assert.ok(at('in_progress', 'TASK-1') && at('in_progress', 'TASK-2') && at('pending', 'TASK-3'));
  const got = await waitFor(() => w.received('amp').find((x) => x.text.includes('TASK_ID: TASK-1')), 'amp received TASK-1');
  assert.match(got.text, /^\[TACHE ORCHESTRATEUR - AUTONOMIE MAXIMALE\]/);
  assert.match(got.text, /PRIORITE: HAUTE/);
  assert.match(got.text, /COMMENCE IMMEDIATEMENT - NE POSE PAS DE QUESTIONS\s*$/);
  const log = await gitOut(w.dir, ['log', '--format=%s']);
  assert.match(log, /orch: TASK-1 pending -> in_progress/);
  assert.match(readFileSync(join(w.dir, 'status/amp.md'), 'utf8'), /task: TASK-1/);
  assert.equal(readFileSync(join(w.dir, '.orch/logs/dispatch.log'), 'utf8').trim().split('\n').filter((l) => /delivered/.test(l)).length, 2);
  // Again: nothing left to give, nothing given twice.
  const again = await w.orch(['dispatch', '--predefined', '--json']);
  assert.deepEqual((JSON.parse(again.stdout) as { dispatched: unknown[] }).dispatched, []);
  assert.equal(w.received('amp').filter((x) => x.text.includes('TASK_ID: TASK-1')).length, 1);
});

test('two concurrent orch dispatch never give one task twice', async () => {
  put('TASK-4');
  put('TASK-5');
  put('TASK-6');
  await w.orch(['watch', '--once']);
  const [a, b] = await Promise.all([w.orch(['dispatch', '--json']), w.orch(['dispatch', '--json'])]);
  const all = [a, b].flatMap((r) => (JSON.parse(r.stdout) as { dispatched: { agent: string; taskId: string; result: string }[] }).dispatched);
  const delivered = all.filter((d) => d.result === 'delivered');
  assert.equal(delivered.length, 2, JSON.stringify(all));
  assert.equal(new Set(delivered.map((d) => d.taskId)).size, 2, 'no task delivered twice');
  assert.equal(new Set(delivered.map((d) => d.agent)).size, 2, 'no agent given two tasks');
  const log = await gitOut(w.dir, ['log', '--format=%s']);
  for (const id of ['TASK-4', 'TASK-5', 'TASK-6']) {
    assert.ok((log.match(new RegExp(`orch: ${id} pending -> in_progress`, 'g')) ?? []).length <= 1, `${id} claimed at most once`);
  }
  for (const agent of ['w1', 'w2']) {
    const prompts = await waitFor(() => { const p = w.received(agent).filter((x) => x.text.includes('TASK_ID:')); return p.length ? p : null; }, `${agent} got a task`);
    assert.equal(prompts.length, 1, `${agent} received exactly one task prompt`);
  }
});

test('a failed delivery undoes the claim with a commit and alerts', async () => {
  const before = Number((await gitOut(w.dir, ['rev-list', '--count', 'HEAD'])).trim());
  const r = await w.orch(['dispatch', '--agent', 'deaf', '--task', 'TASK-3', '--force'], { timeout: 120_000 });
  assert.equal(r.exitCode, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /TASK-3 -> deaf: delivery FAILED: .*claim undone/);
  assert.ok(at('pending', 'TASK-3'));
  const after = Number((await gitOut(w.dir, ['rev-list', '--count', 'HEAD'])).trim());
  assert.equal(after - before, 2, 'the claim commit and the undo commit');
  const msg = await gitOut(w.dir, ['log', '-1', '--format=%B']);
  assert.match(msg, /^orch: TASK-3 in_progress -> pending/);
  assert.match(msg, /delivery failed: deaf did not take the message/);
  assert.match(readFileSync(join(w.dir, '.orch/logs/dispatch.log'), 'utf8'), /dispatch TASK-3 -> deaf FAILED/);
  assert.match(readFileSync(join(w.dir, '.orch/run/alerts.json'), 'utf8'), /dispatch of TASK-3 to deaf failed/);
  assert.equal(w.received('deaf').length, 0);
});

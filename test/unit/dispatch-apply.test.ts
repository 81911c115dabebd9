import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { applyDispatch, runDispatch } from '../../src/adapters/dispatcher.js';
import type { Effects, LiveState } from '../../src/adapters/effects.js';
import { withCommitLock } from '../../src/adapters/lock.js';
import { reconcile } from '../../src/adapters/reconcile.js';
import { loadConfig } from '../../src/adapters/workspace.js';
import { gitOut, taskText, tempWorkspace } from '../helpers/index.js';

/** Fake effects: records what was delivered; the outside world is not ours to test here. */
function fakeEffects(o: { ok?: boolean; states?: Record<string, LiveState> } = {}) {
  const sent: { agent: string; text: string }[] = [];
  const effects: Effects = {
    async deliver(agent, text) {
      sent.push({ agent, text });
      return o.ok === false ? { ok: false, reason: `${agent} never showed its input box` } : { ok: true, attempts: 1, verifiedBy: 'busy' };
    },
    async agentState(agent) { return o.states?.[agent] ?? 'idle'; },
    async usage() { return null; },
    now: () => new Date('2026-01-20T10:00:00Z'),
  };
  return { effects, sent };
}

async function workspaceWith(tasks: [string, Record<string, string>][]) {
  const ws = await tempWorkspace();
  for (const [id, extra] of tasks) writeFileSync(join(ws.dir, 'tasks/pending', `${id}.md`), taskText(id, `Title ${id}`, extra));
  const cfg = loadConfig(ws.dir);
  await withCommitLock(ws.dir, () => reconcile(ws.dir, { cfg })); // the tasks exist in HEAD, as with a running watcher
  return { ...ws, cfg };
}

test('a delivered dispatch: one claim commit with the agent record, the seed prompt, one dispatch.log line', async () => {
  const ws = await workspaceWith([['TASK-7', { agent: 'amp', priority: 'haute' }]]);
  try {
    const { effects, sent } = fakeEffects();
    const { outcomes } = await runDispatch(ws.dir, ws.cfg, effects, { predefined: true });
    assert.deepEqual(outcomes.map((x) => [x.agent, x.taskId, x.result]), [['amp', 'TASK-7', 'delivered']]);
    assert.ok(existsSync(join(ws.dir, 'tasks/in_progress/TASK-7.md')));
    const text = sent[0]!.text;
    for (const s of ['[TACHE ORCHESTRATEUR - AUTONOMIE MAXIMALE]', 'AGENT: amp', 'TASK_ID: TASK-7', 'PRIORITE: HAUTE', 'TIMESTAMP: 2026-01-20T10:00:00.000Z', 'Line one of context for TASK-7', 'orch done TASK-7', 'COMMENCE IMMEDIATEMENT - NE POSE PAS DE QUESTIONS']) {
      assert.ok(text.includes(s), `prompt lacks ${s}:\n${text}`);
    }
    const msg = await gitOut(ws.dir, ['log', '-1', '--format=%B']);
    assert.match(msg, /^orch: TASK-7 pending -> in_progress/);
    assert.match(msg, /Orch-Task: TASK-7 pending -> in_progress/);
    const files = await gitOut(ws.dir, ['show', '--name-only', '--format=', 'HEAD']);
    assert.match(files, /status\/amp\.md/);
    const rec = readFileSync(join(ws.dir, 'status/amp.md'), 'utf8');
    assert.match(rec, /task: TASK-7/);
    assert.match(rec, /state: busy/);
    const log = readFileSync(join(ws.dir, '.orch/logs/dispatch.log'), 'utf8').trim().split('\n');
    assert.equal(log.length, 1);
    assert.match(log[0]!, /dispatch TASK-7 -> amp delivered/);
  } finally { ws.cleanup(); }
});

test('a failed delivery undoes the claim with a commit naming the reason, and alerts', async () => {
  const ws = await workspaceWith([['TASK-8', {}]]);
  try {
    const { effects } = fakeEffects({ ok: false, states: { claude: 'busy', antigravity: 'busy', codex: 'busy' } });
    const before = Number((await gitOut(ws.dir, ['rev-list', '--count', 'HEAD'])).trim());
    const { outcomes } = await runDispatch(ws.dir, ws.cfg, effects);
    assert.deepEqual(outcomes.map((x) => [x.agent, x.result]), [['amp', 'failed']]);
    assert.ok(existsSync(join(ws.dir, 'tasks/pending/TASK-8.md')));
    assert.doesNotMatch(readFileSync(join(ws.dir, 'tasks/pending/TASK-8.md'), 'utf8'), /agent: amp/);
    const after = Number((await gitOut(ws.dir, ['rev-list', '--count', 'HEAD'])).trim());
    assert.equal(after - before, 2, 'a claim commit and an undo commit');
    const msg = await gitOut(ws.dir, ['log', '-1', '--format=%B']);
    assert.match(msg, /TASK-8 in_progress -> pending/);
    assert.match(msg, /delivery failed: amp never showed its input box/);
    assert.match(readFileSync(join(ws.dir, 'status/amp.md'), 'utf8'), /task: null/);
    const alerts = JSON.parse(readFileSync(join(ws.dir, '.orch/run/alerts.json'), 'utf8')) as { alerts: { message: string }[] };
    assert.match(alerts.alerts[0]!.message, /dispatch of TASK-8 to amp failed/);
    assert.match(readFileSync(join(ws.dir, '.orch/logs/monitor.log'), 'utf8'), /ALERT dispatch of TASK-8/);
  } finally { ws.cleanup(); }
});

test('two dispatchers racing on one plan: one claim wins, the other delivers nothing', async () => {
  const ws = await workspaceWith([['TASK-9', {}], ['TASK-10', {}]]);
  try {
    const a = fakeEffects();
    const b = fakeEffects();
    const plan = [{ agent: 'amp', taskId: 'TASK-9', preset: false, score: 0 }];
    const plan2 = [{ agent: 'codex', taskId: 'TASK-9', preset: false, score: 0 }, { agent: 'amp', taskId: 'TASK-10', preset: false, score: 0 }];
    const [x, y] = await Promise.all([applyDispatch(ws.dir, ws.cfg, plan, a.effects), applyDispatch(ws.dir, ws.cfg, plan2, b.effects)]);
    const all = [...x, ...y];
    const delivered = all.filter((o) => o.result === 'delivered');
    assert.equal(delivered.filter((o) => o.taskId === 'TASK-9').length, 1, JSON.stringify(all));
    assert.equal(new Set(delivered.map((o) => o.agent)).size, delivered.length, 'no agent got two tasks');
    assert.equal(a.sent.length + b.sent.length, delivered.length);
    assert.ok(all.some((o) => o.result === 'lost'));
  } finally { ws.cleanup(); }
});

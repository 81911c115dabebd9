import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHandoffDoc, readFills } from '../../src/core/handoff-doc.js';
import type { Task } from '../../src/core/task.js';
import type { Effects, LiveState } from '../../src/adapters/effects.js';
import { runHandoff } from '../../src/adapters/handoff-runner.js';
import { withCommitLock } from '../../src/adapters/lock.js';
import { reconcile } from '../../src/adapters/reconcile.js';
import { loadConfig } from '../../src/adapters/workspace.js';
import { gitOut, taskText, tempWorkspace } from '../helpers/index.js';

const t = (id: string, over: Partial<Task> = {}): Task => ({
  id, title: `title ${id}`, agent: null, priority: 'medium', depends_on: [], tags: [], created: null, blocked_reason: null,
  state: 'pending', status: null, path: `tasks/pending/${id}.md`, body: '', data: {}, ...over,
});

test('handoff document: mechanical sections from the tasks and commits, fill sections kept, empty ones noted at finalize', () => {
  const tasks = [
    t('T-1', { state: 'in_progress', agent: 'codex', title: 'a | pipe' }),
    t('T-2', { priority: 'high', depends_on: ['T-1'] }), t('T-3', { priority: 'high' }),
    t('T-4', { state: 'blocked', blocked_reason: 'needs API keys' }),
  ];
  const records = [{ agent: 'codex', role: 'worker' as const, window: 4, state: 'busy' as const, task: 'T-1', context_pct: null, paused: false }];
  const base = { from: 'claude', to: 'amp', phase: 'preparing' as const, updated: '2026-01-20T10:00:00.000Z', tasks, records,
    commits: [{ short: 'abc1234', date: '2026-01-20', subject: 'orch: T-1 pending -> in_progress' }], since: null };
  const first = buildHandoffDoc(base);
  assert.deepEqual(first.empty, ['context', 'decisions', 'instructions']);
  const d = first.text;
  assert.match(d, /^# Handoff claude -> amp/);
  assert.match(d, /\| `T-1` \| a \\\| pipe \| codex \| busy \|/);
  assert.ok(d.indexOf('`T-3`') < d.indexOf('`T-2`'), 'pending in dispatch order: ready first');
  assert.match(d, /\| `T-2` \| title T-2 \| high \| — \| T-1 \|/);
  assert.match(d, /needs API keys/);
  assert.match(d, /`abc1234` 2026-01-20 orch: T-1 pending -> in_progress/);
  assert.match(d, /Special instructions for amp/);
  assert.doesNotMatch(d, /left empty/);

  // The orchestrator writes its context; orch rewrites the rest and keeps it byte for byte.
  const written = d.replace(/(<!-- orch:fill context[^\n]*-->\n)\n/, '$1We are building the risk engine.\n| keep | this |\n');
  assert.equal(readFills(written).context, 'We are building the risk engine.\n| keep | this |\n');
  const final = buildHandoffDoc({ ...base, phase: 'executing', previous: written, finalize: true, tasks: [...tasks, t('T-5')] });
  assert.deepEqual(final.empty, ['decisions', 'instructions']);
  assert.ok(final.text.includes('We are building the risk engine.\n| keep | this |\n<!-- orch:end context -->'));
  assert.equal((final.text.match(/left empty by claude/g) ?? []).length, 2);
  assert.match(final.text, /`T-5`/);
});

function fakeEffects(o: { states?: Record<string, LiveState>; fail?: Set<string> } = {}) {
  const sent: { agent: string; text: string }[] = [];
  const effects: Effects = {
    async deliver(agent, text) {
      if (o.fail?.has(agent)) return { ok: false, reason: `${agent} stayed silent` };
      sent.push({ agent, text });
      return { ok: true, attempts: 1, verifiedBy: 'busy' };
    },
    async agentState(agent) { return o.states?.[agent] ?? 'idle'; },
    async usage() { return null; },
    now: () => new Date('2026-01-20T10:00:00Z'),
  };
  return { effects, sent };
}

test('handoff runner: prepare → execute → nothing new; a dead backup keeps the old orchestrator; resumes; the role can go back', async () => {
  const ws = await tempWorkspace();
  try {
    writeFileSync(join(ws.dir, 'tasks/pending/TASK-1.md'), taskText('TASK-1', 'Risk limits'));
    const cfg = loadConfig(ws.dir);
    await withCommitLock(ws.dir, () => reconcile(ws.dir, { cfg }));
    const rec = (a: string) => readFileSync(join(ws.dir, `status/${a}.md`), 'utf8');
    const count = async () => Number((await gitOut(ws.dir, ['rev-list', '--count', 'HEAD'])).trim());

    const f1 = fakeEffects();
    const p = await runHandoff(ws.dir, cfg, f1.effects, 'prepare', { pct: 91 });
    assert.equal(p.ok, true, p.message);
    assert.equal(p.phase, 'prepared');
    assert.match(rec('claude'), /handoff: prepared/);
    assert.match(readFileSync(join(ws.dir, 'handoff/claude_to_amp.md'), 'utf8'), /TASK-1/);
    assert.deepEqual(f1.sent.map((s) => s.agent), ['claude']);
    assert.match(f1.sent[0]!.text, /handoff\/claude_to_amp\.md[\s\S]*91 %|91 %[\s\S]*handoff\/claude_to_amp\.md/);
    const afterPrepare = await count();
    const again = await runHandoff(ws.dir, cfg, f1.effects, 'prepare', {});
    assert.equal(again.noop, true);
    assert.equal(await count(), afterPrepare, 're-running prepare commits nothing');

    // The backup is dead: alert, the old orchestrator stays, phase executing (resumable).
    const dead = fakeEffects({ states: { amp: 'dead' } });
    const x1 = await runHandoff(ws.dir, cfg, dead.effects, 'execute', {});
    assert.equal(x1.ok, false);
    assert.match(rec('claude'), /role: orchestrator/);
    assert.match(rec('claude'), /handoff: executing/);
    assert.match(readFileSync(join(ws.dir, '.orch/run/alerts.json'), 'utf8'), /amp is dead/);
    assert.deepEqual(dead.sent, []);

    // The backup is back: the same command resumes and switches the role.
    const f2 = fakeEffects();
    const x2 = await runHandoff(ws.dir, cfg, f2.effects, 'execute', {});
    assert.equal(x2.ok, true, x2.message);
    assert.deepEqual(f2.sent.map((s) => s.agent), ['amp', 'claude'], 'backup prompt, then tell the old one');
    assert.match(f2.sent[0]!.text, /ORCHESTRATEUR DE SECOURS[\s\S]*HANDOFF ORCHESTRATEUR/);
    assert.match(rec('claude'), /role: worker/);
    assert.match(rec('amp'), /role: orchestrator/);
    const msg = await gitOut(ws.dir, ['log', '-1', '--format=%B']);
    assert.match(msg, /^orch: handoff claude -> amp\n/);
    assert.match(msg, /Orch-Event: handoff/);
    const doc = readFileSync(join(ws.dir, 'handoff/claude_to_amp.md'), 'utf8');
    assert.match(doc, /Phase: done/);
    assert.equal((doc.match(/left empty by claude/g) ?? []).length, 3);

    const afterSwitch = await count();
    const f3 = fakeEffects();
    const x3 = await runHandoff(ws.dir, cfg, f3.effects, 'execute', {});
    assert.equal(x3.noop, true);
    assert.equal(await count(), afterSwitch, 're-running execute commits nothing');
    assert.deepEqual(f3.sent, []);

    // Later the role goes back (amp -> claude), to its own file.
    const back = await runHandoff(ws.dir, cfg, fakeEffects().effects, 'execute', { to: 'claude' });
    assert.equal(back.ok, true, back.message);
    assert.equal(back.file, 'handoff/amp_to_claude.md');
    assert.match(rec('claude'), /role: orchestrator/);
    assert.match(await gitOut(ws.dir, ['log', '-1', '--format=%s']), /^orch: handoff amp -> claude/);
  } finally { ws.cleanup(); }
});

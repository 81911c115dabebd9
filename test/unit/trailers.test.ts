import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commitMessage, type Change } from '../../src/core/changes.js';
import { FIELD, parseLog, parseTrailerGroups, RECORD } from '../../src/core/trailers.js';

test('trailer groups: [Orch-Task] [Orch-Agent] Orch-Event, in order, other trailers ignored', () => {
  const groups = parseTrailerGroups([
    'Signed-off-by: Someone <s@x>',
    'Orch-Task: TASK-PO-025 pending -> in_progress',
    'Orch-Agent: amp',
    'Orch-Event: move',
    'Orch-Task: TASK-PO-026 new -> pending',
    'Orch-Event: create',
    'Orch-Agent: claude',
    'Orch-Event: agent',
    'Orch-Event: handoff',
  ].join('\n'));
  assert.deepEqual(groups, [
    { id: 'TASK-PO-025', from: 'pending', to: 'in_progress', agent: 'amp', event: 'move' },
    { id: 'TASK-PO-026', from: 'new', to: 'pending', agent: null, event: 'create' },
    { id: null, from: null, to: null, agent: 'claude', event: 'agent' },
    { id: null, from: null, to: null, agent: null, event: 'handoff' },
  ]);
});

test('a group missing its Orch-Event (hand-written) still yields an entry', () => {
  assert.deepEqual(parseTrailerGroups('Orch-Task: T-1 pending -> blocked\nOrch-Task: T-2 blocked -> pending\nOrch-Event: move'), [
    { id: 'T-1', from: 'pending', to: 'blocked', agent: null, event: null },
    { id: 'T-2', from: 'blocked', to: 'pending', agent: null, event: 'move' },
  ]);
});

test('what commitMessage writes, the parser reads back', () => {
  const changes: Change[] = [
    { kind: 'move', id: 'T-1', from: 'pending', to: 'in_progress', agent: 'amp', path: 'tasks/in_progress/T-1.md' },
    { kind: 'delete', id: 'T-2', from: 'blocked', to: 'deleted', agent: null, path: 'tasks/blocked/T-2.md' },
    { kind: 'agent', agent: 'codex', path: 'status/codex.md' },
  ];
  const msg = commitMessage(changes);
  const trailers = msg.trimEnd().split('\n\n').pop()!;
  assert.deepEqual(parseTrailerGroups(trailers).map((g) => [g.id, g.from, g.to, g.agent, g.event]), [
    ['T-1', 'pending', 'in_progress', 'amp', 'move'],
    ['T-2', 'blocked', 'deleted', null, 'delete'],
    [null, null, null, 'codex', 'agent'],
  ]);
});

test('parseLog: one entry per group, newest commit first, filtered by exact id', () => {
  const rec = (sha: string, t: string, trailers: string) => ['\n' + sha, t, 'Ann <a@x>', `orch: ${sha}`, trailers].join(FIELD) + RECORD;
  const out = rec('b'.repeat(40), '2026-01-02T00:00:00+00:00', 'Orch-Task: T-10 pending -> in_progress\nOrch-Agent: amp\nOrch-Event: move\nOrch-Task: T-1 pending -> completed\nOrch-Event: move\n')
    + rec('a'.repeat(40), '2026-01-01T00:00:00+00:00', 'Orch-Task: T-1 new -> pending\nOrch-Event: create\n');
  const all = parseLog(out);
  assert.equal(all.length, 3);
  assert.deepEqual(all[0], { time: '2026-01-02T00:00:00+00:00', author: 'Ann <a@x>', commit: 'b'.repeat(40), id: 'T-10', from: 'pending', to: 'in_progress', agent: 'amp', event: 'move', subject: `orch: ${'b'.repeat(40)}` });
  assert.deepEqual(parseLog(out, 'T-1').map((e) => `${e.from}->${e.to}`), ['pending->completed', 'new->pending']);
  assert.deepEqual(parseLog('garbage without separators'), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commitMessage, planChanges, type ChangeLookup } from '../../src/core/changes.js';

const lookup = (now: Record<string, string>, head: Record<string, string> = {}, agents: Record<string, string> = {}): ChangeLookup => ({
  idAt: (p) => now[p],
  headIdAt: (p) => head[p],
  agentOf: (id) => agents[id] ?? null,
});

test('a delete and an add of one id across folders is one move', () => {
  const changes = planChanges(
    [{ status: 'D', path: 'tasks/pending/TASK-1-a.md' }, { status: 'A', path: 'tasks/in_progress/TASK-1-a.md' }],
    lookup({ 'tasks/in_progress/TASK-1-a.md': 'TASK-1' }, {}, { 'TASK-1': 'amp' }),
  );
  assert.deepEqual(changes, [{ kind: 'move', id: 'TASK-1', from: 'pending', to: 'in_progress', agent: 'amp', path: 'tasks/in_progress/TASK-1-a.md' }]);
});

test('a renamed file whose name hides its id is paired through the ids read from the file and HEAD', () => {
  const changes = planChanges(
    [{ status: 'D', path: 'tasks/pending/old name.md' }, { status: 'A', path: 'tasks/blocked/new name.md' }],
    lookup({ 'tasks/blocked/new name.md': 'X-9' }, { 'tasks/pending/old name.md': 'X-9' }),
  );
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.kind, 'move');
  assert.equal(changes[0]!.from, 'pending');
  assert.equal(changes[0]!.to, 'blocked');
});

test('create, edit, delete and non-task paths get their own events; status file and .gitkeep none', () => {
  const changes = planChanges([
    { status: 'A', path: 'tasks/pending/T-1.md' },
    { status: 'M', path: 'tasks/completed/T-2.md' },
    { status: 'D', path: 'tasks/blocked/T-3.md' },
    { status: 'M', path: 'status/amp.md' },
    { status: 'A', path: 'handoff/claude_to_amp.md' },
    { status: 'M', path: 'ORCHESTRATION_STATUS.md' },
    { status: 'A', path: 'tasks/pending/.gitkeep' },
  ], lookup({ 'tasks/pending/T-1.md': 'T-1', 'tasks/completed/T-2.md': 'T-2' }));
  assert.deepEqual(changes.map((c) => `${c.kind}:${c.id ?? c.path}:${c.from ?? ''}->${c.to ?? ''}`), [
    'create:T-1:new->pending',
    'delete:T-3:blocked->deleted',
    'edit:T-2:completed->completed',
    'agent:status/amp.md:->',
    'handoff:handoff/claude_to_amp.md:->',
  ]);
});

test('commit message: one-change subject, trailer group per change, batch subject', () => {
  const one = commitMessage([{ kind: 'move', id: 'TASK-PO-025', from: 'pending', to: 'in_progress', agent: 'amp', path: 'x' }], { 'TASK-PO-025': 'note\nwith newline' });
  assert.match(one, /^orch: TASK-PO-025 pending -> in_progress\n\n/);
  assert.match(one, /\n\nOrch-Task: TASK-PO-025 pending -> in_progress\nOrch-Agent: amp\nOrch-Event: move\n$/);
  assert.match(one, /: note with newline/);
  const many = commitMessage([
    { kind: 'create', id: 'T-1', from: 'new', to: 'pending', agent: null, path: 'a' },
    { kind: 'delete', id: 'T-2', from: 'blocked', to: 'deleted', agent: null, path: 'b' },
  ]);
  assert.match(many, /^orch: 2 task changes\n/);
  assert.equal(many.match(/^Orch-Event: /gm)?.length, 2);
  assert.equal(many.match(/^Orch-Agent: /gm), null);
  // Only the status file re-rendered (its Alerts section): an honest subject, no trailers.
  assert.equal(commitMessage([]), 'orch: ORCHESTRATION_STATUS.md re-rendered\n');
});

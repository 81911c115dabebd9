import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDispatch, specialtyScore, type DispatchAgent, type DispatchInput } from '../../src/core/dispatch-policy.js';
import type { Task } from '../../src/core/task.js';

const t = (id: string, over: Partial<Task> = {}): Task => ({
  id, title: id, agent: null, priority: 'medium', depends_on: [], tags: [], created: null, blocked_reason: null,
  state: 'pending', status: null, path: `tasks/pending/${id}.md`, body: '', data: {}, ...over,
});
const ag = (name: string, specialties: string[] = [], over: Partial<DispatchAgent> = {}): DispatchAgent =>
  ({ name, state: 'idle', paused: false, specialties, ...over });

const team = (): DispatchAgent[] => [
  ag('claude', ['architecture']),
  ag('amp', ['implementation', 'tests']),
  ag('antigravity', ['analysis', 'strategy']),
  ag('codex', ['codegen', 'types']),
];
const plan = (over: Partial<DispatchInput>) =>
  planDispatch({ tasks: [], agents: team(), orchestrator: 'claude', orchestratorTakes: 'preset-only', ...over });
const pairs = (p: ReturnType<typeof planDispatch>) => p.assignments.map((a) => `${a.agent}:${a.taskId}`).sort();

test('specialties best matching the tags win; case and _/- do not matter', () => {
  assert.equal(specialtyScore(t('T-1', { tags: ['Tests', 'crud'] }), ['tests', 'crud']), 2);
  assert.equal(specialtyScore(t('T-1', { tags: ['critical_decisions'] }), ['critical-decisions']), 1);
  const p = plan({ tasks: [t('T-1', { tags: ['strategy'] }), t('T-2', { tags: ['types'] }), t('T-3', { tags: ['tests'] })] });
  assert.deepEqual(pairs(p), ['amp:T-3', 'antigravity:T-1', 'codex:T-2']);
});

test('the orchestrator only gets tasks preset to it (preset-only), none (never), or any (always)', () => {
  const tasks = [t('T-1', { tags: ['architecture'] }), t('T-2', { agent: 'claude' })];
  const one = plan({ tasks, agents: [ag('claude', ['architecture']), ag('amp')] });
  assert.deepEqual(pairs(one), ['amp:T-1', 'claude:T-2']);
  const never = plan({ tasks, agents: [ag('claude', ['architecture']), ag('amp')], orchestratorTakes: 'never' });
  assert.deepEqual(pairs(never), ['amp:T-1']);
  const always = plan({ tasks: [t('T-1', { tags: ['architecture'] })], agents: [ag('claude', ['architecture']), ag('amp')], orchestratorTakes: 'always' });
  assert.deepEqual(pairs(always), ['claude:T-1']);
  // After a handoff the current orchestrator is amp: amp is then the one kept out.
  const after = plan({ tasks: [t('T-1')], agents: [ag('claude'), ag('amp')], orchestrator: 'amp' });
  assert.deepEqual(pairs(after), ['claude:T-1']);
});

test('preset tasks go only to their agent, before any other work', () => {
  const tasks = [t('T-1', { priority: 'high', tags: ['tests'] }), t('T-2', { agent: 'amp', priority: 'low' }), t('T-3', { agent: 'codex' })];
  const p = plan({ tasks, agents: [ag('amp', ['tests']), ag('codex', [], { state: 'busy' })] });
  assert.deepEqual(pairs(p), ['amp:T-2']);
  assert.ok(p.skipped.some((s) => s.agent === 'codex' && /busy/.test(s.reason)));
  // A task claimed once then released by hand keeps `assigned: claimed`: it is not preset.
  const released = plan({ tasks: [t('T-4', { agent: 'codex', data: { assigned: 'claimed' } })], agents: [ag('amp')] });
  assert.deepEqual(pairs(released), ['amp:T-4']);
});

test('dependencies: a task waits until every depends_on is completed', () => {
  const tasks = [t('T-1', { depends_on: ['T-9'], priority: 'high' }), t('T-2', { priority: 'low' }), t('T-9', { state: 'in_progress', agent: 'codex' })];
  assert.deepEqual(pairs(plan({ tasks, agents: [ag('amp')] })), ['amp:T-2']);
  tasks[2]!.state = 'completed';
  assert.deepEqual(pairs(plan({ tasks, agents: [ag('amp')] })), ['amp:T-1']);
});

test('priority, then age, then id order the tasks for one agent', () => {
  const tasks = [
    t('T-5', { priority: 'medium', created: '2026-01-01T00:00:00Z' }),
    t('T-4', { priority: 'high', created: '2026-01-03T00:00:00Z' }),
    t('T-3', { priority: 'high', created: '2026-01-02T00:00:00Z' }),
  ];
  assert.deepEqual(pairs(plan({ tasks, agents: [ag('amp')] })), ['amp:T-3']);
  assert.deepEqual(pairs(plan({ tasks: [t('T-2'), t('T-1')], agents: [ag('amp')] })), ['amp:T-1']);
});

test('one task per agent: a busy holder, a paused or non-idle agent gets nothing; one plan never doubles up', () => {
  const tasks = [t('T-1'), t('T-2'), t('T-3', { state: 'in_progress', agent: 'codex' })];
  const p = plan({ tasks, agents: [ag('amp'), ag('codex'), ag('antigravity', [], { paused: true }), ag('x', [], { state: 'waiting' })] });
  assert.deepEqual(pairs(p), ['amp:T-1']);
  assert.equal(new Set(p.assignments.map((a) => a.agent)).size, p.assignments.length);
  assert.equal(new Set(p.assignments.map((a) => a.taskId)).size, p.assignments.length);
  assert.ok(p.skipped.some((s) => s.agent === 'codex' && /T-3 in progress/.test(s.reason)));
  assert.ok(p.skipped.some((s) => s.agent === 'antigravity' && /paused/.test(s.reason)));
});

test('--predefined, --agent and --task narrow the plan; --force overrides the live state but not dead agents', () => {
  const tasks = [t('T-1', { priority: 'high' }), t('T-2', { agent: 'amp' }), t('T-3', { agent: 'codex' })];
  assert.deepEqual(pairs(plan({ tasks, predefinedOnly: true })), ['amp:T-2', 'codex:T-3']);
  assert.deepEqual(pairs(plan({ tasks, agent: 'antigravity' })), ['antigravity:T-1']);
  assert.deepEqual(pairs(plan({ tasks, agent: 'amp', taskId: 'T-1' })), ['amp:T-1']);
  const busy = plan({ tasks, agents: [ag('amp', [], { state: 'busy' })], agent: 'amp', taskId: 'T-1' });
  assert.deepEqual(pairs(busy), []);
  assert.match(busy.skipped.map((s) => s.reason).join(';'), /amp is busy/);
  assert.deepEqual(pairs(plan({ tasks, agents: [ag('amp', [], { state: 'busy' })], agent: 'amp', taskId: 'T-1', force: true })), ['amp:T-1']);
  assert.deepEqual(pairs(plan({ tasks, agents: [ag('amp', [], { state: 'dead' })], agent: 'amp', taskId: 'T-1', force: true })), []);
  // A task preset to codex is refused to amp without --force.
  assert.deepEqual(pairs(plan({ tasks, agent: 'amp', taskId: 'T-3' })), []);
  assert.deepEqual(pairs(plan({ tasks, agent: 'amp', taskId: 'T-3', force: true })), ['amp:T-3']);
  const missing = plan({ tasks, agent: 'amp', taskId: 'T-99' });
  assert.match(missing.skipped[0]!.reason, /not found/);
});

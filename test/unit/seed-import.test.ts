import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mapSeedQueue } from '../../src/core/seed-import.js';
import { toSeedQueue } from '../../src/core/seed-export.js';
import { parseTask, renderTaskFile } from '../../src/core/task.js';

const AGENTS = ['claude', 'amp', 'antigravity', 'codex'];
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/fixtures/task_queue.json', import.meta.url)), 'utf8')) as unknown;

test('seed field names map to the task model: task_id, titre, assigned_to, priorite, dependencies, description', () => {
  const r = mapSeedQueue(fixture, AGENTS);
  assert.deepEqual(r.problems, []);
  assert.equal(r.currentOrchestrator, 'claude');
  assert.equal(r.tasks.length, 7);
  const t22 = r.tasks.find((t) => t.id === 'TASK-PO-022')!;
  assert.equal(t22.state, 'pending');
  assert.equal(t22.jsonPath, '$.task_queue.pending[1]');
  assert.deepEqual([t22.fm.title, t22.fm.agent, t22.fm.priority, t22.fm.depends_on, t22.fm.created], ['Rapport mensuel MPOB : extraction des stocks', 'antigravity', 'medium', [], '2026-01-20T09:20:00Z']);
  assert.match(t22.body, /^\nExtraire stocks/);
  const t21 = r.tasks.find((t) => t.id === 'TASK-PO-021')!;
  assert.equal(t21.fm.priority, 'high');
  assert.equal(t21.fm.estimated_hours, 6, 'unknown fields are kept');
  const blocked = r.tasks.find((t) => t.state === 'blocked')!;
  assert.equal(blocked.fm.blocked_reason, 'cles API du courtier (compte demo) pas encore fournies');
  for (const t of r.tasks) assert.ok(parseTask(`tasks/${t.state}/${t.id}.md`, renderTaskFile(t.fm, t.body), t.state).ok, t.id);
});

test('invalid entries are reported with their JSON path and skipped; the others are kept', () => {
  const r = mapSeedQueue({
    task_queue: {
      pending: [
        { id: '../../etc/passwd', title: 'evil' },
        { title: 'no id' },
        { id: 'T-1', title: 'ok', priorite: 'HAUTE', agent: 'AMP' },
        { id: 'T-1', title: 'dup' },
        { id: 'T-2', title: 'x', agent: 'bob' },
        { id: 'T-3', title: 'x', priority: 'whenever' },
        { id: 'T-4', title: 'x', depends_on: ['nope'] },
        'just a string',
        { id: 't-5', description: 'First line is the title\nand the body' },
      ],
      done: [{ id: 'T-6', title: 'done alias', agent: 'none' }],
      archive: [],
    },
  }, AGENTS);
  assert.deepEqual(r.problems.map((p) => p.jsonPath), [
    '$.task_queue.pending[0]', '$.task_queue.pending[1]', '$.task_queue.pending[3]', '$.task_queue.pending[4]',
    '$.task_queue.pending[5]', '$.task_queue.pending[6]', '$.task_queue.pending[7]',
  ]);
  assert.match(r.problems[0]!.message, /invalid id "..\/..\/etc\/passwd"/);
  assert.match(r.problems[3]!.message, /unknown agent "bob"/);
  assert.deepEqual(r.tasks.map((t) => [t.id, t.state, t.fm.agent, t.fm.priority, t.fm.title]), [
    ['T-1', 'pending', 'amp', 'high', 'ok'],
    ['T-5', 'pending', null, 'medium', 'First line is the title'],
    ['T-6', 'completed', null, 'medium', 'done alias'],
  ]);
  assert.deepEqual(r.warnings.map((w) => w.jsonPath), ['$.task_queue.archive']);
  assert.deepEqual(mapSeedQueue([1, 2]).problems.map((p) => p.jsonPath), ['$']);
});

test('export is the inverse of import: same tasks, French priorities, unknown keys, prompt', () => {
  const r = mapSeedQueue(fixture, AGENTS);
  const tasks = r.tasks.map((t) => {
    const p = parseTask(`tasks/${t.state}/${t.id}.md`, renderTaskFile(t.fm, t.body), t.state);
    assert.ok(p.ok);
    return p.value;
  });
  const out = toSeedQueue(tasks, 'claude');
  assert.equal(out.current_orchestrator, 'claude');
  const again = mapSeedQueue(JSON.parse(JSON.stringify(out)), AGENTS);
  assert.deepEqual(again.problems, []);
  const norm = (xs: typeof r.tasks) => xs.map((t) => ({ ...t, jsonPath: '' })).sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(norm(again.tasks), norm(r.tasks));
  const e = out.task_queue.pending.find((x) => x.id === 'TASK-PO-021')!;
  assert.equal(e.priority, 'HAUTE');
  assert.equal(e.estimated_hours, 6);
  assert.match(String(e.prompt), /^=== CONTEXTE ===/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDoctor, type DoctorTask } from '../../src/core/doctor.js';
import type { Task } from '../../src/core/task.js';

const t = (id: string, state: Task['state'], mtimeMs: number, over: Partial<Task> = {}, inHead = true, name = id): DoctorTask => ({
  task: { id, title: id, agent: null, priority: 'medium', depends_on: [], tags: [], created: null, blocked_reason: null, state, status: null, path: `tasks/${state}/${name}.md`, body: '', data: {}, ...over },
  mtimeMs, inHead,
});

test('a file in two folders: keep the most advanced state, remove the others', () => {
  const f = planDoctor({ tasks: [t('T-1', 'pending', 5), t('T-1', 'completed', 1), t('T-1', 'in_progress', 9)], agents: [], locks: [] });
  assert.deepEqual(f.map((x) => [x.kind, x.fix]), [
    ['two-folders', { type: 'remove', path: 'tasks/in_progress/T-1.md' }],
    ['two-folders', { type: 'remove', path: 'tasks/pending/T-1.md' }],
  ]);
});

test('equal states: the newest copy is kept', () => {
  const f = planDoctor({ tasks: [t('T-1', 'blocked', 1, {}, true, 'T-1-a'), t('T-1', 'pending', 1), t('T-1', 'blocked', 7, {}, true, 'T-1-b')], agents: [], locks: [] });
  assert.deepEqual(f.map((x) => x.fix), [{ type: 'remove', path: 'tasks/blocked/T-1-a.md' }, { type: 'remove', path: 'tasks/pending/T-1.md' }]);
});

test('same id twice in one folder: the file HEAD knows keeps it, the other gets the next free id', () => {
  const f = planDoctor({ tasks: [t('T-1', 'pending', 1, {}, false, 'T-1-new'), t('T-1', 'pending', 9, {}, true, 'T-1-old'), t('T-7', 'completed', 1)], agents: [], locks: [] });
  assert.deepEqual(f.map((x) => x.fix), [{ type: 'renumber', path: 'tasks/pending/T-1-new.md', id: 'T-1', newId: 'T-8' }]);
});

test('status: edited in place means move; a moved file keeps its folder; unknown agent in progress is requeued; stale locks', () => {
  const f = planDoctor({
    tasks: [
      t('T-1', 'pending', 1, { status: 'completed' }, true),
      t('T-2', 'blocked', 1, { status: 'pending' }, false),
      t('T-3', 'in_progress', 1, { agent: 'ghost' }),
      t('T-4', 'in_progress', 1, { agent: 'amp' }),
    ],
    agents: ['amp'],
    locks: [{ path: '/w/.orch/run/daemon.pid', stale: 'daemon pid 9 is not running' }, { path: '/w/.git/index.lock', stale: null }],
  });
  assert.deepEqual(f.map((x) => [x.kind, x.fix?.type]), [
    ['stale-lock', 'remove-lock'], ['status-mismatch', 'move'], ['status-mismatch', 'set-status'], ['unknown-agent', 'requeue'],
  ]);
  assert.deepEqual(f[1]!.fix, { type: 'move', path: 'tasks/pending/T-1.md', to: 'completed' });
  assert.deepEqual(f[2]!.fix, { type: 'set-status', path: 'tasks/blocked/T-2.md', status: 'blocked' });
});

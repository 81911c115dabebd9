import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatchOrder, waitingOn } from '../../src/core/dispatch-order.js';
import type { Task } from '../../src/core/task.js';

const t = (id: string, over: Partial<Task> = {}): Task => ({
  id, title: id, agent: null, priority: 'medium', depends_on: [], tags: [], created: null, blocked_reason: null,
  state: 'pending', status: null, path: `tasks/pending/${id}.md`, body: '', data: {}, ...over,
});

test('ready before waiting, then priority, then age, then id', () => {
  const tasks = [
    t('T-1', { priority: 'low' }),
    t('T-2', { priority: 'high', depends_on: ['T-9'] }),
    t('T-3', { priority: 'high', created: '2026-01-02' }),
    t('T-4', { priority: 'high', created: '2026-01-01' }),
    t('T-5', { priority: 'high', created: '2026-01-01' }),
    t('T-9', { state: 'in_progress' }),
  ];
  assert.deepEqual(dispatchOrder(tasks).map((x) => x.id), ['T-4', 'T-5', 'T-3', 'T-1', 'T-2']);
  assert.deepEqual(waitingOn(tasks[1]!, tasks), ['T-9']);
  tasks[5]!.state = 'completed';
  assert.deepEqual(waitingOn(tasks[1]!, tasks), []);
  assert.deepEqual(dispatchOrder(tasks).map((x) => x.id), ['T-4', 'T-5', 'T-3', 'T-2', 'T-1']);
});

import { PRIORITY_RANK } from './states.js';
import type { Task } from './task.js';

export function completedIds(tasks: Task[]): Set<string> {
  const s = new Set<string>();
  for (const t of tasks) if (t.state === 'completed') s.add(t.id);
  return s;
}

/** Pending tasks in dispatch order: ready first, then priority, then age, then id (SPEC §10). */
export function dispatchOrder(tasks: Task[], completed = completedIds(tasks)): Task[] {
  const ready = new Map<Task, number>();
  for (const t of tasks) if (t.state === 'pending') ready.set(t, t.depends_on.every((d) => completed.has(d)) ? 1 : 0);
  return [...ready.keys()].sort((a, b) =>
    ready.get(b)! - ready.get(a)! ||
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    cmp(a.created ?? '\uffff', b.created ?? '\uffff') || // unknown age after known ages
    cmp(a.id, b.id));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Dependencies of a task that are not completed yet. */
export function waitingOn(task: Task, tasks: Task[], completed = completedIds(tasks)): string[] {
  return task.depends_on.filter((d) => !completed.has(d));
}

import { PRIORITY_RANK } from './states.js';
import type { Task } from './task.js';

/** Pending tasks in dispatch order: ready first, then priority, then age, then id (SPEC §10). */
export function dispatchOrder(tasks: Task[]): Task[] {
  const completed = new Set(tasks.filter((t) => t.state === 'completed').map((t) => t.id));
  const ready = (t: Task) => t.depends_on.every((d) => completed.has(d));
  return tasks
    .filter((t) => t.state === 'pending')
    .sort((a, b) =>
      Number(ready(b)) - Number(ready(a)) ||
      PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
      (a.created ?? '').localeCompare(b.created ?? '') ||
      a.id.localeCompare(b.id));
}

/** Dependencies of a task that are not completed yet. */
export function waitingOn(task: Task, tasks: Task[]): string[] {
  const completed = new Set(tasks.filter((t) => t.state === 'completed').map((t) => t.id));
  return task.depends_on.filter((d) => !completed.has(d));
}

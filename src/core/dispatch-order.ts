import { firstN } from './first-n.js';
import { PRIORITY_RANK } from './states.js';
import type { Task } from './task.js';

export function completedIds(tasks: Task[]): Set<string> {
  const s = new Set<string>();
  for (const t of tasks) if (t.state === 'completed') s.add(t.id);
  return s;
}

interface Keyed { t: Task; ready: number; rank: number; created: string }
const byDispatch = (a: Keyed, b: Keyed): number => b.ready - a.ready || a.rank - b.rank || cmp(a.created, b.created) || cmp(a.t.id, b.t.id);

/** Pending tasks in dispatch order: ready first, then priority, then age, then id (SPEC §10). */
export function dispatchOrder(tasks: Task[], completed = completedIds(tasks)): Task[] {
  return dispatchHead(tasks, completed, Infinity).order;
}

/**
 * The first `n` pending tasks in dispatch order (all of them for Infinity), and how many
 * pending tasks are ready. The status file shows 50 of 4 000: those are picked, not sorted.
 */
export function dispatchHead(tasks: Task[], completed: Set<string>, n: number): { order: Task[]; ready: number } {
  // Keys computed once per task, not per comparison (4 000 pending tasks: ~50 000 comparisons a sort).
  const keyed: Keyed[] = [];
  let ready = 0;
  for (const t of tasks) {
    if (t.state !== 'pending') continue;
    const k = { t, ready: t.depends_on.every((d) => completed.has(d)) ? 1 : 0, rank: PRIORITY_RANK[t.priority], created: t.created ?? '\uffff' }; // unknown age after known ages
    ready += k.ready;
    keyed.push(k);
  }
  // The order is total (ids are unique among usable tasks): the first n of a sort, picked.
  const order = keyed.length <= n ? keyed.sort(byDispatch) : firstN(keyed, n, byDispatch);
  return { order: order.map((k) => k.t), ready };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Dependencies of a task that are not completed yet. */
export function waitingOn(task: Task, tasks: Task[], completed = completedIds(tasks)): string[] {
  return task.depends_on.filter((d) => !completed.has(d));
}

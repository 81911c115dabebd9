import type { Problem } from './result.js';
import { isState, type State } from './states.js';
import type { Task } from './task.js';

/**
 * Tasks sharing an id: the same id in two folders ("a file in two folders") or
 * twice in one. None of them is committed or dispatched until it is resolved
 * (`orch doctor --fix` keeps the most advanced state).
 */
export function findDuplicates(tasks: Task[]): Problem[] {
  // A round asks twice about the same scan (status moves, then what may be committed): answer once.
  let found = duplicatesOf.get(tasks);
  if (!found) { found = duplicates(tasks); duplicatesOf.set(tasks, found); }
  return found;
}

const duplicatesOf = new WeakMap<Task[], Problem[]>();

function duplicates(tasks: Task[]): Problem[] {
  // One Map entry per id, a list only for the rare shared id: this runs every daemon round at 10 000+ tasks.
  const first = new Map<string, Task>();
  const shared = new Map<string, Task[]>();
  for (const t of tasks) {
    const f = first.get(t.id);
    if (!f) first.set(t.id, t);
    else shared.set(t.id, [...(shared.get(t.id) ?? [f]), t]);
  }
  const out: Problem[] = [];
  for (const id of shared.size ? first.keys() : []) {
    const list = shared.get(id);
    if (!list) continue;
    const folders = new Set(list.map((t) => t.state));
    const rule = folders.size > 1 ? 'two-folders' : 'duplicate-id';
    for (const t of list) {
      const others = list.filter((o) => o !== t).map((o) => o.path).join(', ');
      out.push({
        path: t.path, line: 2, rule, severity: 'error',
        message: rule === 'two-folders'
          ? `task ${id} is in two folders (also ${others}); keep one file — \`orch doctor --fix\` keeps the most advanced state`
          : `duplicate id ${id} (also ${others}); give one of them a new id`,
      });
    }
  }
  return out;
}

/** A `status:` edited to another state is the intent to move the file there (SPEC §3). */
export interface StatusMove { id: string; from: string; to: string; toState: State }

export function planStatusMoves(tasks: Task[]): StatusMove[] {
  const moves: StatusMove[] = [];
  for (const t of tasks) {
    if (t.status && isState(t.status) && t.status !== t.state) {
      const name = t.path.split('/').pop()!;
      moves.push({ id: t.id, from: t.path, to: `tasks/${t.status}/${name}`, toState: t.status });
    }
  }
  return moves;
}

/** Which of the valid tasks may be committed and dispatched (duplicates excluded). */
export function usableTasks(tasks: Task[], duplicates: Problem[]): Task[] {
  if (!duplicates.length) return tasks;
  const bad = new Set(duplicates.map((p) => p.path));
  return tasks.filter((t) => !bad.has(t.path));
}

import type { Problem } from '../result.js';
import { keyLine, problem } from '../task.js';
import type { Task } from '../task.js';

/**
 * `depends_on` rules across files: a dependency on an id no task has
 * (dangling), and cycles (which would make tasks wait forever). Pure.
 * `known` holds every id seen, valid file or not, so a dependency on a
 * broken file is not reported twice as dangling.
 */
export function dependencyProblems(tasks: Task[], known: Set<string>, texts: Map<string, string> = new Map()): Problem[] {
  const out: Problem[] = [];
  const ids = new Set(tasks.map((t) => t.id));
  const line = (t: Task) => keyLine(texts.get(t.path) ?? '', 'depends_on') ?? 2;
  for (const t of tasks) {
    for (const d of t.depends_on) {
      if (!ids.has(d) && !known.has(d)) {
        out.push(problem(t.path, 'depends', `depends_on ${d}: no task has this id; fix the id or remove it (dispatch would wait forever)`, line(t)));
      }
    }
  }
  for (const cycle of findCycles(tasks)) {
    const text = [...cycle, cycle[0]].join(' -> ');
    for (const id of cycle) {
      const t = tasks.find((x) => x.id === id)!;
      if (cycle.length === 1) continue; // a self-dependency is reported by the file rules
      out.push(problem(t.path, 'cycle', `depends_on cycle ${text}; remove one of these dependencies`, line(t)));
    }
  }
  return out;
}

/** Elementary cycles found by an iterative DFS (each cycle reported once, ids in order). */
export function findCycles(tasks: Task[]): string[][] {
  const deps = new Map<string, string[]>();
  // A task without dependencies cannot be on a cycle: only tasks with some are graph nodes.
  for (const t of tasks) if (t.depends_on.length && !deps.has(t.id)) deps.set(t.id, t.depends_on);
  const color = new Map<string, 0 | 1 | 2>();
  const cycles: string[][] = [];
  for (const start of deps.keys()) {
    if (color.get(start)) continue;
    const stack: { id: string; i: number }[] = [{ id: start, i: 0 }];
    const path: string[] = [start];
    color.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = (deps.get(top.id) ?? [])[top.i++];
      if (next === undefined) {
        color.set(top.id, 2);
        stack.pop();
        path.pop();
        continue;
      }
      if (!deps.has(next)) continue;
      const c = color.get(next) ?? 0;
      if (c === 1) cycles.push(path.slice(path.indexOf(next)));
      else if (c === 0) {
        color.set(next, 1);
        stack.push({ id: next, i: 0 });
        path.push(next);
      }
    }
  }
  return cycles;
}

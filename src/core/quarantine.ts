import { findDuplicates, usableTasks } from './integrity.js';
import { findCycles } from './lint/graph.js';
import type { Problem } from './result.js';
import type { Task } from './task.js';

/**
 * Tasks that parse but must not be committed yet (SPEC §13: "a cycle in
 * depends_on, an unknown agent … never committed, never dispatched"):
 * - a pending task preset to an agent the config does not have;
 * - every task of a depends_on cycle (a self-dependency included).
 * Tasks in other states keep flowing even when their agent left the config:
 * their history must still be recorded, and `orch doctor` / the monitor
 * requeue in-progress ones. Prompt-quality rules (length, sections) and
 * dangling dependencies are lint errors only: the task is committed and
 * dispatch waits. Pure.
 */
export function quarantine(tasks: Task[], agents: string[]): Problem[] {
  const out: Problem[] = [];
  for (const t of tasks) {
    if (t.state === 'pending' && t.agent !== null && !agents.includes(t.agent)) {
      out.push({ path: t.path, line: null, rule: 'agent', severity: 'error', message: `unknown agent "${t.agent}" (known: ${agents.join(', ')}); fix the name or add the agent to .orch/config.yml — not committed until then` });
    }
  }
  for (const cycle of findCycles(tasks)) {
    const text = [...cycle, cycle[0]].join(' -> ');
    for (const id of cycle) {
      for (const t of tasks.filter((x) => x.id === id)) {
        out.push({ path: t.path, line: null, rule: 'cycle', severity: 'error', message: `depends_on cycle ${text}; remove one dependency — not committed until then` });
      }
    }
  }
  return out;
}

/** Problems that hold a task back (duplicates and quarantine), and the tasks that may be committed and dispatched. */
export function heldBack(tasks: Task[], agents: string[]): { held: Problem[]; usable: Task[] } {
  const duplicates = findDuplicates(tasks);
  const held = [...duplicates, ...quarantine(usableTasks(tasks, duplicates), agents)];
  return { held, usable: usableTasks(tasks, held) };
}

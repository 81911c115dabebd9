import { nextId } from './ids.js';
import { isState, type State } from './states.js';
import type { Task } from './task.js';

/**
 * `orch doctor` as a pure planner: findings and the repair for each, from a
 * snapshot the command gathers. Repairs are data; the command applies them.
 */
export type Fix =
  | { type: 'remove'; path: string }
  | { type: 'renumber'; path: string; id: string; newId: string }
  | { type: 'remove-lock'; path: string }
  | { type: 'set-status'; path: string; status: State }
  | { type: 'move'; path: string; to: State }
  | { type: 'requeue'; id: string; path: string };

export interface Finding {
  kind: 'two-folders' | 'duplicate-id' | 'stale-lock' | 'status-mismatch' | 'unknown-agent';
  path: string;
  /** The task concerned, when there is one. */
  id?: string;
  message: string;
  /** null: reported only (a human decides). */
  fix: Fix | null;
}

export interface DoctorTask { task: Task; mtimeMs: number; inHead: boolean }

export interface LockState {
  path: string;
  /** Why it is stale, or null when it is held (or absent: then it is not listed). */
  stale: string | null;
}

export interface DoctorInput { tasks: DoctorTask[]; agents: string[]; locks: LockState[] }

/** completed > in_progress > blocked > pending: the state a crashed move was heading to. */
const RANK: Record<State, number> = { completed: 0, in_progress: 1, blocked: 2, pending: 3 };
const prefixOf = (id: string) => id.replace(/-[0-9]+$/, '');

export function planDoctor(input: DoctorInput): Finding[] {
  const out: Finding[] = [];
  for (const l of input.locks) {
    if (l.stale) out.push({ kind: 'stale-lock', path: l.path, message: `stale lock ${l.path}: ${l.stale}`, fix: { type: 'remove-lock', path: l.path } });
  }
  const byId = new Map<string, DoctorTask[]>();
  for (const t of input.tasks) byId.set(t.task.id, [...(byId.get(t.task.id) ?? []), t]);
  const allIds = new Set(byId.keys());
  const dupPaths = new Set<string>();
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    for (const g of group) dupPaths.add(g.task.path);
    const sorted = [...group].sort((a, b) => RANK[a.task.state] - RANK[b.task.state] || b.mtimeMs - a.mtimeMs || a.task.path.localeCompare(b.task.path));
    const keep = sorted[0]!;
    if (new Set(group.map((g) => g.task.state)).size > 1) {
      for (const g of sorted.slice(1)) {
        out.push({ kind: 'two-folders', path: g.task.path, id, message: `task ${id} is in two folders; keeping ${keep.task.path} (${keep.task.state}), removing this copy`, fix: { type: 'remove', path: g.task.path } });
      }
      continue;
    }
    // Same folder, same id: the file HEAD knows (else the oldest) keeps the id; the others get new ones.
    const owner = [...group].sort((a, b) => Number(b.inHead) - Number(a.inHead) || a.mtimeMs - b.mtimeMs || a.task.path.localeCompare(b.task.path))[0]!;
    for (const g of group) {
      if (g === owner) continue;
      const newId = nextId(prefixOf(id), allIds);
      allIds.add(newId);
      out.push({ kind: 'duplicate-id', path: g.task.path, id, message: `duplicate id ${id} (also ${owner.task.path}); this file gets the new id ${newId}`, fix: { type: 'renumber', path: g.task.path, id, newId } });
    }
  }
  for (const { task: t, inHead } of input.tasks) {
    if (dupPaths.has(t.path)) continue;
    if (t.status !== null && t.status !== t.state) {
      // Same path in HEAD: the key was edited (the intent is a move, SPEC §3). Otherwise the file was moved: the folder is the truth.
      const fix: Fix | null = !isState(t.status) ? null : inHead ? { type: 'move', path: t.path, to: t.status } : { type: 'set-status', path: t.path, status: t.state };
      const what = fix?.type === 'move' ? `moving it to ${t.status}/ (the edit is the intent)` : fix ? `setting status: ${t.state} (the folder is the truth)` : 'fix the key by hand';
      out.push({ kind: 'status-mismatch', path: t.path, id: t.id, message: `${t.id} has status: ${t.status} but is in ${t.state}/; ${what}`, fix });
    }
    if (t.state === 'in_progress' && t.agent !== null && !input.agents.includes(t.agent)) {
      out.push({ kind: 'unknown-agent', path: t.path, id: t.id, message: `${t.id} is in progress for agent "${t.agent}", which is not in .orch/config.yml; back to pending, agent cleared`, fix: { type: 'requeue', id: t.id, path: t.path } });
    }
  }
  return out;
}

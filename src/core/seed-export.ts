import { PRIORITY_FR } from './template.js';
import { sortById } from './ids.js';
import { STATES, type State } from './states.js';
import type { Task } from './task.js';

/** Canonical keys orch writes itself; every other frontmatter key is exported as it is. */
const KNOWN = new Set(['id', 'title', 'agent', 'priority', 'depends_on', 'tags', 'created', 'blocked_reason', 'status']);

export interface SeedEntry { [key: string]: unknown }
export interface SeedQueue { current_orchestrator?: string; task_queue: Record<State, SeedEntry[]> }


/** Tasks → the seed's `task_queue.json` shape (the inverse of mapSeedQueue). Pure and deterministic. */
export function toSeedQueue(tasks: Task[], currentOrchestrator: string | null): SeedQueue {
  const queue = Object.fromEntries(STATES.map((s) => [s, [] as SeedEntry[]])) as Record<State, SeedEntry[]>;
  for (const t of sortById(tasks)) queue[t.state].push(toSeedEntry(t));
  return currentOrchestrator ? { current_orchestrator: currentOrchestrator, task_queue: queue } : { task_queue: queue };
}

export function toSeedEntry(t: Task): SeedEntry {
  const e: SeedEntry = { id: t.id, title: t.title, agent: t.agent, priority: PRIORITY_FR[t.priority], depends_on: t.depends_on, tags: t.tags };
  if (t.created) e.created_at = t.created;
  if (t.blocked_reason) e.blocked_reason = t.blocked_reason;
  for (const [k, v] of Object.entries(t.data)) if (!KNOWN.has(k)) e[k] = v;
  e.prompt = promptOf(t.body);
  return e;
}

/** The body as the seed stored it: without the blank line after the frontmatter and trailing whitespace. */
export const promptOf = (body: string): string => body.replace(/^\r?\n/, '').replace(/\s+$/, '');

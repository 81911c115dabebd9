/**
 * Who gets which pending task (SPEC §10). Pure: the caller gives the tasks,
 * the agents as seen right now, and the options; the result is a plan of
 * `{agent, taskId}` pairs plus the reasons other candidates were skipped.
 *
 * Rules that must stay true:
 * - a task is ready only when every `depends_on` is completed;
 * - a preset task (agent set in the file, not by a claim) goes to that agent only;
 * - one task per agent at a time: an agent holding an in_progress task is not
 *   available, and a plan never gives one agent two tasks;
 * - the current orchestrator takes tasks per `dispatch.orchestrator_takes_tasks`
 *   (preset-only: only tasks preset to it; never; always: like a worker);
 * - among the free pairs: preset match first, then the best specialty/tag
 *   overlap, then priority (high > medium > low), then age, then id, then the
 *   agent order of the config.
 */
import type { AgentState } from './agent-record.js';
import { completedIds, dispatchOrder } from './dispatch-order.js';
import type { Task } from './task.js';

export type OrchestratorTakes = 'preset-only' | 'never' | 'always';

export interface DispatchAgent {
  name: string;
  /** Live state (pane/hooks) or, lacking that, the record's. */
  state: AgentState | 'unknown';
  paused: boolean;
  specialties: string[];
}

export interface DispatchInput {
  tasks: Task[];
  /** In config order (the last tie-breaker). */
  agents: DispatchAgent[];
  /** The current orchestrator (status/ record with role orchestrator). */
  orchestrator: string;
  orchestratorTakes: OrchestratorTakes;
  /** Only tasks preset to an agent (`orch dispatch --predefined`). */
  predefinedOnly?: boolean;
  /** Only this agent (`--agent`). */
  agent?: string;
  /** Only this task (`--task`, with `--agent`). */
  taskId?: string;
  /** Ignore the agent's live state, pause and one-task rule, and a preset to another agent (`--force`). */
  force?: boolean;
}

export interface Assignment { agent: string; taskId: string; preset: boolean; score: number }
export interface Skip { taskId?: string; agent?: string; reason: string }
export interface DispatchPlan { assignments: Assignment[]; skipped: Skip[] }

/** The agent a task is preset to: set in the file, not by a claim (`assigned: claimed`). */
export function presetAgent(t: Task): string | null {
  return t.agent && t.data.assigned !== 'claimed' ? t.agent : null;
}

const norm = (s: string): string => s.trim().toLowerCase().replace(/_/g, '-');

/** How many of the task's tags are among the agent's specialties. */
export function specialtyScore(task: Task, specialties: string[]): number {
  if (!task.tags.length || !specialties.length) return 0;
  const sp = new Set(specialties.map(norm));
  return task.tags.filter((t) => sp.has(norm(t))).length;
}

/** Agents holding an in_progress task (they are not available). */
export function busyAgents(tasks: Task[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const t of tasks) if (t.state === 'in_progress' && t.agent && !m.has(t.agent)) m.set(t.agent, t.id);
  return m;
}

function availability(a: DispatchAgent, holding: string | undefined, force: boolean): string | null {
  if (force) return a.state === 'dead' || a.state === 'stopped' ? `agent ${a.name} is ${a.state}` : null;
  if (a.paused) return `agent ${a.name} is paused (status/${a.name}.md has paused: true)`;
  if (holding) return `agent ${a.name} already has ${holding} in progress`;
  if (a.state !== 'idle') return `agent ${a.name} is ${a.state}, not idle`;
  return null;
}

export function planDispatch(input: DispatchInput): DispatchPlan {
  const force = input.force === true;
  const skipped: Skip[] = [];
  const holding = busyAgents(input.tasks);
  const byName = new Map(input.agents.map((a, i) => [a.name, { a, i }]));
  const free: DispatchAgent[] = [];
  for (const a of input.agents) {
    if (input.agent && a.name !== input.agent) continue;
    const why = availability(a, holding.get(a.name), force);
    if (why) skipped.push({ agent: a.name, reason: why }); else free.push(a);
  }
  if (input.agent && !byName.has(input.agent)) skipped.push({ agent: input.agent, reason: `unknown agent "${input.agent}"` });

  const completed = completedIds(input.tasks);
  let candidates = dispatchOrder(input.tasks, completed);
  if (input.taskId) {
    const t = input.tasks.find((x) => x.id === input.taskId);
    if (!t) skipped.push({ taskId: input.taskId, reason: `task ${input.taskId} not found` });
    else if (t.state !== 'pending') skipped.push({ taskId: t.id, reason: `task ${t.id} is ${t.state}, not pending` });
    candidates = candidates.filter((x) => x.id === input.taskId);
  }
  const rank = new Map(candidates.map((t, i) => [t.id, i]));

  const pairs: Assignment[] = [];
  for (const t of candidates) {
    const waiting = t.depends_on.filter((d) => !completed.has(d));
    if (waiting.length && !force) { skipped.push({ taskId: t.id, reason: `${t.id} waits on ${waiting.join(', ')}` }); continue; }
    const preset = presetAgent(t);
    if (input.predefinedOnly && !preset) continue;
    if (preset && !byName.has(preset)) { skipped.push({ taskId: t.id, reason: `${t.id} is preset to unknown agent "${preset}"` }); continue; }
    for (const a of free) {
      const isOrch = a.name === input.orchestrator;
      if (preset && preset !== a.name && !(force && input.taskId)) continue;
      if (isOrch && !force) {
        if (input.orchestratorTakes === 'never') continue;
        if (input.orchestratorTakes === 'preset-only' && preset !== a.name) continue;
      }
      pairs.push({ agent: a.name, taskId: t.id, preset: preset === a.name, score: specialtyScore(t, a.specialties) });
    }
  }
  // candidates are already in priority/age/id order, so rank stands for all three.
  pairs.sort((x, y) =>
    Number(y.preset) - Number(x.preset) ||
    y.score - x.score ||
    rank.get(x.taskId)! - rank.get(y.taskId)! ||
    byName.get(x.agent)!.i - byName.get(y.agent)!.i);

  const assignments: Assignment[] = [];
  const usedAgents = new Set<string>();
  const usedTasks = new Set<string>();
  for (const p of pairs) {
    if (usedAgents.has(p.agent) || usedTasks.has(p.taskId)) continue;
    usedAgents.add(p.agent);
    usedTasks.add(p.taskId);
    assignments.push(p);
  }
  if (input.taskId && !assignments.length && !skipped.some((s) => s.taskId === input.taskId || s.agent === input.agent)) {
    skipped.push({ taskId: input.taskId, reason: `no available agent may take ${input.taskId}` });
  }
  return { assignments, skipped };
}

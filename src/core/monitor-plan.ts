/**
 * One monitor pass as a pure function (SPEC §10; seed: monitor-agents.sh):
 * from the tasks, the agents' records, their live states, what the monitor
 * remembers from earlier passes, and the clock, decide the actions.
 * Deterministic code, no LLM in the loop.
 *
 *   busy                         → nothing (the agent is working)
 *   idle with a task ≥ remind_after → [RAPPEL] reminder, at most max_reminders, then an alert
 *   idle without a task          → dispatch (golden rule 1)
 *   waiting ≥ idle_after         → alert (a human must answer)
 *   dead                         → restart + resend its task (limited per hour), else alert
 *   in_progress, agent gone or silent ≥ lease → back to pending, with the reason
 *   orchestrator usage ≥ prepare_at / execute_at → handoff step
 */
import type { AgentRecord, AgentState } from './agent-record.js';
import type { Config } from './config.js';
import { planDispatch, type Assignment } from './dispatch-policy.js';
import { planHandoffStep, handoffTarget, type HandoffStep } from './handoff-plan.js';
import type { Task } from './task.js';

export type LiveState = AgentState | 'unknown';

/** What the monitor keeps between passes (in .orch/run/agents/<agent>.json). */
export interface MonitorMemory {
  state: LiveState;
  /** When the agent entered `state` (as observed), or got its current task. */
  since: string;
  /** Last sign of work: busy on screen or a hook event. */
  lastActive: string;
  reminders: { task: string | null; count: number; last: string | null };
  /** Restart times within the last hour. */
  restarts: string[];
}

export interface MonitorAgentView {
  name: string;
  record: AgentRecord;
  live: LiveState;
  memory: MonitorMemory | null;
  /** Time of the agent's latest hook event, if any. */
  lastHookAt: string | null;
  usagePct: number | null;
}

export interface MonitorSnapshot {
  now: Date;
  tasks: Task[];
  agents: MonitorAgentView[];
  orchestrator: string;
  /** A runtime that can restart a dead window exists. */
  canRestart: boolean;
}

export type MonitorAction =
  | { kind: 'record'; agent: string; patch: Partial<AgentRecord>; why: string }
  | { kind: 'requeue'; taskId: string; agent: string | null; reason: string }
  | { kind: 'restart'; agent: string; taskId: string | null }
  | { kind: 'remind'; agent: string; taskId: string; title: string; count: number; max: number }
  | { kind: 'dispatch'; assignments: Assignment[] }
  | { kind: 'handoff'; step: HandoffStep; from: string; to: string; pct: number | null }
  | { kind: 'alert'; key: string; message: string };

export interface MonitorPlan { actions: MonitorAction[]; memory: Record<string, MonitorMemory> }

/** Context % marks whose crossing is a meaningful record change (SPEC §5). */
export const CONTEXT_MARKS = [50, 75, 90, 98] as const;
export const bucket = (pct: number | null): number => (pct === null ? -1 : CONTEXT_MARKS.filter((m) => pct >= m).length);

const HOUR = 3_600_000;
const mins = (ms: number): string => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** This pass's memory of an agent: state changes and a new task stamp `since`; work (busy, a hook event, a new task) stamps `lastActive`. */
export function nextMemory(v: MonitorAgentView, task: string | null, now: Date): MonitorMemory {
  const iso = now.toISOString();
  const m: MonitorMemory = v.memory
    ? { ...v.memory, reminders: { ...v.memory.reminders }, restarts: [...v.memory.restarts] }
    : { state: v.live, since: iso, lastActive: iso, reminders: { task, count: 0, last: null }, restarts: [] };
  if (m.state !== v.live) { m.state = v.live; m.since = iso; }
  if (v.live === 'busy') m.lastActive = iso;
  if (v.lastHookAt && v.lastHookAt > m.lastActive) m.lastActive = v.lastHookAt;
  if (m.reminders.task !== task) {
    m.reminders = { task, count: 0, last: null };
    // Being given a task is a sign of work, and starts its own idle spell: the lease and the reminders
    // run from here, not from a silence that began before the task.
    if (task) { m.lastActive = iso; m.since = iso; }
  }
  m.restarts = m.restarts.filter((t) => now.getTime() - Date.parse(t) < HOUR);
  return m;
}

export function planMonitor(s: MonitorSnapshot, cfg: Config): MonitorPlan {
  const now = s.now.getTime();
  const mc = cfg.monitor;
  const actions: MonitorAction[] = [];
  const memory: Record<string, MonitorMemory> = {};
  const holding = new Map<string, Task>();
  for (const t of [...s.tasks].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (t.state === 'in_progress' && t.agent && !holding.has(t.agent)) holding.set(t.agent, t);
  }
  const views = new Map(s.agents.map((v) => [v.name, v]));

  // Leases first: a task given back now is not reminded or resent below.
  const requeued = new Set<string>();
  for (const t of s.tasks) {
    if (t.state !== 'in_progress') continue;
    if (!t.agent) { actions.push({ kind: 'alert', key: `task:${t.id}:no-agent`, message: `${t.id} is in progress without an agent; claim it (orch claim ${t.id} --agent A) or release it` }); continue; }
    const v = views.get(t.agent);
    if (!v) {
      actions.push({ kind: 'requeue', taskId: t.id, agent: t.agent, reason: `agent ${t.agent} is not in .orch/config.yml` });
      requeued.add(t.id);
      continue;
    }
    const last = v.memory ? Date.parse(nextMemory(v, t.id, s.now).lastActive) : now;
    if ((v.live === 'idle' || v.live === 'waiting' || v.live === 'dead') && now - last >= mc.lease) {
      actions.push({ kind: 'requeue', taskId: t.id, agent: t.agent, reason: `agent ${t.agent} silent for ${mins(now - last)} (${v.live}; lease ${mins(mc.lease)})` });
      requeued.add(t.id);
    }
  }

  const wantDispatch: string[] = [];
  const restarting = new Set<string>();
  for (const v of s.agents) {
    const held = holding.get(v.name);
    const task = held && !requeued.has(held.id) ? held : null;
    const m = nextMemory(v, task?.id ?? null, s.now);
    memory[v.name] = m;
    const stateFor = now - Date.parse(m.since);

    // The record follows the meaningful transitions only.
    const patch: Partial<AgentRecord> = {};
    if (v.live !== 'unknown' && v.live !== v.record.state) patch.state = v.live;
    // A requeued task leaves the record in the requeue's own commit (the release), not in one of its own.
    const requeuedHere = held !== undefined && requeued.has(held.id) && v.record.task === held.id;
    if ((task?.id ?? null) !== v.record.task && !requeuedHere) patch.task = task?.id ?? null;
    if (v.usagePct !== null && bucket(v.usagePct) !== bucket(v.record.context_pct)) patch.context_pct = Math.round(v.usagePct);
    if (Object.keys(patch).length) actions.push({ kind: 'record', agent: v.name, patch, why: Object.entries(patch).map(([k, x]) => `${k} ${String(x)}`).join(', ') });

    switch (v.live) {
      case 'idle':
        if (task) {
          const r = m.reminders;
          const due = stateFor >= mc.remind_after && (!r.last || now - Date.parse(r.last) >= mc.remind_after);
          if (r.count >= mc.max_reminders && stateFor >= mc.remind_after) {
            actions.push({ kind: 'alert', key: `agent:${v.name}:reminders`, message: `agent ${v.name} is still idle on ${task.id} after ${r.count} reminders; look at window ${cfg.agents[v.name]?.window ?? '?'} (the task goes back to pending after the ${mins(mc.lease)} lease)` });
          } else if (due) {
            actions.push({ kind: 'remind', agent: v.name, taskId: task.id, title: task.title, count: r.count + 1, max: mc.max_reminders });
          }
        } else if (!held && !v.record.paused) {
          wantDispatch.push(v.name);
        }
        break;
      case 'waiting':
        if (stateFor >= mc.idle_after) {
          actions.push({ kind: 'alert', key: `agent:${v.name}:waiting`, message: `agent ${v.name} has been waiting for an answer for ${mins(stateFor)}: a human must answer in window ${cfg.agents[v.name]?.window ?? '?'}` });
        }
        break;
      case 'dead':
        if (s.canRestart && m.restarts.length < mc.max_restarts_per_hour) {
          actions.push({ kind: 'restart', agent: v.name, taskId: task?.id ?? null });
          restarting.add(v.name);
        } else {
          actions.push({ kind: 'alert', key: `agent:${v.name}:dead`, message: s.canRestart
            ? `agent ${v.name} is dead and was restarted ${m.restarts.length} times in the last hour; no more automatic restarts — look at window ${cfg.agents[v.name]?.window ?? '?'}`
            : `agent ${v.name} is dead; run \`orch start\` to restart its window` });
        }
        break;
      case 'busy': case 'starting': case 'stopped': case 'paused': case 'unknown':
        break;
      default: {
        const never: never = v.live;
        throw new Error(`unknown live state ${String(never)}`);
      }
    }
  }

  if (cfg.dispatch.auto && wantDispatch.length) {
    const plan = planDispatch({
      tasks: s.tasks,
      agents: s.agents.map((v) => ({
        name: v.name,
        state: wantDispatch.includes(v.name) ? 'idle' : v.live === 'idle' ? 'busy' : v.live,
        paused: v.record.paused, specialties: cfg.agents[v.name]?.specialties ?? [],
      })),
      orchestrator: s.orchestrator, orchestratorTakes: cfg.dispatch.orchestrator_takes_tasks,
    });
    if (plan.assignments.length) actions.push({ kind: 'dispatch', assignments: plan.assignments });
  }

  const ov = views.get(s.orchestrator);
  const to = handoffTarget(s.orchestrator, cfg);
  if (ov && to) {
    const tv = views.get(to);
    const step = planHandoffStep({
      phase: ov.record.handoff ?? 'none', pct: ov.usagePct, targetPct: tv?.usagePct ?? null, targetLive: tv?.live ?? 'unknown',
      prepareAt: cfg.handoff.prepare_at, executeAt: cfg.handoff.execute_at,
    });
    if (step.kind === 'step') actions.push({ kind: 'handoff', step: step.step, from: s.orchestrator, to, pct: ov.usagePct });
    else if (step.kind === 'blocked') actions.push({ kind: 'alert', key: 'handoff:blocked', message: step.reason });
  }
  return { actions, memory };
}

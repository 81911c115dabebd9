import type { Config } from './config.js';
import type { KeyUpdates } from './frontmatter.js';
import type { State } from './states.js';
import type { Task } from './task.js';

export type Verb = 'claim' | 'done' | 'block' | 'reopen' | 'release' | 'move';

export interface VerbArgs { agent?: string; reason?: string; note?: string; to?: State; force?: boolean }

export type Transition =
  | { ok: true; to: State; updates: KeyUpdates; note?: string }
  | { ok: false; message: string; hint?: string };

const refuse = (message: string, hint?: string): Transition => ({ ok: false, message, hint });

/**
 * The §3 verbs as a pure function: which folder the task goes to and which
 * frontmatter keys change. `assigned: claimed` marks an agent set by a claim
 * (not preset), so release and requeue can clear it again.
 */
export function planTransition(task: Task, verb: Verb, args: VerbArgs, cfg: Config): Transition {
  const withStatus = (u: KeyUpdates, to: State): KeyUpdates => ('status' in task.data ? { ...u, status: to } : u);
  const clearClaim = (): KeyUpdates => (task.data.assigned === 'claimed' ? { agent: null, assigned: undefined } : {});
  switch (verb) {
    case 'claim': {
      const agent = args.agent;
      if (!agent) return refuse('claim needs --agent <name>', 'e.g. orch claim TASK-PO-025 --agent amp');
      if (!cfg.agents[agent]) return refuse(`unknown agent "${agent}" (known: ${Object.keys(cfg.agents).join(', ')})`, 'add it to .orch/config.yml or pick a known agent');
      if (task.state !== 'pending' && !args.force) {
        return refuse(`claim lost: ${task.id} is ${task.state}${task.agent ? ` (agent ${task.agent})` : ''}, not pending`, 'pick another task, or `orch move` it back to pending first');
      }
      if (task.agent && task.agent !== agent && task.data.assigned !== 'claimed' && !args.force) {
        return refuse(`${task.id} is preset to agent ${task.agent}, not ${agent}`, 'use --force to take it anyway');
      }
      const updates: KeyUpdates = { agent };
      if (!task.agent || task.data.assigned === 'claimed') updates.assigned = 'claimed';
      return { ok: true, to: 'in_progress', updates: withStatus(updates, 'in_progress') };
    }
    case 'done':
      if (task.state !== 'in_progress' && !args.force) {
        return refuse(`${task.id} is ${task.state}, not in_progress`, task.state === 'pending' ? `claim it first: orch claim ${task.id} --agent <name>` : 'nothing to do');
      }
      return { ok: true, to: 'completed', updates: withStatus({}, 'completed'), note: args.note };
    case 'block':
      if (!args.reason?.trim()) return refuse('block needs --reason <text>', `e.g. orch block ${task.id} --reason "waiting for API keys"`);
      return { ok: true, to: 'blocked', updates: withStatus({ blocked_reason: args.reason.trim() }, 'blocked'), note: args.reason };
    case 'reopen':
      if (task.state !== 'blocked' && task.state !== 'completed') {
        return refuse(`${task.id} is ${task.state}; only blocked or completed tasks can be reopened`);
      }
      return { ok: true, to: 'pending', updates: withStatus({ ...clearClaim(), blocked_reason: undefined }, 'pending') };
    case 'release':
      if (task.state !== 'in_progress') return refuse(`${task.id} is ${task.state}, not in_progress`);
      return { ok: true, to: 'pending', updates: withStatus(clearClaim(), 'pending'), note: args.note };
    case 'move': {
      const to = args.to;
      if (!to) return refuse('move needs a target state');
      if (to === task.state) return refuse(`${task.id} is already ${to}`);
      const u: KeyUpdates = to === 'blocked' ? { blocked_reason: args.reason ?? task.blocked_reason ?? 'moved to blocked by hand' } : { blocked_reason: undefined };
      if (to === 'pending') Object.assign(u, clearClaim());
      if (to === 'in_progress' && !task.agent && args.agent) Object.assign(u, { agent: args.agent, assigned: 'claimed' });
      return { ok: true, to, updates: withStatus(u, to) };
    }
    default: {
      const never: never = verb;
      throw new Error(`unknown verb ${String(never)}`);
    }
  }
}

/** Drop updates that would not change anything, so untouched keys stay byte for byte. */
export function effectiveUpdates(task: Task, updates: KeyUpdates): KeyUpdates {
  const out: KeyUpdates = {};
  for (const [k, v] of Object.entries(updates)) {
    const has = k in task.data;
    if (v === undefined ? has : !has || task.data[k] !== v) out[k] = v;
  }
  return out;
}

/**
 * Dispatch, applied (SPEC §10): for each planned `{agent, taskId}`, a claim
 * commit then verified delivery of prompts/task.md rendered with the task; a
 * failed delivery undoes the claim with a commit and an alert.
 *
 * What must stay true: a task is never given twice. The claim is taken under
 * orch's commit lock after re-reading the folders, and refuses when the task
 * is no longer pending or the agent already holds a task; a lost claim
 * delivers nothing. The agent record (task, state busy) rides in the claim
 * commit, and is put back by the undo commit.
 */
import { heldBack } from '../core/quarantine.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRecord } from '../core/agent-record.js';
import type { Config } from '../core/config.js';
import { busyAgents, planDispatch, presetAgent, type Assignment, type DispatchPlan, type Skip } from '../core/dispatch-policy.js';
import { errorMessage } from '../core/errors.js';
import { updateFrontmatter } from '../core/frontmatter.js';
import { renderTaskPrompt } from '../core/prompts.js';
import { withBodyRead, type Task } from '../core/task.js';
import { effectiveUpdates, planTransition, type Verb, type VerbArgs } from '../core/transitions.js';
import { clearAlerts, postAlert, standingMessages } from './alert-board.js';
import type { Effects } from './effects.js';
import { withCommitLock } from './lock.js';
import { Logger } from './logger.js';
import { reconcile } from './reconcile.js';
import { readRecord, readRecords, writeRecord } from './records.js';
import { moveTaskFile, TaskStore } from './store.js';
import { readPrompt } from './templates.js';

export type DispatchResult = 'delivered' | 'lost' | 'failed';

export interface DispatchOutcome {
  agent: string;
  taskId: string;
  result: DispatchResult;
  reason?: string;
  claimCommit?: string | null;
  undoCommit?: string | null;
  verifiedBy?: string;
}

export interface DispatchOptions {
  predefined?: boolean;
  agent?: string;
  taskId?: string;
  force?: boolean;
  /** Per-delivery deadline (default 60 s). */
  timeoutMs?: number;
}

/** Kept here too for the callers that import it from the dispatcher (src/daemon/monitor.ts). */
export { readPrompt };

/** The current orchestrator: the status/ record holding the role, else the config's. */
export function currentOrchestrator(records: AgentRecord[], cfg: Config): string {
  return records.find((r) => r.role === 'orchestrator' && cfg.agents[r.agent])?.agent ?? cfg.orchestrator;
}

/** Read the workspace and the agents' live states, and plan. */
export async function planFromWorkspace(root: string, cfg: Config, effects: Effects, o: DispatchOptions = {}): Promise<DispatchPlan> {
  const scan = await new TaskStore(root).scan();
  const records = await readRecords(root, cfg);
  const names = Object.keys(cfg.agents).filter((n) => !o.agent || n === o.agent);
  const states = await Promise.all(names.map((n) => effects.agentState(n)));
  const byName = new Map(records.map((r) => [r.agent, r]));
  return planDispatch({
    // Duplicated or quarantined tasks are never dispatched (SPEC §13).
    tasks: heldBack(scan.tasks, Object.keys(cfg.agents)).usable,
    agents: Object.keys(cfg.agents).map((n) => {
      const i = names.indexOf(n);
      return { name: n, state: i >= 0 ? states[i]! : 'unknown', paused: byName.get(n)?.paused === true, specialties: cfg.agents[n]!.specialties };
    }),
    orchestrator: currentOrchestrator(records, cfg),
    orchestratorTakes: cfg.dispatch.orchestrator_takes_tasks,
    predefinedOnly: o.predefined, agent: o.agent, taskId: o.taskId, force: o.force,
  });
}

interface TransitionSpec {
  id: string;
  verb: Verb;
  args: VerbArgs;
  /** Refuse (return the reason) after re-reading the folders under the lock. */
  guard?: (task: Task, tasks: Task[]) => string | null;
  record?: { agent: string; patch: (cur: AgentRecord) => Partial<AgentRecord> };
  note?: string;
  subject?: string;
}

/**
 * One verb plus an agent-record change, in one commit under orch's commit
 * lock (the same reconcile round as `applyVerb`, with the extra guard and record).
 */
export async function commitTransition(root: string, cfg: Config, spec: TransitionSpec): Promise<{ ok: true; task: Task; commit: string | null; before?: AgentRecord } | { ok: false; reason: string }> {
  return withCommitLock(root, async () => {
    const store = new TaskStore(root);
    const scan = await store.scan();
    const matches = scan.tasks.filter((t) => t.id === spec.id);
    if (matches.length !== 1) return { ok: false as const, reason: matches.length ? `${spec.id} exists ${matches.length} times` : `task ${spec.id} not found` };
    // A cached task reads its body lazily from its path: take it now, before the file moves.
    const task: Task = withBodyRead(matches[0]!);
    const refused = spec.guard?.(task, scan.tasks);
    if (refused) return { ok: false as const, reason: refused };
    const t = planTransition(task, spec.verb, spec.args, cfg);
    if (!t.ok) return { ok: false as const, reason: t.message };
    const updates = effectiveUpdates(task, t.updates);
    const text = Object.keys(updates).length ? updateFrontmatter(await readFile(join(root, task.path), 'utf8'), updates) : undefined;
    await moveTaskFile(root, task.path, `tasks/${t.to}/${task.path.split('/').pop()!}`, text);
    let before: AgentRecord | undefined;
    if (spec.record && cfg.agents[spec.record.agent]) {
      before = await readRecord(root, cfg, spec.record.agent);
      await writeRecord(root, { ...before, ...spec.record.patch(before) });
    }
    const note = spec.note ?? t.note;
    const r = await reconcile(root, {
      cfg, store, notes: note ? { [spec.id]: note } : {}, subject: spec.subject ?? `orch: ${spec.id} ${task.state} -> ${t.to}`,
      alerts: await standingMessages(root, new Date()), log: Logger.for(root, 'orchestration'),
    });
    return { ok: true as const, task, commit: r.commit, before };
  });
}

/** The claim of a dispatch: refuses unless the task is still pending and the agent holds no task. */
export function claimForDispatch(root: string, cfg: Config, a: Assignment, force = false) {
  return commitTransition(root, cfg, {
    // The guard does every check (planTransition's force only lifts its own preset check,
    // which does not know that `assigned: claimed` means "not preset").
    id: a.taskId, verb: 'claim', args: { agent: a.agent, force: true },
    guard: (task, tasks) => {
      if (task.state !== 'pending') return `claim lost: ${task.id} is already ${task.state}${task.agent ? ` (agent ${task.agent})` : ''}`;
      const preset = presetAgent(task);
      if (preset && preset !== a.agent && !force) return `${task.id} is preset to ${preset}, not ${a.agent} (use --force)`;
      const held = busyAgents(tasks).get(a.agent);
      return held && !force ? `claim lost: ${a.agent} already has ${held} in progress` : null;
    },
    record: { agent: a.agent, patch: () => ({ task: a.taskId, state: 'busy' }) },
    note: `dispatched to ${a.agent}`,
  });
}

/** Undo a claim whose delivery failed: back to pending, the record as it was, the reason in the commit. */
export function undoClaim(root: string, cfg: Config, taskId: string, agent: string, reason: string, before?: AgentRecord) {
  return commitTransition(root, cfg, {
    id: taskId, verb: 'release', args: {},
    guard: (task) => (task.state === 'in_progress' && task.agent === agent ? null : `${taskId} moved on meanwhile (${task.state}); nothing to undo`),
    record: { agent, patch: (cur) => ({ task: cur.task === taskId ? (before?.task ?? null) : cur.task, state: before?.state ?? cur.state }) },
    note: `delivery failed: ${reason}`,
  });
}

/** Claim each assignment (one at a time, under the lock), then deliver the prompts (in parallel across agents). */
export async function applyDispatch(root: string, cfg: Config, plan: Assignment[], effects: Effects, o: DispatchOptions = {}): Promise<DispatchOutcome[]> {
  const log = Logger.for(root, 'dispatch');
  const template = await readPrompt(root, 'task.md');
  const outcomes: Promise<DispatchOutcome>[] = [];
  for (const a of plan) {
    let claim: Awaited<ReturnType<typeof claimForDispatch>>;
    try {
      claim = await claimForDispatch(root, cfg, a, o.force);
    } catch (e) {
      claim = { ok: false, reason: errorMessage(e) };
    }
    if (!claim.ok) {
      log.info(`dispatch ${a.taskId} -> ${a.agent} lost: ${claim.reason}`);
      outcomes.push(Promise.resolve({ agent: a.agent, taskId: a.taskId, result: 'lost', reason: claim.reason }));
      continue;
    }
    const { task, commit, before } = claim;
    outcomes.push(deliverClaimed(root, cfg, effects, log, { agent: a.agent, task, commit, before, template, o }));
  }
  return Promise.all(outcomes);
}

async function deliverClaimed(root: string, cfg: Config, effects: Effects, log: Logger, c: {
  agent: string; task: Task; commit: string | null; before?: AgentRecord; template: string; o: DispatchOptions;
}): Promise<DispatchOutcome> {
  const { agent, task } = c;
  const short = c.commit?.slice(0, 7) ?? '-';
  const text = renderTaskPrompt(c.template, { ...withBodyRead(task), agent }, agent, effects.now());
  let r: Awaited<ReturnType<Effects['deliver']>>;
  try {
    // Never queued behind a human's draft: the claim is undone on failure, so a task prompt arriving later
    // would hand the agent a task that is pending again (or given to another agent meanwhile).
    r = await effects.deliver(agent, text, { timeoutMs: c.o.timeoutMs, force: c.o.force, queue: false });
  } catch (e) {
    r = { ok: false, reason: errorMessage(e) };
  }
  if (r.ok) {
    log.info(`dispatch ${task.id} -> ${agent} delivered (${r.verifiedBy}, ${r.attempts} submit${r.attempts > 1 ? 's' : ''}) ${short}`);
    await clearAlerts(root, `dispatch:${agent}:`);
    return { agent, taskId: task.id, result: 'delivered', claimCommit: c.commit, verifiedBy: r.verifiedBy };
  }
  const reason = r.reason.split('\n')[0]!;
  const undo = await undoClaim(root, cfg, task.id, agent, reason, c.before).catch((e: unknown) => ({ ok: false as const, reason: errorMessage(e) }));
  const undoCommit = undo.ok ? undo.commit : null;
  log.warn(`dispatch ${task.id} -> ${agent} FAILED: ${reason}; ${undo.ok ? `claim undone ${undoCommit?.slice(0, 7) ?? '-'}` : `claim NOT undone: ${undo.reason}`}`);
  await postAlert(root, cfg, `dispatch:${agent}:${task.id}`, `dispatch of ${task.id} to ${agent} failed (${reason}); the task is back in pending`, effects.now());
  return { agent, taskId: task.id, result: 'failed', reason, claimCommit: c.commit, undoCommit };
}

/** Plan and apply in one call (the command, the monitor's golden rule 1). */
export async function runDispatch(root: string, cfg: Config, effects: Effects, o: DispatchOptions = {}): Promise<{ outcomes: DispatchOutcome[]; skipped: Skip[] }> {
  const plan = await planFromWorkspace(root, cfg, effects, o);
  const outcomes = await applyDispatch(root, cfg, plan.assignments, effects, o);
  return { outcomes, skipped: plan.skipped };
}

/**
 * One monitor pass (SPEC §10; seed: monitor-agents.sh): read → plan
 * (core/monitor-plan.ts, pure) → apply. The daemon runs it every
 * `monitor.interval` (src/commands/watch.ts TICKERS); `orch monitor` runs it
 * by hand. Apply order matters: records first (so a dispatch or requeue
 * below builds on them), then requeues, restarts, reminders, dispatch, the
 * handoff step, and last the memory for the next pass.
 */
import { flushQueue } from '../adapters/delivery.js';
import type { Config } from '../core/config.js';
import { errorMessage } from '../core/errors.js';
import { planMonitor, type MonitorAction, type MonitorMemory } from '../core/monitor-plan.js';
import { renderReminder, renderTaskPrompt } from '../core/prompts.js';
import { readAgentRun, patchAgentRun } from '../adapters/agent-run.js';
import { postAlert, setLevelAlerts, standingMessages } from '../adapters/alert-board.js';
import { applyDispatch, commitTransition, currentOrchestrator, readPrompt, type DispatchOutcome } from '../adapters/dispatcher.js';
import { realEffects, type Effects } from '../adapters/effects.js';
import { runHandoff, type HandoffOutcome } from '../adapters/handoff-runner.js';
import { latestHookEvent } from '../adapters/hook-events.js';
import { withCommitLock } from '../adapters/lock.js';
import { Logger } from '../adapters/logger.js';
import { reconcile } from '../adapters/reconcile.js';
import { readRecords, updateRecord } from '../adapters/records.js';
import { TaskStore } from '../adapters/store.js';

export interface MonitorPassOptions { effects?: Effects; log?: Logger; kick?: (name: string) => void }

export interface MonitorReport {
  at: string;
  actions: MonitorAction[];
  dispatched: DispatchOutcome[];
  handoff: HandoffOutcome | null;
  errors: string[];
}

export async function runMonitorPass(root: string, cfg: Config, o: MonitorPassOptions = {}): Promise<MonitorReport> {
  const log = Logger.for(root, 'monitor');
  const effects = o.effects ?? (await realEffects(root, cfg, log));
  const now = effects.now();
  const names = Object.keys(cfg.agents);

  // read
  const scan = await new TaskStore(root).scan();
  const records = await readRecords(root, cfg);
  const [lives, runs, hooks, usage] = await Promise.all([
    Promise.all(names.map((n) => effects.agentState(n).catch(() => 'unknown' as const))),
    Promise.all(names.map((n) => readAgentRun(root, n))),
    Promise.all(names.map((n) => latestHookEvent(root, n))),
    Promise.all(names.map((n) => effects.usage(n).catch(() => null))),
  ]);
  const plan = planMonitor({
    now, tasks: scan.tasks, orchestrator: currentOrchestrator(records, cfg), canRestart: typeof effects.restart === 'function',
    agents: names.map((n, i) => ({
      name: n, record: records.find((r) => r.agent === n)!, live: lives[i]!, memory: runs[i]!.monitor ?? null,
      lastHookAt: hooks[i]?.t ?? null, usagePct: usage[i] ?? null,
    })),
  }, cfg);

  // apply
  const errors: string[] = [];
  const guard = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try { await fn(); } catch (e) { errors.push(`${what}: ${errorMessage(e)}`); log.error(`${what}: ${errorMessage(e)}`); }
  };
  // SPEC §9 step 3: a message queued behind a human's draft is delivered once the input box is clear.
  // (An empty queue costs one readdir: no tmux call.)
  for (const n of names) {
    await guard(`flush queue ${n}`, async () => {
      const r = await flushQueue(root, cfg, n, { timeoutMs: 5_000, log });
      if (r.delivered) log.info(`queue ${n}: delivered ${r.delivered} queued message(s), ${r.remaining} left`);
    });
  }
  const memory = plan.memory;
  const levels = plan.actions.filter((a): a is Extract<MonitorAction, { kind: 'alert' }> => a.kind === 'alert');
  await guard('alerts', async () => { await setLevelAlerts(root, cfg, 'monitor', levels.map(({ key, message }) => ({ key, message })), now); });

  const recs = plan.actions.filter((a): a is Extract<MonitorAction, { kind: 'record' }> => a.kind === 'record');
  await guard('records', () => withCommitLock(root, async () => {
    for (const r of recs) await updateRecord(root, cfg, r.agent, r.patch);
    const subject = recs.length ? `orch: agent ${recs.map((r) => `${r.agent} ${r.why}`).join('; ')}`.slice(0, 120) : undefined;
    await reconcile(root, { cfg, ...(subject ? { subject } : {}), alerts: await standingMessages(root, now), log: Logger.for(root, 'orchestration') });
  }));

  for (const a of plan.actions) {
    if (a.kind === 'requeue') {
      await guard(`requeue ${a.taskId}`, async () => {
        const r = await commitTransition(root, cfg, {
          id: a.taskId, verb: 'release', args: {}, note: `requeued by the monitor: ${a.reason}`,
          guard: (t) => (t.state === 'in_progress' ? null : `${a.taskId} moved on meanwhile`),
          ...(a.agent && cfg.agents[a.agent] ? { record: { agent: a.agent, patch: (cur) => ({ task: cur.task === a.taskId ? null : cur.task }) } } : {}),
        });
        log.info(`requeue ${a.taskId}: ${a.reason}${r.ok ? ` ${r.commit?.slice(0, 7) ?? ''}` : ` (not done: ${r.reason})`}`);
      });
    } else if (a.kind === 'restart') {
      await guard(`restart ${a.agent}`, async () => {
        const m = memory[a.agent]!;
        m.restarts.push(now.toISOString());
        const r = await effects.restart!(a.agent);
        if (!r.ok) { await postAlert(root, cfg, `restart:${a.agent}`, `agent ${a.agent} is dead and its restart failed: ${r.reason.split('\n')[0]}`, now); return; }
        log.info(`restart ${a.agent}: window relaunched`);
        m.lastActive = now.toISOString();
        const task = a.taskId ? scan.tasks.find((t) => t.id === a.taskId) : undefined;
        if (task) {
          const d = await effects.deliver(a.agent, renderTaskPrompt(await readPrompt(root, 'task.md'), task, a.agent, now));
          log.info(`restart ${a.agent}: task ${task.id} ${d.ok ? 'sent again' : `NOT sent again: ${d.reason.split('\n')[0]}`}`);
        }
      });
    } else if (a.kind === 'remind') {
      await guard(`remind ${a.agent}`, async () => {
        const m = memory[a.agent]!;
        m.reminders.last = now.toISOString();
        const d = await effects.deliver(a.agent, renderReminder(await readPrompt(root, 'reminder.md'), { id: a.taskId, title: a.title }, a.count, a.max));
        if (d.ok) m.reminders.count = a.count;
        // remind_after counts from the moment the reminder reached the agent, not from the pass's start.
        m.reminders.last = new Date().toISOString();
        log.info(`remind ${a.agent} on ${a.taskId} (${a.count}/${a.max}): ${d.ok ? 'delivered' : `failed: ${d.reason.split('\n')[0]}`}`);
      });
    }
  }

  let dispatched: DispatchOutcome[] = [];
  const d = plan.actions.find((a): a is Extract<MonitorAction, { kind: 'dispatch' }> => a.kind === 'dispatch');
  if (d) await guard('dispatch', async () => { dispatched = await applyDispatch(root, cfg, d.assignments, effects); });

  let handoff: HandoffOutcome | null = null;
  const h = plan.actions.find((a): a is Extract<MonitorAction, { kind: 'handoff' }> => a.kind === 'handoff');
  if (h) await guard('handoff', async () => { handoff = await runHandoff(root, cfg, effects, h.step, { to: h.to, pct: h.pct, auto: true }); });

  await guard('memory', async () => {
    for (const [agent, m] of Object.entries(memory)) await patchAgentRun(root, agent, { monitor: m as MonitorMemory });
  });
  return { at: now.toISOString(), actions: plan.actions, dispatched, handoff, errors };
}

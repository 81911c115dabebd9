/**
 * The handoff protocol, applied (SPEC §11). Each step is idempotent and
 * resumable: the phase is in the orchestrator's status/ record (committed),
 * and what was already delivered is in `.orch/run/handoff.json`, so a crash
 * between steps resumes where it stopped and a re-run never sends twice.
 *
 * Order of execute, and why: finalize the file (commit) → check the backup is
 * alive → deliver the backup its orchestrator prompt + handoff.md → switch
 * the role (commit `orch: handoff A -> B`) → tell the old one to stop. The
 * role moves only after the backup took the prompt, so a dead or deaf backup
 * leaves the old orchestrator in place (alert, retried on the next pass)
 * instead of leaving no orchestrator.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRecord } from '../core/agent-record.js';
import type { Config } from '../core/config.js';
import { RefusedError } from '../core/errors.js';
import { buildHandoffDoc, type OrchCommit } from '../core/handoff-doc.js';
import { asPhase, handoffFile, handoffTarget, type HandoffPhase, type HandoffStep } from '../core/handoff-plan.js';
import { handoffDone, handoffRequest } from '../core/prompts.js';
import { fillTemplate } from '../core/template.js';
import { clearAlerts, postAlert, standingMessages } from './alert-board.js';
import { currentOrchestrator } from './dispatcher.js';
import type { Effects } from './effects.js';
import { git } from './git.js';
import { withCommitLock } from './lock.js';
import { Logger } from './logger.js';
import { reconcile } from './reconcile.js';
import { commitRecordPatches } from './agent-records.js';
import { patchRecords, readRecords } from './records.js';
import { runPath } from './paths.js';
import { readJson, TaskStore, writeIfChanged, writeJson } from './store.js';
import { readPrompt } from './templates.js';

export interface HandoffOutcome {
  step: HandoffStep;
  from: string;
  to: string;
  file: string;
  /** The phase on the orchestrator's record after this run. */
  phase: HandoffPhase;
  ok: boolean;
  /** Nothing new was done (already at or past this step). */
  noop: boolean;
  commits: string[];
  message: string;
}

interface Progress { from: string; to: string; requestedAt?: string; backupDeliveredAt?: string; switchedAt?: string; oldToldAt?: string }

const progressFile = (root: string): string => runPath(root, 'handoff.json');
const readProgress = (root: string): Promise<Progress | null> => readJson<Progress | null>(progressFile(root), null);
const writeProgress = (root: string, p: Progress): Promise<void> => writeJson(progressFile(root), p);

/** Orch commits since `from` took the role (the last `orch: handoff X -> from`), newest first. */
export async function commitsSinceRole(root: string, from: string): Promise<{ commits: OrchCommit[]; since: string | null }> {
  const r = await git(root, ['log', '-n', '500', '--date=short', '--format=%h%x09%ad%x09%s', '--grep=^Orch-'], { reject: false });
  const commits: OrchCommit[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [short = '', date = '', ...rest] = line.split('\t');
    const subject = rest.join('\t');
    if (new RegExp(`^orch: handoff \\S+ -> ${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(subject)) return { commits, since: short };
    commits.push({ short, date, subject });
  }
  return { commits, since: null };
}

interface Ctx { root: string; cfg: Config; effects: Effects; log: Logger; from: string; to: string; file: string; records: AgentRecord[] }

/** Rewrite the file (keeping what the orchestrator wrote), set records, commit — one commit, under the lock. */
async function writeAndCommit(c: Ctx, phase: HandoffPhase, finalize: boolean, subject: string, records: Record<string, Partial<AgentRecord>>): Promise<{ commit: string | null; empty: string[] }> {
  return withCommitLock(c.root, async () => {
    const abs = join(c.root, c.file);
    const previous = await readFile(abs, 'utf8').catch(() => undefined);
    const scan = await new TaskStore(c.root).scan();
    const recs = await readRecords(c.root, c.cfg);
    const { commits, since } = await commitsSinceRole(c.root, c.from);
    const doc = buildHandoffDoc({ from: c.from, to: c.to, phase, updated: c.effects.now().toISOString(), tasks: scan.tasks, records: recs, commits, since, previous, finalize });
    await writeIfChanged(abs, doc.text);
    await patchRecords(c.root, c.cfg, records);
    const r = await reconcile(c.root, { cfg: c.cfg, subject, alerts: await standingMessages(c.root, c.effects.now()), log: Logger.for(c.root, 'orchestration') });
    return { commit: r.commit, empty: doc.empty };
  });
}

/** Only the records (no file rewrite), one commit. */
async function commitRecords(c: Ctx, subject: string, records: Record<string, Partial<AgentRecord>>): Promise<string | null> {
  const alerts = await standingMessages(c.root, c.effects.now());
  return commitRecordPatches(c.root, c.cfg, records, { subject, alerts, log: Logger.for(c.root, 'orchestration'), always: true });
}

export interface HandoffOptions { to?: string; pct?: number | null; /** Triggered by usage (the monitor), not by hand. */ auto?: boolean }

export async function runHandoff(root: string, cfg: Config, effects: Effects, step: HandoffStep, o: HandoffOptions = {}): Promise<HandoffOutcome> {
  const log = Logger.for(root, 'monitor');
  const records = await readRecords(root, cfg);
  const from = currentOrchestrator(records, cfg);
  const phase = asPhase(records.find((r) => r.agent === from)?.handoff);
  const progress = await readProgress(root);

  // A switch that happened but whose last step (telling the old one) did not: finish it.
  if (progress && progress.to === from && progress.switchedAt && !progress.oldToldAt) {
    await tellOld(root, cfg, effects, log, progress);
  }
  if (o.to !== undefined && !cfg.agents[o.to]) throw new RefusedError(`unknown agent "${o.to}"`, `agents: ${Object.keys(cfg.agents).join(', ')}`);
  if (o.to === from) throw new RefusedError(`${from} is already the orchestrator`, 'nothing to hand off');
  const inFlight = progress && progress.from === from && (phase === 'preparing' || phase === 'prepared' || phase === 'executing') ? progress.to : undefined;
  const to = o.to ?? inFlight ?? handoffTarget(from, cfg);
  if (!to) throw new RefusedError(`no agent to hand the role to: ${from} is the orchestrator and backup_orchestrator is not set`, 'set backup_orchestrator in .orch/config.yml or pass --to <agent>');
  const file = handoffFile(cfg, from, to);
  const c: Ctx = { root, cfg, effects, log, from, to, file, records };
  const out = (ok: boolean, noop: boolean, ph: HandoffPhase, message: string, commits: (string | null)[] = []): HandoffOutcome =>
    ({ step, from, to, file, phase: ph, ok, noop, commits: commits.filter((x): x is string => !!x), message });

  // `done` on the current orchestrator: it took the role by handoff. By hand and without --to,
  // re-running the same command must not start a handoff back.
  if (phase === 'done' && !o.auto && o.to === undefined) {
    return out(true, true, phase, `${from} took the role by handoff already; nothing to do (to hand it back: orch handoff --${step} --to ${to})`);
  }
  if (step === 'prepare') {
    if (phase === 'prepared' || phase === 'executing') return out(true, true, phase, `handoff ${from} -> ${to} is already ${phase}; ${file} is written`);
    return prepare(c, phase, progress, o.pct ?? null, out);
  }
  return execute(c, phase, progress, out);
}

type Out = (ok: boolean, noop: boolean, ph: HandoffPhase, message: string, commits?: (string | null)[]) => HandoffOutcome;

async function prepare(c: Ctx, phase: HandoffPhase, progress: Progress | null, pct: number | null, out: Out): Promise<HandoffOutcome> {
  const commits: (string | null)[] = [];
  if (phase !== 'preparing' || !progress || progress.from !== c.from) {
    const w = await writeAndCommit(c, 'preparing', false, `orch: handoff prepare ${c.from} -> ${c.to}`, { [c.from]: { handoff: 'preparing' } });
    commits.push(w.commit);
    await writeProgress(c.root, { from: c.from, to: c.to });
    c.log.info(`handoff ${c.from} -> ${c.to}: ${c.file} written ${w.commit?.slice(0, 7) ?? ''}`);
  }
  const r = await c.effects.deliver(c.from, handoffRequest(c.file, c.from, c.to, pct)).catch((e: unknown) => ({ ok: false as const, reason: String(e) }));
  if (!r.ok) {
    await postAlert(c.root, c.cfg, 'handoff:prepare', `handoff ${c.from} -> ${c.to}: could not ask ${c.from} to complete ${c.file} (${r.reason.split('\n')[0]}); retried on the next monitor pass`, c.effects.now());
    return out(false, false, 'preparing', `${c.file} written, but ${c.from} did not take the request: ${r.reason.split('\n')[0]}`, commits);
  }
  await writeProgress(c.root, { from: c.from, to: c.to, requestedAt: c.effects.now().toISOString() });
  commits.push(await commitRecords(c, `orch: handoff prepared ${c.from} -> ${c.to}`, { [c.from]: { handoff: 'prepared' } }));
  await clearAlerts(c.root, 'handoff:prepare');
  return out(true, false, 'prepared', `${c.file} written and committed; ${c.from} asked to complete it`, commits);
}

async function execute(c: Ctx, phase: HandoffPhase, progress: Progress | null, out: Out): Promise<HandoffOutcome> {
  const commits: (string | null)[] = [];
  let p: Progress = progress && progress.from === c.from && progress.to === c.to ? progress : { from: c.from, to: c.to };
  if (phase !== 'executing') {
    const w = await writeAndCommit(c, 'executing', true, `orch: handoff file finalized ${c.from} -> ${c.to}`, { [c.from]: { handoff: 'executing' } });
    commits.push(w.commit);
    p = { from: c.from, to: c.to, requestedAt: p.requestedAt };
    await writeProgress(c.root, p);
    if (w.empty.length) c.log.warn(`handoff ${c.from} -> ${c.to}: section(s) left empty: ${w.empty.join(', ')}`);
  }
  if (!p.backupDeliveredAt) {
    const live = await c.effects.agentState(c.to);
    if (live === 'dead' || live === 'stopped' || live === 'unknown') {
      await postAlert(c.root, c.cfg, 'handoff:execute', `handoff ${c.from} -> ${c.to} waits: ${c.to} is ${live}; ${c.from} stays orchestrator (retried on the next monitor pass, or run orch handoff --execute)`, c.effects.now());
      return out(false, false, 'executing', `${c.to} is ${live}; ${c.from} stays orchestrator, will retry`, commits);
    }
    const team = Object.keys(c.cfg.agents).join(', ');
    const values = { agent: c.to, from: c.from, to: c.to, team, handoff_file: c.file, timestamp: c.effects.now().toISOString() };
    const text = `${fillTemplate(await readPrompt(c.root, 'amp-orchestrator.md'), values)}\n\n${fillTemplate(await readPrompt(c.root, 'handoff.md'), values)}`;
    const r = await c.effects.deliver(c.to, text).catch((e: unknown) => ({ ok: false as const, reason: String(e) }));
    if (!r.ok) {
      await postAlert(c.root, c.cfg, 'handoff:execute', `handoff ${c.from} -> ${c.to}: ${c.to} did not take the orchestrator prompt (${r.reason.split('\n')[0]}); ${c.from} stays orchestrator, retried on the next pass`, c.effects.now());
      return out(false, false, 'executing', `${c.to} did not take the prompt: ${r.reason.split('\n')[0]}; ${c.from} stays orchestrator`, commits);
    }
    p = { ...p, backupDeliveredAt: c.effects.now().toISOString() };
    await writeProgress(c.root, p);
  }
  // The switch: both records and the file (its phase line) in one commit.
  const w = await writeAndCommit(c, 'done', true, `orch: handoff ${c.from} -> ${c.to}`, {
    [c.from]: { role: 'worker', handoff: 'none' },
    [c.to]: { role: 'orchestrator', handoff: 'done' },
  });
  commits.push(w.commit);
  p = { ...p, switchedAt: c.effects.now().toISOString() };
  await writeProgress(c.root, p);
  c.log.info(`handoff ${c.from} -> ${c.to}: role switched ${w.commit?.slice(0, 7) ?? ''}`);
  await clearAlerts(c.root, 'handoff:');
  await tellOld(c.root, c.cfg, c.effects, c.log, p);
  return out(true, false, 'none', `${c.to} is now the orchestrator (${c.file})`, commits);
}

async function tellOld(root: string, cfg: Config, effects: Effects, log: Logger, p: Progress): Promise<void> {
  const r = await effects.deliver(p.from, handoffDone(p.from, p.to)).catch((e: unknown) => ({ ok: false as const, reason: String(e) }));
  if (!r.ok) log.warn(`handoff ${p.from} -> ${p.to}: could not tell ${p.from} to stop orchestrating: ${r.reason.split('\n')[0]}`);
  // Told or not (it may be dead, which is why we hand off), this step is not retried forever.
  await writeProgress(root, { ...p, oldToldAt: effects.now().toISOString() });
  void cfg;
}

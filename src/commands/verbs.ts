import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { updateFrontmatter } from '../core/frontmatter.js';
import { RefusedError } from '../core/errors.js';
import { effectiveUpdates, planTransition, type Verb, type VerbArgs } from '../core/transitions.js';
import { withCommitLock } from '../adapters/lock.js';
import { trace } from '../adapters/trace.js';
import { Logger } from '../adapters/logger.js';
import { hasUncommitted, reconcile } from '../adapters/reconcile.js';
import { moveTaskFile, TaskStore, writeIfChanged } from '../adapters/store.js';
import { STATUS_FILE } from '../adapters/paths.js';
import { findTask } from '../adapters/tasks.js';
import { syncRound } from '../adapters/sync.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';
import type { Config } from '../core/config.js';

export interface VerbOutcome { id: string; from: string; to: string; agent: string | null; path: string; commit: string | null }

/**
 * Apply one §3 verb under orch's commit lock: commit what was already pending,
 * move/rewrite the file, then the same reconcile round the daemon runs, so
 * verb and daemon give the same commits.
 */
export async function applyVerb(root: string, cfg: Config, id: string, verb: Verb, args: VerbArgs): Promise<VerbOutcome> {
  trace('verb: start');
  return withCommitLock(root, async () => {
    trace('verb: locked');
    const store = new TaskStore(root);
    const log = Logger.for(root, 'orchestration');
    // Changes made before the verb (a task written by hand, a `mv` in a shell)
    // land in their own commit first, so the verb's commit holds exactly its
    // transition (`pending -> in_progress`, not `new -> in_progress`).
    if (await hasUncommitted(root, cfg, store)) await keepStatusOnFailure(root, () => reconcile(root, { cfg, store, log }));
    // Under the commit lock nothing but this verb moves files now: later scans look only at its paths
    // (a change made meanwhile by hand is committed by the next round, the daemon's or a verb's).
    trace('verb: pre-check done');
    store.lookAt([]);
    const task = findTask(await store.scan(), id);
    const t = planTransition(task, verb, args, cfg);
    if (!t.ok) throw new RefusedError(t.message, t.hint);
    const name = task.path.split('/').pop()!;
    const toPath = `tasks/${t.to}/${name}`;
    const updates = effectiveUpdates(task, t.updates);
    trace('verb: planned');
    const before = await readFile(join(root, task.path), 'utf8');
    const text = Object.keys(updates).length ? updateFrontmatter(before, updates) : undefined;
    trace('verb: frontmatter updated');
    await moveTaskFile(root, task.path, toPath, text);
    // The round before left orch's private index equal to HEAD: stage just the verb's two paths.
    trace('verb: file moved');
    const paths = [task.path, toPath];
    store.lookAt(paths);
    const r = await keepStatusOnFailure(root, () => reconcile(root, { cfg, store, paths, notes: t.note ? { [id]: t.note } : {}, log }), async () => {
      // The commit was refused (a hook, git busy…): put the file back, so a failed verb changes nothing.
      await moveTaskFile(root, toPath, task.path, before);
    });
    const agent = 'agent' in updates ? (updates.agent as string | null) : task.agent;
    if (verb === 'claim' && cfg.sync.enabled) await confirmClaim(root, cfg, store, id, agent, log);
    return { id, from: task.state, to: t.to, agent, path: toPath, commit: r.commit };
  });
}

/**
 * On a shared repository a claim counts only once the remote accepted it
 * (SPEC §12): push now. If another clone's change to the task got there first,
 * the replay dropped ours and the work tree holds theirs: the claim is lost.
 * If the remote cannot be reached, the claim is undone with a commit.
 */
async function confirmClaim(root: string, cfg: Config, store: TaskStore, id: string, agent: string | null, log: Logger): Promise<void> {
  const out = await syncRound(root, cfg, log);
  store.lookAt(null); // the sync may have changed any file
  if (out.status === 'pushed' || out.status === 'up-to-date' || out.status === 'pulled') {
    const now = (await store.scan()).tasks.find((x) => x.id === id);
    if (now && now.state === 'in_progress' && now.agent === agent) return;
    throw new RefusedError(`claim lost: ${id} was changed on the remote first (now ${now?.state ?? 'gone'}${now?.agent ? `, agent ${now.agent}` : ''})`, 'pick another task');
  }
  const task = findTask(await store.scan(), id);
  const undo = planTransition(task, 'release', { note: `claim not confirmed: ${out.reason}` }, cfg);
  if (undo.ok) {
    const before = await readFile(join(root, task.path), 'utf8');
    const u = effectiveUpdates(task, undo.updates);
    await moveTaskFile(root, task.path, `tasks/${undo.to}/${task.path.split('/').pop()}`, Object.keys(u).length ? updateFrontmatter(before, u) : undefined);
    await reconcile(root, { cfg, store, notes: { [id]: `claim not confirmed by ${cfg.sync.remote}: ${out.reason}` }, log });
  }
  throw new RefusedError(`claim of ${id} not confirmed: sync ${out.status}: ${out.reason}`, 'the claim was undone; retry when the remote is reachable');
}

export async function runVerb(ctx: Ctx, verb: Verb, id: string, args: VerbArgs & { json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const out = await applyVerb(root, cfg, id, verb, args);
  if (args.json) printJson(ctx, out);
  else ctx.stdout(`${out.id} ${out.from} -> ${out.to}${out.agent ? ` (${out.agent})` : ''}${out.commit ? ` [${out.commit.slice(0, 7)}]` : ''}`);
  return 0;
}

/**
 * Run a reconcile round; if it throws (a hook refused the commit…), undo what
 * it and the caller wrote: ORCHESTRATION_STATUS.md back to its bytes before.
 */
async function keepStatusOnFailure<T>(root: string, round: () => Promise<T>, undo?: () => Promise<void>): Promise<T> {
  const statusBefore = await readFile(join(root, STATUS_FILE), 'utf8').catch(() => undefined);
  try {
    return await round();
  } catch (e) {
    await undo?.().catch(() => undefined);
    if (statusBefore !== undefined) await writeIfChanged(join(root, STATUS_FILE), statusBefore).catch(() => undefined);
    throw e;
  }
}

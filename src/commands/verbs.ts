import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { updateFrontmatter } from '../core/frontmatter.js';
import { RefusedError } from '../core/errors.js';
import { effectiveUpdates, planTransition, type Verb, type VerbArgs } from '../core/transitions.js';
import { withCommitLock } from '../adapters/lock.js';
import { Logger } from '../adapters/logger.js';
import { reconcile } from '../adapters/reconcile.js';
import { moveTaskFile, TaskStore } from '../adapters/store.js';
import { findTask } from '../adapters/tasks.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';
import type { Config } from '../core/config.js';

export interface VerbOutcome { id: string; from: string; to: string; agent: string | null; path: string; commit: string | null }

/**
 * Apply one §3 verb under orch's commit lock: commit what was already pending,
 * move/rewrite the file, then the same reconcile round the daemon runs, so
 * verb and daemon give the same commits.
 */
export async function applyVerb(root: string, cfg: Config, id: string, verb: Verb, args: VerbArgs): Promise<VerbOutcome> {
  return withCommitLock(root, async () => {
    const store = new TaskStore(root);
    const log = Logger.for(root, 'orchestration');
    // Changes made before the verb (a task written by hand, a `mv` in a shell)
    // land in their own commit first, so the verb's commit holds exactly its
    // transition (`pending -> in_progress`, not `new -> in_progress`).
    await reconcile(root, { cfg, store, log });
    const task = findTask(await store.scan(), id);
    const t = planTransition(task, verb, args, cfg);
    if (!t.ok) throw new RefusedError(t.message, t.hint);
    const name = task.path.split('/').pop()!;
    const toPath = `tasks/${t.to}/${name}`;
    const updates = effectiveUpdates(task, t.updates);
    const text = Object.keys(updates).length ? updateFrontmatter(await readFile(join(root, task.path), 'utf8'), updates) : undefined;
    await moveTaskFile(root, task.path, toPath, text);
    const r = await reconcile(root, { cfg, store, notes: t.note ? { [id]: t.note } : {}, log });
    const agent = 'agent' in updates ? (updates.agent as string | null) : task.agent;
    return { id, from: task.state, to: t.to, agent, path: toPath, commit: r.commit };
  });
}

export async function runVerb(ctx: Ctx, verb: Verb, id: string, args: VerbArgs & { json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const out = await applyVerb(root, cfg, id, verb, args);
  if (args.json) printJson(ctx, out);
  else ctx.stdout(`${out.id} ${out.from} -> ${out.to}${out.agent ? ` (${out.agent})` : ''}${out.commit ? ` [${out.commit.slice(0, 7)}]` : ''}`);
  return 0;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RefusedError, UsageError } from '../core/errors.js';
import { idFromFileName, nextId, taskFileName } from '../core/ids.js';
import { normalizePriority } from '../core/states.js';
import { parseTask, renderTaskFile } from '../core/task.js';
import { v2Body } from '../core/template.js';
import { withCommitLock } from '../adapters/lock.js';
import { Logger } from '../adapters/logger.js';
import { reconcile } from '../adapters/reconcile.js';
import { TaskStore, writeAtomic } from '../adapters/store.js';
import { checkId } from '../adapters/tasks.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';
import { readFileFlag } from './input.js';

interface NewOpts { id?: string; agent?: string; priority?: string; depends?: string; tag?: string[]; bodyFile?: string; json?: boolean }

export async function run(ctx: Ctx, title: string, o: NewOpts): Promise<number> {
  const { root, cfg } = workspace(ctx);
  if (!title.trim() || /[\r\n]/.test(title)) throw new UsageError('the title must be one non-empty line', 'e.g. orch new "Risk limits per position"');
  const priority = o.priority === undefined ? 'medium' : normalizePriority(o.priority);
  if (!priority) throw new UsageError(`unknown priority "${o.priority}"`, 'use high, medium or low (haute, moyenne, basse)');
  if (o.agent && !cfg.agents[o.agent]) throw new RefusedError(`unknown agent "${o.agent}" (known: ${Object.keys(cfg.agents).join(', ')})`, 'add it to .orch/config.yml or pick a known agent');
  const depends = (o.depends ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(checkId);
  if (o.id) checkId(o.id);
  const body = o.bodyFile === undefined ? v2Body(title.trim()) : await readFileFlag(ctx, '--body-file', o.bodyFile);

  const out = await withCommitLock(root, async () => {
    const store = new TaskStore(root);
    const log = Logger.for(root, 'orchestration');
    // Earlier uncommitted changes get their own commit; this one holds only the new task.
    await reconcile(root, { cfg, store, log });
    const scan = await store.scan();
    const known = [...scan.tasks.map((t) => t.id), ...scan.files.map((f) => idFromFileName(f.split('/').pop()!) ?? '')];
    const id = o.id ?? nextId(cfg.task.id_prefix, known);
    if (known.includes(id)) throw new RefusedError(`task id ${id} already exists`, 'choose another --id, or omit it to get the next free id');
    for (const d of depends) if (!scan.tasks.some((t) => t.id === d)) throw new RefusedError(`--depends ${d}: no such task`, 'see `orch list`');
    const fm: Record<string, unknown> = { id, title: title.trim(), agent: o.agent ?? null, priority, depends_on: depends, tags: o.tag ?? [], created: new Date().toISOString() };
    const text = renderTaskFile(fm, body);
    const rel = `tasks/pending/${taskFileName(id, title)}`;
    const parsed = parseTask(rel, text, 'pending');
    if (!parsed.ok) {
      throw new RefusedError(`the new task ${rel} would be invalid: ${parsed.errors.map((e) => e.message).join('; ')}`,
        o.bodyFile === undefined ? 'check the title and flags' : `fix the body in ${o.bodyFile === '-' ? 'stdin' : o.bodyFile}`);
    }
    if (existsSync(join(root, rel))) throw new RefusedError(`${rel} already exists`, 'give another --id, or omit it to get the next free id');
    await writeAtomic(join(root, rel), text);
    const r = await reconcile(root, { cfg, store, log });
    return { id, path: rel, commit: r.commit };
  });
  if (o.json) printJson(ctx, out);
  else ctx.stdout(`${out.id} ${out.path}`);
  return 0;
}

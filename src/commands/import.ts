import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RefusedError, UsageError } from '../core/errors.js';
import { idFromFileName, taskFileName } from '../core/ids.js';
import { mapSeedQueue, type ImportedTask, type ImportProblem } from '../core/seed-import.js';
import { promptOf } from '../core/seed-export.js';
import { parseTask, renderTaskFile, type Task } from '../core/task.js';
import { withCommitLock } from '../adapters/lock.js';
import { Logger } from '../adapters/logger.js';
import { reconcile } from '../adapters/reconcile.js';
import { readRecords, updateRecord } from '../adapters/records.js';
import { TaskStore, writeAtomic } from '../adapters/store.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';

/**
 * `orch import <task_queue.json>`: the seed's queue → task files, in one commit.
 * Invalid entries are reported with their JSON path and skipped (nothing is
 * written for them); an id that exists already is skipped silently when the
 * task is the same, refused otherwise. Exit 1 when anything was skipped.
 */
export async function run(ctx: Ctx, file: string, o: { json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const abs = resolve(ctx.cwd, file);
  const text = await readFile(abs, 'utf8').catch(() => { throw new UsageError(`cannot read ${file}`, 'give the path of the seed\'s config/task_queue.json'); });
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) {
    throw new RefusedError(`${file}${jsonPosition(text, e)}: invalid JSON: ${(e as Error).message}`, 'fix the JSON (a trailing comma or a missing quote?) and run orch import again');
  }
  const mapped = mapSeedQueue(doc, Object.keys(cfg.agents));
  const skipped: ImportProblem[] = [...mapped.problems];
  const warnings: ImportProblem[] = [...mapped.warnings];
  if (mapped.currentOrchestrator && !cfg.agents[mapped.currentOrchestrator]) {
    skipped.push({ jsonPath: '$.current_orchestrator', message: `unknown agent "${mapped.currentOrchestrator}"; the orchestrator role was left as it is` });
    mapped.currentOrchestrator = null;
  }
  const out = await withCommitLock(root, async () => {
    const store = new TaskStore(root);
    const log = Logger.for(root, 'orchestration');
    await reconcile(root, { cfg, store, log });
    const scan = await store.scan();
    const byId = new Map(scan.tasks.map((t) => [t.id, t]));
    const brokenIds = new Set(scan.invalid.map((p) => idFromFileName(p.path.split('/').pop() ?? '')));
    const writes: { t: ImportedTask; rel: string; text: string }[] = [];
    const unchanged: string[] = [];
    for (const t of mapped.tasks) {
      const rel = `tasks/${t.state}/${taskFileName(t.id, String(t.fm.title))}`;
      const fileText = renderTaskFile(t.fm, t.body);
      const parsed = parseTask(rel, fileText, t.state);
      if (!parsed.ok) { skipped.push({ jsonPath: t.jsonPath, message: parsed.errors.map((p) => p.message).join('; ') }); continue; }
      const existing = byId.get(t.id);
      if (existing) {
        const diff = difference(existing, parsed.value);
        if (diff) skipped.push({ jsonPath: t.jsonPath, message: `${t.id} already exists (${existing.path}) with a different ${diff}; change the id in the JSON, or edit the existing task` });
        else unchanged.push(t.id);
        continue;
      }
      if (brokenIds.has(t.id) || existsSync(join(root, rel))) { skipped.push({ jsonPath: t.jsonPath, message: `${t.id}: a file for this id exists already and does not parse (${rel}); fix it first (orch lint)` }); continue; }
      writes.push({ t, rel, text: fileText });
    }
    const ids = new Set([...byId.keys(), ...writes.map((w) => w.t.id), ...unchanged]);
    for (const w of writes) for (const d of w.t.fm.depends_on as string[]) {
      if (!ids.has(d)) warnings.push({ jsonPath: w.t.jsonPath, message: `depends_on ${d}: no task has this id (orch lint will report it)` });
    }
    for (const w of writes) await writeAtomic(join(root, w.rel), w.text);
    if (mapped.currentOrchestrator) await setOrchestrator(root, cfg, mapped.currentOrchestrator);
    const r = await reconcile(root, { cfg, store, log, subject: `orch: import ${writes.length} task${writes.length === 1 ? '' : 's'} from ${basename(file)}` });
    return { imported: writes.map((w) => ({ id: w.t.id, state: w.t.state, path: w.rel })), unchanged, commit: r.commit };
  });
  if (o.json) {
    printJson(ctx, { ...out, skipped: skipped.map(({ jsonPath, message }) => ({ path: jsonPath, message })), warnings: warnings.map(({ jsonPath, message }) => ({ path: jsonPath, message })), current_orchestrator: mapped.currentOrchestrator });
  } else {
    ctx.stdout(`imported ${out.imported.length} task(s)${out.unchanged.length ? `, ${out.unchanged.length} already present and identical` : ''}${skipped.length ? `, ${skipped.length} skipped` : ''}${out.commit ? ` [${out.commit.slice(0, 7)}]` : ''}`);
    for (const p of skipped) ctx.stderr(`orch: ${file} ${p.jsonPath}: ${p.message}`);
    for (const p of warnings) ctx.stderr(`orch: warning: ${file} ${p.jsonPath}: ${p.message}`);
  }
  return skipped.length ? 1 : 0;
}

/** Which field differs, or null when the imported task is the one already there. */
function difference(a: Task, b: Task): string | null {
  const fields: [string, unknown, unknown][] = [
    ['state', a.state, b.state], ['title', a.title, b.title], ['agent', a.agent, b.agent], ['priority', a.priority, b.priority],
    ['depends_on', a.depends_on.join(','), b.depends_on.join(',')], ['tags', a.tags.join(','), b.tags.join(',')],
    ['prompt', promptOf(a.body), promptOf(b.body)],
  ];
  return fields.find(([, x, y]) => x !== y)?.[0] ?? null;
}

/** The seed's `current_orchestrator`: the role lives in status/ records (SPEC §5); committed with the import. */
async function setOrchestrator(root: string, cfg: Parameters<typeof readRecords>[1], agent: string): Promise<void> {
  for (const rec of await readRecords(root, cfg)) {
    if (rec.agent === agent && rec.role !== 'orchestrator') await updateRecord(root, cfg, agent, { role: 'orchestrator' });
    if (rec.agent !== agent && rec.role === 'orchestrator') await updateRecord(root, cfg, rec.agent, { role: 'worker' });
  }
}

function jsonPosition(text: string, e: unknown): string {
  const m = /position (\d+)/.exec(String((e as Error).message));
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return `:${line}:${before.length - before.lastIndexOf('\n')}`;
}

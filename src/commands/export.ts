import { toSeedQueue } from '../core/seed-export.js';
import { findDuplicates, usableTasks } from '../core/integrity.js';
import { readRecords } from '../adapters/records.js';
import { TaskStore } from '../adapters/store.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';

/**
 * `orch export [--json]`: the tasks in the seed's `task_queue.json` shape, on
 * stdout. JSON is the only format, so `--json` changes nothing; invalid and
 * duplicated files are left out and counted on stderr.
 */
export async function run(ctx: Ctx, _o: { json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const scan = await new TaskStore(root, false).scan();
  const dups = findDuplicates(scan.tasks);
  const tasks = usableTasks(scan.tasks, dups);
  const records = await readRecords(root, cfg);
  const current = records.find((r) => r.role === 'orchestrator')?.agent ?? cfg.orchestrator;
  printJson(ctx, toSeedQueue(tasks, current));
  const left = scan.invalid.length + dups.length;
  if (left) ctx.stderr(`orch: ${left} invalid or duplicated task file(s) not exported; run \`orch lint\``);
  return 0;
}

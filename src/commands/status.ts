import { standingMessagesSync } from '../adapters/alert-board.js';
import { withCommitLock } from '../adapters/lock.js';
import { Logger } from '../adapters/logger.js';
import { reconcile } from '../adapters/reconcile.js';
import { readRecords } from '../adapters/records.js';
import { TaskStore } from '../adapters/store.js';
import { findDuplicates, usableTasks } from '../core/integrity.js';
import { renderStatus, summarize } from '../core/status-render.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';

export async function run(ctx: Ctx, o: { write?: boolean; json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  if (o.write) {
    const r = await withCommitLock(root, () => reconcile(root, { cfg, log: Logger.for(root, 'orchestration') }));
    if (!o.json) ctx.stdout(r.statusWritten ? `ORCHESTRATION_STATUS.md written${r.commit ? ` and committed ${r.commit.slice(0, 7)}` : ''}` : 'ORCHESTRATION_STATUS.md is up to date');
  }
  const scan = await new TaskStore(root).scan();
  const dups = findDuplicates(scan.tasks);
  const agents = await readRecords(root, cfg);
  const input = {
    tasks: usableTasks(scan.tasks, dups), invalid: [...scan.invalid, ...dups], agents,
    orchestrator: agents.find((a) => a.role === 'orchestrator')?.agent ?? cfg.orchestrator, backup: cfg.backup_orchestrator,
    alerts: standingMessagesSync(root),
  };
  if (o.json) printJson(ctx, summarize(input));
  else if (!o.write) ctx.stdout(renderStatus(input));
  return 0;
}

/**
 * `orch dispatch [--predefined] [--agent A --task ID] [--force] [--json]`
 * (seed: dispatch-tasks.sh, send-initial-tasks.sh). Exit 0 when every planned
 * dispatch was delivered (or there was nothing to do), 1 when one was lost or
 * failed, or when an explicit `--task` could not be given.
 */
import { printJson, workspace, type Ctx } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { checkId } from '../adapters/tasks.js';
import { runDispatch } from '../adapters/dispatcher.js';
import { realEffects } from '../adapters/effects.js';
import { Logger } from '../adapters/logger.js';
import { parseDurationFlag } from '../core/duration.js';

interface Opts { predefined?: boolean; agent?: string; task?: string; force?: boolean; json?: boolean; timeout?: string }

export async function run(ctx: Ctx, o: Opts): Promise<number> {
  const { root, cfg } = workspace(ctx);
  if (o.task && !o.agent) throw new UsageError('--task needs --agent', 'example: orch dispatch --agent amp --task TASK-PO-025');
  if (o.task) checkId(o.task);
  if (o.agent && !cfg.agents[o.agent]) throw new UsageError(`unknown agent "${o.agent}"`, `agents in .orch/config.yml: ${Object.keys(cfg.agents).join(', ')}`);
  // deliver()'s own lines go to orchestration.log: dispatch.log keeps one line per dispatch.
  const effects = await realEffects(root, cfg, Logger.for(root, 'orchestration'));
  const { outcomes, skipped } = await runDispatch(root, cfg, effects, {
    predefined: o.predefined, agent: o.agent, taskId: o.task, force: o.force,
    timeoutMs: o.timeout ? parseDurationFlag('--timeout', o.timeout) : undefined,
  });
  const bad = outcomes.some((x) => x.result !== 'delivered') || (o.task !== undefined && outcomes.length === 0);
  if (o.json) {
    printJson(ctx, { dispatched: outcomes, skipped });
    return bad ? 1 : 0;
  }
  for (const x of outcomes) {
    if (x.result === 'delivered') ctx.stdout(`${x.taskId} -> ${x.agent}: delivered (${x.verifiedBy})${x.claimCommit ? ` [${x.claimCommit.slice(0, 7)}]` : ''}`);
    else if (x.result === 'lost') ctx.stdout(`${x.taskId} -> ${x.agent}: not dispatched: ${x.reason}`);
    else ctx.stdout(`${x.taskId} -> ${x.agent}: delivery FAILED: ${x.reason}; claim undone${x.undoCommit ? ` [${x.undoCommit.slice(0, 7)}]` : ''}`);
  }
  if (!outcomes.length) {
    ctx.stdout('nothing dispatched');
    for (const s of skipped) ctx.stdout(`  ${s.reason}`);
  }
  if (o.task && !outcomes.length) {
    ctx.stderr(`orch: ${o.task} was not dispatched to ${o.agent}: ${skipped.map((s) => s.reason).join('; ') || 'no reason known'}`);
    ctx.stderr('  check `orch status`; --force delivers to a busy agent or takes a task preset to another agent');
  }
  return bad ? 1 : 0;
}

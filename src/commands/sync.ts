import { Logger } from '../adapters/logger.js';
import { runSyncRound } from '../daemon/sync.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';

/** `orch sync`: one round by hand (works whether or not sync.enabled is set). Exit 1 unless in sync. */
export async function run(ctx: Ctx, o: { json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const out = await runSyncRound(root, cfg, { log: Logger.for(root, 'orchestration') });
  if (o.json) printJson(ctx, out);
  else {
    ctx.stdout(`sync: ${out.status}${out.head ? ` at ${out.head.slice(0, 7)}` : ''}${out.reason ? ` — ${out.reason}` : ''}`);
    for (const id of out.dropped) ctx.stdout(`  ${id}: local change dropped (changed on the remote first)`);
    for (const r of out.renumbered) ctx.stdout(`  ${r.from} renumbered to ${r.to}`);
  }
  return ['up-to-date', 'pushed', 'pulled'].includes(out.status) ? 0 : 1;
}

/**
 * `orch handoff [--prepare | --execute] [--to A] [--json]` (SPEC §11): the
 * protocol by hand. Without a flag: the next step (prepare, or execute when
 * already prepared). Exit 0 when the step completed or there was nothing new
 * to do, 1 when it is left for a retry (the reason is printed and alerted).
 */
import { printJson, workspace, type Ctx } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { asPhase } from '../core/handoff-plan.js';
import { currentOrchestrator } from '../adapters/dispatcher.js';
import { realEffects } from '../adapters/effects.js';
import { runHandoff } from '../adapters/handoff-runner.js';
import { Logger } from '../adapters/logger.js';
import { readRecords } from '../adapters/records.js';

export async function run(ctx: Ctx, o: { prepare?: boolean; execute?: boolean; to?: string; json?: boolean }): Promise<number> {
  if (o.prepare && o.execute) throw new UsageError('choose one of --prepare and --execute', 'orch handoff --prepare, later orch handoff --execute');
  const { root, cfg } = workspace(ctx);
  let step: 'prepare' | 'execute' = o.execute ? 'execute' : 'prepare';
  if (!o.prepare && !o.execute) {
    const recs = await readRecords(root, cfg);
    const phase = asPhase(recs.find((r) => r.agent === currentOrchestrator(recs, cfg))?.handoff);
    step = phase === 'prepared' || phase === 'executing' ? 'execute' : 'prepare';
  }
  const effects = await realEffects(root, cfg, Logger.for(root, 'monitor'));
  const r = await runHandoff(root, cfg, effects, step, { to: o.to, pct: await effects.usage(currentOrchestrator(await readRecords(root, cfg), cfg)) });
  if (o.json) printJson(ctx, r);
  else {
    ctx.stdout(`handoff ${r.from} -> ${r.to} (${r.step}): ${r.message}`);
    for (const c of r.commits) ctx.stdout(`  commit ${c.slice(0, 7)}`);
  }
  return r.ok ? 0 : 1;
}

/**
 * `orch monitor [--once] [--interval 30s] [--json]` (seed: monitor-agents.sh):
 * the monitor pass by hand, once or on an interval until SIGINT/SIGTERM.
 * With --json, one JSON document per pass (one line each in a loop).
 */
import { printJson, workspace, type Ctx } from '../cli/context.js';
import { parseDurationFlag } from '../core/duration.js';
import { realEffects } from '../adapters/effects.js';
import { Logger } from '../adapters/logger.js';
import { runMonitorPass, type MonitorReport } from '../daemon/monitor.js';

function human(r: MonitorReport): string[] {
  const lines = r.actions.map((a) => {
    switch (a.kind) {
      case 'record': return `record ${a.agent}: ${a.why}`;
      case 'requeue': return `requeue ${a.taskId}: ${a.reason}`;
      case 'restart': return `restart ${a.agent}${a.taskId ? ` (then resend ${a.taskId})` : ''}`;
      case 'remind': return `remind ${a.agent} on ${a.taskId} (${a.count}/${a.max})`;
      case 'dispatch': return `dispatch ${a.assignments.map((x) => `${x.taskId} -> ${x.agent}`).join(', ')}`;
      case 'handoff': return `handoff ${a.step} ${a.from} -> ${a.to}`;
      case 'alert': return `ALERT ${a.message}`;
    }
  });
  for (const d of r.dispatched) if (d.result !== 'delivered') lines.push(`  ${d.taskId} -> ${d.agent}: ${d.result}: ${d.reason ?? ''}`);
  if (r.handoff) lines.push(`  handoff: ${r.handoff.message}`);
  for (const e of r.errors) lines.push(`  error: ${e}`);
  return lines.length ? lines : ['all agents fine; nothing to do'];
}

export async function run(ctx: Ctx, o: { once?: boolean; interval?: string; json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  let interval = cfg.monitor.interval;
  if (o.interval) interval = parseDurationFlag('--interval', o.interval);
  const log = Logger.for(root, 'monitor');
  const effects = await realEffects(root, cfg, log);
  const pass = async (): Promise<MonitorReport> => {
    const r = await runMonitorPass(root, cfg, { effects, log });
    if (o.json) { if (o.once) printJson(ctx, r); else ctx.stdout(JSON.stringify(r)); } else for (const l of human(r)) ctx.stdout(`${r.at} ${l}`);
    return r;
  };
  if (o.once) return (await pass()).errors.length ? 1 : 0;
  let stop = false;
  let wake: (() => void) | undefined;
  const onSignal = () => { stop = true; wake?.(); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  while (!stop) {
    await pass();
    if (stop) break;
    await new Promise<void>((res) => { wake = res; const t = setTimeout(res, interval); wake = () => { clearTimeout(t); res(); }; });
  }
  return 0;
}

/**
 * `orch usage [<agent>] [--set PCT] [--json]` (SPEC §11): context usage per
 * agent, as a percentage of its usable budget. `--set` records a percentage
 * for the manual probe (`.orch/run/usage/<agent>.json`).
 * JSON: one object for one agent, an array for all; an agent whose usage
 * cannot be read has `pct: null` and a `reason`.
 */
import { Tmux } from '../adapters/tmux.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';
import type { AgentConfig, Config } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { defaultProbe, readUsage, writeManualUsage, type UsageReading } from '../adapters/usage/index.js';

type Row = UsageReading | { agent: string; probe: string; pct: null; reason: string };

async function capture(cfg: Config, agent: AgentConfig): Promise<string> {
  // The server orch start used (ORCH_TMUX_SOCKET selects a private one).
  return new Tmux().capture(`=${cfg.session}:${agent.window}`);
}

async function readOne(root: string, cfg: Config, name: string, agent: AgentConfig): Promise<Row> {
  const others = Object.values(cfg.agents).filter((a) => a.name !== name);
  const reading = await readUsage(root, name, agent, { capturePane: () => capture(cfg, agent), others });
  const probe = agent.usage?.probe ?? defaultProbe(agent.profile);
  return reading ?? { agent: name, probe, pct: null, reason: 'no usage data found for this agent yet' };
}

function human(r: Row): string {
  if (r.pct === null) return `${r.agent}\t${r.probe}\t-\t${r.reason}`;
  const detail = r.used !== null && r.usable !== null
    ? `${r.used.toLocaleString('en-US')} / ${r.usable.toLocaleString('en-US')} usable (window ${r.window?.toLocaleString('en-US') ?? '?'})`
    : 'percentage given directly';
  return `${r.agent}\t${r.probe}\t${r.pct}%\t${detail}\t${r.source}`;
}

function parsePct(s: string): number {
  const n = Number(String(s).replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 100) {
    throw new UsageError(`--set takes a percentage from 0 to 100, got "${s}"`, 'example: orch usage amp --set 91');
  }
  return n;
}

export async function run(ctx: Ctx, agentArg: string | undefined, o: { set?: string; json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const names = Object.keys(cfg.agents);
  if (agentArg !== undefined && !cfg.agents[agentArg]) {
    throw new UsageError(`unknown agent "${agentArg}"`, `agents in .orch/config.yml: ${names.join(', ') || '(none)'}`);
  }
  if (o.set !== undefined) {
    if (agentArg === undefined) throw new UsageError('--set needs an agent', 'example: orch usage amp --set 91');
    await writeManualUsage(root, agentArg, parsePct(o.set));
    const probe = cfg.agents[agentArg]!.usage?.probe ?? defaultProbe(cfg.agents[agentArg]!.profile);
    if (probe !== 'manual' && probe !== 'file') {
      ctx.stderr(`orch: note: ${agentArg} uses the ${probe} probe; the value set is read only when that probe finds nothing (set usage.probe: manual to always use it)`);
    }
  }
  const chosen = agentArg !== undefined ? [agentArg] : names;
  const rows: Row[] = [];
  for (const name of chosen) rows.push(await readOne(root, cfg, name, cfg.agents[name]!));
  if (o.json) printJson(ctx, agentArg !== undefined ? rows[0] : rows);
  else for (const r of rows) ctx.stdout(human(r));
  return agentArg !== undefined && rows[0]?.pct === null ? 1 : 0;
}

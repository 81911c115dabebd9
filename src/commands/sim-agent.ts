import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { SimAgent } from '../sim/agent.js';

interface Opts {
  name?: string; workMs: string; mode: string; permission?: boolean; crashAfter?: string; block?: boolean;
  tokensPerPrompt: string; transcript?: string; rollout?: string; report: boolean; enterWindowMs?: string; needsReminder?: boolean;
}

const int = (v: string, flag: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, got "${v}"`, `e.g. ${flag} 1500`);
  return n;
};

/** `orch sim-agent`: runs until killed (or its crash mode fires). */
export async function run(ctx: Ctx, opts: Opts): Promise<number> {
  const name = opts.name ?? process.env.ORCH_AGENT ?? 'sim';
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`--name must be a simple name, got "${name}"`, 'e.g. --name amp');
  if (!['claude', 'codex', 'deaf'].includes(opts.mode)) throw new UsageError(`--mode must be claude, codex or deaf, got "${opts.mode}"`, 'e.g. --mode codex');
  const root = process.env.ORCH_WORKSPACE || findUp(ctx.cwd) || ctx.cwd;
  const agent = new SimAgent({
    name, root, mode: opts.mode as 'claude' | 'codex' | 'deaf',
    workMs: int(opts.workMs, '--work-ms'),
    permission: Boolean(opts.permission),
    crashAfter: opts.crashAfter === undefined ? null : int(opts.crashAfter, '--crash-after'),
    block: Boolean(opts.block),
    report: opts.report !== false,
    needsReminder: Boolean(opts.needsReminder),
    tokensPerPrompt: int(opts.tokensPerPrompt, '--tokens-per-prompt'),
    transcript: opts.transcript ?? join('.orch', 'run', 'sim', `${name}.jsonl`),
    ...(opts.rollout ? { rollout: opts.rollout } : {}),
    ...(opts.enterWindowMs !== undefined ? { enterWindowMs: int(opts.enterWindowMs, '--enter-window-ms') } : {}),
  }, process.stdout, process.stdin);
  agent.start();
  return new Promise<number>(() => undefined); // lives until exit
}

function findUp(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (existsSync(join(d, '.orch', 'config.yml'))) return d;
    const up = join(d, '..');
    if (up === d || join(up) === d) return undefined;
    d = join(up);
    if (d === '/') return existsSync('/.orch/config.yml') ? '/' : undefined;
  }
}

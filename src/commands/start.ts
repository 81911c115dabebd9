import { execa } from 'execa';
import { printJson, workspace, type Ctx } from '../cli/context.js';
import type { AgentState } from '../core/agent-record.js';
import { parseDurationFlag } from '../core/duration.js';
import { RefusedError } from '../core/errors.js';
import { ensureAgents, type EnsureResult } from '../adapters/agent-runtime.js';
import { setAgentStates } from '../adapters/agent-records.js';
import { commandAvailable, ensureDaemon, type DaemonResult } from '../adapters/daemon-window.js';
import { Logger } from '../adapters/logger.js';
import { ORCH_MAIN } from '../adapters/profiles/index.js';
import { Tmux } from '../adapters/tmux.js';

interface Opts { json?: boolean; attachHint?: boolean; timeout?: string; daemon?: boolean; dispatch?: boolean }

/**
 * `orch start` (seed: start-orchestration-v2.sh): the session, one window per
 * agent and the daemon window; each agent ready and given its role prompt;
 * `orch watch`; predefined tasks dispatched. Running it again repairs missing
 * or dead windows and leaves healthy agents alone.
 */
export async function run(ctx: Ctx, opts: Opts): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const tmux = new Tmux();
  await tmux.ensureInstalled();
  const log = Logger.for(root, 'orchestration');
  const t0 = Date.now();
  const trace = (m: string): void => { if (process.env.ORCH_TRACE) ctx.stderr(`start +${Date.now() - t0}ms ${m}`); };
  const names = Object.keys(cfg.agents);
  const existed = await tmux.hasSession(cfg.session);
  const readyTimeoutMs = opts.timeout ? parseDurationFlag('--timeout', opts.timeout) : undefined;
  const results: EnsureResult[] = await ensureAgents(root, cfg, tmux, names, { log, ...(readyTimeoutMs ? { readyTimeoutMs } : {}) });
  trace('agents ready');
  const states: Record<string, AgentState> = {};
  for (const r of results) {
    if (r.ok && r.action !== 'kept') states[r.agent] = 'idle';
    else if (!r.ok) states[r.agent] = (await tmux.windowPane(cfg.session, cfg.agents[r.agent]!.window))?.dead ? 'dead' : 'starting';
  }
  const commit = await setAgentStates(root, cfg, states, log);
  trace('records committed');
  let dispatch: { ran: boolean; exitCode: number | null; output: string } = { ran: false, exitCode: null, output: '' };
  if (opts.dispatch !== false && commandAvailable('dispatch') && results.some((r) => r.ok)) {
    const d = await execa(process.execPath, [ORCH_MAIN, 'dispatch', '--predefined'], { cwd: root, reject: false, timeout: 300_000, env: { NO_COLOR: '1' } });
    dispatch = { ran: true, exitCode: d.exitCode ?? null, output: `${String(d.stdout)}\n${String(d.stderr)}`.trim() };
  }
  trace('dispatch');
  let daemon: DaemonResult = { action: 'unavailable', pid: null, detail: 'skipped (--no-daemon)' };
  if (opts.daemon !== false) daemon = await ensureDaemon(root, cfg, tmux);
  trace('daemon');
  const failed = results.filter((r) => !r.ok);
  const ok = failed.length === 0 && daemon.action !== 'failed';
  if (opts.json) {
    printJson(ctx, { ok, session: cfg.session, created: !existed, attach: tmux.attachHint(cfg.session), agents: results, daemon, dispatch, commit });
    return ok ? 0 : 1;
  }
  ctx.stdout(`session ${cfg.session}: ${existed ? 'already running, repaired what was missing' : 'created'}`);
  for (const r of results) {
    const w = cfg.agents[r.agent]!.window;
    const what = r.ok ? `${r.action}${r.rolePrompt === 'sent' ? ', role prompt delivered' : r.rolePrompt === 'already' ? ', healthy' : ''}` : `FAILED`;
    ctx.stdout(`  ${w}  ${r.agent.padEnd(12)} ${what}`);
  }
  ctx.stdout(`  ${cfg.daemon_window}  ${'daemon'.padEnd(12)} ${daemon.detail.split('\n')[0]}`);
  if (dispatch.ran) ctx.stdout(`predefined tasks: ${dispatch.exitCode === 0 ? 'dispatched' : `dispatch exited ${dispatch.exitCode}`}${dispatch.output ? `\n${dispatch.output}` : ''}`);
  if (opts.attachHint !== false) ctx.stdout(`attach: ${tmux.attachHint(cfg.session)}\nstop:   orch stop`);
  if (!ok) {
    const errs = [...failed.map((r) => r.error ?? `agent ${r.agent} failed`), ...(daemon.action === 'failed' ? [daemon.detail] : [])];
    throw new RefusedError(errs.join('\n'), 'fix the agent command or ready_pattern in .orch/config.yml, then run `orch start` again (it repairs without duplicating)');
  }
  return 0;
}

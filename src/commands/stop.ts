import { printJson, workspace, type Ctx } from '../cli/context.js';
import type { AgentState } from '../core/agent-record.js';
import { forgetStarts } from '../adapters/agent-runtime.js';
import { setAgentStates } from '../adapters/agent-records.js';
import { stopDaemon } from '../adapters/daemon-window.js';
import { Logger } from '../adapters/logger.js';
import { Tmux } from '../adapters/tmux.js';

/** `orch stop` (seed: stop-orchestration.sh): the daemon first (it commits what is pending), then the session. */
export async function run(ctx: Ctx, opts: { json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const tmux = new Tmux();
  await tmux.ensureInstalled();
  const log = Logger.for(root, 'orchestration');
  const daemon = await stopDaemon(root);
  if (daemon.pid) log.info(`stop: daemon ${daemon.pid} ${daemon.clean ? 'exited' : 'killed after the deadline'}`);
  const had = await tmux.hasSession(cfg.session);
  if (had) await tmux.killSession(cfg.session);
  await forgetStarts(root);
  const states: Record<string, AgentState> = Object.fromEntries(Object.keys(cfg.agents).map((a) => [a, 'stopped' as const]));
  const commit = await setAgentStates(root, cfg, states, log);
  if (opts.json) { printJson(ctx, { daemon, session: had ? 'killed' : 'absent', commit }); return 0; }
  ctx.stdout(daemon.pid ? `daemon (pid ${daemon.pid}) ${daemon.clean ? 'stopped cleanly' : 'did not stop in time: killed'}` : 'daemon: not running');
  ctx.stdout(had ? `session ${cfg.session}: stopped` : `session ${cfg.session}: was not running`);
  return 0;
}

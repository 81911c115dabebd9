/**
 * The side effects dispatch, the monitor and the handoff need from the
 * outside world, behind one small interface so the planners and the apply
 * layer can be tested with fakes: verified delivery (tmux), the agents' live
 * state (pane + hook events), restarts, usage, the clock.
 */
import type { AgentState } from '../core/agent-record.js';
import type { Config } from '../core/config.js';
import type { DeliverResult } from './delivery.js';
import { latestHookEvent } from './hook-events.js';
import type { Logger } from './logger.js';

export type LiveState = AgentState | 'unknown';
export type RestartResult = { ok: true } | { ok: false; reason: string };

export interface Effects {
  deliver(agent: string, text: string, opts?: { timeoutMs?: number; force?: boolean; queue?: boolean }): Promise<DeliverResult>;
  /** What the agent is doing right now; `stopped` when the tmux session does not exist. */
  agentState(agent: string): Promise<LiveState>;
  /** Restart a dead agent's window with its command and role prompt; absent when no runtime offers it. */
  restart?(agent: string): Promise<RestartResult>;
  /** Context usage in percent of the usable budget, or null when unknown. */
  usage(agent: string): Promise<number | null>;
  now(): Date;
}

/** How long a hook event stays a better signal than the pane for a "starting" (unrecognised) screen. */
const HOOK_FRESH_MS = 10 * 60_000;

/** The real thing: tmux through the runtime's delivery and pane reader, usage probes, the system clock. */
export async function realEffects(root: string, cfg: Config, log?: Logger): Promise<Effects> {
  const [{ deliver, targetOf }, { readPane }, { Tmux }, { resolveProfile }, usage] = await Promise.all([
    import('./delivery.js'), import('./pane-state.js'), import('./tmux.js'), import('./profiles/index.js'), import('./usage/index.js'),
  ]);
  const tmux = new Tmux();
  let session: boolean | undefined;
  const effects: Effects = {
    deliver: (agent, text, opts) => deliver(root, cfg, agent, text, { ...opts, log }),
    async agentState(agent) {
      const a = cfg.agents[agent];
      if (!a) return 'unknown';
      session ??= await tmux.hasSession(cfg.session).catch(() => false);
      if (!session) return 'stopped';
      const pane = await readPane(tmux, targetOf(cfg, agent), resolveProfile(a)).catch(() => null);
      if (!pane) return 'dead'; // the session is up but the agent's window is gone
      if (pane.state !== 'starting') return pane.state;
      // The screen says nothing we recognise: a recent hook event is the better signal.
      const ev = await latestHookEvent(root, agent);
      if (ev?.state && Date.now() - Date.parse(ev.t) < HOOK_FRESH_MS) return ev.state;
      return 'starting';
    },
    async usage(agent) {
      const a = cfg.agents[agent];
      if (!a) return null;
      const r = await usage.readUsage(root, agent, a, {
        capturePane: async () => tmux.capture(targetOf(cfg, agent)),
        others: Object.values(cfg.agents).filter((o) => o.name !== agent),
      }).catch(() => null);
      return r ? r.pct : null;
    },
    now: () => new Date(),
  };
  // The tmux runtime's repair: relaunch the window with its command, wait ready, send the role prompt.
  const { ensureAgent } = await import('./agent-runtime.js');
  effects.restart = async (agent) => {
    const r = await ensureAgent(root, cfg, tmux, agent, { log }).catch((e: unknown) => ({ ok: false, error: String(e) }));
    return r.ok ? { ok: true } : { ok: false, reason: r.error ?? `agent ${agent} did not come back` };
  };
  return effects;
}

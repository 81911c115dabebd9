/**
 * Agents in tmux windows: launch (or relaunch) an agent's window from its
 * profile, wait until it is ready, give it its role prompt — once per
 * process. Used by `orch start` (start and repair) and by the monitor's
 * restart of a dead agent. What must stay true: a healthy agent that already
 * has its role prompt is left alone (no second prompt, no restart).
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { fillTemplate } from '../core/template.js';
import { patchAgentRun } from './agent-run.js';
import { deliver, targetOf } from './delivery.js';
import type { Logger } from './logger.js';
import { readPane, screenTail } from './pane-state.js';
import { agentArgv, interactiveArgv, resolveProfile } from './profiles/index.js';
import { runPath } from './paths.js';
import { readJson, writeJson } from './store.js';
import type { PaneInfo, Tmux } from './tmux.js';

export type AgentAction = 'kept' | 'created' | 'restarted' | 'adopted';

export interface EnsureResult {
  agent: string;
  action: AgentAction;
  ok: boolean;
  paneId?: string;
  rolePrompt: 'sent' | 'already' | 'none' | 'failed';
  error?: string;
}

interface StartRecord { paneId: string; pid: number | null; rolePrompt: 'sent' | 'none'; at: string }

const recordFile = (root: string, agent: string): string => runPath(root, 'start', `${agent}.json`);

const readStart = (root: string, agent: string): Promise<StartRecord | null> => readJson<StartRecord | null>(recordFile(root, agent), null);
const writeStart = (root: string, agent: string, rec: StartRecord): Promise<void> => writeJson(recordFile(root, agent), rec);

export function agentEnv(root: string, cfg: Config, agent: string): Record<string, string> {
  const p = resolveProfile(cfg.agents[agent]!);
  // Agents run `orch done` etc.; on a private tmux server they must address the same one.
  const sock = process.env.ORCH_TMUX_SOCKET;
  return { ...p.env, ORCH_AGENT: agent, ORCH_WORKSPACE: root, ...(sock ? { ORCH_TMUX_SOCKET: sock } : {}) };
}

/** The role prompt for `agent` filled from its template (`{{agent}}`, `{{team}}`), or null if it has none. */
export async function rolePrompt(root: string, cfg: Config, agent: string, template?: string): Promise<string | null> {
  const a = cfg.agents[agent]!;
  const file = template ?? a.prompt;
  if (!file) return null;
  const text = await readFile(join(root, file), 'utf8');
  const team = Object.values(cfg.agents).map((x) => `${x.name} (${x.name === cfg.orchestrator ? 'orchestrator' : x.role}, window ${x.window})`).join(', ');
  return fillTemplate(text, {
    agent, agent_upper: agent.toUpperCase(), team, orchestrator: cfg.orchestrator,
    backup: cfg.backup_orchestrator ?? '', session: cfg.session, window: a.window,
    specialties: a.specialties.join(', '), handoff_file: cfg.handoff.file,
  });
}

/** Wait until the agent's pane shows it is ready (idle input box) — or why not. */
export async function waitAgentReady(tmux: Tmux, cfg: Config, agent: string, timeoutMs: number): Promise<{ ok: true } | { ok: false; error: string }> {
  const a = cfg.agents[agent]!;
  const p = resolveProfile(a);
  const target = targetOf(cfg, agent);
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  for (;;) {
    const r = await readPane(tmux, target, p);
    if (!r) return { ok: false, error: `agent ${agent}: its window ${cfg.session}:${a.window} disappeared` };
    screen = r.screen;
    if (r.state === 'dead') return { ok: false, error: `agent ${agent}: its command \`${agentArgv(p).join(' ')}\` exited; the pane shows:\n${screenTail(screen) || '(nothing)'}` };
    if (r.state === 'idle') return { ok: true };
    if (Date.now() > deadline) {
      const what = r.state === 'waiting' ? 'is waiting for a human answer' : r.state === 'busy' ? 'stayed busy' : `never showed its ready pattern /${p.ready_pattern}/`;
      return { ok: false, error: `agent ${agent} ${what} within ${Math.round(timeoutMs / 1000)} s; the pane shows:\n${screenTail(screen) || '(nothing)'}` };
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

export interface EnsureOptions { log?: Logger; readyTimeoutMs?: number; deliverTimeoutMs?: number; forcePrompt?: boolean }

type Launch = { done: EnsureResult } | { action: AgentAction; paneId: string };

/** Step 1 (fast, run one agent at a time): create or respawn the window if needed. */
export async function launchAgent(root: string, cfg: Config, tmux: Tmux, agent: string, opts: EnsureOptions = {}): Promise<Launch> {
  const a = cfg.agents[agent]!;
  const p = resolveProfile(a);
  const env = agentEnv(root, cfg, agent);
  // A CLI that takes a session id (profile.session_args) gets a fresh one per launch, recorded for the usage probe.
  const sessionId = p.session_args?.length ? randomUUID() : undefined;
  const cmd = [...agentArgv(p), ...(sessionId ? p.session_args!.map((x) => x.replace('{session_id}', sessionId)) : [])];
  const argv = interactiveArgv(cmd, process.env, env);
  const pane: PaneInfo | null = await tmux.windowPane(cfg.session, a.window);
  let action: AgentAction;
  let paneId: string;
  // A new process: forget the session an old hook reported (it belonged to the previous process) before
  // the new one starts and reports its own; keep the id orch chose for it (session_args), if any.
  const forgetSession = () => patchAgentRun(root, agent, { sessionId, transcriptPath: undefined });
  if (!pane) {
    await forgetSession();
    paneId = await tmux.newWindow({ session: cfg.session, index: a.window, name: agent, cwd: root, env, argv });
    action = 'created';
  } else if (pane.dead) {
    await forgetSession();
    await tmux.respawn(pane.paneId, { cwd: root, env, argv });
    paneId = pane.paneId;
    action = 'restarted';
  } else {
    paneId = pane.paneId;
    if (pane.windowName !== agent) {
      return { done: { agent, action: 'kept', ok: false, paneId, rolePrompt: 'none', error: `window ${cfg.session}:${a.window} is "${pane.windowName}", not agent ${agent}; free that index or change agents.${agent}.window` } };
    }
    const rec = await readStart(root, agent);
    const same = rec && rec.paneId === pane.paneId && rec.pid === pane.pid;
    if (same && (rec.rolePrompt === 'sent' || !a.prompt) && !opts.forcePrompt) {
      return { done: { agent, action: 'kept', ok: true, paneId, rolePrompt: a.prompt ? 'already' : 'none' } };
    }
    action = 'adopted';
  }
  // The process of a session orch named, for the usage probe (the sim writes its own record, so nothing else races it).
  if (sessionId && action !== 'adopted') await patchAgentRun(root, agent, { pid: (await tmux.pane(paneId))?.pid ?? undefined });
  opts.log?.info(`agent ${agent}: window ${cfg.session}:${a.window} ${action} (${cmd.join(' ')})`);
  return { action, paneId };
}

/** Step 2 (agents in parallel): wait ready, then the role prompt through verified delivery. */
export async function readyAndPrompt(root: string, cfg: Config, tmux: Tmux, agent: string, launched: { action: AgentAction; paneId: string }, opts: EnsureOptions = {}): Promise<EnsureResult> {
  const a = cfg.agents[agent]!;
  const p = resolveProfile(a);
  const { action, paneId } = launched;
  const ready = await waitAgentReady(tmux, cfg, agent, opts.readyTimeoutMs ?? p.ready_timeout_ms);
  if (!ready.ok) return { agent, action, ok: false, paneId, rolePrompt: 'none', error: ready.error };
  const info = await tmux.pane(paneId);
  let prompt: string | null;
  try { prompt = await rolePrompt(root, cfg, agent); } catch (e) {
    return { agent, action, ok: false, paneId, rolePrompt: 'failed', error: `agent ${agent}: cannot read its prompt ${a.prompt}: ${(e as Error).message}` };
  }
  if (prompt === null) {
    await writeStart(root, agent, { paneId, pid: info?.pid ?? null, rolePrompt: 'none', at: new Date().toISOString() });
    return { agent, action, ok: true, paneId, rolePrompt: 'none' };
  }
  const d = await deliver(root, cfg, agent, prompt, { timeoutMs: opts.deliverTimeoutMs ?? 60_000, ...(opts.log ? { log: opts.log } : {}) });
  if (!d.ok) return { agent, action, ok: false, paneId, rolePrompt: 'failed', error: `agent ${agent}: role prompt not delivered: ${d.reason}` };
  await writeStart(root, agent, { paneId, pid: info?.pid ?? null, rolePrompt: 'sent', at: new Date().toISOString() });
  return { agent, action, ok: true, paneId, rolePrompt: 'sent' };
}

/**
 * Launch or repair one agent's window, wait ready, send the role prompt if
 * this process never got it (the monitor's restart of a dead agent uses this).
 */
export async function ensureAgent(root: string, cfg: Config, tmux: Tmux, agent: string, opts: EnsureOptions = {}): Promise<EnsureResult> {
  const l = await launchAgent(root, cfg, tmux, agent, opts);
  return 'done' in l ? l.done : readyAndPrompt(root, cfg, tmux, agent, l, opts);
}

/** Every agent: windows launched one at a time (the first may create the session), then readied in parallel. */
export async function ensureAgents(root: string, cfg: Config, tmux: Tmux, agents: string[], opts: EnsureOptions = {}): Promise<EnsureResult[]> {
  const launches: Launch[] = [];
  for (const agent of agents) {
    try { launches.push(await launchAgent(root, cfg, tmux, agent, opts)); } catch (e) {
      launches.push({ done: { agent, action: 'created', ok: false, rolePrompt: 'none', error: `agent ${agent}: cannot open its window: ${(e as Error).message}` } });
    }
  }
  return Promise.all(launches.map((l, i) => ('done' in l ? l.done : readyAndPrompt(root, cfg, tmux, agents[i]!, l, opts))));
}

/** Forget the role-prompt records (after `orch stop`). */
export async function forgetStarts(root: string): Promise<void> {
  await rm(runPath(root, 'start'), { recursive: true, force: true });
}

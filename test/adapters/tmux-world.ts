/**
 * A workspace plus a private tmux server (`tmux -L orch-test-<unique>`) for
 * one test file, with sim agents in the config. Everything runs the real
 * binary; cleanup kills the server and removes the folder.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tmux } from '../../src/adapters/tmux.js';
import { ORCH_BIN, orch, tempWorkspace, type RunResult } from '../helpers/index.js';

export interface SimAgentSpec {
  window: number;
  profile?: 'sim' | 'codex' | 'claude';
  role?: 'orchestrator' | 'worker';
  prompt?: string | null;
  /** Extra sim-agent flags. */
  sim?: string[];
  /** Raw command instead of the sim (e.g. ['cat']). */
  argv?: string[];
  extra?: Record<string, unknown>;
}

export interface World {
  dir: string;
  socket: string;
  session: string;
  env: Record<string, string>;
  tmux: Tmux;
  orch(args: string[], opts?: { input?: string; timeout?: number }): Promise<RunResult>;
  received(agent: string): { t: string; text: string }[];
  cleanup(): Promise<void>;
}

export function simArgv(name: string, flags: string[] = []): string[] {
  return [process.execPath, ORCH_BIN, 'sim-agent', '--name', name, '--work-ms', '300', ...flags];
}

export async function makeWorld(agents: Record<string, SimAgentSpec>, opts: { initArgs?: string[]; daemonWindow?: number } = {}): Promise<World> {
  const ws = await tempWorkspace(opts.initArgs ?? []);
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const socket = `orch-test-${tag}`;
  const session = `t-${tag}`;
  const lines = [`session: ${session}`, `orchestrator: ${Object.keys(agents)[0]}`, 'agents:'];
  for (const [name, a] of Object.entries(agents)) {
    const argv = a.argv ?? simArgv(name, a.sim);
    const entry: Record<string, unknown> = {
      profile: a.profile ?? 'sim', window: a.window, role: a.role ?? 'worker',
      command: argv[0], args: argv.slice(1), ...(a.prompt ? { prompt: a.prompt } : {}), ...a.extra,
    };
    lines.push(`  ${name}: ${JSON.stringify(entry)}`);
  }
  lines.push(`daemon_window: ${opts.daemonWindow ?? 9}`, 'monitor: { interval: 1h }', 'dispatch: { auto: false }');
  writeFileSync(join(ws.dir, '.orch', 'config.yml'), `${lines.join('\n')}\n`);
  const env = { ORCH_TMUX_SOCKET: socket };
  const tmux = new Tmux(socket);
  return {
    dir: ws.dir, socket, session, env, tmux,
    orch: (args, o = {}) => orch(ws.dir, args, { ...o, env }),
    received(agent) {
      let text = '';
      try { text = readFileSync(join(ws.dir, '.orch', 'run', 'sim', `${agent}.received.jsonl`), 'utf8'); } catch { return []; }
      return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { t: string; text: string });
    },
    async cleanup() {
      await tmux.killServer();
      ws.cleanup();
    },
  };
}

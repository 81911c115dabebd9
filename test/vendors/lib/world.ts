/**
 * One vendor's test world, all inside the namespace: a stand-in, a HOME with
 * first-run configs, an orch workspace whose `.orch/config.yml` has two agents
 * of that vendor (profile = the vendor's built-in orch profile, `command` =
 * the installed CLI, `env` = the stand-in's URL and key), and a private tmux
 * socket that every `orch` call of the test uses (ORCH_TMUX_SOCKET). The CLIs
 * are started by `orch start` itself; the suite only reads their screens with
 * orch's own pane-state adapter and presses the approval key.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { readPane, type PaneRead } from '../../../src/adapters/pane-state.js';
import { PROFILES, resolveProfile, type Profile } from '../../../src/adapters/profiles/index.js';
import { Tmux } from '../../../src/adapters/tmux.js';
import { loadConfig } from '../../../src/adapters/workspace.js';
import { startStandIn, type StandIn } from '../standins/index.js';
import { agentEnv, prepareHome } from './homes.js';
import { assertIsolated } from './isolation.js';
import { orchMain } from './paths.js';
import { FACTS, type VendorFacts } from './profiles.js';
import { PrivateTmux } from './tmux.js';
import { command, VENDORS, type Vendor, type VendorId } from './vendors.js';

export interface Agent {
  name: string;
  window: number;
  key: string;
  /** The marker line that starts this agent's role prompt. */
  roleMarker: string;
  rolePrompt: string;
}

export interface OrchResult { stdout: string; stderr: string; exitCode: number }

export interface World {
  vendor: Vendor;
  facts: VendorFacts;
  standin: StandIn;
  tmux: PrivateTmux;
  ws: string;
  home: string;
  root: string;
  agents: [Agent, Agent];
  /** The `orch` the agents run (absolute: some CLIs run tools with a PATH of their own). */
  orchCommand: string;
  orch: (...args: string[]) => Promise<OrchResult>;
  /** orch's own reading of an agent's pane (state, composer, screen) with its configured profile. */
  pane: (name: string) => Promise<PaneRead>;
  /** The agent's effective orch profile (built-in + config overrides). */
  profile: (name: string) => Profile;
  close: () => Promise<void>;
}

export const SESSION = 'vendors';

const tag = (p: string): string => `${p}-${randomBytes(4).toString('hex').toUpperCase()}`;

export function rolePromptText(marker: string, agent: string): string {
  const lines = [`${marker}: you are ${agent}, an agent of orch.`];
  for (let i = 1; i <= 30; i++) lines.push(`Rule ${i}: keep the task file in sync; report with orch done <id> when finished.`);
  return lines.join('\n');
}

function yamlAgent(name: string, o: Record<string, unknown>): string {
  return `  ${name}: ${JSON.stringify(o)}`;
}

export async function makeWorld(id: VendorId): Promise<World> {
  const vendor = VENDORS[id];
  const facts = FACTS[id];
  const root = mkdtempSync(path.join(tmpdir(), `orch-vendor-${id}-`));
  const home = path.join(root, 'home');
  const ws = path.join(root, 'ws');
  const bin = path.join(root, 'bin');
  mkdirSync(ws, { recursive: true });
  mkdirSync(bin, { recursive: true });
  const main = orchMain();
  writeFileSync(path.join(bin, 'orch'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(main)} "$@"\n`);
  chmodSync(path.join(bin, 'orch'), 0o755);
  const tmux = new PrivateTmux();
  // bin/ (orch and the CLI under its profile's name) on PATH, as after `npm i -g`: the tmux server orch
  // start creates inherits it, and tmux looks an agent's command up in its own PATH.
  const orchEnv = { ORCH_TMUX_SOCKET: tmux.socket, NO_COLOR: '1', PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}` };
  // orch's own adapters in this process (pane reads) address the same server.
  process.env['ORCH_TMUX_SOCKET'] = tmux.socket;
  const orch = async (...args: string[]): Promise<OrchResult> => {
    const r = await execa(process.execPath, [main, '-C', ws, ...args], { reject: false, timeout: 300_000, env: orchEnv });
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? 1 };
  };
  await execa('git', ['init', '-q', ws]);
  await execa('git', ['-C', ws, 'config', 'user.email', 'vendors@orch.test']);
  await execa('git', ['-C', ws, 'config', 'user.name', 'orch vendors']);
  const init = await orch('init');
  if (init.exitCode !== 0) throw new Error(`orch init failed: ${init.stderr}`);

  const standin = await startStandIn(id);
  const names = ['a1', 'a2'];
  const keys = names.map((n) => `sk-standin-${id}-${n}-${randomBytes(12).toString('hex')}`);
  // Codex has no session-id flag: each Codex agent gets its own CODEX_HOME, so its rollouts are its own.
  const codexHomes = names.map((n) => path.join(home, `codex-${n}`));
  const input = { home, workspace: ws, baseUrl: standin.url, apiKeys: keys, codexHomes };
  prepareHome(id, input);
  // Agents run commands through a login shell (Claude Code snapshots it), which
  // resets PATH from /etc/profile: put orch on the login PATH, as npm -g would.
  const pathLine = `export PATH=${JSON.stringify(bin)}:"$PATH"\n`;
  for (const rc of ['.bash_profile', '.bashrc', '.profile', '.zshrc']) writeFileSync(path.join(home, rc), pathLine);

  // The CLI on the agents' PATH under the name its orch profile runs (`claude`, `codex`, `gemini`),
  // as `npm i -g` would put it: the config names no `command`, so the built-in profile is what runs.
  const [cmd, ...cmdArgs] = command(vendor);
  const exe = path.join(bin, PROFILES[id].command);
  writeFileSync(exe, `#!/bin/sh\nexec ${[cmd!, ...cmdArgs].map((x) => JSON.stringify(x)).join(' ')} "$@"\n`);
  chmodSync(exe, 0o755);
  const agents: Agent[] = [];
  const lines: string[] = [];
  mkdirSync(path.join(ws, 'prompts'), { recursive: true });
  for (const [i, name] of names.entries()) {
    const key = keys[i]!;
    standin.script.setUsage(key, facts.usage[i]!);
    const roleMarker = tag(`ROLE-${name.toUpperCase()}`);
    const rolePrompt = rolePromptText(roleMarker, name);
    writeFileSync(path.join(ws, 'prompts', `${name}-role.md`), `${rolePrompt}\n`);
    const env = {
      ...agentEnv(id, input, key, codexHomes[i]),
      PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    };
    lines.push(yamlAgent(name, {
      profile: id, window: i, role: i === 0 ? 'orchestrator' : 'worker', prompt: `prompts/${name}-role.md`,
      specialties: [], args: i === 0 ? facts.asks : facts.autonomous, env,
    }));
    agents.push({ name, window: i, key, roleMarker, rolePrompt });
  }
  writeFileSync(path.join(ws, '.orch', 'config.yml'), [
    `session: ${SESSION}`, 'orchestrator: a1', 'backup_orchestrator: a2', 'daemon_window: 5', 'agents:', ...lines, '',
  ].join('\n'));
  await execa('git', ['-C', ws, 'add', '-A']);
  await execa('git', ['-C', ws, 'commit', '-q', '-m', 'vendor conformance workspace']);

  const cfg = loadConfig(ws);
  const orchTmux = new Tmux(tmux.socket);
  const pane = async (name: string): Promise<PaneRead> => {
    const a = cfg.agents[name]!;
    const r = await readPane(orchTmux, `=${SESSION}:${a.window}`, resolveProfile(a));
    if (!r) throw new Error(`no window ${SESSION}:${a.window} for ${name}`);
    return r;
  };
  return {
    vendor, facts, standin, tmux, ws, home, root, orch, pane, profile: (name: string) => resolveProfile(cfg.agents[name]!), orchCommand: path.join(bin, 'orch'),
    agents: [agents[0]!, agents[1]!],
    close: async () => {
      await tmux.kill();
      await standin.close();
      if (process.env['ORCH_VENDORS_KEEP']) return;
      // A CLI killed with the server may still write as it exits (Codex: thread-writer-locks/): remove twice.
      for (const wait of [0, 1500]) {
        await new Promise((r) => setTimeout(r, wait));
        try {
          rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
        } catch {
          // still being written: the next pass (or the OS's tmp cleanup) removes it
        }
      }
    },
  };
}

/** The hard rule, checked again right before `orch start` launches the CLIs. */
export function beforeLaunch(): void {
  assertIsolated();
}

/**
 * One vendor's test world, all inside the namespace: a stand-in, a HOME with
 * first-run configs, an orch workspace with two agents of that vendor, a
 * private tmux server, and an `orch` on the agents' PATH.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { startStandIn, type StandIn } from '../standins/index.js';
import { agentEnv, prepareHome } from './homes.js';
import { repoRoot } from './paths.js';
import { PROFILES, type ScreenProfile } from './profiles.js';
import { PrivateTmux } from './tmux.js';
import { command, VENDORS, type Vendor, type VendorId } from './vendors.js';

export interface Agent {
  name: string;
  key: string;
  pane: string;
  sessionId: string | undefined;
}

export interface World {
  vendor: Vendor;
  profile: ScreenProfile;
  standin: StandIn;
  tmux: PrivateTmux;
  ws: string;
  home: string;
  agents: [Agent, Agent];
  /** The `orch` the agents run (absolute: some CLIs run tools with a PATH of their own). */
  orchCommand: string;
  orch: (...args: string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }>;
  close: () => Promise<void>;
}

const orchBin = (): string => path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');

function configYaml(id: VendorId, home: string): string {
  const agent = (name: string, win: number, role: string): string =>
    `  ${name}: { profile: ${id}, window: ${win}, role: ${role}, prompt: null, specialties: [], env: { HOME: ${JSON.stringify(home)} } }`;
  return ['session: vendors', 'orchestrator: a1', 'backup_orchestrator: a2', 'agents:',
    agent('a1', 0, 'orchestrator'), agent('a2', 1, 'worker'), ''].join('\n');
}

export async function makeWorld(id: VendorId): Promise<World> {
  const vendor = VENDORS[id];
  const profile = PROFILES[id];
  const root = mkdtempSync(path.join(tmpdir(), `orch-vendor-${id}-`));
  const home = path.join(root, 'home');
  const ws = path.join(root, 'ws');
  const bin = path.join(root, 'bin');
  mkdirSync(ws, { recursive: true });
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'orch'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(orchBin())} "$@"\n`);
  chmodSync(path.join(bin, 'orch'), 0o755);
  const orch = async (...args: string[]) => {
    const r = await execa(process.execPath, [orchBin(), '-C', ws, ...args], { reject: false, timeout: 60_000 });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 1 };
  };
  await execa('git', ['init', '-q', ws]);
  await execa('git', ['-C', ws, 'config', 'user.email', 'vendors@orch.test']);
  await execa('git', ['-C', ws, 'config', 'user.name', 'orch vendors']);
  const init = await orch('init');
  if (init.exitCode !== 0) throw new Error(`orch init failed: ${init.stderr}`);
  writeFileSync(path.join(ws, '.orch', 'config.yml'), configYaml(id, home));
  const standin = await startStandIn(id);
  const keys = [0, 1].map((i) => `sk-standin-${id}-a${i + 1}-${randomBytes(12).toString('hex')}`);
  const input = { home, workspace: ws, baseUrl: standin.url, apiKeys: keys };
  prepareHome(id, input);
  // Agents run commands through a login shell (Claude Code snapshots it), which
  // resets PATH from /etc/profile: put orch on the login PATH, as npm -g would.
  const pathLine = `export PATH=${JSON.stringify(bin)}:"$PATH"\n`;
  for (const rc of ['.bash_profile', '.bashrc', '.profile', '.zshrc']) writeFileSync(path.join(home, rc), pathLine);
  const tmux = new PrivateTmux();
  const agents: Agent[] = [];
  for (const [i, mode] of [profile.asks, profile.autonomous].entries()) {
    const key = keys[i]!;
    const name = `a${i + 1}`;
    standin.script.setUsage(key, profile.usage[i]!);
    const sessionId = profile.sessionIdArg ? randomUUID() : undefined;
    const args = [...command(vendor), ...(sessionId ? ['--session-id', sessionId] : []), ...mode];
    const env = {
      ...agentEnv(id, input, key),
      PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      ORCH_AGENT: name,
      ORCH_WORKSPACE: ws,
    };
    const pane = await tmux.spawn(name, args, env, ws);
    const pid = Number((await tmux.tmux('display-message', '-p', '-t', pane, '#{pane_pid}')).trim());
    // What orch start records per agent, so the usage probe knows whose transcript is whose.
    mkdirSync(path.join(ws, '.orch', 'run', 'agents'), { recursive: true });
    writeFileSync(path.join(ws, '.orch', 'run', 'agents', `${name}.json`), JSON.stringify({ sessionId, pid }));
    agents.push({ name, key, pane, sessionId });
  }
  return {
    vendor, profile, standin, tmux, ws, home, orch, orchCommand: path.join(bin, 'orch'),
    agents: [agents[0]!, agents[1]!],
    close: async () => {
      await tmux.kill();
      await standin.close();
      if (process.env['ORCH_VENDORS_KEEP']) return;
      try {
        rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      } catch {
        // a CLI still flushing its files as it exits: the temp dir is left behind
      }
    },
  };
}

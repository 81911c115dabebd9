/**
 * The demo's throwaway workspace: `orch init --example palm-oil` in a temp
 * dir, then the config rewritten so the four agents are sim agents playing
 * claude, amp, antigravity and codex, with fast monitor timings and a small
 * context budget for the orchestrator so the handoff (90 % prepare, 98 %
 * execute) really happens during the run.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseConfig } from '../core/config.js';
import { ORCH_MAIN } from '../adapters/profiles/index.js';

export interface DemoOptions { workMs: number }

/** Per agent: how the sim plays it. */
const PLAY: Record<string, { mode: string; extra: string[]; usage?: Record<string, unknown> }> = {
  // 12 000 base + 10 000 per prompt against a 34 000-token budget: role prompt 65 %, its task 94 % (prepare), the handoff request 100 % (execute).
  claude: { mode: 'claude', extra: ['--tokens-per-prompt', '10000'], usage: { probe: 'claude-code', window: 40000, usable: 34000 } },
  amp: { mode: 'claude', extra: ['--tokens-per-prompt', '3000'] },
  // Antigravity "forgets" to report its first task: the monitor's [RAPPEL] brings it back.
  antigravity: { mode: 'claude', extra: ['--needs-reminder', '--tokens-per-prompt', '3000'] },
  // Codex's screen (`›` composer, the Enter-after-paste quirk) under the codex profile; usage from a rollout file.
  codex: { mode: 'codex', extra: ['--tokens-per-prompt', '3000', '--rollout', '.orch/run/sim/codex.rollout.jsonl'], usage: { probe: 'codex', path: '.orch/run/sim/codex.rollout.jsonl' } },
};

export async function createDemoWorkspace(o: DemoOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-demo-'));
  const git = (args: string[]): Promise<unknown> => execa('git', args, { cwd: dir });
  await git(['init', '-q', '-b', 'main']);
  await git(['config', 'user.name', 'orch demo']);
  await git(['config', 'user.email', 'demo@orch.invalid']);
  await execa(process.execPath, [ORCH_MAIN, 'init', '--example', 'palm-oil'], { cwd: dir });
  const file = join(dir, '.orch', 'config.yml');
  const parsed = parseConfig(readFileSync(file, 'utf8'), basename(dir));
  if (!parsed.ok) throw new Error(`the palm-oil example config does not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
  const cfg = parsed.value;
  const lines = [
    '# orch demo: the palm-oil example played by four sim agents (orch sim-agent).',
    `session: ${cfg.session}`,
    `orchestrator: ${cfg.orchestrator}`,
    `backup_orchestrator: ${cfg.backup_orchestrator ?? 'null'}`,
    'agents:',
  ];
  for (const a of Object.values(cfg.agents)) {
    const play = PLAY[a.name] ?? { mode: 'claude', extra: [] };
    const entry: Record<string, unknown> = {
      profile: play.mode === 'codex' ? 'codex' : 'sim', window: a.window, role: a.role, prompt: a.prompt, specialties: a.specialties,
      command: process.execPath,
      args: [ORCH_MAIN, 'sim-agent', '--name', a.name, '--mode', play.mode, '--work-ms', String(o.workMs), ...play.extra],
      ...(play.usage ? { usage: play.usage } : {}),
    };
    lines.push(`  ${a.name}: ${JSON.stringify(entry)}`);
  }
  lines.push(
    `daemon_window: ${cfg.daemon_window}`,
    `task: ${JSON.stringify(cfg.task)}`,
    'monitor: { interval: 1s, idle_after: 20s, remind_after: 4s, max_reminders: 2, lease: 10m }',
    'dispatch: { auto: true, orchestrator_takes_tasks: preset-only }',
    `handoff: { prepare_at: 90, execute_at: 98, file: ${cfg.handoff.file} }`,
    'git: { commit: true, no_verify: true }',
    'sync: { enabled: false }',
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  const check = parseConfig(readFileSync(file, 'utf8'), basename(dir));
  if (!check.ok) throw new Error(`demo config invalid: ${check.errors.map((e) => `${e.line}: ${e.message}`).join('; ')}`);
  await git(['add', '.orch/config.yml']);
  await git(['commit', '-q', '-m', 'demo: sim agents play the four agents']);
  return dir;
}

#!/usr/bin/env node
/**
 * `npm run demo [-- --headless] [-- --timeout 300s] [-- --work-ms 1500] [-- --keep]`
 *
 * The whole loop on the embedded default: a throwaway palm-oil workspace, a
 * real tmux session on a private server with four sim agents playing claude,
 * amp, antigravity and codex, and `orch watch` dispatching, reminding and
 * handing off. Interactive: prints how to attach, runs until Ctrl-C.
 * Headless: runs to the end and exits 0 only if every task was completed
 * within the deadline (plus, with --strict, a reminder and a handoff seen).
 */
import { execa } from 'execa';
import { rmSync } from 'node:fs';
import { parseDuration } from '../core/duration.js';
import { ORCH_MAIN } from '../adapters/profiles/index.js';
import { Tmux } from '../adapters/tmux.js';
import { countTasks, summarize, type Summary } from './progress.js';
import { createDemoWorkspace } from './setup.js';

interface Args { headless: boolean; strict: boolean; keep: boolean; timeoutMs: number; workMs: number }

function parseArgs(argv: string[]): Args {
  const val = (flag: string): string | undefined => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  return {
    headless: argv.includes('--headless'),
    strict: argv.includes('--strict'),
    keep: argv.includes('--keep'),
    timeoutMs: parseDuration(val('--timeout') ?? '300s'),
    workMs: Number(val('--work-ms') ?? 1500),
  };
}

const say = (s: string): void => void process.stdout.write(`${s}\n`);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const socket = `orch-demo-${process.pid}`;
  process.env.ORCH_TMUX_SOCKET = socket;
  const tmux = new Tmux(socket);
  try { await tmux.ensureInstalled(); } catch {
    process.stderr.write('orch: tmux not found\n  install tmux (Debian/Ubuntu: apt-get install tmux; macOS: brew install tmux), then run npm run demo again\n');
    return 3;
  }
  say('orch demo: creating a throwaway workspace (orch init --example palm-oil, four sim agents)…');
  const dir = await createDemoWorkspace({ workMs: args.workMs });
  const orch = (cmd: string[]) => execa(process.execPath, [ORCH_MAIN, ...cmd], { cwd: dir, reject: false, env: { ORCH_TMUX_SOCKET: socket, NO_COLOR: '1' } });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await orch(['stop']);
    await tmux.killServer();
  };
  process.on('SIGINT', () => { void stop().then(() => { say(`\nstopped. The workspace stays in ${dir}`); process.exit(130); }); });
  process.on('SIGTERM', () => { void stop().then(() => process.exit(143)); });

  say(`workspace: ${dir}`);
  const t0 = Date.now();
  const started = await orch(['start', '--no-attach-hint']);
  say(String(started.stdout).split('\n').map((l) => `  ${l}`).join('\n'));
  if (started.exitCode !== 0) {
    process.stderr.write(`orch demo: orch start failed:\n${String(started.stderr)}\n`);
    await stop();
    return 1;
  }
  const session = /session (\S+):/.exec(String(started.stdout))?.[1] ?? 'palm-oil-orchestration';
  say(`\nattach:  tmux -L ${socket} attach -t ${session}     (Ctrl-b then 0-4 to switch windows, Ctrl-b d to detach)`);
  say(args.headless ? 'headless: running to the end…' : 'stop:    Ctrl-C here (stops the daemon and the session)');
  say('');

  let last = '';
  let done = false;
  const deadline = t0 + args.timeoutMs;
  while (!done && (Date.now() < deadline || !args.headless)) {
    const c = countTasks(dir);
    const line = `completed ${c.completed}/${c.total} · in progress ${c.in_progress} · pending ${c.pending} · blocked ${c.blocked}`;
    if (line !== last) { say(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(3)}s] ${line}`); last = line; }
    if (c.total > 0 && c.completed === c.total) done = true;
    else await new Promise((r) => setTimeout(r, 500));
  }
  // Let the daemon commit and render the last changes before reading the history.
  await new Promise((r) => setTimeout(r, 1500));
  const s = await summarize(dir);
  printSummary(s, Date.now() - t0, done);
  const ok = done && (!args.strict || (s.reminders > 0 && s.handoffs.length > 0));
  if (!args.headless) {
    say(`\nthe session is still running — attach with: tmux -L ${socket} attach -t ${session}; Ctrl-C here to stop.`);
    await new Promise(() => undefined);
  }
  await stop();
  if (ok && !args.keep) rmSync(dir, { recursive: true, force: true });
  else say(`workspace kept for inspection: ${dir}   (git -C ${dir} log --stat)`);
  return ok ? 0 : 1;
}

function printSummary(s: Summary, ms: number, done: boolean): void {
  say('');
  say(`summary after ${Math.round(ms / 1000)} s`);
  say(`  tasks completed   ${s.tasks.completed}/${s.tasks.total}${done ? '' : `  (pending ${s.tasks.pending}, in progress ${s.tasks.in_progress}, blocked ${s.tasks.blocked})`}`);
  say(`  commits           ${s.commits}`);
  say(`  prompts delivered ${s.deliveries} (verified)`);
  say(`  reminders         ${s.reminders}`);
  say(`  handoffs          ${s.handoffs.length ? s.handoffs.join('; ') : 'none'}`);
  say(`  orchestrator now  ${s.orchestrator ?? '?'}`);
  say(`  alerts            ${s.alerts.length}${s.alerts.length ? `\n${s.alerts.slice(-5).map((a) => `    - ${a.split('\n')[0]}`).join('\n')}` : ''}`);
  say(done ? 'result: the loop worked — every task was dispatched, worked on and completed by the agents' : 'result: FAILED — not every task was completed before the deadline');
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`orch demo: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

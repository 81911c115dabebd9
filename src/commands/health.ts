import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { printJson, type Ctx } from '../cli/context.js';
import type { Config } from '../core/config.js';
import { errorMessage } from '../core/errors.js';
import { daemonPid, liveDaemon } from '../adapters/daemon-proc.js';
import { commandAvailable } from '../adapters/daemon-window.js';
import { isRepo } from '../adapters/git.js';
import { ORCH_MAIN, resolveProfile } from '../adapters/profiles/index.js';
import { Tmux } from '../adapters/tmux.js';
import { findRoot, loadConfig } from '../adapters/workspace.js';

export interface Check { name: string; ok: boolean; detail: string }

/** `orch health` (seed: check-health.sh): every check named; exit 0 healthy, 1 not. */
export async function run(ctx: Ctx, opts: { json?: boolean }): Promise<number> {
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string): boolean => { checks.push({ name, ok, detail }); return ok; };
  let root: string | undefined;
  let cfg: Config | undefined;
  try {
    root = findRoot(ctx.cwd);
    cfg = loadConfig(root);
    add('workspace', true, root);
  } catch (e) {
    add('workspace', false, errorMessage(e).split('\n')[0]!);
  }
  const repoDir = root ?? ctx.cwd;
  try {
    add('git', await isRepo(repoDir), (await isRepo(repoDir)) ? 'repository found' : `${repoDir} is not a git repository`);
  } catch (e) { add('git', false, errorMessage(e)); }
  if (root && cfg) await tmuxChecks(root, cfg, add);
  if (root && commandAvailable('lint')) {
    const r = await execa(process.execPath, [ORCH_MAIN, 'lint', '--json'], { cwd: root, reject: false, timeout: 120_000, env: { NO_COLOR: '1' } });
    let detail = r.exitCode === 0 ? 'no errors' : `exit ${r.exitCode}`;
    try {
      const rows = JSON.parse(String(r.stdout)) as { severity: string; path: string; message: string }[];
      const errs = rows.filter((x) => x.severity === 'error');
      detail = errs.length ? `${errs.length} error(s), first: ${errs[0]!.path}: ${errs[0]!.message}` : `no errors${rows.length ? `, ${rows.length} warning(s)` : ''}`;
    } catch { /* keep the exit code detail */ }
    add('lint', r.exitCode === 0, detail);
  }
  const healthy = checks.every((c) => c.ok);
  if (opts.json) printJson(ctx, { healthy, checks });
  else {
    for (const c of checks) ctx.stdout(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(20)} ${c.detail}`);
    ctx.stdout(healthy ? 'healthy' : `unhealthy: ${checks.filter((c) => !c.ok).map((c) => c.name).join(', ')}`);
  }
  return healthy ? 0 : 1;
}

async function tmuxChecks(root: string, cfg: Config, add: (n: string, ok: boolean, d: string) => boolean): Promise<void> {
  const tmux = new Tmux();
  let version: string;
  try { version = await tmux.ensureInstalled(); } catch (e) { add('tmux', false, `${errorMessage(e)}: install tmux`); return; }
  add('tmux', true, version);
  if (!add('tmux server', await tmux.serverRunning(), tmux.socket ? `socket -L ${tmux.socket}` : 'default socket')) {
    add('session', false, `${cfg.session}: no tmux server running; run \`orch start\``);
    checks404(cfg, add);
    return;
  }
  if (!add('session', await tmux.hasSession(cfg.session), cfg.session)) {
    checks404(cfg, add);
    return;
  }
  const panes = await tmux.panes(cfg.session);
  for (const a of Object.values(cfg.agents)) {
    const p = panes.find((x) => x.windowIndex === a.window);
    add(`window ${a.name}`, Boolean(p), p ? `${cfg.session}:${a.window} (${p.windowName})` : `no window ${cfg.session}:${a.window}; run \`orch start\` to repair`);
    if (!p) { add(`agent ${a.name}`, false, 'no window'); continue; }
    const prof = resolveProfile(a);
    const cmd = p.command || '?';
    add(`agent ${a.name}`, !p.dead, p.dead ? `process exited (pane dead; was \`${prof.command}\`); run \`orch start\` to restart it` : `alive (pid ${p.pid}, ${cmd})`);
  }
  const d = panes.find((x) => x.windowIndex === cfg.daemon_window);
  add('window daemon', Boolean(d), d ? `${cfg.session}:${cfg.daemon_window}` : `no window ${cfg.session}:${cfg.daemon_window}`);
  const pid = liveDaemon(root);
  const stale = daemonPid(root);
  add('daemon', pid !== null, pid ? `orch watch alive (pid ${pid})` : stale ? `pid ${stale} in .orch/run/daemon.pid is not running` : existsSync(join(root, '.orch/run')) ? 'not running (no .orch/run/daemon.pid)' : 'not running');
}

function checks404(cfg: Config, add: (n: string, ok: boolean, d: string) => boolean): void {
  for (const a of Object.values(cfg.agents)) add(`agent ${a.name}`, false, 'session not running; run `orch start`');
}

/**
 * The daemon window of `orch start`: `orch watch` running in window
 * `daemon_window`, named `daemon`. Started only when this build has the watch
 * command; a daemon already alive (pid file + process) is left alone.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/config.js';
import { alive, liveDaemon } from './daemon-proc.js';
import { screenTail } from './pane-state.js';
import { ORCH_MAIN } from './profiles/index.js';
import type { Tmux } from './tmux.js';

export const commandAvailable = (name: string): boolean => existsSync(fileURLToPath(new URL(`../commands/${name}.js`, import.meta.url)));

export interface DaemonResult { action: 'kept' | 'started' | 'unavailable' | 'failed'; pid: number | null; detail: string }

export async function ensureDaemon(root: string, cfg: Config, tmux: Tmux, timeoutMs = 15_000): Promise<DaemonResult> {
  const running = liveDaemon(root);
  const pane = await tmux.windowPane(cfg.session, cfg.daemon_window);
  if (running) return { action: 'kept', pid: running, detail: `orch watch already running (pid ${running})` };
  const env: Record<string, string> = { ORCH_WORKSPACE: root, ORCH_AGENT: '', ...(tmux.socket ? { ORCH_TMUX_SOCKET: tmux.socket } : {}) };
  const argv = commandAvailable('watch')
    ? [process.execPath, ORCH_MAIN, 'watch']
    : ['sh', '-c', 'echo "orch watch is not available in this build; the daemon window stays empty"; exec tail -f /dev/null'];
  if (!commandAvailable('watch')) {
    if (!pane) await tmux.newWindow({ session: cfg.session, index: cfg.daemon_window, name: 'daemon', cwd: root, env, argv });
    return { action: 'unavailable', pid: null, detail: 'orch watch is not in this build' };
  }
  // A live daemon window without a live pid may be a daemon still starting: give it a moment before respawning.
  if (pane && !pane.dead && (await waitPid(root, 3000))) return { action: 'kept', pid: liveDaemon(root), detail: 'orch watch running' };
  if (!pane) await tmux.newWindow({ session: cfg.session, index: cfg.daemon_window, name: 'daemon', cwd: root, env, argv });
  else await tmux.respawn(pane.paneId, { cwd: root, env, argv });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = liveDaemon(root);
    if (pid) return { action: 'started', pid, detail: `orch watch started (pid ${pid})` };
    const p = await tmux.windowPane(cfg.session, cfg.daemon_window);
    if (p?.dead || Date.now() > deadline) {
      const screen = p ? await tmux.capture(p.paneId) : '';
      return { action: 'failed', pid: null, detail: `orch watch did not start (no live pid in .orch/run/daemon.pid); the daemon window shows:\n${screenTail(screen) || '(nothing)'}` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitPid(root: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (liveDaemon(root)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** SIGTERM the daemon and wait until it exits (it commits what is pending first); SIGKILL after the deadline. */
export async function stopDaemon(root: string, timeoutMs = 30_000): Promise<{ pid: number | null; clean: boolean }> {
  const pid = liveDaemon(root);
  if (!pid) return { pid: null, clean: true };
  try { process.kill(pid, 'SIGTERM'); } catch { return { pid, clean: true }; }
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      return { pid, clean: false };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { pid, clean: true };
}

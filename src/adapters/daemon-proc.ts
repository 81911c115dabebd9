/**
 * The daemon process as seen from outside: `.orch/run/daemon.pid` (written by
 * `orch watch`) and whether that process is alive and really a daemon.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readPidFile } from './liveness.js';
import { runPath } from './paths.js';

export const DAEMON_PID_FILE = 'daemon.pid';

/** The pid in the pid file (plain number or JSON `{pid}`), or null. */
export function daemonPid(root: string): number | null {
  const pid = readPidFile(runPath(root, DAEMON_PID_FILE));
  return pid !== null && Number.isInteger(pid) && pid > 1 ? pid : null;
}

export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as { code?: string }).code === 'EPERM'; }
}

/** On Linux, make sure a reused pid is not someone else's process: its command line must mention watch. */
function looksLikeDaemon(pid: number): boolean {
  const f = `/proc/${pid}/cmdline`;
  if (!existsSync(f)) return true;
  try {
    const argv = readFileSync(f, 'utf8').split('\0');
    return argv.includes('watch');
  } catch { return true; }
}

/** Alive and, where /proc tells, really an `orch watch` (a reused pid is not a live daemon). */
export function isLiveDaemon(pid: number): boolean {
  return alive(pid) && looksLikeDaemon(pid);
}

/** The live daemon's pid, or null when none runs. */
export function liveDaemon(root: string): number | null {
  const pid = daemonPid(root);
  return pid !== null && isLiveDaemon(pid) ? pid : null;
}

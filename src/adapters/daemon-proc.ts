/**
 * The daemon process as seen from outside: `.orch/run/daemon.pid` (written by
 * `orch watch`) and whether that process is alive and really a daemon.
 */
import { isLiveDaemon, readPidFile } from './liveness.js';
import { runPath } from './paths.js';

export const DAEMON_PID_FILE = 'daemon.pid';

/** The pid in the pid file (plain number or JSON `{pid}`), or null. */
export function daemonPid(root: string): number | null {
  const pid = readPidFile(runPath(root, DAEMON_PID_FILE));
  return pid !== null && Number.isInteger(pid) && pid > 1 ? pid : null;
}

export { processAlive as alive, isLiveDaemon } from './liveness.js';

/** The live daemon's pid, or null when none runs. */
export function liveDaemon(root: string): number | null {
  const pid = daemonPid(root);
  return pid !== null && isLiveDaemon(pid) ? pid : null;
}

import { linkSync, mkdirSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { RefusedError } from '../core/errors.js';
import { runPath } from '../adapters/paths.js';
import { isLiveDaemon, readPidFile } from '../adapters/liveness.js';

export { isLiveDaemon };

/**
 * One daemon per workspace: `.orch/run/daemon.pid` holds the daemon's pid
 * (a plain number, what `orch stop` / `orch health` read).
 *
 * What must stay true:
 * - the file appears whole or not at all: it is written to a private temp file
 *   and hard-linked into place; link(2) fails if the name exists, so of two
 *   daemons starting at once exactly one wins (the O_EXCL of a complete file);
 * - a lock whose pid is dead (or reused by a process that is not an orch
 *   daemon) is taken over — under a small mkdir mutex, so two starters cannot
 *   both remove it and then both link their own;
 * - a daemon removes the file on exit only if it still holds its own pid.
 */
export const DAEMON_PID = 'daemon.pid';

export interface DaemonLock { pid: number; release(): void; tookOverFrom: number | null }

export function acquireDaemonLock(root: string, pid = process.pid): DaemonLock {
  const dir = runPath(root);
  mkdirSync(dir, { recursive: true });
  const file = runPath(root, DAEMON_PID);
  const tmp = runPath(root, `${DAEMON_PID}.${pid}.tmp`);
  const mutex = runPath(root, `${DAEMON_PID}.takeover`);
  let tookOverFrom: number | null = null;
  writeFileSync(tmp, `${pid}\n`);
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        linkSync(tmp, file);
        return { pid, tookOverFrom, release: () => releaseIfOurs(file, pid) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readPidFile(file);
      if (holder !== null && holder !== pid && isLiveDaemon(holder)) {
        throw new RefusedError(
          `another daemon is running in this workspace (pid ${holder})`,
          `stop it first (\`orch stop\` or \`kill ${holder}\`), or leave it running: it already commits every change; \`orch logs -f\` shows what it does`,
        );
      }
      if (holder === pid) return { pid, tookOverFrom, release: () => releaseIfOurs(file, pid) };
      // Stale (dead pid, garbage, or a reused pid): take it over under the mutex.
      if (!takeMutex(mutex)) { sleepSync(10); continue; }
      try {
        if (readPidFile(file) === holder) {
          try { unlinkSync(file); } catch { /* already gone */ }
          tookOverFrom = holder ?? -1;
        }
      } finally {
        try { rmdirSync(mutex); } catch { /* ignore */ }
      }
    }
    throw new RefusedError(`could not take the daemon lock ${file}`, 'remove it if no `orch watch` is running');
  } finally {
    try { unlinkSync(tmp); } catch { /* ignore */ }
  }
}

function takeMutex(path: string): boolean {
  try { mkdirSync(path); return true; } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A starter killed inside the few lines above leaves the mutex behind: it is stale after 5 s.
    try { if (Date.now() - statSync(path).mtimeMs > 5000) rmdirSync(path); } catch { /* gone */ }
    return false;
  }
}


function releaseIfOurs(file: string, pid: number): void {
  if (readPidFile(file) === pid) { try { unlinkSync(file); } catch { /* ignore */ } }
}

/** Blocking on purpose: the lock is taken once, at start, before the event loop has work; only a contended takeover waits. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

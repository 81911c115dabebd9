import { readFileSync, statSync } from 'node:fs';

/** The pid written in a pid file: a bare number, or JSON with a `pid` field. */
export function readPidFile(path: string): number | null {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return null; }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && typeof (v as { pid?: unknown }).pid === 'number') return (v as { pid: number }).pid;
  } catch { /* plain text */ }
  const m = /\d+/.exec(text);
  return m ? Number(m[0]) : null;
}

/** Age of a file or folder in ms, or null when it does not exist. */
export function ageMs(path: string, now = Date.now()): number | null {
  try { return now - statSync(path).mtimeMs; } catch { return null; }
}

/**
 * The process exists and has not exited: kill(pid, 0) succeeds (or is refused
 * for permission), and — where /proc tells — it is not a zombie. A daemon run
 * in a tmux pane is reaped by the tmux server, which can take a while: until
 * then its pid answers kill(0) although the process is gone.
 */
export function processAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** Alive and, where /proc tells, really an `orch watch` (a reused pid is not a live daemon). */
export function isLiveDaemon(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('watch');
  } catch {
    return true;
  }
}

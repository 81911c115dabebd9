import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { sep } from 'node:path';

/** Is a process alive? EPERM means it exists but belongs to someone else. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as { code?: string }).code === 'EPERM'; }
}

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

/**
 * Is a git process running in this repository? Looks at /proc (Linux): any
 * process named git whose working directory is inside `root`. Where /proc
 * cannot be read the answer is "unknown" and callers must assume it is alive.
 */
export function liveGitIn(root: string): boolean | 'unknown' {
  let pids: string[];
  try { pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p)); } catch { return 'unknown'; }
  for (const pid of pids) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm !== 'git' && !comm.startsWith('git-')) continue;
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === root || cwd.startsWith(root + sep)) return true;
    } catch { /* gone, or not ours to read */ }
  }
  return false;
}

/** Age of a file or folder in ms, or null when it does not exist. */
export function ageMs(path: string, now = Date.now()): number | null {
  try { return now - statSync(path).mtimeMs; } catch { return null; }
}

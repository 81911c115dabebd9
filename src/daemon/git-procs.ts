import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { sep } from 'node:path';
import { indexLockPath } from '../adapters/committer.js';

/**
 * Is a git process alive in this repository? On Linux: any process whose argv[0]
 * is git (or git-*) with its cwd inside the repository. Without /proc we
 * cannot tell, and say yes (the lock is then only waited for, never removed).
 */
export function liveGitIn(rootIn: string): boolean {
  let root = rootIn;
  try { root = realpathSync(rootIn); } catch { /* keep as given */ }
  let pids: string[];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return true; }
  const inside = (p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let argv0: string;
    try { argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? ''; } catch { continue; }
    const base = argv0.split('/').pop() ?? '';
    if (base !== 'git' && !base.startsWith('git-')) continue;
    try { if (inside(readlinkSync(`/proc/${pid}/cwd`))) return true; } catch { return true; /* cannot see it: assume it is ours */ }
  }
  return false;
}

/**
 * Remove `.git/index.lock` when it was left by a killed git: no git process is
 * alive in the repository and the lock is not brand new (a git that is just
 * starting may not be visible yet). Returns the removed path, or null.
 */
export async function clearStaleIndexLockIn(root: string, minAgeMs = 1000): Promise<string | null> {
  const lock = await indexLockPath(root);
  if (!existsSync(lock)) return null;
  let st;
  try { st = statSync(lock); } catch { return null; }
  if (Date.now() - st.mtimeMs < minAgeMs) return null;
  if (liveGitIn(root)) return null;
  // Same file still (not a new lock taken between our checks)?
  try { if (statSync(lock).ino !== st.ino) return null; } catch { return null; }
  await rm(lock, { force: true });
  return lock;
}

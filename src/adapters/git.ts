import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EnvError } from '../core/errors.js';
import { runProcess } from './proc.js';

export interface GitOptions {
  env?: Record<string, string>;
  input?: string;
  /** Do not throw on a non-zero exit. */
  reject?: boolean;
  timeout?: number;
}

export interface GitResult { stdout: string; stderr: string; exitCode: number }

/** Run git with an argument array in `root`. Never a shell string. */
export async function git(root: string, args: string[], opts: GitOptions = {}): Promise<GitResult> {
  const r = await runProcess('git', args, {
    cwd: root,
    env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
    input: opts.input,
    timeout: opts.timeout ?? 120_000,
  });
  if (r.errorCode === 'ENOENT') throw new EnvError('git is not installed or not on PATH', 'install git (e.g. apt-get install git)');
  if ((r.exitCode !== 0 || r.errorCode) && (opts.reject ?? true)) {
    const detail = r.stderr.trim() || (r.timedOut ? `timed out after ${opts.timeout ?? 120_000} ms` : `exit code ${r.exitCode}${r.errorCode ? ` (${r.errorCode})` : ''}`);
    throw new GitError(`git ${args[0]} failed: ${detail.split('\n').slice(0, 4).join(' | ')}`, detail);
  }
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}

export class GitError extends Error {
  constructor(message: string, readonly stderr: string) { super(message); }
}

export async function isRepo(root: string): Promise<boolean> {
  const r = await git(root, ['rev-parse', '--is-inside-work-tree'], { reject: false });
  return r.exitCode === 0 && r.stdout.trim() === 'true';
}

interface GitDirs { gitDir: string; common: string; indexLock: string }
const gitDirsCache = new Map<string, GitDirs>();

/** The repository's git dir, common dir and index lock path (worktrees included), asked once per process. */
export async function gitDirs(root: string): Promise<GitDirs | null> {
  let dirs = gitDirsCache.get(root);
  if (!dirs) {
    const r = await git(root, ['rev-parse', '--absolute-git-dir', '--git-common-dir', '--git-path', 'index.lock'], { reject: false });
    const [gitDir, common, lock] = r.stdout.trim().split('\n');
    if (r.exitCode !== 0 || !gitDir || !common || !lock) return null;
    dirs = { gitDir, common: resolve(root, common), indexLock: resolve(root, lock) };
    gitDirsCache.set(root, dirs);
  }
  return dirs;
}

/**
 * HEAD's commit read from the files git itself writes (HEAD, then the loose
 * ref, which git always writes on update and which wins over packed-refs), so
 * a daemon round does not spawn `git rev-parse` twice; anything unusual
 * (packed ref, unborn branch, odd HEAD) falls back to headOid().
 */
export async function headOidFast(root: string): Promise<string | null> {
  const dirs = await gitDirs(root);
  if (!dirs) return headOid(root);
  try {
    const head = readFileSync(join(dirs.gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const m = /^ref: (refs\/[^\s]+)$/.exec(head);
    if (m) {
      const oid = readFileSync(join(dirs.common, m[1]!), 'utf8').trim();
      if (/^[0-9a-f]{40}$/.test(oid)) return oid;
    }
  } catch { /* packed or unborn: ask git */ }
  return headOid(root);
}

/** The commit `ref` names, or null when it names none (unborn branch, unknown ref). */
export async function revCommit(root: string, ref: string): Promise<string | null> {
  const r = await git(root, ['rev-parse', '-q', '--verify', `${ref}^{commit}`], { reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

export const headOid = (root: string): Promise<string | null> => revCommit(root, 'HEAD');

const identityCache = new Map<string, { stamp: string; env: Record<string, string> }>();

/** mtimes of the config files that can hold user.name/email: unchanged stamp, same identity. */
function configStamp(root: string): string {
  const home = process.env.HOME ?? '';
  const xdg = process.env.XDG_CONFIG_HOME || (home && join(home, '.config'));
  const files = [join(root, '.git', 'config'), home && join(home, '.gitconfig'), xdg && join(xdg, 'git', 'config'), process.env.GIT_CONFIG_GLOBAL ?? ''];
  return files.map((f) => { try { return f ? String(statSync(f).mtimeMs) : '-'; } catch { return '-'; } }).join(':')
    + `:${process.env.GIT_CONFIG_GLOBAL ?? ''}:${process.env.GIT_CONFIG_SYSTEM ?? ''}`;
}

/**
 * The repository's identity, or orch's own when the repo has none (SPEC §4).
 * Cached per root while the config files are untouched: the daemon commits
 * many times and two `git config` runs per commit were a tenth of a round.
 */
export async function identityEnv(root: string): Promise<Record<string, string>> {
  const stamp = configStamp(root);
  const hit = identityCache.get(root);
  if (hit && hit.stamp === stamp) return { ...hit.env };
  const env = await readIdentityEnv(root);
  identityCache.set(root, { stamp, env });
  return { ...env };
}

async function readIdentityEnv(root: string): Promise<Record<string, string>> {
  // One git for both keys: `-z` prints "key\nvalue\0" per entry (the last one of a key wins, as git does).
  const r = await git(root, ['config', '-z', '--get-regexp', '^user\\.(name|email)$'], { reject: false });
  const got: Record<string, string> = {};
  for (const entry of r.stdout.split('\0')) {
    const nl = entry.indexOf('\n');
    if (nl > 0) got[entry.slice(0, nl)] = entry.slice(nl + 1).trim();
  }
  const name = got['user.name'] ?? '';
  const email = got['user.email'] ?? '';
  const env: Record<string, string> = {};
  if (!name || !email) {
    env.GIT_AUTHOR_NAME = name || 'orch';
    env.GIT_AUTHOR_EMAIL = email || 'orch@localhost';
    env.GIT_COMMITTER_NAME = name || 'orch';
    env.GIT_COMMITTER_EMAIL = email || 'orch@localhost';
  }
  return env;
}

export async function gitDir(root: string): Promise<string> {
  const r = await git(root, ['rev-parse', '--absolute-git-dir']);
  return r.stdout.trim();
}

/**
 * A `.git/index.lock` left behind by a killed git (no git process alive in
 * this repository) is removed; one held by a live git is left alone.
 * Returns true when it removed a stale lock.
 */
export async function clearStaleIndexLock(root: string, liveGit: () => Promise<boolean>): Promise<boolean> {
  const lock = join(await gitDir(root), 'index.lock');
  if (!existsSync(lock)) return false;
  if (await liveGit()) return false;
  await rm(lock, { force: true });
  return true;
}

export async function ensureDir(p: string): Promise<void> {
  await mkdir(p, { recursive: true });
}

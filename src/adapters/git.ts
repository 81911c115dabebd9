import { accessSync, constants as fsc, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EnvError } from '../core/errors.js';
import { runProcess } from './proc.js';
import { now, trace } from './trace.js';

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
  const t0 = now();
  const r = await runProcess('git', args, {
    cwd: root,
    env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
    input: opts.input,
    timeout: opts.timeout ?? 120_000,
  });
  const name = args[0] === '-c' ? args[2] : args[0];
  trace(`git ${name}`, t0);
  if (r.errorCode === 'ENOENT') throw new EnvError('git is not installed or not on PATH', 'install git (e.g. apt-get install git)');
  if ((r.exitCode !== 0 || r.errorCode) && (opts.reject ?? true)) {
    const detail = r.stderr.trim() || (r.timedOut ? `timed out after ${opts.timeout ?? 120_000} ms` : `exit code ${r.exitCode}${r.errorCode ? ` (${r.errorCode})` : ''}`);
    throw new GitError(`git ${name} failed: ${detail.split('\n').slice(0, 4).join(' | ')}`, detail);
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

/** What decides how orch commits: the identity to use, and whether git's porcelain is needed (signing, hooks). */
export interface CommitSettings {
  /** GIT_AUTHOR_* / GIT_COMMITTER_* to add when the repository has no identity (SPEC §4). */
  env: Record<string, string>;
  /** `commit.gpgSign`: commits must be signed, which only `git commit` does for us. */
  gpgSign: boolean;
  /** Where git looks for hooks (`core.hooksPath`, else `<common dir>/hooks`). */
  hooksDir: string;
}

const settingsCache = new Map<string, { stamp: string; settings: CommitSettings }>();

/** mtimes of the config files that can hold these keys: unchanged stamp, same settings. */
function configStamp(root: string): string {
  const home = process.env.HOME ?? '';
  const xdg = process.env.XDG_CONFIG_HOME || (home && join(home, '.config'));
  const files = [join(root, '.git', 'config'), home && join(home, '.gitconfig'), xdg && join(xdg, 'git', 'config'), process.env.GIT_CONFIG_GLOBAL ?? ''];
  return files.map((f) => { try { return f ? String(statSync(f).mtimeMs) : '-'; } catch { return '-'; } }).join(':')
    + `:${process.env.GIT_CONFIG_GLOBAL ?? ''}:${process.env.GIT_CONFIG_SYSTEM ?? ''}`;
}

/**
 * The repository's identity (or orch's own when it has none, SPEC §4), its
 * signing setting and its hooks folder, read with one `git config` and cached
 * per root while the config files are untouched: the daemon commits many times.
 */
export async function commitSettings(root: string): Promise<CommitSettings> {
  const stamp = configStamp(root);
  const hit = settingsCache.get(root);
  if (hit && hit.stamp === stamp) return hit.settings;
  const settings = await readCommitSettings(root);
  settingsCache.set(root, { stamp, settings });
  return settings;
}

export async function identityEnv(root: string): Promise<Record<string, string>> {
  return { ...(await commitSettings(root)).env };
}

async function readCommitSettings(root: string): Promise<CommitSettings> {
  // One git for all keys: `-z` prints "key\nvalue\0" per entry (the last one of a key wins, as git does).
  const r = await git(root, ['config', '-z', '--get-regexp', '^(user\\.(name|email)|core\\.hookspath|commit\\.gpgsign)$'], { reject: false });
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
  const hooksPath = got['core.hookspath'];
  const home = process.env.HOME ?? '';
  const hooksDir = hooksPath
    ? resolve(root, hooksPath.startsWith('~/') && home ? join(home, hooksPath.slice(2)) : hooksPath)
    : join((await gitDirs(root))?.common ?? join(root, '.git'), 'hooks');
  return { env, gpgSign: /^(true|yes|on|1)$/i.test(got['commit.gpgsign'] ?? ''), hooksDir };
}

/** The hooks `git commit` would run here (`--no-verify` skips pre-commit and commit-msg). */
export function commitHooks(hooksDir: string, noVerify: boolean): string[] {
  const names = noVerify ? ['prepare-commit-msg', 'post-commit'] : ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit'];
  return names.filter((n) => { try { accessSync(join(hooksDir, n), fsc.X_OK); return true; } catch { return false; } });
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

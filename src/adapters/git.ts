import { execa } from 'execa';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EnvError } from '../core/errors.js';

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
  try {
    const r = await execa('git', args, {
      cwd: root,
      env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
      input: opts.input,
      reject: opts.reject ?? true,
      timeout: opts.timeout ?? 120_000,
      stripFinalNewline: false,
      maxBuffer: 512 * 1024 * 1024,
    });
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? 0 };
  } catch (e) {
    const err = e as { code?: string; stderr?: string; shortMessage?: string };
    if (err.code === 'ENOENT') throw new EnvError('git is not installed or not on PATH', 'install git (e.g. apt-get install git)');
    const detail = (err.stderr ?? '').trim() || err.shortMessage || String(e);
    throw new GitError(`git ${args[0]} failed: ${detail.split('\n').slice(0, 4).join(' | ')}`, detail);
  }
}

export class GitError extends Error {
  constructor(message: string, readonly stderr: string) { super(message); }
}

export async function isRepo(root: string): Promise<boolean> {
  const r = await git(root, ['rev-parse', '--is-inside-work-tree'], { reject: false });
  return r.exitCode === 0 && r.stdout.trim() === 'true';
}

const gitDirsCache = new Map<string, { gitDir: string; common: string }>();

/**
 * HEAD's commit read from the files git itself writes (HEAD, then the loose
 * ref, which git always writes on update and which wins over packed-refs), so
 * a daemon round does not spawn `git rev-parse` twice; anything unusual
 * (packed ref, unborn branch, odd HEAD) falls back to headOid().
 */
export async function headOidFast(root: string): Promise<string | null> {
  let dirs = gitDirsCache.get(root);
  if (!dirs) {
    const r = await git(root, ['rev-parse', '--absolute-git-dir', '--git-common-dir'], { reject: false });
    const [gitDir, common] = r.stdout.trim().split('\n');
    if (r.exitCode !== 0 || !gitDir || !common) return headOid(root);
    dirs = { gitDir, common: resolve(root, common) };
    gitDirsCache.set(root, dirs);
  }
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
  const name = (await git(root, ['config', 'user.name'], { reject: false })).stdout.trim();
  const email = (await git(root, ['config', 'user.email'], { reject: false })).stdout.trim();
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

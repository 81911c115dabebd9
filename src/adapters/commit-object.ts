/**
 * Making the commit object from orch's staged private index (src/adapters/committer.ts
 * decides which way and keeps the indexes in step): git's plumbing when nothing needs
 * `git commit`, else `git commit` itself (hooks, signing).
 */
import { spawn } from 'node:child_process';
import { RefusedError } from '../core/errors.js';
import { git, GitError, headOidFast as headOid } from './git.js';

/**
 * Git options for commands that write orch's private index: git's split index, so a
 * write rewrites only the entries changed since the shared part (a few hundred bytes)
 * instead of the whole index (1 MB at 10 000 tasks, 10 MB at 100 000; ~5 ms a write
 * at 10 000). The shared part is a `sharedindex.<sha>` file in the git dir, which git
 * expires on its own (`splitIndex.sharedIndexExpire`, two weeks).
 */
export const SPLIT = ['-c', 'core.splitIndex=true'];

/** `git commit` failed (a hook refused it, most often): nothing was committed. */
export class CommitRefusedError extends RefusedError {}

export async function porcelainCommit(root: string, env: Record<string, string>, message: string, noVerify: boolean): Promise<string> {
  const args = [...SPLIT, 'commit', '-q', '--no-edit', '--allow-empty-message', '-F', '-'];
  if (noVerify) args.push('--no-verify');
  try {
    await git(root, args, { env, input: message });
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    const why = e.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ') || e.message;
    throw new CommitRefusedError(`git refused orch's commit: ${why}`, noVerify
      ? 'see the git error above; orch left your files and index as they were'
      : 'a git hook (pre-commit or commit-msg) failed: fix the hook, or set `git: { no_verify: true }` in .orch/config.yml to skip hooks for orch commits');
  }
  return (await headOid(root))!;
}

let autoMaintenance = true;

/**
 * For the daemon, which runs `git maintenance run --auto` itself every few minutes after it has
 * committed, off the path from a change to its commit: its plumbing commits do not start it, and
 * its git children get `maintenance.auto=false` (appended to any GIT_CONFIG_COUNT the user set)
 * so a `git commit` (hooks, signing) does not run it before returning either.
 */
export function deferMaintenance(): void {
  autoMaintenance = false;
  const n = Number(process.env.GIT_CONFIG_COUNT ?? '0') || 0;
  process.env[`GIT_CONFIG_KEY_${n}`] = 'maintenance.auto';
  process.env[`GIT_CONFIG_VALUE_${n}`] = 'false';
  process.env.GIT_CONFIG_COUNT = String(n + 1);
}

/**
 * What `git commit` does after committing: `git maintenance run --auto` (a quick count of loose
 * objects; git detaches a real gc itself when one is due). Started and not waited for.
 */
function startAutoMaintenance(root: string): void {
  if (!autoMaintenance) return;
  try {
    const child = spawn('git', ['maintenance', 'run', '--auto', '--quiet'], { cwd: root, stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch { /* maintenance only */ }
}

export async function plumbingCommit(root: string, env: Record<string, string>, parent: string | null, message: string): Promise<string> {
  const text = stripSpace(message);
  const tree = (await git(root, [...SPLIT, 'write-tree'], { env })).stdout.trim();
  const commit = (await git(root, ['commit-tree', tree, ...(parent ? ['-p', parent] : [])], { env, input: text })).stdout.trim();
  // The reflog line `git commit` would write ("commit: <subject>").
  const subject = text.slice(0, text.indexOf('\n'));
  const r = await git(root, ['update-ref', '-m', `commit${parent ? '' : ' (initial)'}: ${subject}`, 'HEAD', commit, parent ?? ''], { reject: false });
  if (r.exitCode !== 0) {
    if ((await headOid(root)) !== parent) throw new HeadMovedError('HEAD moved while orch was committing (a commit made beside it)', 'nothing was lost: the round stages again on the new HEAD');
    throw new GitError(`git update-ref failed: ${r.stderr.trim()}`, r.stderr);
  }
  startAutoMaintenance(root);
  return commit;
}

/** What `git commit` does to a message it is given (cleanup "whitespace"): no trailing blanks, no doubled blank lines, one final newline. */
export function stripSpace(message: string): string {
  const lines = message.split('\n').map((l) => l.replace(/\s+$/, ''));
  const out: string[] = [];
  for (const l of lines) if (l !== '' || (out.length && out[out.length - 1] !== '')) out.push(l);
  while (out.length && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** HEAD is not where the staging started: stage again on the new HEAD and commit. */
export class HeadMovedError extends RefusedError {}

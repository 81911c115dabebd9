import { existsSync, lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileChange } from '../core/changes.js';
import { RefusedError } from '../core/errors.js';
import { commitHooks, commitSettings, git, GitError, gitDirs, headOidFast as headOid } from './git.js';
import { isIgnoredName, RUN_DIR } from './paths.js';
import { plumbingCommit, porcelainCommit, SPLIT } from './commit-object.js';

export { CommitRefusedError, deferMaintenance, HeadMovedError, stripSpace } from './commit-object.js';

/**
 * Commits orch-managed paths through a private index (`.orch/run/git-index`),
 * so the human's own index — staged work included — is never used to build
 * orch's commits. After the commit, the real index is brought to HEAD for the
 * committed paths only, so a later `git commit` by the human cannot revert them.
 */
export const ORCH_PATHS = ['tasks', 'status', 'handoff', 'prompts', 'ORCHESTRATION_STATUS.md', '.orch/config.yml'];

const IGNORED_PATHSPECS = [
  ':(exclude,glob)**/*~',
  ':(exclude,glob)**/*.sw[a-p]',
  ':(exclude,glob)**/.#*',
  ':(exclude,glob)**/#*#',
  ':(exclude,glob)**/*.tmp',
  ':(exclude,glob)**/*.tmp.*',
  ':(exclude,glob)tasks/*/.[!g]*',
  ':(exclude,glob)tasks/**/*.md.*',
  ':(exclude,glob)**/4913',
];

export interface StageResult { files: FileChange[]; head: string | null; env: Record<string, string> }

async function privateIndex(root: string): Promise<{ env: Record<string, string>; headFile: string }> {
  const index = join(root, RUN_DIR, 'git-index');
  // We hold orch's commit lock: any lock on our private index is a leftover of a killed run.
  await rm(`${index}.lock`, { force: true });
  return { env: { GIT_INDEX_FILE: index }, headFile: `${index}.head` };
}

/**
 * Stage orch paths (minus `exclude`) into the private index and list what differs from HEAD.
 * `onSpawned` is called once the staging git runs (so the caller can work beside it).
 */
export async function stage(root: string, exclude: string[], extra: string[] = [], only?: string[], onSpawned?: () => void): Promise<StageResult> {
  try {
    return await stageOnce(root, exclude, extra, only, onSpawned);
  } catch (e) {
    // orch's private index is a cache of HEAD plus staged orch paths: when git cannot read it
    // (its split-index base removed from .git, a damaged file), it is rebuilt from HEAD.
    if (!(e instanceof GitError) || !/index/i.test(e.stderr)) throw e;
    await rm(join(root, RUN_DIR, 'git-index'), { force: true });
    resetPrivateIndex(root);
    return stageOnce(root, exclude, extra, only, onSpawned);
  }
}

async function stageOnce(root: string, exclude: string[], extra: string[], only: string[] | undefined, onSpawned?: () => void): Promise<StageResult> {
  await waitForRealIndex(root);
  const { env, headFile } = await privateIndex(root);
  const head = await headOid(root);
  const indexed = existsSync(headFile) && existsSync(env.GIT_INDEX_FILE!) ? (await readFile(headFile, 'utf8')).trim() : '';
  if (head !== null && indexed !== head) {
    // Like a one-tree merge, --reset keeps the stat data of entries that already match
    // (cheap at 100k files), and never refuses over a stale entry.
    await git(root, [...SPLIT, 'read-tree', '--reset', head], { env });
  } else if (head === null && indexed !== 'none') {
    await git(root, [...SPLIT, 'read-tree', '--empty'], { env });
  }
  if (indexed !== (head ?? 'none')) await writeFile(headFile, head ?? 'none');
  // A pathspec that matches nothing is an error for `git add`: name only what exists on disk or in HEAD.
  const narrow = only && narrowPaths(root, only, exclude);
  if (narrow) {
    // Exactly these files: changed, added or gone (a path in neither the index nor the disk is a no-op).
    if (narrow.length) await git(root, [...SPLIT, 'update-index', '--add', '--remove', '-z', '--stdin'], { env, input: narrow.join('\0') + '\0' });
    const diff = await git(root, ['diff-index', '--cached', '--no-renames', '--raw', '-z', head ?? (await emptyTree(root))], { env });
    return { files: parseRawZ(diff.stdout), head, env };
  }
  const onDisk = ORCH_PATHS.filter((p) => existsSync(join(root, p)));
  const inHead = head && onDisk.length < ORCH_PATHS.length ? (await git(root, ['ls-tree', '--name-only', head, '--', ...ORCH_PATHS])).stdout.split('\n') : [];
  const present = ORCH_PATHS.filter((p) => onDisk.includes(p) || inHead.includes(p));
  const specs = [...present.map((p) => `:(literal)${p}`), ...extra.map((p) => `:(literal)${p}`), ...IGNORED_PATHSPECS, ...exclude.map((p) => `:(exclude,literal)${p}`)];
  // The pathspecs go through a file, not stdin: a pipe is written only when this process's event
  // loop is free, and a verb scans the task files while git stages (hasUncommitted).
  const specFile = join(root, RUN_DIR, 'git-add.pathspecs');
  writeFileSync(specFile, specs.join('\0') + '\0');
  const added = git(root, [...SPLIT, 'add', '-A', '--ignore-errors', `--pathspec-from-file=${specFile}`, '--pathspec-file-nul'], { env, reject: true });
  onSpawned?.();
  await added;
  rememberExcluded(root, exclude);
  const base = head ?? (await emptyTree(root));
  const diff = await git(root, ['diff-index', '--cached', '--no-renames', '--raw', '-z', base], { env });
  return { files: parseRawZ(diff.stdout), head, env };
}

const EXCLUDED_FILE = 'git-index.excluded';
const TASK_FILE = /^tasks\/(pending|in_progress|completed|blocked)\/[^/]+\.md$/;

/** The files the last whole staging left out (invalid ones): a guess for the next one, see hasUncommitted. */
export function lastExcluded(root: string): string[] {
  try {
    const v = JSON.parse(readFileSync(join(root, RUN_DIR, EXCLUDED_FILE), 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch { return []; }
}

function rememberExcluded(root: string, exclude: string[]): void {
  const text = JSON.stringify([...exclude].sort());
  const file = join(root, RUN_DIR, EXCLUDED_FILE);
  try { if (readFileSync(file, 'utf8') === text) return; } catch { /* absent */ }
  try { writeFileSync(file, text); } catch { /* a guess only */ }
}

/** Forget what the private index holds: the next staging starts again from HEAD. */
export function resetPrivateIndex(root: string): void {
  rmSync(join(root, RUN_DIR, 'git-index.head'), { force: true });
}

/**
 * The `only` list cut to what `git add` with the pathspecs above would stage:
 * orch paths, no editor droppings, no excluded (invalid) file. null when a
 * path is a folder (update-index takes files only): the caller stages everything.
 */
function narrowPaths(root: string, only: string[], exclude: string[]): string[] | null {
  const ex = new Set(exclude);
  const out = new Set<string>();
  for (const p of only) {
    if (ex.has(p) || p.includes('\0') || !ORCH_PATHS.some((o) => p === o || p.startsWith(`${o}/`))) continue;
    const name = p.split('/').pop()!;
    if (isIgnoredName(name) || /^tasks\/.*\.md\..+$/.test(p) || name === '4913') continue;
    // A task file path needs no lstat (a folder named like one makes update-index fail: the round is retried as a sweep).
    if (!TASK_FILE.test(p)) try { if (lstatSync(join(root, p)).isDirectory()) return null; } catch { /* gone: update-index --remove */ }
    out.add(p);
  }
  return [...out];
}

async function emptyTree(root: string): Promise<string> {
  return (await git(root, ['hash-object', '-t', 'tree', '--stdin'], { input: '' })).stdout.trim();
}

/** `git diff-index --raw -z`: ":<src mode> <dst mode> <src oid> <dst oid> <status>\0<path>\0" per file. */
export function parseRawZ(out: string): FileChange[] {
  const parts = out.split('\0');
  const files: FileChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [, dstMode, , dstOid, st] = parts[i]!.replace(/^:/, '').split(' ');
    const path = parts[i + 1]!;
    const status = st?.startsWith('A') ? 'A' : st?.startsWith('D') ? 'D' : 'M';
    files.push(status === 'D' ? { status, path } : { status, path, mode: dstMode, oid: dstOid });
  }
  return files;
}

let indexSync: Promise<void> = Promise.resolve();

/** Resolves once the human's index holds the last commit (see commitStaged's `deferIndexSync`). */
export function flushIndexSync(): Promise<void> {
  return indexSync;
}

/**
 * Commit the private index. Returns the new HEAD.
 *
 * With no commit hook to run and no signing asked for (the usual case), with git's
 * plumbing: `write-tree`, `commit-tree`, then `update-ref HEAD <new> <old>` — a
 * compare-and-swap, so a commit the human made meanwhile is never overwritten
 * (HeadMovedError: the caller stages again on the new HEAD). `git commit` would
 * first refresh the whole private index (an lstat of every orch file: 15 ms at
 * 10 000 tasks) and write it twice. Otherwise `git commit`, which runs the
 * user's hooks (unless `noVerify`) and signs.
 */
export async function commitStaged(root: string, staged: StageResult, message: string, noVerify: boolean, deferIndexSync = false): Promise<string> {
  const settings = await commitSettings(root);
  const env = { ...staged.env, ...settings.env };
  const head = settings.gpgSign || commitHooks(settings.hooksDir, noVerify).length
    ? await porcelainCommit(root, env, message, noVerify)
    : await plumbingCommit(root, env, staged.head, message);
  await writeFile(join(root, RUN_DIR, 'git-index.head'), head);
  // The daemon lets this run beside its next round (whose render comes before any git): every user
  // of the human's index in this process waits for it first (waitForRealIndex, flushIndexSync).
  const sync = setRealIndex(root, staged.files, head.length);
  if (deferIndexSync) indexSync = sync.catch(() => undefined);
  else await sync;
  return head;
}


/**
 * A live git holding `.git/index.lock` (say a `git commit` with its editor open)
 * is waited for: committing under it would let that commit, built from the
 * human's index, silently revert orch's change. A lock nobody holds is the
 * daemon's to clear (see clearStaleIndexLock); here we only wait, then refuse.
 */
export async function waitForRealIndex(root: string, timeoutMs = 10_000): Promise<void> {
  await indexSync; // our own sync of the human's index, still running from the last commit
  const lock = await indexLockPath(root);
  const deadline = Date.now() + timeoutMs;
  while (existsSync(lock)) {
    if (Date.now() > deadline) {
      throw new GitBusyError(`git is busy: ${lock} exists (a git command is running, or one was killed)`, 'retry when it finishes; if no git is running, `orch doctor --fix` removes a stale lock');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class GitBusyError extends RefusedError {}


/** `.git/index.lock`, or wherever it is for a worktree (`git rev-parse --git-path`). */
export async function indexLockPath(root: string): Promise<string> {
  const dirs = await gitDirs(root);
  if (!dirs) throw new GitError(`${root} is not a git repository`, '');
  return dirs.indexLock;
}

/**
 * Bring the human's index to the commit just made for exactly the committed
 * files, from what was staged (mode and blob, or removal): one
 * `update-index --index-info`, where `git reset -- <paths>` matches every
 * index entry against every pathspec (200 ms for a burst of 2 000 at 10 000
 * tasks). Their other staged work stays staged.
 */
async function setRealIndex(root: string, files: FileChange[], oidLength: number): Promise<void> {
  if (!files.length) return;
  if (files.some((f) => f.status !== 'D' && !(f.mode && f.oid))) return syncRealIndex(root, files.map((f) => f.path));
  const input = files.map((f) => (f.status === 'D' ? `0 ${'0'.repeat(oidLength)}\t${f.path}` : `${f.mode} ${f.oid}\t${f.path}`)).join('\0') + '\0';
  for (let attempt = 0; ; attempt++) {
    const r = await git(root, ['update-index', '-z', '--index-info'], { input, reject: false });
    if (r.exitCode === 0 || !/index\.lock/.test(r.stderr) || attempt >= 50) return;
    await new Promise((res) => setTimeout(res, 100)); // a live git holds the index: retry shortly
  }
}

/** Bring the human's index to HEAD for exactly these paths; their other staged work stays staged. */
export async function syncRealIndex(root: string, paths: string[]): Promise<void> {
  if (!paths.length) return;
  await indexSync;
  for (let attempt = 0; ; attempt++) {
    const r = await git(root, ['reset', '-q', 'HEAD', '--pathspec-from-file=-', '--pathspec-file-nul'], {
      input: paths.map((p) => `:(literal)${p}`).join('\0') + '\0', reject: false,
    });
    if (r.exitCode === 0 || !/index\.lock/.test(r.stderr) || attempt >= 50) return;
    await new Promise((res) => setTimeout(res, 100)); // a live git holds the index: retry shortly
  }
}

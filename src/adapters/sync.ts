import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { idFromFileName, idFromText, nextId } from '../core/ids.js';
import { planReplay, replayMessage, rewriteRefs, TASK_PATH, type Entry, type LocalCommit, type TreeMap } from '../core/sync-replay.js';
import { flushIndexSync, ORCH_PATHS } from './committer.js';
import { git, identityEnv, revCommit } from './git.js';
import type { Logger } from './logger.js';
import { RUN_DIR } from './paths.js';
import { reconcile } from './reconcile.js';

export type SyncStatus = 'up-to-date' | 'pushed' | 'pulled' | 'paused' | 'offline' | 'rejected';

export interface SyncOutcome {
  status: SyncStatus;
  /** Why sync is paused / offline, in words a human can act on. */
  reason?: string;
  dropped: string[];
  renumbered: { from: string; to: string }[];
  head: string | null;
}

const isOrchPath = (p: string): boolean => ORCH_PATHS.some((o) => p === o || p.startsWith(`${o}/`));
const EMPTY = '0000000000000000000000000000000000000000';

/**
 * One sync round with the remote (SPEC §12), with orch's commit lock held:
 * fetch; if the remote moved, replay orch's unpushed commits on top of it
 * task by task (the remote wins conflicts; ids taken meanwhile are
 * renumbered); move HEAD and the work tree with `git read-tree -m -u`, which
 * keeps the human's unrelated changes and refuses to overwrite theirs;
 * re-render the status; push without force. A rejected push (someone pushed
 * first) is retried from the fetch. Unpushed commits that are not orch's
 * pause sync: orch never pushes a human's work.
 */
export async function syncRound(root: string, cfg: Config, log?: Logger, attempts = 3): Promise<SyncOutcome> {
  await flushIndexSync(); // the daemon's last commit may still be syncing the human's index
  const dropped: string[] = [];
  const renumbered: { from: string; to: string }[] = [];
  const remote = cfg.sync.remote;
  const branchR = await git(root, ['symbolic-ref', '-q', '--short', 'HEAD'], { reject: false });
  const branch = branchR.stdout.trim();
  if (branchR.exitCode !== 0 || !branch) return { status: 'paused', reason: 'HEAD is detached; check out a branch to sync', dropped, renumbered, head: null };
  const tracking = `refs/remotes/${remote}/${branch}`;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const f = await git(root, ['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${tracking}`], { reject: false, timeout: 30_000 });
    const remoteHasBranch = f.exitCode === 0;
    if (!remoteHasBranch && !/couldn't find remote ref/i.test(f.stderr)) {
      return { status: 'offline', reason: `cannot fetch from ${remote}: ${f.stderr.trim().split('\n').pop()}`, dropped, renumbered, head: null };
    }
    const head = (await revCommit(root, 'HEAD'))!;
    const up = remoteHasBranch ? await revCommit(root, tracking) : null;
    const ahead = up ? lines((await git(root, ['rev-list', '--reverse', `${up}..${head}`])).stdout) : lines((await git(root, ['rev-list', '--reverse', head])).stdout);
    const foreign = await firstForeignCommit(root, ahead);
    if (foreign) return { status: 'paused', reason: `unpushed commit ${foreign.slice(0, 7)} is not orch's; orch never pushes your work — push it yourself`, dropped, renumbered, head };
    let target = head;
    if (up && up !== head) {
      const behind = lines((await git(root, ['rev-list', `${head}..${up}`])).stdout).length > 0;
      if (behind) {
        target = ahead.length ? await replay(root, up, ahead, dropped, renumbered) : up;
        const moved = await moveHead(root, head, target);
        if (!moved.ok) return { status: 'paused', reason: moved.reason, dropped, renumbered, head };
        log?.info(`sync: ${ahead.length ? `replayed ${ahead.length} orch commit(s) on` : 'fast-forwarded to'} ${remote}/${branch} ${target.slice(0, 7)}${dropped.length ? `; dropped ${dropped.join(', ')}` : ''}`);
        await reconcile(root, { cfg, log, subject: 'orch: status re-rendered after sync' });
      }
    }
    const now = (await revCommit(root, 'HEAD'))!;
    if (up === now) return { status: target === head ? 'up-to-date' : 'pulled', dropped, renumbered, head: now };
    const p = await git(root, ['push', '--porcelain', remote, `${now}:refs/heads/${branch}`], { reject: false, timeout: 30_000 });
    if (p.exitCode === 0) {
      await git(root, ['update-ref', tracking, now], { reject: false });
      log?.info(`sync: pushed ${now.slice(0, 7)} to ${remote}/${branch}`);
      return { status: 'pushed', dropped, renumbered, head: now };
    }
    if (!/rejected|non-fast-forward|fetch first|stale info/i.test(p.stdout + p.stderr)) {
      return { status: 'offline', reason: `push to ${remote} failed: ${(p.stderr || p.stdout).trim().split('\n').pop()}`, dropped, renumbered, head: now };
    }
    log?.info(`sync: push rejected (the remote moved), attempt ${attempt}/${attempts}`);
  }
  return { status: 'rejected', reason: `the remote kept moving; ${attempts} attempts`, dropped, renumbered, head: await revCommit(root, 'HEAD') };
}

const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter(Boolean);

/** A commit that touches anything but orch paths (the init commit's .gitignore excepted). */
async function firstForeignCommit(root: string, commits: string[]): Promise<string | null> {
  for (const c of commits) {
    const r = await git(root, ['show', '--no-renames', '--name-only', '-z', '--format=%s%x00', c]);
    const [subject, ...paths] = r.stdout.split('\0').map((s) => s.trim()).filter(Boolean);
    const ok = paths.every((p) => isOrchPath(p) || (p === '.gitignore' && subject?.startsWith('orch: init')));
    if (!ok || !subject?.startsWith('orch:')) return c;
  }
  return null;
}

async function lsTree(root: string, treeish: string): Promise<TreeMap> {
  const r = await git(root, ['ls-tree', '-r', '-z', '--full-tree', treeish, '--', ...ORCH_PATHS]);
  const map: TreeMap = new Map();
  for (const rec of r.stdout.split('\0')) {
    const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(rec);
    if (m) map.set(m[3]!, { mode: m[1]!, oid: m[2]! });
  }
  return map;
}

async function blob(root: string, oid: string): Promise<string> {
  return (await git(root, ['cat-file', 'blob', oid])).stdout;
}

/** Build the replayed commits in a private index; returns the new tip. */
async function replay(root: string, up: string, ahead: string[], dropped: string[], renumbered: { from: string; to: string }[]): Promise<string> {
  const base = (await git(root, ['merge-base', up, ahead[0]!])).stdout.trim();
  const commits: LocalCommit[] = [];
  for (const oid of ahead) {
    commits.push({ oid, message: (await git(root, ['log', '-1', '--format=%B', oid])).stdout, parent: await lsTree(root, `${oid}^`), tree: await lsTree(root, oid) });
  }
  const idCache = new Map<string, string | undefined>();
  const contentIds = async (maps: TreeMap[]) => {
    for (const m of maps) for (const [p, e] of m) {
      if (!p.startsWith('tasks/') || idFromFileName(p.split('/').pop()!) || idCache.has(e.oid)) continue;
      idCache.set(e.oid, idFromText(await blob(root, e.oid)));
    }
  };
  const baseMap = await lsTree(root, base);
  const upMap = await lsTree(root, up);
  await contentIds([baseMap, upMap, ...commits.flatMap((c) => [c.parent, c.tree])]);
  const idOf = (p: string, e: Entry) => idFromFileName(p.split('/').pop()!) ?? idCache.get(e.oid);
  const nextFree = (id: string, taken: Set<string>) => nextId(id.replace(/-[0-9]+$/, ''), taken);
  const steps = planReplay(baseMap, upMap, commits, idOf, nextFree);
  const env = { GIT_INDEX_FILE: join(root, RUN_DIR, 'sync-index') };
  await git(root, ['read-tree', up], { env });
  let tip = up;
  let tipTree = (await git(root, ['rev-parse', `${up}^{tree}`])).stdout.trim();
  for (const step of steps) {
    dropped.push(...step.dropped);
    renumbered.push(...step.renumbered);
    const info: string[] = [];
    for (const w of step.writes) {
      if (!w.entry) { info.push(`0 ${EMPTY}\t${w.path}`); continue; }
      let oid = w.entry.oid;
      if (w.rewriteId || (step.renames.size && TASK_PATH.test(w.path))) {
        const text = rewriteRefs(await blob(root, oid), step.renames, w.rewriteId);
        if (text !== null) oid = (await git(root, ['hash-object', '-w', '--stdin'], { input: text })).stdout.trim();
      }
      info.push(`${w.entry.mode} ${oid}\t${w.path}`);
    }
    if (info.length) await git(root, ['update-index', '-z', '--index-info'], { env, input: info.join('\0') + '\0' });
    const tree = (await git(root, ['write-tree'], { env })).stdout.trim();
    if (tree === tipTree) continue; // everything in it was dropped
    const who = (await git(root, ['log', '-1', '--format=%an%x00%ae%x00%aI', step.commit.oid])).stdout.trim().split('\0');
    const authorEnv = { ...(await identityEnv(root)), GIT_AUTHOR_NAME: who[0] ?? 'orch', GIT_AUTHOR_EMAIL: who[1] ?? 'orch@localhost', GIT_AUTHOR_DATE: who[2] ?? '' };
    tip = (await git(root, ['commit-tree', tree, '-p', tip, '-F', '-'], { input: replayMessage(step.commit.message, step), env: authorEnv })).stdout.trim();
    tipTree = tree;
  }
  return tip;
}

/** Move HEAD from `from` to `to`, updating the work tree like a checkout: the human's unrelated changes stay. */
async function moveHead(root: string, from: string, to: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  // Fresh stat data first: a file orch rewrote with the same bytes must not look "not uptodate".
  await git(root, ['update-index', '-q', '--refresh'], { reject: false });
  const r = await git(root, ['read-tree', '-m', '-u', from, to], { reject: false });
  if (r.exitCode !== 0) {
    return { ok: false, reason: `the remote changed files you have local changes in; commit or stash them, then run orch sync (${r.stderr.trim().split('\n')[0]})` };
  }
  await git(root, ['update-ref', '-m', 'orch sync', 'HEAD', to, from]);
  return { ok: true };
}

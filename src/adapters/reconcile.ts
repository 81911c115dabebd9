import { existsSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { commitMessage, planChanges, type Change, type FileChange } from '../core/changes.js';
import { CONFIG_PATH, parseConfig, type Config } from '../core/config.js';
import { updateFrontmatter } from '../core/frontmatter.js';
import { idFromFileName, idFromText } from '../core/ids.js';
import { findDuplicates, planStatusMoves, usableTasks } from '../core/integrity.js';
import { heldBack } from '../core/quarantine.js';
import type { Problem } from '../core/result.js';
import { renderStatus } from '../core/status-render.js';
import type { Task } from '../core/task.js';
import { standingMessagesSync } from './alert-board.js';
import { loadStatusMemo, saveStatusMemo } from './status-memo.js';
import { commitStaged, HeadMovedError, lastExcluded, resetPrivateIndex, stage } from './committer.js';
import { git } from './git.js';
import type { Logger } from './logger.js';
import { STATUS_FILE } from './paths.js';
import { readRecords } from './records.js';
import { now, trace } from './trace.js';
import { TaskStore, writeAtomic, writeIfChanged, type TaskScan } from './store.js';

export interface ReconcileOptions {
  cfg: Config;
  store?: TaskStore;
  /** Extra words per task id for the commit body (`--note`, `--reason`). */
  notes?: Record<string, string>;
  subject?: string;
  alerts?: string[];
  log?: Logger;
  /**
   * Only these workspace-relative files can have changed (the daemon's event hint): stage just
   * them instead of every orch path — at 100 000 task files that is most of a round. Omit it to
   * compare the whole orch tree with HEAD (verbs, `--once`, the daemon's sweeps).
   */
  paths?: string[];
  /** Non-orch paths the human asked to include (only `orch init`'s .gitignore). */
  extraPaths?: string[];
  /** The daemon: sync the human's index beside the next round instead of before returning (committer.ts). */
  deferIndexSync?: boolean;
}

export interface ReconcileResult {
  commit: string | null;
  changes: Change[];
  tasks: Task[];
  invalid: Problem[];
  statusWritten: boolean;
}

/**
 * One level-triggered round: make the workspace consistent (status edits become
 * moves), re-render ORCHESTRATION_STATUS.md, and commit every orch-path
 * difference from HEAD in one commit. Call it with the commit lock held.
 */
export async function reconcile(root: string, opts: ReconcileOptions): Promise<ReconcileResult> {
  const store = opts.store ?? new TaskStore(root);
  let t0 = now();
  let scan = await store.scan();
  trace('round: scan', t0);
  const moves = planStatusMoves(usableTasks(scan.tasks, findDuplicates(scan.tasks)));
  if (moves.length) {
    // `status:` disagrees with the folder. If HEAD has the file at this very path,
    // the key was edited: that is the intent, move the file. Otherwise the file
    // itself was moved (or is new): the folder is the truth, the key follows it.
    const inHead = await pathsInHead(root, moves.map((m) => m.from));
    for (const m of moves) {
      if (inHead.has(m.from)) {
        if (existsSync(join(root, m.to))) continue;
        await rename(join(root, m.from), join(root, m.to));
        opts.log?.info(`status edit ${m.id}: moved ${m.from} -> ${m.to}`);
      } else {
        const folder = m.from.split('/')[1]!;
        await writeAtomic(join(root, m.from), updateFrontmatter(await readFile(join(root, m.from), 'utf8'), { status: folder }));
        opts.log?.info(`moved by hand ${m.id}: status key set to ${folder}`);
      }
    }
    scan = await store.scan();
  }
  t0 = now();
  const { tasks, invalid } = usableOf(scan, opts.cfg);
  const records = await readRecords(root, opts.cfg);
  loadStatusMemo(root);
  const status = renderStatus({
    tasks, invalid, agents: records,
    orchestrator: records.find((r) => r.role === 'orchestrator')?.agent ?? opts.cfg.orchestrator,
    // Standing monitor alerts (`.orch/run/alerts.json`) unless the caller passes its own, so every
    // writer of the status file renders the same Alerts section.
    backup: opts.cfg.backup_orchestrator, alerts: opts.alerts ?? standingMessagesSync(root),
  });
  const statusWritten = await writeIfChanged(join(root, STATUS_FILE), status);
  if (statusWritten) saveStatusMemo(root);
  trace('round: render and write status', t0);
  if (!opts.cfg.git.commit) return { commit: null, changes: [], tasks, invalid, statusWritten };

  const exclude = await excluded(root, invalid);
  // The daemon's hinted rounds stage only the paths their events named (plus the status file and
  // any file moved above); its periodic full sweep and every other caller compare everything.
  const only = opts.paths && [...opts.paths, STATUS_FILE, ...moves.flatMap((m) => [m.from, m.to])];
  let changes: Change[];
  let commit: string;
  for (let attempt = 1; ; attempt++) {
    const staged = await stage(root, exclude, opts.extraPaths, only);
    if (!staged.files.length) return { commit: null, changes: [], tasks, invalid, statusWritten };
    changes = await describe(root, staged.files, tasks, store);
    const message = commitMessage(changes, opts.notes, opts.subject);
    t0 = now();
    try {
      commit = await commitStaged(root, staged, message, opts.cfg.git.no_verify, opts.deferIndexSync);
      break;
    } catch (e) {
      // A commit made beside orch's (by the human) moved HEAD: stage again on top of it.
      if (!(e instanceof HeadMovedError) || attempt >= 5) throw e;
      opts.log?.info('HEAD moved during the commit (a commit made beside orch): staging again on the new HEAD');
    }
  }
  trace('round: commit and index sync', t0);
  const short = commit.slice(0, 7);
  opts.log?.write('INFO', changes.map((c) => `commit ${c.id ? `${c.id} ${c.from} -> ${c.to}` : `${c.kind} ${c.path}`} ${short}`));
  return { commit, changes, tasks, invalid, statusWritten };
}

/** The staged files as task changes (moves, new, edits, removals) for the commit message and the log. */
async function describe(root: string, files: FileChange[], tasks: Task[], store: TaskStore): Promise<Change[]> {
  // A hinted round stages a handful of files: look them up in the store, not through maps of every task.
  const byPath = files.length <= 64 ? store.tasksAt(files.map((f) => f.path)) : new Map(tasks.map((t) => [t.path, t]));
  const headIds = await headIdsFor(root, files.filter((f) => f.status === 'D').map((f) => f.path));
  const agentOf = new Map([...byPath.values()].map((t) => [t.id, t.agent]));
  return planChanges(files, {
    idAt: (p) => byPath.get(p)?.id,
    headIdAt: (p) => headIds.get(p),
    agentOf: (id) => agentOf.get(id),
  });
}

/** The tasks a round works with, and the files it must not commit (broken, or held back: SPEC §4). */
function usableOf(scan: TaskScan, cfg: Config): { tasks: Task[]; invalid: Problem[] } {
  const { held, usable } = heldBack(scan.tasks, Object.keys(cfg.agents));
  return { tasks: usable, invalid: [...scan.invalid, ...held] };
}

async function excluded(root: string, invalid: Problem[]): Promise<string[]> {
  const exclude = [...new Set(invalid.map((p) => p.path))];
  if (!(await configIsValid(root))) exclude.push(CONFIG_PATH);
  return exclude;
}

/**
 * Would a round commit anything? Stages every orch path (minus what a round
 * excludes) into orch's private index and compares it with HEAD — what the
 * round itself does first, without rendering the status. A verb asks before
 * its own change so earlier hand changes get their own commit; when the
 * answer is no (the usual case) the private index already equals HEAD.
 *
 * git stages while this process scans the task files (two cores, not one after
 * the other): it starts with the files the last staging left out, and when the
 * scan finds another set of broken files the private index is rebuilt from
 * HEAD and staged again with the right ones.
 */
export async function hasUncommitted(root: string, cfg: Config, store: TaskStore): Promise<boolean> {
  if (!cfg.git.commit) return false;
  const guess = lastExcluded(root);
  let spawned!: () => void;
  const started = new Promise<void>((res) => { spawned = res; });
  const early = stage(root, guess, [], undefined, spawned);
  await Promise.race([started, early]);
  const t0 = now();
  const { invalid } = usableOf(await store.scan(), cfg);
  trace('pre-check: scan', t0);
  const want = await excluded(root, invalid);
  const staged = await early;
  if (sameSet(want, guess)) return staged.files.length > 0;
  resetPrivateIndex(root);
  return (await stage(root, want)).files.length > 0;
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

async function pathsInHead(root: string, paths: string[]): Promise<Set<string>> {
  const r = await git(root, ['ls-tree', '--name-only', '-z', 'HEAD', '--', ...paths.map((p) => `:(literal)${p}`)], { reject: false });
  return new Set(r.exitCode === 0 ? r.stdout.split('\0').filter(Boolean) : []);
}

async function configIsValid(root: string): Promise<boolean> {
  const text = await readFile(join(root, CONFIG_PATH), 'utf8').catch(() => undefined);
  return text !== undefined && parseConfig(text, basename(root)).ok;
}

/** Ids of deleted task files, from the file name or else from HEAD's copy. */
async function headIdsFor(root: string, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unknown: string[] = [];
  for (const p of paths) {
    const id = idFromFileName(p.split('/').pop()!);
    if (id) out.set(p, id); else if (p.startsWith('tasks/')) unknown.push(p);
  }
  if (unknown.length) {
    const r = await git(root, ['cat-file', '--batch'], { input: unknown.map((p) => `HEAD:${p}`).join('\n') + '\n', reject: false });
    const blobs = r.stdout.split(/^[0-9a-f]{40} blob \d+\n/m).slice(1);
    unknown.forEach((p, i) => {
      const id = idFromText(blobs[i] ?? '');
      if (id) out.set(p, id);
    });
  }
  return out;
}

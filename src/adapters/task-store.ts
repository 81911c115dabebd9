import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { isIgnoredName, RUN_DIR, stateOfPath, TASKS_DIR } from './paths.js';
import { loadScanCache, saveScanCache, type CacheEntry } from './scan-cache.js';
import type { Problem } from '../core/result.js';
import { STATES, type State } from '../core/states.js';
import { MAX_TASK_BYTES, parseTask, problem, relocated, type Task } from '../core/task.js';

interface Entry { key: string; task?: Task; errors?: Problem[] }

/** What the folders hold right now: valid tasks and the files that are not. */
export interface TaskScan {
  tasks: Task[];
  /** Files that failed to parse or validate (never committed, never dispatched). */
  invalid: Problem[];
  /** Paths (relative) of every file considered a task file, valid or not. */
  files: string[];
}

export interface StoreOptions {
  /** Use and update `.orch/run/scan-cache.v2.json`, shared by every orch process of the workspace (default true). */
  shared?: boolean;
  /**
   * The daemon: rewrite the shared cache after the first scan, then at most this often. Without it (one-shot
   * commands) the cache is rewritten only once it misses enough files to matter (SAVE_AFTER_MISSES).
   */
  saveEveryMs?: number;
}

/** The daemon rewrites the shared cache at most this often. */
export const DAEMON_CACHE_SAVE_MS = 10 * 60_000;

/** A one-shot command rewrites the shared cache (2.6 MB at 10 000 tasks, tens of ms) only when it missed this many files. */
const SAVE_AFTER_MISSES = 64;

const byPathLine = (a: Problem, b: Problem): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0));
const statKey = (st: Stats): string => `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
/** What a rename keeps: same inode, size and mtime (only ctime moves). */
const renameKey = (key: string): string => key.slice(0, key.lastIndexOf(':'));

/**
 * Reads tasks/*\/*.md: valid tasks, and the files that are not (symlinks are
 * reported, never followed). Files are keyed by stat (inode, size, mtime,
 * ctime) and parsed again only when it changed — in memory between scans, and
 * across processes through the shared scan cache. Used by every command and by
 * the daemon:
 *
 * - **hinted scans**: between full scans, a round re-reads only the paths its
 *   events named (a few lstat calls instead of readdir + lstat of 100 000 files);
 * - **moves are not re-parsed**: a file that reappears under another name or
 *   folder with the same inode, size and mtime (what `mv` and `rename(2)` keep)
 *   reuses the parsed task with its new path and state — a burst of 1 000 moves
 *   parses nothing;
 * - full scans (first round, sweeps) key every file by stat and share
 *   `.orch/run/scan-cache.v2.json` with the one-shot commands, so a restart at
 *   100 000 files stats them instead of parsing them.
 *
 * Correctness does not depend on the hint: git still compares the whole orch
 * tree with HEAD every round, and the periodic full sweep re-reads anything an
 * event failed to name.
 */
export class TaskStore {
  private entries: Map<string, Entry> | null = null;
  /** `null`: every scan of this round is a full one. */
  private hint: Set<string> | null = null;
  private last: TaskScan | null = null;
  private savedAt = 0;
  /** Files parsed and stale rows dropped since the shared cache was loaded or saved. */
  private misses = 0;
  private parsed = 0;
  private readonly shared: boolean;
  private readonly saveEveryMs: number | undefined;

  /** `opts === false`: read everything, touch nothing (no shared cache). */
  constructor(readonly root: string, opts: StoreOptions | boolean = true) {
    const o = typeof opts === 'boolean' ? { shared: opts } : opts;
    this.shared = o.shared ?? true;
    this.saveEveryMs = o.saveEveryMs;
  }

  /**
   * Say what the coming scans should look at: `null` = everything. A hint is
   * honoured only once a full scan has been made (the first scan is full).
   */
  lookAt(paths: Iterable<string> | null): void {
    if (paths === null || this.entries === null) { this.hint = null; return; }
    this.hint = new Set([...paths].filter((p) => stateOfPath(p) !== undefined));
  }

  /** The valid tasks the last scan found at these paths (a lookup, no disk access). */
  tasksAt(paths: Iterable<string>): Map<string, Task> {
    const out = new Map<string, Task>();
    for (const p of paths) {
      const t = this.entries?.get(p)?.task;
      if (t) out.set(p, t);
    }
    return out;
  }

  /**
   * Synchronous work behind a promise on purpose: for thousands of small files, sync
   * reads are several times faster than fs/promises (no per-call promise and
   * thread-pool hop), and a scan is one short burst of work.
   */
  async scan(): Promise<TaskScan> {
    return this.hint === null || this.entries === null ? this.full() : this.hinted(this.hint);
  }

  private full(): TaskScan {
    const old = this.entries ?? (this.shared ? (loadScanCache(this.root) as Map<string, Entry>) : new Map<string, Entry>());
    const next = new Map<string, Entry>();
    const toRead: { rel: string; state: State; key: string }[] = [];
    for (const state of STATES) {
      let names: string[];
      try { names = readdirSync(join(this.root, TASKS_DIR, state)); } catch { continue; }
      names.sort();
      // The hot loop of every cold command (10 000 lstat calls): one absolute prefix, no per-file join.
      const dir = `${join(this.root, TASKS_DIR, state)}/`;
      const relDir = `${TASKS_DIR}/${state}/`;
      for (const name of names) {
        if (!candidate(name)) continue;
        const key = statKeyOf(dir + name);
        if (key === undefined || key === SKIP) continue;
        const rel = relDir + name;
        const hit = old.get(rel);
        if (hit && hit.key === key) next.set(rel, hit);
        else { next.set(rel, { key }); toRead.push({ rel, state, key }); }
      }
    }
    const gone = new Map<string, Entry>();
    for (const [p, e] of old) if (!next.has(p) && e.task) gone.set(renameKey(e.key), e);
    for (const r of toRead) {
      const e = this.readOrReuse(r.rel, r.state, r.key, gone);
      if (e) next.set(r.rel, e); else next.delete(r.rel);
    }
    let stale = 0;
    for (const p of old.keys()) if (!next.has(p)) stale++;
    this.misses += this.parsed + stale;
    this.parsed = 0;
    this.entries = next;
    this.maybeSave(toRead.length > 0 || stale > 0);
    return this.snapshot();
  }

  private hinted(hint: Set<string>): TaskScan {
    const entries = this.entries!;
    const present: { rel: string; state: State; key: string }[] = [];
    const gone = new Map<string, Entry>();
    let changed = false;
    for (const rel of hint) {
      const name = rel.split('/').pop()!;
      const state = stateOfPath(rel)!;
      const key = candidate(name) ? statKeyOf(join(this.root, rel)) : undefined;
      const had = entries.get(rel);
      if (key === undefined || key === SKIP) {
        if (had) { entries.delete(rel); changed = true; if (had.task) gone.set(renameKey(had.key), had); }
        continue;
      }
      if (had && had.key === key) continue;
      present.push({ rel, state, key });
    }
    for (const p of present) {
      const e = this.readOrReuse(p.rel, p.state, p.key, gone);
      changed = true;
      if (!e) { entries.delete(p.rel); continue; }
      entries.set(p.rel, e);
      // A `status:` edit moves the file during this round: the next scan must look at its new place.
      if (e.task?.status && e.task.status !== e.task.state) hint.add(`tasks/${e.task.status}/${p.rel.split('/').pop()!}`);
    }
    this.misses += this.parsed;
    this.parsed = 0;
    if (this.saveEveryMs === undefined) this.maybeSave(changed);
    return changed || !this.last ? this.snapshot() : this.last;
  }

  /**
   * Serializing 100 000 rows is a 50 MB string, so the shared cache is rewritten
   * sparingly: by the daemon on its first scan and then at most every
   * `saveEveryMs`; by a one-shot command once the cache missed enough files. A
   * cache that is behind only costs a few parses: a row is used only when the
   * file's stat key still matches.
   */
  private maybeSave(dirty: boolean): void {
    if (!this.shared || !dirty) return;
    const due = this.saveEveryMs !== undefined ? Date.now() - this.savedAt > this.saveEveryMs || this.savedAt === 0 : this.misses >= SAVE_AFTER_MISSES;
    if (!due || !existsSync(join(this.root, RUN_DIR))) return;
    this.savedAt = Date.now();
    this.misses = 0;
    try { saveScanCache(this.root, this.entries as Map<string, CacheEntry>); } catch { /* a cache only */ }
  }

  private snapshot(): TaskScan {
    const tasks: Task[] = [];
    const invalid: Problem[] = [];
    for (const e of this.entries!.values()) {
      if (e.task) tasks.push(e.task);
      if (e.errors) invalid.push(...e.errors);
    }
    // Alerts are rendered in this order: keep it stable whatever order the files were read in.
    invalid.sort(byPathLine);
    this.last = { tasks, invalid, files: [...this.entries!.keys()] };
    return this.last;
  }

  private readOrReuse(rel: string, state: State, key: string, gone: Map<string, Entry>): Entry | undefined {
    const moved = key !== 'symlink' ? gone.get(renameKey(key)) : undefined;
    if (moved?.task) {
      gone.delete(renameKey(key));
      return { key, task: relocated(moved.task, rel, state) };
    }
    this.parsed++;
    const r = readTask(this.root, rel, state, key);
    return r && { key, ...r };
  }
}


const SKIP = 'skip';

/** A file's stat key ('symlink' for a symlink), SKIP for a folder, undefined when it is gone. */
function statKeyOf(abs: string): string | undefined {
  let st: Stats | undefined;
  try { st = lstatSync(abs, { throwIfNoEntry: false }); } catch { return undefined; /* unreadable: as gone */ }
  if (!st) return undefined;
  if (st.isDirectory()) return SKIP;
  if (st.isSymbolicLink()) return 'symlink';
  return statKey(st);
}

function candidate(name: string): boolean {
  return !isIgnoredName(name) && name.endsWith('.md');
}

/** The same rules as TaskStore's scan, for one file. */
function readTask(root: string, rel: string, state: State, key: string): { task?: Task; errors?: Problem[] } | undefined {
  const name = rel.split('/').pop()!;
  if (key === 'symlink') return { errors: [problem(rel, 'symlink', 'task files may not be symlinks (they are never followed); replace it with a regular file')] };
  if (/[\n\r\t]/.test(name)) return { errors: [problem(rel, 'filename', 'file name contains a newline or tab; rename it to `<ID>-<slug>.md`')] };
  let buf: Buffer;
  try { buf = readFileSync(join(root, rel)); } catch { return undefined; /* vanished since its lstat: gone */ }
  if (buf.length > MAX_TASK_BYTES) {
    return { errors: [problem(rel, 'size', `file is ${(buf.length / 1048576).toFixed(1)} MB; a task file may be at most ${MAX_TASK_BYTES / 1024} KB — move large material elsewhere and link it`)] };
  }
  const r = parseTask(rel, buf.toString('utf8'), state);
  return r.ok ? { task: r.value } : { errors: r.errors };
}

export async function scanTasks(root: string): Promise<TaskScan> {
  return new TaskStore(root).scan();
}

import { existsSync, lstatSync, readdirSync, readFileSync, type Dirent, type Stats } from 'node:fs';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { MAX_TASK_BYTES, problem, parseTask, type Task } from '../core/task.js';
import type { Problem } from '../core/result.js';
import { STATES, type State } from '../core/states.js';
import { isIgnoredName, RUN_DIR, TASKS_DIR } from './paths.js';
import { loadScanCache, saveScanCache, type CacheEntry } from './scan-cache.js';


/** What the folders hold right now: valid tasks and the files that are not. */
export interface TaskScan {
  tasks: Task[];
  /** Files that failed to parse or validate (never committed, never dispatched). */
  invalid: Problem[];
  /** Paths (relative) of every file considered a task file, valid or not. */
  files: string[];
}

/**
 * Reads tasks/*\/*.md. With a cache (the daemon keeps one), only files whose
 * stat changed are read again, so a round over 100 000 files stays cheap.
 * Symlinks are reported, never followed.
 */
export class TaskStore {
  private cache = new Map<string, CacheEntry>();
  private loaded = false;
  private dirty = false;
  /**
   * `cached` (default): files are keyed by stat and parsed again only when it
   * changed — in memory between scans (the daemon) and across processes through
   * `.orch/run/scan-cache.v1.json`. `false`: read everything, touch nothing.
   */
  constructor(readonly root: string, private readonly cached = true) {}

  /**
   * Synchronous on purpose: for thousands of small files, sync reads are several
   * times faster than fs/promises (no per-call promise and thread-pool hop), and a
   * scan is one short burst of work. The daemon's cache keeps later rounds cheap.
   */
  async scan(): Promise<TaskScan> {
    const tasks: Task[] = [];
    const invalid: Problem[] = [];
    const files: string[] = [];
    const seen = new Set<string>();
    if (this.cached && !this.loaded) {
      this.loaded = true;
      this.cache = loadScanCache(this.root);
    }
    for (const state of STATES) {
      let entries: Dirent[];
      try { entries = readdirSync(join(this.root, TASKS_DIR, state), { withFileTypes: true }); } catch { continue; }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const ent of entries) {
        const r = this.readOne(state, ent);
        if (!r) continue;
        seen.add(r.path);
        files.push(r.path);
        if (r.task) tasks.push(r.task);
        if (r.errors) invalid.push(...r.errors);
      }
    }
    for (const k of this.cache.keys()) if (!seen.has(k)) { this.cache.delete(k); this.dirty = true; }
    if (this.dirty && existsSync(join(this.root, RUN_DIR))) {
      saveScanCache(this.root, this.cache);
      this.dirty = false;
    }
    return { tasks, invalid, files };
  }

  private readOne(state: State, ent: Dirent): ({ path: string } & CacheEntry) | undefined {
    const name = ent.name;
    if (isIgnoredName(name) || !name.endsWith('.md') || ent.isDirectory()) return undefined;
    const rel = `${TASKS_DIR}/${state}/${name}`;
    const abs = join(this.root, rel);
    if (ent.isSymbolicLink()) {
      return { path: rel, key: 'symlink', errors: [problem(rel, 'symlink', 'task files may not be symlinks (they are never followed); replace it with a regular file')] };
    }
    let key = '';
    if (this.cached) {
      let st: Stats;
      try { st = lstatSync(abs); } catch { return undefined; }
      key = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
      const hit = this.cache.get(rel);
      if (hit && hit.key === key) return { path: rel, ...hit };
    }
    let entry: CacheEntry;
    if (/[\n\r\t]/.test(name)) {
      entry = { key, errors: [problem(rel, 'filename', 'file name contains a newline or tab; rename it to `<ID>-<slug>.md`')] };
    } else {
      let buf: Buffer;
      try { buf = readFileSync(abs); } catch { return undefined; }
      entry = buf.length > MAX_TASK_BYTES
        ? { key, errors: [problem(rel, 'size', `file is ${(buf.length / 1048576).toFixed(1)} MB; a task file may be at most ${MAX_TASK_BYTES / 1024} KB — move large material elsewhere and link it`)] }
        : (() => { const r = parseTask(rel, buf.toString('utf8'), state); return r.ok ? { key, task: r.value } : { key, errors: r.errors }; })();
    }
    if (this.cached) { this.cache.set(rel, entry); this.dirty = true; }
    return { path: rel, ...entry };
  }
}

export async function scanTasks(root: string): Promise<TaskScan> {
  return new TaskStore(root).scan();
}

/** Atomic write (temp file + rename): readers never see half a file. */
export async function writeAtomic(abs: string, data: string): Promise<void> {
  await mkdir(dirname(abs), { recursive: true });
  await writeFileAtomic(abs, data, { fsync: false });
}

/**
 * A JSON file's value, or `fallback` when it is missing, unreadable or not
 * JSON: readers of orch's volatile files in `.orch/run/` tolerate a file that
 * is absent or half-written by another process.
 */
export async function readJson<T>(abs: string, fallback: T): Promise<T> {
  try { return JSON.parse(await readFile(abs, 'utf8')) as T; } catch { return fallback; }
}

/** `readJson` for the few callers that must stay synchronous. */
export function readJsonSync<T>(abs: string, fallback: T): T {
  try { return JSON.parse(readFileSync(abs, 'utf8')) as T; } catch { return fallback; }
}

/** `value` as pretty JSON with a final newline, written atomically. */
export async function writeJson(abs: string, value: unknown): Promise<void> {
  await writeAtomic(abs, `${JSON.stringify(value, null, 2)}\n`);
}

/** Write only when the bytes differ; returns whether it wrote. */
export async function writeIfChanged(abs: string, data: string): Promise<boolean> {
  try {
    if ((await readFile(abs, 'utf8')) === data) return false;
  } catch { /* absent */ }
  await writeAtomic(abs, data);
  return true;
}

/**
 * Move a task file to another state folder, rewriting frontmatter keys first
 * when needed. The new content is written at the destination atomically, then
 * the source is removed, so a crash leaves at worst both (doctor repairs it),
 * never neither.
 */
export async function moveTaskFile(root: string, fromRel: string, toRel: string, newText?: string): Promise<void> {
  const from = join(root, fromRel);
  const to = join(root, toRel);
  await mkdir(dirname(to), { recursive: true });
  if (newText === undefined) {
    await rename(from, to);
    return;
  }
  if (fromRel === toRel) {
    await writeAtomic(to, newText);
    return;
  }
  await writeAtomic(to, newText);
  await unlink(from);
}

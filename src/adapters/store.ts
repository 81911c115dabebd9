import { lstat, mkdir, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { problem, parseTask, type Task } from '../core/task.js';
import type { Problem } from '../core/result.js';
import { STATES, type State } from '../core/states.js';
import { isIgnoredName, TASKS_DIR } from './paths.js';

/** One task file on disk as last read: its stat key decides whether to re-read it. */
interface CacheEntry { key: string; task?: Task; errors?: Problem[] }

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
  constructor(readonly root: string) {}

  async scan(): Promise<TaskScan> {
    const tasks: Task[] = [];
    const invalid: Problem[] = [];
    const files: string[] = [];
    const seen = new Set<string>();
    for (const state of STATES) {
      const dir = join(this.root, TASKS_DIR, state);
      let names: string[];
      try { names = await readdir(dir); } catch { continue; }
      names.sort();
      const results = await mapLimit(names, 64, (name) => this.readOne(state, name));
      for (const r of results) {
        if (!r) continue;
        seen.add(r.path);
        files.push(r.path);
        if (r.task) tasks.push(r.task);
        if (r.errors) invalid.push(...r.errors);
      }
    }
    for (const k of this.cache.keys()) if (!seen.has(k)) this.cache.delete(k);
    return { tasks, invalid, files };
  }

  private async readOne(state: State, name: string): Promise<({ path: string } & CacheEntry) | undefined> {
    if (isIgnoredName(name)) return undefined;
    const rel = `${TASKS_DIR}/${state}/${name}`;
    const abs = join(this.root, rel);
    let st;
    try { st = await lstat(abs); } catch { return undefined; }
    if (st.isDirectory()) return undefined;
    if (!name.endsWith('.md')) return undefined;
    if (st.isSymbolicLink()) {
      return { path: rel, key: 'symlink', errors: [problem(rel, 'symlink', 'task files may not be symlinks (they are never followed); replace it with a regular file')] };
    }
    const key = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    const hit = this.cache.get(rel);
    if (hit && hit.key === key) return { path: rel, ...hit };
    let entry: CacheEntry;
    if (/[\n\r\t]/.test(name)) {
      entry = { key, errors: [problem(rel, 'filename', 'file name contains a newline or tab; rename it to `<ID>-<slug>.md`')] };
    } else if (st.size > 1024 * 1024) {
      entry = { key, errors: [problem(rel, 'size', `file is ${(st.size / 1048576).toFixed(1)} MB; a task file may be at most 1 MB — move large material elsewhere and link it`)] };
    } else {
      let text: string;
      try { text = await readFile(abs, 'utf8'); } catch { return undefined; }
      const r = parseTask(rel, text, state);
      entry = r.ok ? { key, task: r.value } : { key, errors: r.errors };
    }
    this.cache.set(rel, entry);
    return { path: rel, ...entry };
  }
}

export async function scanTasks(root: string): Promise<TaskScan> {
  return new TaskStore(root).scan();
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) {
      const idx = i++;
      out[idx] = await fn(items[idx]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Atomic write (temp file + rename): readers never see half a file. */
export async function writeAtomic(abs: string, data: string): Promise<void> {
  await mkdir(dirname(abs), { recursive: true });
  await writeFileAtomic(abs, data, { fsync: false });
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

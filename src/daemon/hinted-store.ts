import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { isIgnoredName, RUN_DIR, stateOfPath, TASKS_DIR } from '../adapters/paths.js';
import { loadScanCache, saveScanCache, type CacheEntry } from '../adapters/scan-cache.js';
import { TaskStore, type TaskScan } from '../adapters/store.js';
import { splitFrontmatter } from '../core/frontmatter.js';
import type { Problem } from '../core/result.js';
import { STATES, type State } from '../core/states.js';
import { MAX_TASK_BYTES, parseTask, problem, type Task } from '../core/task.js';

interface Entry { key: string; task?: Task; errors?: Problem[] }

const SAVE_EVERY_MS = 10 * 60_000;

const byPathLine = (a: Problem, b: Problem): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0));
const statKey = (st: Stats): string => `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
/** What a rename keeps: same inode, size and mtime (only ctime moves). */
const renameKey = (key: string): string => key.slice(0, key.lastIndexOf(':'));

/**
 * The daemon's task store. Same rules and results as TaskStore's scan, plus:
 *
 * - **hinted rounds**: between full scans, a round re-reads only the paths its
 *   events named (a few lstat calls instead of readdir + lstat of 100 000 files);
 * - **moves are not re-parsed**: a file that reappears under another name or
 *   folder with the same inode, size and mtime (what `mv` and `rename(2)` keep)
 *   reuses the parsed task with its new path and state — a burst of 1 000 moves
 *   parses nothing;
 * - full scans (first round, sweeps) key every file by stat and share
 *   `.orch/run/scan-cache.v1.json` with the one-shot commands, so a restart at
 *   100 000 files stats them instead of parsing them.
 *
 * Correctness does not depend on the hint: git still compares the whole orch
 * tree with HEAD every round, and the periodic full sweep re-reads anything an
 * event failed to name.
 */
export class HintedTaskStore extends TaskStore {
  private entries: Map<string, Entry> | null = null;
  /** `null`: every scan of this round is a full one. */
  private hint: Set<string> | null = null;
  private last: TaskScan | null = null;
  private savedAt = 0;

  constructor(root: string) { super(root, false); }

  /** Say what the scans of the coming round should look at: `null` = everything. */
  lookAt(paths: Iterable<string> | null): void {
    if (paths === null || this.entries === null) { this.hint = null; return; }
    this.hint = new Set([...paths].filter((p) => stateOfPath(p) !== undefined));
  }

  override async scan(): Promise<TaskScan> {
    return this.hint === null || this.entries === null ? this.full() : this.hinted(this.hint);
  }

  private full(): TaskScan {
    const old = this.entries ?? (loadScanCache(this.root) as Map<string, Entry>);
    const next = new Map<string, Entry>();
    const toRead: { rel: string; state: State; key: string }[] = [];
    for (const state of STATES) {
      let names: string[];
      try { names = readdirSync(join(this.root, TASKS_DIR, state)); } catch { continue; }
      names.sort();
      for (const name of names) {
        if (!candidate(name)) continue;
        const rel = `${TASKS_DIR}/${state}/${name}`;
        const st = this.stat(rel);
        if (!st) continue;
        if (st === 'skip') continue;
        const hit = old.get(rel);
        if (hit && hit.key === st.key) next.set(rel, hit);
        else { next.set(rel, { key: st.key }); toRead.push({ rel, state, key: st.key }); }
      }
    }
    const gone = new Map<string, Entry>();
    for (const [p, e] of old) if (!next.has(p) && e.task) gone.set(renameKey(e.key), e);
    for (const r of toRead) {
      const e = this.readOrReuse(r.rel, r.state, r.key, gone);
      if (e) next.set(r.rel, e); else next.delete(r.rel);
    }
    const dirty = toRead.length > 0 || old.size !== next.size;
    this.entries = next;
    // Serializing 100 000 rows is a 50 MB string: write the shared cache on the first scan and then at
    // most every 10 minutes (it only saves parsing at the next start; a stale row is never trusted).
    if (dirty && Date.now() - this.savedAt > SAVE_EVERY_MS && existsSync(join(this.root, RUN_DIR))) {
      this.savedAt = Date.now();
      try { saveScanCache(this.root, next as Map<string, CacheEntry>); } catch { /* a cache only */ }
    }
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
      const st = candidate(name) ? this.stat(rel) : undefined;
      const had = entries.get(rel);
      if (!st || st === 'skip') {
        if (had) { entries.delete(rel); changed = true; if (had.task) gone.set(renameKey(had.key), had); }
        continue;
      }
      if (had && had.key === st.key) continue;
      present.push({ rel, state, key: st.key });
    }
    for (const p of present) {
      const e = this.readOrReuse(p.rel, p.state, p.key, gone);
      changed = true;
      if (!e) { entries.delete(p.rel); continue; }
      entries.set(p.rel, e);
      // A `status:` edit moves the file during this round: the next scan must look at its new place.
      if (e.task?.status && e.task.status !== e.task.state) hint.add(`tasks/${e.task.status}/${p.rel.split('/').pop()!}`);
    }
    return changed || !this.last ? this.snapshot() : this.last;
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

  /** lstat as TaskStore does: undefined = gone, 'skip' = a folder; symlinks get a fixed key. */
  private stat(rel: string): { key: string; link?: true } | 'skip' | undefined {
    let st: Stats;
    try { st = lstatSync(join(this.root, rel)); } catch { return undefined; }
    if (st.isDirectory()) return 'skip';
    if (st.isSymbolicLink()) return { key: 'symlink', link: true };
    return { key: statKey(st) };
  }

  private readOrReuse(rel: string, state: State, key: string, gone: Map<string, Entry>): Entry | undefined {
    const moved = key !== 'symlink' ? gone.get(renameKey(key)) : undefined;
    if (moved?.task) {
      gone.delete(renameKey(key));
      return { key, task: relocate(this.root, moved.task, rel, state) };
    }
    const r = readTask(this.root, rel, state, key);
    return r && { key, ...r };
  }
}

/** The same task under its new path and state; a body not read yet (scan cache) stays lazy, read from the new path. */
function relocate(root: string, t: Task, path: string, state: State): Task {
  const { body, ...rest } = Object.getOwnPropertyDescriptors(t);
  const out = Object.defineProperties({}, rest) as Task;
  out.path = path;
  out.state = state;
  if (body?.get) {
    let text: string | undefined;
    Object.defineProperty(out, 'body', {
      enumerable: true,
      get(): string {
        if (text === undefined) {
          try { text = splitFrontmatter(readFileSync(join(root, path), 'utf8'))?.body ?? ''; } catch { text = ''; }
        }
        return text;
      },
    });
  } else out.body = t.body;
  return out;
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

import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIgnoredName, stateOfPath } from '../adapters/paths.js';
import { TaskStore, type TaskScan } from '../adapters/store.js';
import type { Problem } from '../core/result.js';
import { MAX_TASK_BYTES, parseTask, problem, type Task } from '../core/task.js';

interface Entry { task?: Task; errors?: Problem[] }

const byPathLine = (a: Problem, b: Problem): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0));

/**
 * The daemon's TaskStore: a full scan (readdir + lstat of every task file,
 * parsing only what changed) on the first round and on every sweep; between
 * sweeps, a round re-reads only the paths its events named. At 100 000 files
 * that turns a ~100 ms directory walk into a few stat calls.
 *
 * Correctness does not depend on the hint: git (`add -A` over the orch paths)
 * still compares the whole workspace with HEAD every round, and the periodic
 * full sweep re-reads anything an event failed to name.
 */
export class HintedTaskStore extends TaskStore {
  private entries: Map<string, Entry> | null = null;
  /** `null`: every scan of this round is a full one. */
  private hint: Set<string> | null = null;
  private last: TaskScan | null = null;

  /** Say what the scans of the coming round should look at: `null` = everything. */
  lookAt(paths: Iterable<string> | null): void {
    if (paths === null || this.entries === null) { this.hint = null; return; }
    this.hint = new Set([...paths].filter((p) => stateOfPath(p) !== undefined));
  }

  override async scan(): Promise<TaskScan> {
    if (this.hint === null || this.entries === null) {
      const s = await super.scan();
      s.invalid.sort(byPathLine);
      this.entries = new Map(s.files.map((p) => [p, {}]));
      for (const t of s.tasks) this.entries.set(t.path, { task: t });
      for (const p of s.invalid) {
        const e = this.entries.get(p.path) ?? {};
        this.entries.set(p.path, { ...e, errors: [...(e.errors ?? []), p] });
      }
      this.last = s;
      return s;
    }
    let changed = false;
    for (const p of [...this.hint]) {
      const e = this.read(p);
      const had = this.entries.has(p);
      if (e) this.entries.set(p, e); else if (had) this.entries.delete(p);
      changed ||= Boolean(e) || had;
      // A `status:` edit moves the file during this round: the next scan must look at its new place.
      if (e?.task?.status && e.task.status !== e.task.state) this.hint.add(`tasks/${e.task.status}/${p.split('/').pop()!}`);
    }
    if (!changed && this.last) return this.last;
    const tasks: Task[] = [];
    const invalid: Problem[] = [];
    for (const e of this.entries.values()) {
      if (e.task) tasks.push(e.task);
      if (e.errors) invalid.push(...e.errors);
    }
    // Alerts are rendered in this order: keep it stable whatever order the files were read in.
    invalid.sort(byPathLine);
    this.last = { tasks, invalid, files: [...this.entries.keys()] };
    return this.last;
  }

  /** The same rules as TaskStore's full scan, for one path. */
  private read(rel: string): Entry | undefined {
    const state = stateOfPath(rel);
    const name = rel.split('/').pop()!;
    if (!state || isIgnoredName(name) || !name.endsWith('.md')) return undefined;
    const abs = join(this.root, rel);
    let st;
    try { st = lstatSync(abs); } catch { return undefined; }
    if (st.isDirectory()) return undefined;
    if (st.isSymbolicLink()) return { errors: [problem(rel, 'symlink', 'task files may not be symlinks (they are never followed); replace it with a regular file')] };
    if (/[\n\r\t]/.test(name)) return { errors: [problem(rel, 'filename', 'file name contains a newline or tab; rename it to `<ID>-<slug>.md`')] };
    let buf: Buffer;
    try { buf = readFileSync(abs); } catch { return undefined; }
    if (buf.length > MAX_TASK_BYTES) {
      return { errors: [problem(rel, 'size', `file is ${(buf.length / 1048576).toFixed(1)} MB; a task file may be at most ${MAX_TASK_BYTES / 1024} KB — move large material elsewhere and link it`)] };
    }
    const r = parseTask(rel, buf.toString('utf8'), state);
    return r.ok ? { task: r.value } : { errors: r.errors };
  }
}

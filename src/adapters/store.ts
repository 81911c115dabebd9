import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../vendor/files.js';

export { TaskStore, scanTasks, type TaskScan, type StoreOptions } from './task-store.js';

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

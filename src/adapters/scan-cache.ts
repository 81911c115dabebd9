import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { splitFrontmatter } from '../core/frontmatter.js';
import type { Problem } from '../core/result.js';
import type { Task } from '../core/task.js';
import { RUN_DIR } from './paths.js';

/** One task file as last read; `key` (inode, size, mtime, ctime) decides whether to read it again. */
export interface CacheEntry { key: string; task?: Task; errors?: Problem[] }

type Row = [path: string, key: string, task: Omit<Task, 'body'> | null, errors: Problem[] | null];
const FILE = 'scan-cache.v1.json';

/**
 * A scan cache shared by every orch process of a workspace (`.orch/run/`), so
 * a one-shot command at 10 000 tasks stats the files instead of reading and
 * parsing them all. Bodies are not stored: a cached task reads its body from
 * its file on first access. An entry is used only when the file's stat key
 * still matches, so a stale or foreign cache can never hide a change.
 */
export function loadScanCache(root: string): Map<string, CacheEntry> {
  const map = new Map<string, CacheEntry>();
  let rows: Row[];
  try {
    const doc = JSON.parse(readFileSync(join(root, RUN_DIR, FILE), 'utf8')) as { rows?: Row[] };
    rows = Array.isArray(doc.rows) ? doc.rows : [];
  } catch {
    return map;
  }
  for (const [path, key, task, errors] of rows) {
    if (task) map.set(path, { key, task: withLazyBody(root, task) });
    else if (errors) map.set(path, { key, errors });
  }
  return map;
}

export function saveScanCache(root: string, map: Map<string, CacheEntry>): void {
  const rows: Row[] = [];
  for (const [path, e] of map) {
    if (!e.key || e.key === 'symlink') continue;
    if (e.task) {
      const { body: _body, ...rest } = Object.getOwnPropertyDescriptors(e.task);
      rows.push([path, e.key, Object.defineProperties({}, rest) as Omit<Task, 'body'>, null]);
    } else if (e.errors) rows.push([path, e.key, null, e.errors]);
  }
  try {
    writeFileAtomic.sync(join(root, RUN_DIR, FILE), JSON.stringify({ v: 1, rows }), { fsync: false });
  } catch { /* a cache that cannot be written only costs speed */ }
}

function withLazyBody(root: string, t: Omit<Task, 'body'>): Task {
  let body: string | undefined;
  return Object.defineProperty({ ...t }, 'body', {
    enumerable: true,
    get(): string {
      if (body === undefined) {
        try { body = splitFrontmatter(readFileSync(join(root, t.path), 'utf8'))?.body ?? ''; } catch { body = ''; }
      }
      return body;
    },
  }) as Task;
}

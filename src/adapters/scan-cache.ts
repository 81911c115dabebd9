import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../vendor/files.js';
import { splitFrontmatter } from '../core/frontmatter.js';
import type { Problem } from '../core/result.js';
import { taskFromData, type Task } from '../core/task.js';
import { RUN_DIR, stateOfPath } from './paths.js';

/** One task file as last read; `key` (inode, size, mtime, ctime) decides whether to read it again. */
export interface CacheEntry { key: string; task?: Task; errors?: Problem[] }

/** A valid file is stored as its frontmatter mapping only: the typed fields are derived again on load. */
type Row = [path: string, key: string, data: Record<string, unknown> | null, errors: Problem[] | null];
const FILE = 'scan-cache.v2.json';

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
  const reader = (path: string): string => readBody(root, path);
  for (const [path, key, data, errors] of rows) {
    const state = stateOfPath(path);
    if (!state) continue;
    if (data) map.set(path, { key, task: taskFromData(path, state, data, reader) });
    else if (errors) map.set(path, { key, errors });
  }
  return map;
}

export function saveScanCache(root: string, map: Map<string, CacheEntry>): void {
  const rows: Row[] = [];
  for (const [path, e] of map) {
    if (!e.key || e.key === 'symlink') continue;
    if (e.task) rows.push([path, e.key, e.task.data, null]);
    else if (e.errors) rows.push([path, e.key, null, e.errors]);
  }
  try {
    writeFileAtomic.sync(join(root, RUN_DIR, FILE), JSON.stringify({ v: 2, rows }), { fsync: false });
    rmSync(join(root, RUN_DIR, 'scan-cache.v1.json'), { force: true }); // the previous format's file
  } catch { /* a cache that cannot be written only costs speed */ }
}

/** A task's body read from its file (the cache stores none); '' when the file is gone. */
function readBody(root: string, path: string): string {
  try { return splitFrontmatter(readFileSync(join(root, path), 'utf8'))?.body ?? ''; } catch { return ''; }
}

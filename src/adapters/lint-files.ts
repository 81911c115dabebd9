import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { RawFile } from '../core/lint/types.js';
import { isState } from '../core/states.js';
import { MAX_TASK_BYTES } from '../core/task.js';
import { isIgnoredName, TASKS_DIR } from './paths.js';

/**
 * Everything under tasks/ that lint should look at, read without following
 * symlinks: `.md` files in and out of the state folders, symlinks, and odd
 * entries (a directory inside a state folder). Files over the size limit are
 * stat'ed, never read.
 */
export function readRawFiles(root: string): RawFile[] {
  const out: RawFile[] = [];
  const base = join(root, TASKS_DIR);
  let realRoot = root;
  try { realRoot = realpathSync(root); } catch { /* keep as given */ }
  for (const ent of list(base)) {
    const rel = `${TASKS_DIR}/${ent.name}`;
    if (ent.isDirectory()) {
      const state = isState(ent.name) ? ent.name : null;
      for (const sub of list(join(base, ent.name))) {
        const r = readEntry(root, realRoot, `${rel}/${sub.name}`, sub, state);
        if (r) out.push(r);
      }
    } else {
      const r = readEntry(root, realRoot, rel, ent, null);
      if (r) out.push(r);
    }
  }
  return out;
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch { return []; }
}

function readEntry(root: string, realRoot: string, rel: string, ent: Dirent, state: RawFile['state']): RawFile | undefined {
  const name = ent.name;
  if (isIgnoredName(name)) return undefined;
  const abs = join(root, rel);
  if (ent.isSymbolicLink()) {
    if (!name.endsWith('.md')) return undefined;
    let target = '';
    try { target = readlinkSync(abs); } catch { /* vanished */ }
    const to = resolve(dirname(join(realRoot, rel)), target);
    const r = relative(realRoot, to);
    return { path: rel, state, kind: 'symlink', size: 0, target, outside: r === '..' || r.startsWith(`..${sep}`) || resolve(r) === r };
  }
  if (ent.isDirectory()) return state ? { path: rel, state, kind: 'other', size: 0 } : undefined;
  if (!name.endsWith('.md') && !/[\r\n]/.test(name)) return undefined;
  if (!ent.isFile()) return { path: rel, state, kind: 'other', size: 0 };
  let size = 0;
  try { size = lstatSync(abs).size; } catch { return undefined; }
  if (size > MAX_TASK_BYTES) return { path: rel, state, kind: 'file', size };
  try {
    return { path: rel, state, kind: 'file', size, bytes: readFileSync(abs) };
  } catch { return undefined; }
}

import { watch as chokidarWatch, type FSWatcher as ChokidarWatcher } from 'chokidar';
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { CONFIG_PATH } from '../core/config.js';
import { STATES } from '../core/states.js';
import { HANDOFF_DIR, isIgnoredName, PROMPTS_DIR, STATUS_DIR, TASKS_DIR } from './paths.js';

/**
 * Tells the daemon *when* to look, and roughly *where* (workspace-relative
 * paths). It never decides what changed: rounds are level-triggered.
 *
 * Two mechanisms, chosen by measurement (docs/performance.md):
 * - the task folders (`tasks/<state>/`, up to 100 000 files) get one native
 *   `fs.watch` per folder — one inotify watch each, events carry the file name.
 *   chokidar puts a watcher on every file and re-lists the whole folder (with a
 *   stat per entry) on each change: at 100 000 files that was 10.7 s to start
 *   and 536 MB of RSS;
 * - the small trees (`status/`, `handoff/`, `prompts/`, `.orch/config.yml`) use
 *   chokidar, which also copes with folders that appear later.
 * Editor droppings (swap, backup, `4913`, temp files) never trigger a round.
 * `.orch/run`, `.orch/logs` and `.git` are never watched.
 */
export interface WorkspaceWatcher {
  ready: Promise<void>;
  close(): Promise<void>;
}

export type ChangeListener = (paths: string[], full: boolean) => void;

export function watchWorkspace(root: string, onChange: ChangeListener, onError: (e: unknown) => void = () => undefined): WorkspaceWatcher {
  const folders = new Map<string, FSWatcher>();
  let closed = false;

  const watchFolder = (rel: string, isTasksRoot: boolean): void => {
    if (closed || folders.has(rel)) return;
    let w: FSWatcher;
    try {
      w = fsWatch(join(root, rel), { persistent: true }, (_event, name) => {
        if (name === null || name === undefined) { onChange([], true); return; }
        const file = String(name);
        if (isTasksRoot) {
          // A state folder created, removed or replaced: re-arm its watcher and sweep.
          if ((STATES as readonly string[]).includes(file)) { rearm(`${TASKS_DIR}/${file}`); onChange([], true); }
          return;
        }
        if (isIgnoredName(file)) return;
        onChange([`${rel}/${file}`], false);
      });
    } catch {
      return; // folder absent: the tasks/ watcher re-arms it when it appears
    }
    w.on('error', (e) => { rearm(rel); onError(e); onChange([], true); });
    folders.set(rel, w);
  };
  const rearm = (rel: string): void => {
    folders.get(rel)?.close();
    folders.delete(rel);
    watchFolder(rel, rel === TASKS_DIR);
  };

  watchFolder(TASKS_DIR, true);
  for (const s of STATES) watchFolder(`${TASKS_DIR}/${s}`, false);

  const small: ChokidarWatcher = chokidarWatch([STATUS_DIR, HANDOFF_DIR, PROMPTS_DIR, CONFIG_PATH], {
    cwd: root,
    ignoreInitial: true,
    atomic: false, // rounds re-read the disk; no need to delay unlinks by 100 ms
    persistent: true,
    ignored: (p: string) => {
      const rel = relative(root, p);
      return rel !== '' && !rel.startsWith('..') && rel !== CONFIG_PATH && isIgnoredName(basename(p));
    },
  });
  small.on('all', (_event: string, p: string) => onChange([p.split(sep).join('/')], false));
  small.on('error', (e: unknown) => { onError(e); onChange([], true); });
  const ready = new Promise<void>((res) => small.once('ready', () => res()));

  return {
    ready,
    async close() {
      closed = true;
      for (const w of folders.values()) w.close();
      folders.clear();
      await small.close();
    },
  };
}

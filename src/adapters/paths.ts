import { join } from 'node:path';
import { STATES, type State } from '../core/states.js';

/** Well-known workspace paths (SPEC §1, contract). */
export const TASKS_DIR = 'tasks';
export const STATUS_DIR = 'status';
export const HANDOFF_DIR = 'handoff';
export const PROMPTS_DIR = 'prompts';
export const STATUS_FILE = 'ORCHESTRATION_STATUS.md';
export const RUN_DIR = '.orch/run';
export const LOGS_DIR = '.orch/logs';

export const stateDir = (root: string, s: State): string => join(root, TASKS_DIR, s);
export const runPath = (root: string, ...p: string[]): string => join(root, RUN_DIR, ...p);
export const logPath = (root: string, name: string): string => join(root, LOGS_DIR, name);

/** Editor droppings that are never tasks: vim swap/backup, emacs locks and backups, temp files. */
export function isIgnoredName(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    /\.sw[a-p]$/.test(name) ||
    /\.(tmp|temp|bak|orig|part|crdownload)$/i.test(name) ||
    /^#.*#$/.test(name) ||
    /\.tmp\.[0-9]+$/.test(name) ||
    /^\d+$/.test(name) // vim's 4913 write test
  );
}

/** `tasks/<state>/<file>` → state, else undefined. */
export function stateOfPath(rel: string): State | undefined {
  const parts = rel.split('/');
  if (parts.length !== 3 || parts[0] !== TASKS_DIR) return undefined;
  return (STATES as readonly string[]).includes(parts[1]!) ? (parts[1] as State) : undefined;
}

export { STATES };

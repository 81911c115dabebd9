import type { Problem } from '../result.js';
import type { State } from '../states.js';
import type { Task } from '../task.js';

/**
 * One entry found under tasks/, as the adapter saw it (lstat, never following
 * a symlink). Lint rules are pure functions of these values, so every rule
 * can be tested in memory.
 */
export interface RawFile {
  /** Workspace-relative, posix. */
  path: string;
  /** The state folder it sits in; null when it is not in one (tasks/x.md, tasks/done/x.md). */
  state: State | null;
  kind: 'file' | 'symlink' | 'other';
  size: number;
  /** The file's bytes; absent for symlinks, other kinds and files over the size limit. */
  bytes?: Uint8Array;
  /** Symlinks: where it points (as written) and whether that is outside the workspace. */
  target?: string;
  outside?: boolean;
}

export interface LintConfig {
  /** Agents known to the config; null when the config itself is broken (agent rules are skipped). */
  agents: string[] | null;
  minPromptLines: number;
  requiredSections: 'v2' | 'none';
}

/** A file after the per-file rules: its task when it parsed, and what was wrong with it. */
export interface CheckedFile {
  raw: RawFile;
  task?: Task;
  /** Line (1-based) where the body starts, for prompt problems. */
  bodyLine?: number;
  text?: string;
  problems: Problem[];
}

export const DEFAULT_LINT_CONFIG: LintConfig = { agents: null, minPromptLines: 20, requiredSections: 'v2' };

import { idFromFileName } from '../ids.js';
import { findDuplicates } from '../integrity.js';
import type { Problem } from '../result.js';
import { agentProblems } from './agents.js';
import { checkFile } from './file-rules.js';
import { dependencyProblems } from './graph.js';
import { promptProblems } from './prompt.js';
import type { CheckedFile, LintConfig, RawFile } from './types.js';

export type { RawFile, LintConfig, CheckedFile } from './types.js';
export { checkFile, controlChars } from './file-rules.js';
export { dependencyProblems, findCycles } from './graph.js';
export { promptProblems } from './prompt.js';
export { missingSections, nonBlankLines, headings, V2_SECTIONS } from './sections.js';

export interface LintInput {
  files: RawFile[];
  cfg: LintConfig;
  /** Problems of the config itself (parseConfig's errors, with line and column). */
  configProblems?: Problem[];
}

/**
 * Every rule of `orch lint` (SPEC §7, §13) over in-memory data. Cross-file rules
 * (unique ids, two folders, depends_on) always see the whole workspace; the
 * caller filters the result to the paths it was asked about.
 */
export function lintWorkspace(input: LintInput): Problem[] {
  const checked: CheckedFile[] = input.files.map(checkFile);
  const out: Problem[] = [...(input.configProblems ?? [])];
  for (const f of checked) {
    out.push(...f.problems);
    out.push(...agentProblems(f, input.cfg));
    out.push(...promptProblems(f, input.cfg));
  }
  const tasks = checked.flatMap((f) => (f.task ? [f.task] : []));
  out.push(...findDuplicates(tasks));
  const known = new Set(input.files.map((f) => idFromFileName(f.path.split('/').pop() ?? '') ?? ''));
  const texts = new Map(checked.flatMap((f) => (f.task && f.text ? [[f.task.path, f.text] as const] : [])));
  out.push(...dependencyProblems(tasks, known, texts));
  return sortProblems(out);
}

let collator: Intl.Collator | undefined;

export function sortProblems(ps: Problem[]): Problem[] {
  const sev = (p: Problem) => (p.severity === 'error' ? 0 : 1);
  return [...ps].sort((a, b) => (collator ??= new Intl.Collator('en', { numeric: true })).compare(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || sev(a) - sev(b) || a.rule.localeCompare(b.rule));
}

/** Keep problems under any of the given workspace-relative paths (files or folders). */
export function underPaths(ps: Problem[], paths: string[]): Problem[] {
  if (!paths.length) return ps;
  const norm = paths.map((p) => p.replace(/\/+$/, '')).map((p) => (p === '.' ? '' : p));
  return ps.filter((p) => norm.some((n) => n === '' || p.path === n || p.path.startsWith(`${n}/`)));
}

export const hasErrors = (ps: Problem[]): boolean => ps.some((p) => p.severity === 'error');

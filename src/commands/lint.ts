import { lstatSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { CONFIG_PATH, parseConfig } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { hasErrors, lintWorkspace, underPaths } from '../core/lint/index.js';
import { DEFAULT_LINT_CONFIG, type LintConfig } from '../core/lint/types.js';
import { formatProblem, type Problem } from '../core/result.js';
import { readRawFiles } from '../adapters/lint-files.js';
import { findRoot } from '../adapters/workspace.js';
import { printJson, type Ctx } from '../cli/context.js';

/**
 * `orch lint [paths…] [--json]`: every task file and the config. Exit 1 on any
 * error (warnings do not fail). Paths narrow what is reported; the cross-file
 * rules always see the whole workspace. A broken config is reported like any
 * other problem instead of refusing the command.
 */
export async function run(ctx: Ctx, paths: string[], o: { json?: boolean }): Promise<number> {
  const root = findRoot(ctx.cwd);
  const rels = (paths ?? []).map((p) => {
    const abs = resolve(ctx.cwd, p);
    const rel = relative(root, abs).split('\\').join('/');
    if (rel.startsWith('..') || !exists(abs)) {
      throw new UsageError(`${p}: no such file or folder in the workspace ${root}`, 'give task files or folders, e.g. orch lint tasks/pending');
    }
    return rel;
  });
  const { cfg, problems: configProblems } = readLintConfig(root);
  const all = lintWorkspace({ files: readRawFiles(root), cfg, configProblems });
  const shown = underPaths(all, rels);
  if (o.json) {
    printJson(ctx, shown.map(({ path, line, rule, severity, message }) => ({ path, line, rule, severity, message })));
  } else {
    for (const p of shown) ctx.stdout(formatProblem({ ...p, path: visible(p.path) }));
    const errors = shown.filter((p) => p.severity === 'error').length;
    const warnings = shown.length - errors;
    ctx.stderr(shown.length ? `orch lint: ${errors} error(s), ${warnings} warning(s)` : 'orch lint: no problems');
  }
  return hasErrors(shown) ? 1 : 0;
}

/** lstat, so a dangling symlink given by name is still linted (and reported). */
function exists(abs: string): boolean {
  try { lstatSync(abs); return true; } catch { return false; }
}

/** Newlines and other control characters in a path must not break the one-problem-per-line output. */
function visible(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

export function readLintConfig(root: string): { cfg: LintConfig; problems: Problem[] } {
  let text: string;
  try { text = readFileSync(join(root, CONFIG_PATH), 'utf8'); } catch {
    return { cfg: DEFAULT_LINT_CONFIG, problems: [{ path: CONFIG_PATH, line: null, rule: 'config', severity: 'error', message: 'cannot read the config; run `orch init` to create it' }] };
  }
  const r = parseConfig(text, basename(root));
  if (!r.ok) return { cfg: DEFAULT_LINT_CONFIG, problems: r.errors };
  const c = r.value;
  return { cfg: { agents: Object.keys(c.agents), minPromptLines: c.task.min_prompt_lines, requiredSections: c.task.required_sections }, problems: [] };
}

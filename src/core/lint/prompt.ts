import type { Problem } from '../result.js';
import { problem } from '../task.js';
import { missingSections, nonBlankLines } from './sections.js';
import type { CheckedFile, LintConfig } from './types.js';

/**
 * The v2 prompt rules: golden rule 2 (at least `min_prompt_lines` non-blank
 * lines) and, with `required_sections: v2`, the seven sections. Pure.
 */
export function promptProblems(f: CheckedFile, cfg: LintConfig): Problem[] {
  const t = f.task;
  if (!t) return [];
  const out: Problem[] = [];
  const line = f.bodyLine ?? null;
  const n = nonBlankLines(t.body);
  if (n < cfg.minPromptLines) {
    out.push(problem(t.path, 'prompt-length', `the prompt has ${n} non-blank line${n === 1 ? '' : 's'}; golden rule 2 asks for at least ${cfg.minPromptLines} — write a long, autonomous prompt (or lower task.min_prompt_lines in .orch/config.yml)`, line));
  }
  if (cfg.requiredSections === 'v2') {
    const missing = missingSections(t.body);
    if (missing.length) {
      const names = missing.map((s) => `${s.en} (${s.fr})`).join(', ');
      out.push(problem(t.path, 'sections', `missing v2 section${missing.length > 1 ? 's' : ''}: ${names}; add each as "## ${missing[0]!.en}" or "=== ${missing[0]!.fr} ===" (or set task.required_sections: none)`, line));
    }
  }
  return out;
}

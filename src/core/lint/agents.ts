import type { Problem } from '../result.js';
import { keyLine, problem } from '../task.js';
import type { CheckedFile, LintConfig } from './types.js';

/** A task's `agent` must be an agent of the config (it would never be dispatched otherwise). Pure. */
export function agentProblems(f: CheckedFile, cfg: LintConfig): Problem[] {
  const t = f.task;
  if (!t || t.agent === null || cfg.agents === null || cfg.agents.includes(t.agent)) return [];
  return [problem(t.path, 'agent', `unknown agent "${t.agent}" (known: ${cfg.agents.join(', ') || 'none'}); fix the name, or add the agent to .orch/config.yml`, keyLine(f.text ?? '', 'agent'))];
}

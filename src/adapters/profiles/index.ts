import type { AgentConfig, ProfileName } from '../../core/config.js';
import { amp } from './amp.js';
import { claude } from './claude.js';
import { codex } from './codex.js';
import { gemini } from './gemini.js';
import { sim } from './sim.js';
import type { Profile } from './types.js';

export type { Profile } from './types.js';
export { ORCH_MAIN } from './sim.js';

export const PROFILES: Record<ProfileName, Profile> = { claude, amp, codex, gemini, sim };

/** The agent's effective profile: the built-in one with the config's overrides on top (SPEC §6). */
export function resolveProfile(a: AgentConfig): Profile {
  const base = PROFILES[a.profile] ?? sim;
  const o = a as AgentConfig & Partial<Pick<Profile, 'input_pattern' | 'placeholder_patterns'>>;
  return {
    ...base,
    command: a.command ?? base.command,
    // A config `command` without `args` means "this command alone", not the profile's args.
    args: a.args ?? (a.command !== undefined ? [] : base.args),
    env: { ...base.env, ...(a.env ?? {}) },
    ready_pattern: a.ready_pattern ?? base.ready_pattern,
    busy_patterns: a.busy_patterns ?? base.busy_patterns,
    waiting_patterns: a.waiting_patterns ?? base.waiting_patterns,
    idle_patterns: a.idle_patterns ?? base.idle_patterns,
    input_pattern: o.input_pattern ?? base.input_pattern,
    placeholder_patterns: o.placeholder_patterns ?? base.placeholder_patterns,
    submit: a.submit ?? base.submit,
    settle_ms: a.settle_ms ?? base.settle_ms,
    usage: a.usage?.probe ?? base.usage,
    // Session arguments belong to the vendor CLI; a config `command` runs some other program.
    session_args: a.command !== undefined ? undefined : base.session_args,
  };
}

/** argv to start the agent: command then args. */
export function agentArgv(p: Profile): string[] {
  return [p.command, ...p.args];
}

/** Variables by which CLIs decide they run in CI (Gemini CLI's isHeadlessMode, ink's is-in-ci, ci-info). */
const CI_MARKERS = ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'BUILD_NUMBER', 'BUILD_ID', 'RUN_ID'];

/**
 * argv that starts the agent without the CI markers of the environment orch
 * runs in: an agent in a tmux pane is interactive, and Gemini CLI with
 * `CI=true` (or ink with any `CI_*`) goes headless and exits. Names the
 * agent's own `env` sets on purpose are kept. Unsetting an absent name is
 * harmless, so the fixed list is always removed (the tmux server may have
 * been started from another environment).
 */
export function interactiveArgv(argv: string[], env: NodeJS.ProcessEnv, keep: Record<string, string>): string[] {
  const names = [...new Set([...CI_MARKERS, ...Object.keys(env).filter((k) => k.startsWith('CI_'))])].filter((k) => !(k in keep));
  return names.length ? ['env', ...names.flatMap((k) => ['-u', k]), '--', ...argv] : argv;
}

import type { ProfileName, UsageProbe } from '../../core/config.js';

/**
 * What orch needs to know about one agent CLI's terminal UI. Patterns are
 * regular-expression sources matched (multiline) against the pane's plain
 * text (capture-pane without escapes). Every field can be overridden per
 * agent in `.orch/config.yml` (SPEC §6); see docs/agents.md for sources.
 */
export interface Profile {
  name: ProfileName;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Shown when the CLI can take a prompt (its input box). */
  ready_pattern: string;
  /** Any of these visible: the agent is working. */
  busy_patterns: string[];
  /** Any of these visible: the agent waits for a human (permission, question). */
  waiting_patterns: string[];
  /** Extra signs of an idle agent (optional; the ready pattern is the main one). */
  idle_patterns: string[];
  /** The input line; capture group 1 is the text in the composer. */
  input_pattern: string;
  /** Composer texts that are the CLI's own placeholder hints, not a draft. */
  placeholder_patterns: string[];
  /** tmux key names sent after the paste to submit it. */
  submit: string[];
  /** Wait between the end of the paste and the submit keys. */
  settle_ms: number;
  usage: UsageProbe;
  /** How long `orch start` waits for the ready pattern. */
  ready_timeout_ms: number;
  /**
   * Arguments that make the CLI use a session id chosen by orch (`{session_id}`
   * is replaced by a fresh UUID at each launch); orch records the id in
   * `.orch/run/agents/<agent>.json` so the usage probe finds this agent's
   * transcript even when another agent of the same CLI shares the folder.
   */
  session_args?: string[];
}

import type { Profile } from './types.js';

/**
 * OpenAI Codex CLI (`codex`, Rust TUI). Composer line starts with `› `;
 * busy: the status line "Working (Ns • esc to interrupt)"; approvals ask
 * "Would you like to run the following command?" / "Allow command?".
 * Its paste-burst logic can take an Enter that arrives right after pasted
 * text as a newline inside the composer instead of a submit, so the settle
 * delay is well above that window (the sim's codex mode swallows an Enter
 * within 120 ms of a paste; we wait 300 ms) and delivery resubmits when the
 * composer is not cleared. Sources: docs/agents.md.
 */
export const codex: Profile = {
  name: 'codex',
  command: 'codex',
  args: [],
  env: {},
  ready_pattern: '^›(?:\\s|$)',
  busy_patterns: ['esc to interrupt'],
  waiting_patterns: ['Would you like to run', 'Allow command\\?', 'Yes, proceed', 'Would you like to make the following edits'],
  idle_patterns: [],
  input_pattern: '^› ?(.*?)\\s*$',
  placeholder_patterns: ['^(Ask Codex to do anything|Explain this codebase|Summarize recent commits|Implement \\{feature\\}|Find and fix a bug in @filename|Write tests for @filename|Improve documentation in @filename|Run /review on my current changes|Use /skills to list available skills)$'],
  submit: ['Enter'],
  settle_ms: 300,
  usage: 'codex',
  ready_timeout_ms: 60_000,
};

import type { Profile } from './types.js';

/**
 * Sourcegraph Amp CLI (`amp`, interactive TUI). Public docs describe a `>`
 * prompt, Enter to submit, `\` + Enter or Shift+Enter for newlines, Ctrl+C to
 * interrupt, and `--dangerously-allow-all` to skip approvals. Its screen has
 * not been verified by the vendor suite (no offline stand-in for Amp's
 * server): these patterns are best effort — override them in config if your
 * build differs. Sources: docs/agents.md.
 */
export const amp: Profile = {
  name: 'amp',
  command: 'amp',
  args: [],
  env: {},
  ready_pattern: '^\\s*[│┃]?\\s*> ',
  busy_patterns: ['[Ee]sc to (cancel|interrupt)', 'Running tools', 'Thinking'],
  waiting_patterns: ['Approve\\?', 'Allow this', 'Run this command\\?', 'requires approval'],
  idle_patterns: [],
  input_pattern: '^\\s*[│┃]?\\s*> ?(.*?)\\s*[│┃]?\\s*$',
  placeholder_patterns: [],
  submit: ['Enter'],
  settle_ms: 300,
  usage: 'amp',
  ready_timeout_ms: 60_000,
};

import type { Profile } from './types.js';

/**
 * Claude Code (`claude`). Input box: a `❯` line between two horizontal rules
 * (older builds: a rounded box `│ > …│`); busy: the spinner line ends with
 * `esc to interrupt`; permission dialogs ask "Do you want to proceed?" with a
 * numbered `❯ 1. Yes` list; the folder-trust dialog asks "Do you trust the
 * files in this folder?". Bracketed paste is honoured; long pastes collapse to
 * `[Pasted text #1 +N lines]`. Enter submits. Sources: docs/agents.md.
 */
export const claude: Profile = {
  name: 'claude',
  command: 'claude',
  args: [],
  env: {},
  ready_pattern: '^─{20,}\\n❯(?:\\s|$)|^│ > ',
  busy_patterns: ['esc to interrupt'],
  waiting_patterns: ['Do you want to proceed\\?', 'Do you want to make this edit', 'Do you trust the files in this folder', '❯ 1\\. Yes'],
  idle_patterns: [],
  input_pattern: '^(?:❯|│ >) ?(.*?)\\s*│?\\s*$',
  placeholder_patterns: ['^Try "', '^Press up to edit queued messages'],
  submit: ['Enter'],
  settle_ms: 300,
  usage: 'claude-code',
  ready_timeout_ms: 60_000,
  session_args: ['--session-id', '{session_id}'],
};

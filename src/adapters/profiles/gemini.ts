import type { Profile } from './types.js';

/**
 * Gemini CLI (`gemini`; Antigravity's terminal agent in the seed). Input: a
 * bordered box with a `>` prompt (`*` in YOLO mode, `!` in shell mode) and the
 * placeholder "Type your message or @path/to/file"; busy: the loading line "(esc to cancel, Ns)"; tool
 * confirmations "Allow execution of …?" with "Allow once". Sources: docs/agents.md.
 */
export const gemini: Profile = {
  name: 'gemini',
  command: 'gemini',
  args: [],
  env: {},
  ready_pattern: 'Type your message|^\\s*│? ?> ',
  busy_patterns: ['esc to cancel'],
  waiting_patterns: ['Allow execution of', 'Allow once', 'Apply this change\\?', 'Waiting for user confirmation'],
  idle_patterns: [],
  input_pattern: '^\\s*│? ?[>*!] ?(.*?)\\s*│?\\s*$',
  placeholder_patterns: ['^Type your message'],
  submit: ['Enter'],
  settle_ms: 300,
  usage: 'gemini',
  ready_timeout_ms: 90_000,
  session_args: ['--session-id', '{session_id}'],
};

import { fileURLToPath } from 'node:url';
import type { Profile } from './types.js';
import { claude } from './claude.js';

/** The orch binary this build runs from (dist/src/cli/main.js). */
export const ORCH_MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

/**
 * `orch sim-agent`: the built-in simulated agent. Its screen copies Claude
 * Code's (`❯` between two rules, `esc to interrupt`, "Do you want to
 * proceed?"), so it shares Claude's patterns; it is started with the same
 * node that runs orch. Verified by test/adapters/sim*.test.ts.
 */
export const sim: Profile = {
  ...claude,
  name: 'sim',
  command: process.execPath,
  args: [ORCH_MAIN, 'sim-agent'],
  settle_ms: 150,
  usage: 'claude-code',
  ready_timeout_ms: 30_000,
  session_args: undefined, // the sim chooses its own session id and records it itself
};

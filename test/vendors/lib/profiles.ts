/**
 * What the suite itself needs per CLI: how it is started for each of the two
 * agents, the keys that answer its permission dialog, what a pasted tab
 * becomes, and the usage the stand-in reports. The screen facts (ready, busy,
 * waiting patterns, submit keys, settle delay) are orch's own profiles in
 * src/adapters/profiles/ — the suite checks those, it does not have its own.
 */
import type { Usage } from '../standins/index.js';
import type { VendorId } from './vendors.js';

export interface VendorFacts {
  /** Keys that answer "yes, once" in the permission dialog. */
  approve: string[];
  /** What a pasted tab becomes in the submitted prompt (Claude Code expands it). */
  pastedTab: string;
  /** Arguments of the agent that asks before running commands (a1: the waiting check). */
  asks: string[];
  /** Arguments of the agent that runs commands on its own (a2: the orch done check). */
  autonomous: string[];
  /** Usage the stand-in reports per agent, and the `used` the probe must read from it. */
  usage: [Usage, Usage];
  used: (u: Usage) => number;
}

export const FACTS: Record<VendorId, VendorFacts> = {
  claude: {
    approve: ['Enter'],
    pastedTab: '    ',
    asks: ['--permission-mode', 'default'],
    autonomous: ['--dangerously-skip-permissions'],
    usage: [
      { input: 1200, cacheCreation: 3000, cacheRead: 40_000, output: 50 },
      { input: 800, cacheCreation: 1000, cacheRead: 120_000, output: 70 },
    ],
    used: (u) => u.input + (u.cacheCreation ?? 0) + (u.cacheRead ?? 0),
  },
  codex: {
    approve: ['Enter'],
    pastedTab: '\t',
    asks: ['--ask-for-approval', 'on-request'],
    autonomous: ['--dangerously-bypass-approvals-and-sandbox'],
    usage: [
      { input: 50_000, output: 500 },
      { input: 180_000, output: 1000 },
    ],
    used: (u) => u.input + u.output,
  },
  gemini: {
    approve: ['Enter'],
    pastedTab: '\t',
    asks: [],
    autonomous: ['--approval-mode', 'yolo'],
    usage: [
      { input: 300_000, output: 40 },
      { input: 100_000, output: 30 },
    ],
    used: (u) => u.input,
  },
};

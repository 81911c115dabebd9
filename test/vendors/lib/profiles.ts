/**
 * What each real CLI shows and needs, as observed in this suite (see
 * docs/vendors.md "Profile facts"). `asks` starts an agent that asks before
 * running a command (for the waiting check); `autonomous` one that runs the
 * scripted `orch done` on its own.
 */
import type { Usage } from '../standins/index.js';
import type { VendorId } from './vendors.js';

export interface ScreenProfile {
  ready: RegExp;
  busy: RegExp;
  waiting: RegExp;
  submit: string[];
  settleMs: number;
  approve: string[];
  sessionIdArg: boolean;
  /** What a pasted tab becomes in the submitted prompt (Claude Code expands it). */
  pastedTab: string;
  asks: string[];
  autonomous: string[];
  /** Usage the stand-in reports per agent, and the `used` the probe must read from it. */
  usage: [Usage, Usage];
  used: (u: Usage) => number;
}

export const PROFILES: Record<VendorId, ScreenProfile> = {
  claude: {
    ready: /^─{20,}\n❯\s/m,
    busy: /esc to interrupt/,
    waiting: /Do you want to proceed\?|❯ 1\. Yes/,
    submit: ['Enter'],
    settleMs: 300,
    approve: ['Enter'],
    sessionIdArg: true,
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
    ready: /^›\s/m,
    busy: /esc to interrupt/,
    waiting: /Would you like to run|Yes, proceed|approve|Allow/i,
    submit: ['Enter'],
    settleMs: 300,
    approve: ['Enter'],
    sessionIdArg: false,
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
    ready: /Type your message|^ >\s/m,
    busy: /esc to cancel/,
    waiting: /Allow execution of|Allow once/,
    submit: ['Enter'],
    settleMs: 300,
    approve: ['Enter'],
    sessionIdArg: true,
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

export type ScreenState = 'waiting' | 'busy' | 'idle' | 'starting';

/** Waiting beats busy beats idle: a dialog can show while the footer still says busy. */
export function screenState(text: string, p: ScreenProfile): ScreenState {
  if (p.waiting.test(text)) return 'waiting';
  if (p.busy.test(text)) return 'busy';
  if (p.ready.test(text)) return 'idle';
  return 'starting';
}

/**
 * Context usage of one agent (SPEC §11): which probe, which file, what
 * numbers. `readUsage` never throws for missing or half-written files; it
 * returns null when it cannot tell.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AgentConfig, UsageProbe } from '../../core/config.js';
import { defaultProbe, PROBE_DEFAULTS, resolveUsable, usagePct, clampPct } from './compute.js';
import { readUsageFile, usageFile } from './file.js';
import { findAmpThread, findClaudeTranscript, findCodexRollout, findGeminiChat, openFileOf } from './locate.js';
import { matchPane } from './pane.js';
import { parseAmpThread, parseClaudeTranscript, parseCodexRollout, parseGeminiChat, type Tokens } from './parse.js';
import { readSession, type AgentSession } from './session.js';

export { usagePct, resolveUsable, defaultProbe, PROBE_DEFAULTS } from './compute.js';
export { writeManualUsage, usageFile } from './file.js';

export interface UsageReading {
  agent: string;
  probe: UsageProbe;
  used: number | null;
  window: number | null;
  usable: number | null;
  pct: number;
  /** The file (or `pane`) the numbers came from. */
  source: string;
}

export interface ReadUsageOptions {
  /** HOME of the agent's CLI (default: the agent's env HOME, the session record's, then ours). */
  home?: string;
  /** The pane's text, for the `pane` probe (or a function that captures it). */
  paneText?: string;
  capturePane?: () => Promise<string>;
  /** pid of the agent's process, to find the file it holds open. */
  pid?: number;
  /**
   * The other agents of the workspace: a Codex agent whose CODEX_HOME no other
   * Codex agent shares owns every rollout there, so its newest one is its own.
   */
  others?: UsageAgent[];
}

export type UsageAgent = Pick<AgentConfig, 'profile' | 'usage' | 'env'>;

interface Found {
  tokens: Tokens;
  source: string;
}

function expand(p: string, home: string, root: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(home, p.slice(1));
  return path.resolve(root, p);
}

async function parseFile(file: string | undefined, parse: (t: string) => Tokens | null): Promise<Found | null> {
  if (!file) return null;
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const tokens = text === undefined ? null : parse(text);
  return tokens ? { tokens, source: file } : null;
}

/** The CODEX_HOME an agent's Codex uses (its env's, else `<HOME>/.codex`). */
export function codexHomeOf(env: Record<string, string>, home: string): string {
  return path.resolve(env['CODEX_HOME'] ?? path.join(home, '.codex'));
}

async function fromTranscript(
  probe: UsageProbe, root: string, s: AgentSession, env: Record<string, string>, home: string, pid: number | undefined,
  others: UsageAgent[] | undefined,
): Promise<Found | null> {
  const sid = s.sessionId;
  switch (probe) {
    case 'claude-code': {
      const dir = env['CLAUDE_CONFIG_DIR'] ?? path.join(home, '.claude');
      const file = s.transcriptPath ?? (sid ? await findClaudeTranscript(dir, root, sid) : undefined);
      return parseFile(file, parseClaudeTranscript);
    }
    case 'codex': {
      const dir = codexHomeOf(env, home);
      const isRollout = (p: string): boolean => path.basename(p).startsWith('rollout-') && p.endsWith('.jsonl');
      // Exclusive: known others, and none of their Codex homes is this one (SPEC §11: never guess between two agents).
      const exclusive = others !== undefined &&
        !others.some((o) => (o.usage?.probe ?? defaultProbe(o.profile)) === 'codex' && codexHomeOf(o.env ?? {}, o.env?.['HOME'] ?? os.homedir()) === dir);
      const file =
        s.transcriptPath ??
        (sid ? await findCodexRollout(dir, root, sid) : undefined) ??
        (pid ? await openFileOf(pid, (p) => isRollout(p) && p.startsWith(dir)) : undefined) ??
        (exclusive ? await findCodexRollout(dir, root, undefined, true) : undefined) ??
        (sid || pid ? undefined : await findCodexRollout(dir, root));
      return parseFile(file, parseCodexRollout);
    }
    case 'gemini': {
      const dir = path.join(env['GEMINI_CLI_HOME'] ?? home, '.gemini');
      const file = s.transcriptPath ?? (sid ? await findGeminiChat(dir, sid) : undefined);
      return parseFile(file, parseGeminiChat);
    }
    case 'amp': {
      const dir = env['AMP_DATA_DIR'] ?? path.join(home, '.local', 'share', 'amp');
      const id = s.threadId ?? sid;
      const file = s.transcriptPath ?? (id ? await findAmpThread(dir, id) : undefined);
      return parseFile(file, parseAmpThread);
    }
    default:
      return null;
  }
}

const PARSERS: Partial<Record<UsageProbe, (t: string) => Tokens | null>> = {
  'claude-code': parseClaudeTranscript, codex: parseCodexRollout, gemini: parseGeminiChat, amp: parseAmpThread,
};

export async function readUsage(
  root: string, agent: string, cfg: UsageAgent, opts: ReadUsageOptions = {},
): Promise<UsageReading | null> {
  const u = cfg.usage ?? {};
  const probe = u.probe ?? defaultProbe(cfg.profile);
  const d = PROBE_DEFAULTS[probe];
  const env = cfg.env ?? {};
  const session = await readSession(root, agent);
  const home = opts.home ?? env['HOME'] ?? session.home ?? os.homedir();
  const reading = (used: number | null, window: number | null, usable: number | null, pct: number, source: string): UsageReading =>
    ({ agent, probe, used, window, usable, pct, source });
  const fromNumbers = (used: number, fileWindow: number | undefined, source: string): UsageReading => {
    const window = u.window ?? fileWindow ?? d.window;
    const usable = resolveUsable(u.usable, window, d.usable);
    return reading(used, window, usable, usagePct(used, usable), source);
  };

  if (probe === 'pane') {
    if (!u.pattern) return null;
    const text = opts.paneText ?? (opts.capturePane ? await opts.capturePane().catch(() => undefined) : undefined);
    const m = text === undefined ? null : matchPane(text, u.pattern);
    if (!m) return null;
    return 'pct' in m ? reading(null, null, null, clampPct(m.pct), 'pane') : fromNumbers(m.used, m.window, 'pane');
  }

  const parser = PARSERS[probe];
  if (u.path && parser) {
    const found = await parseFile(expand(u.path, home, root), parser);
    return found ? fromNumbers(found.tokens.used, found.tokens.window, found.source) : null;
  }
  if (parser) {
    const found = await fromTranscript(probe, root, session, env, home, opts.pid ?? session.pid, opts.others);
    if (found) return fromNumbers(found.tokens.used, found.tokens.window, found.source);
  }
  // `file`, `manual`, and the statusLine-bridge fallback of the transcript probes.
  const file = u.path && !parser ? expand(u.path, home, root) : usageFile(root, agent);
  const f = await readUsageFile(file);
  if (!f) return null;
  return 'pct' in f ? reading(null, null, null, clampPct(f.pct), file) : fromNumbers(f.used, f.window, file);
}

/**
 * What orch knows about an agent's running session, from
 * `.orch/run/agents/<agent>.json` (written by `orch start` when it chose the
 * session id, and by `orch hook` when a CLI reports its transcript path).
 * Every field is optional; a half-written or absent file reads as {}.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface AgentSession {
  /** Session id orch passed (`--session-id`) or learned from a hook. */
  sessionId?: string;
  /** Exact transcript/rollout/chat/thread file, when a hook reported it. */
  transcriptPath?: string;
  /** Amp thread id (`T-…`). */
  threadId?: string;
  /** pid of the agent's process (the pane's), to find the file it holds open. */
  pid?: number;
  /** HOME the agent runs with, when not orch's own. */
  home?: string;
}

export function sessionFile(root: string, agent: string): string {
  return path.join(root, '.orch', 'run', 'agents', `${agent}.json`);
}

export async function readSession(root: string, agent: string): Promise<AgentSession> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(sessionFile(root, agent), 'utf8'));
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: AgentSession = {};
  const str = (k: string): string | undefined => (typeof r[k] === 'string' && r[k] ? (r[k] as string) : undefined);
  const sid = str('sessionId') ?? str('session_id');
  if (sid) out.sessionId = sid;
  const tp = str('transcriptPath') ?? str('transcript_path');
  if (tp) out.transcriptPath = tp;
  const th = str('threadId');
  if (th) out.threadId = th;
  const home = str('home');
  if (home) out.home = home;
  if (typeof r['pid'] === 'number' && r['pid'] > 0) out.pid = r['pid'];
  return out;
}

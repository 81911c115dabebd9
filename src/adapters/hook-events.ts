/**
 * Agents' own hook events (SPEC §10, the best state signal): `orch hook`
 * appends one JSON line per event to `.orch/run/hooks/<agent>.jsonl`; the
 * monitor and deliver() read the latest one. Appends are single small writes
 * (no lock, no git), so a hook never slows the agent down.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AgentState } from '../core/agent-record.js';

export interface HookEvent {
  /** ISO time the event was recorded. */
  t: string;
  agent: string;
  /** The CLI's event name: Stop, UserPromptSubmit, Notification, AfterAgent, agent-turn-complete… */
  event: string;
  /** What the event says about the agent, when it says something. */
  state?: AgentState;
  payload: unknown;
}

export const hookFile = (root: string, agent: string): string => join(root, '.orch', 'run', 'hooks', `${agent}.jsonl`);

export function appendHookEvent(root: string, ev: HookEvent): string {
  const file = hookFile(root, ev.agent);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(ev)}\n`);
  return file;
}

const BUSY = /^(userpromptsubmit|pretooluse|posttooluse|beforeagent|beforetool|aftertool|beforemodel|aftermodel|sessionstart)$/;
const IDLE = /^(stop|afteragent|agent-turn-complete|subagentstop)$/;
const GONE = /^(sessionend)$/;

/**
 * The state an event implies. Claude Code and Gemini CLI hooks, Codex notify.
 * A Notification is a permission or question prompt (waiting) unless it says
 * the agent is merely idle.
 */
export function stateOfEvent(event: string, payload: unknown): AgentState | undefined {
  const e = event.toLowerCase().replace(/_/g, '-');
  if (e === 'notification') {
    const p = (payload ?? {}) as Record<string, unknown>;
    const kind = `${String(p.notification_type ?? p.type ?? '')} ${String(p.message ?? '')}`.toLowerCase();
    return /idle|waiting for your input/.test(kind) && !/permission/.test(kind) ? 'idle' : 'waiting';
  }
  if (BUSY.test(e)) return 'busy';
  if (IDLE.test(e)) return 'idle';
  if (GONE.test(e)) return 'stopped';
  return undefined;
}

/** The last complete event of an agent, reading only the end of the file. */
export async function latestHookEvent(root: string, agent: string): Promise<HookEvent | null> {
  let fh;
  try { fh = await open(hookFile(root, agent), 'r'); } catch { return null; }
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i]!.trim();
      if (!l) continue;
      try {
        const ev = JSON.parse(l) as HookEvent;
        if (ev && typeof ev.t === 'string' && typeof ev.event === 'string') return ev;
      } catch { /* a half-written last line: look at the one before */ }
    }
    return null;
  } finally {
    await fh.close();
  }
}

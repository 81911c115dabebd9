/**
 * Volatile per-agent data in `.orch/run/agents/<agent>.json` (git-ignored,
 * SPEC §5): what the monitor needs between passes (last state and since when,
 * reminders sent, restarts this hour) next to the session facts the usage
 * probes read (sessionId, transcriptPath…, see usage/session.ts). Writers
 * merge into the file, so each keeps the others' keys.
 */
import type { MonitorMemory } from '../core/monitor-plan.js';
import { runPath } from './paths.js';
import { readJson, writeJson } from './store.js';

export interface AgentRunFile {
  sessionId?: string;
  transcriptPath?: string;
  monitor?: MonitorMemory;
  [k: string]: unknown;
}

export const agentRunPath = (root: string, agent: string): string => runPath(root, 'agents', `${agent}.json`);

export async function readAgentRun(root: string, agent: string): Promise<AgentRunFile> {
  const v = await readJson<unknown>(agentRunPath(root, agent), null);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as AgentRunFile) : {};
}

/** Merge `patch` into the file; writes only when something changed. */
export async function patchAgentRun(root: string, agent: string, patch: Partial<AgentRunFile>): Promise<void> {
  const cur = await readAgentRun(root, agent);
  const next = { ...cur, ...patch };
  if (JSON.stringify(next) === JSON.stringify(cur)) return;
  await writeJson(agentRunPath(root, agent), next);
}

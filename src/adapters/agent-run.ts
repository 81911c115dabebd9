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

/**
 * A reminder delivered outside a monitor pass (`orch remind`): counted in the
 * monitor's memory, so the monitor's reminders continue from it and stop at
 * `max_reminders`. An agent the monitor has not seen yet gets a fresh memory.
 */
export async function recordReminder(root: string, agent: string, task: string, count: number, at: Date): Promise<void> {
  const iso = at.toISOString();
  const cur = (await readAgentRun(root, agent)).monitor;
  const base: MonitorMemory = cur ?? { state: 'unknown', since: iso, lastActive: iso, reminders: { task, count: 0, last: null }, restarts: [] };
  await patchAgentRun(root, agent, { monitor: { ...base, reminders: { task, count, last: iso } } });
}

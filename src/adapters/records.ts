import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultRecord, parseRecord, renderRecord, type AgentRecord } from '../core/agent-record.js';
import type { Config } from '../core/config.js';
import { STATUS_DIR } from './paths.js';
import { writeIfChanged } from './store.js';

export const recordPath = (agent: string): string => `${STATUS_DIR}/${agent}.md`;

export async function readRecord(root: string, cfg: Config, agent: string): Promise<AgentRecord> {
  const a = cfg.agents[agent];
  if (!a) throw new Error(`unknown agent ${agent}`);
  const text = await readFile(join(root, recordPath(agent)), 'utf8').catch(() => undefined);
  return parseRecord(text, defaultRecord(a, cfg));
}

export async function readRecords(root: string, cfg: Config): Promise<AgentRecord[]> {
  return Promise.all(Object.keys(cfg.agents).map((a) => readRecord(root, cfg, a)));
}

/** Write a record only when it changed (records change on meaningful transitions only). */
export async function writeRecord(root: string, rec: AgentRecord): Promise<boolean> {
  return writeIfChanged(join(root, recordPath(rec.agent)), renderRecord(rec));
}

/** Apply a partial update to an agent's record; returns whether the file changed. */
export async function updateRecord(root: string, cfg: Config, agent: string, patch: Partial<AgentRecord>): Promise<boolean> {
  const cur = await readRecord(root, cfg, agent);
  return writeRecord(root, { ...cur, ...patch });
}

/** Apply partial updates to several agents' records (agents not in the config are skipped); returns whether a file changed. */
export async function patchRecords(root: string, cfg: Config, patches: Record<string, Partial<AgentRecord>>): Promise<boolean> {
  let changed = false;
  for (const [agent, patch] of Object.entries(patches)) {
    if (cfg.agents[agent] && (await updateRecord(root, cfg, agent, patch))) changed = true;
  }
  return changed;
}

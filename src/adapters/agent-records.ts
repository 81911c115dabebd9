import type { AgentRecord, AgentState } from '../core/agent-record.js';
import type { Config } from '../core/config.js';
import { withCommitLock } from './lock.js';
import type { Logger } from './logger.js';
import { reconcile } from './reconcile.js';
import { patchRecords } from './records.js';

export interface RecordCommitOptions {
  subject?: string;
  /** The Alerts the status file shows (default: the standing ones on the alert board). */
  alerts?: string[];
  log?: Logger;
  /** Run the round even when no record changed (it then commits whatever else is pending). */
  always?: boolean;
}

/** Patch agents' records in status/ and commit the change (one commit), under orch's commit lock. */
export async function commitRecordPatches(root: string, cfg: Config, patches: Record<string, Partial<AgentRecord>>, o: RecordCommitOptions = {}): Promise<string | null> {
  return withCommitLock(root, async () => {
    const changed = await patchRecords(root, cfg, patches);
    if (!changed && !o.always) return null;
    const r = await reconcile(root, {
      cfg, ...(o.subject ? { subject: o.subject } : {}), ...(o.alerts ? { alerts: o.alerts } : {}), ...(o.log ? { log: o.log } : {}),
    });
    return r.commit;
  });
}

/** Set agents' `state` in status/ and commit the change (one commit), under orch's commit lock. */
export async function setAgentStates(root: string, cfg: Config, states: Record<string, AgentState>, log?: Logger): Promise<string | null> {
  const patches = Object.fromEntries(Object.entries(states).map(([agent, state]) => [agent, { state }]));
  return commitRecordPatches(root, cfg, patches, log ? { log } : {});
}

import type { AgentState } from '../core/agent-record.js';
import type { Config } from '../core/config.js';
import { withCommitLock } from './lock.js';
import type { Logger } from './logger.js';
import { reconcile } from './reconcile.js';
import { updateRecord } from './records.js';

/** Set agents' `state` in status/ and commit the change (one commit), under orch's commit lock. */
export async function setAgentStates(root: string, cfg: Config, states: Record<string, AgentState>, log?: Logger): Promise<string | null> {
  return withCommitLock(root, async () => {
    let changed = false;
    for (const [agent, state] of Object.entries(states)) {
      if (await updateRecord(root, cfg, agent, { state })) changed = true;
    }
    if (!changed) return null;
    const r = await reconcile(root, { cfg, ...(log ? { log } : {}) });
    return r.commit;
  });
}

import type { Config } from '../core/config.js';
import { withCommitLock } from '../adapters/lock.js';
import type { Logger } from '../adapters/logger.js';
import { reconcile } from '../adapters/reconcile.js';
import { syncRound, type SyncOutcome } from '../adapters/sync.js';

/** The daemon's sync ticker (every `sync.interval` when `sync.enabled`). */
export async function runSyncRound(root: string, cfg: Config, extra: { log: Logger; kick?: (name: string) => void }): Promise<SyncOutcome> {
  const out = await withCommitLock(root, async () => {
    await reconcile(root, { cfg, log: extra.log });
    return syncRound(root, cfg, extra.log);
  });
  if (out.status === 'offline' || out.status === 'paused' || out.status === 'rejected') extra.log.warn(`sync ${out.status}: ${out.reason}`);
  // New work from the remote may be ready for an idle agent.
  if (out.status === 'pulled' || out.status === 'pushed') extra.kick?.('monitor');
  return out;
}

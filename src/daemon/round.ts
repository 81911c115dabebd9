import { lstatSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { withCommitLock } from '../adapters/lock.js';
import type { Logger } from '../adapters/logger.js';
import { reconcile } from '../adapters/reconcile.js';
import { CONFIG_PATH, parseConfig, type Config } from '../core/config.js';
import { formatProblem, type Problem } from '../core/result.js';
import { clearStaleIndexLockIn } from './git-procs.js';
import { healRealIndex } from './heal-index.js';
import type { TaskStore } from '../adapters/task-store.js';
import type { RoundHint, RoundOutcome } from './watch-loop.js';

/**
 * A file that does not parse and was written less than this long ago may be
 * half-written (an editor or a `cat >` still at work): it is looked at again
 * after this delay, and reported only once it has been still this long.
 */
export const SETTLE_MS = 300;

export interface RoundContext {
  root: string;
  cfg: Config;
  store: TaskStore;
  log: Logger;
  /** Extra alerts for the status (the monitor's), read each round. */
  alerts?: () => string[] | undefined;
}

/**
 * One daemon round: reload the config if it changed, clear a `.git/index.lock`
 * left by a killed git, then the shared level-triggered `reconcile()` under
 * orch's commit lock (verbs run the same round, so a verb run beside the
 * daemon makes one commit, not two), then report broken task files.
 */
export class DaemonRound {
  /** path → what was last said about it, so a broken file is reported once, not every round. */
  private reported = new Map<string, string>();
  rounds = 0;
  commits = 0;

  constructor(private readonly ctx: RoundContext) {}

  get cfg(): Config { return this.ctx.cfg; }

  async run(hint: RoundHint): Promise<RoundOutcome> {
    const { root, log, store } = this.ctx;
    if (hint.full || hint.paths.has(CONFIG_PATH)) this.reloadConfig();
    store.lookAt(hint.full ? null : hint.paths);
    const removed = await clearStaleIndexLockIn(root);
    if (removed) log.warn(`removed stale ${removed} left by a killed git (no git process alive in this repository)`);
    // A hinted round stages only what its events named; full rounds (start, sweeps, retries) compare everything.
    const paths = hint.full ? undefined : [...hint.paths];
    const r = await withCommitLock(root, () => reconcile(root, { cfg: this.ctx.cfg, store, log, alerts: this.ctx.alerts?.(), paths, deferIndexSync: true }));
    this.rounds++;
    if (r.commit) this.commits++;
    if (hint.full && this.ctx.cfg.git.commit) {
      const healed = await withCommitLock(root, () => healRealIndex(root));
      if (healed.length) log.warn(`brought ${healed.length} stale entr${healed.length === 1 ? 'y' : 'ies'} of the git index back to HEAD (left by an interrupted commit): ${healed.slice(0, 5).join(', ')}${healed.length > 5 ? ', …' : ''}`);
    }
    return this.report(r.invalid);
  }

  private reloadConfig(): void {
    const { root, log } = this.ctx;
    let text: string;
    try { text = readFileSync(join(root, CONFIG_PATH), 'utf8'); } catch { return; }
    const r = parseConfig(text, basename(root));
    const key = `config:${r.ok ? 'ok' : r.errors.map(formatProblem).join('; ')}`;
    if (r.ok) {
      if (this.reported.get(CONFIG_PATH) && this.reported.get(CONFIG_PATH) !== key) log.info(`${CONFIG_PATH} is valid again: reloaded`);
      this.ctx.cfg = r.value;
      this.reported.delete(CONFIG_PATH);
    } else if (this.reported.get(CONFIG_PATH) !== key) {
      log.warn(`${CONFIG_PATH} is invalid (${r.errors.map(formatProblem).join('; ')}): keeping the last good config, not committing it until fixed (orch lint)`);
      this.reported.set(CONFIG_PATH, key);
    }
  }

  /** Log broken files once they are still; ask for a retry while some may be half-written. */
  private report(invalid: Problem[]): RoundOutcome {
    const { root, log } = this.ctx;
    const now = Date.now();
    const byPath = new Map<string, Problem[]>();
    for (const p of invalid) byPath.set(p.path, [...(byPath.get(p.path) ?? []), p]);
    const young: string[] = [];
    for (const [path, problems] of byPath) {
      let mtime = 0;
      try { mtime = lstatSync(join(root, path)).mtimeMs; } catch { /* gone */ }
      if (now - mtime < SETTLE_MS) { young.push(path); continue; }
      const what = problems.map(formatProblem).join('; ');
      if (this.reported.get(path) !== what) {
        log.warn(`invalid task file, not committed: ${what} — fix it (\`orch lint ${path}\`) and it will be`);
        this.reported.set(path, what);
      }
    }
    for (const path of [...this.reported.keys()]) {
      if (path === CONFIG_PATH || byPath.has(path)) continue;
      this.reported.delete(path);
      log.info(`task file ${path} is no longer invalid (fixed, moved or removed)`);
    }
    return young.length ? { retryAfterMs: SETTLE_MS, retryPaths: young } : {};
  }
}

import { commitSettings, git, headOidFast } from '../adapters/git.js';
import { deferMaintenance, flushIndexSync } from '../adapters/committer.js';
import type { Logger } from '../adapters/logger.js';
import { watchWorkspace, type WorkspaceWatcher } from '../adapters/watcher.js';
import type { Config } from '../core/config.js';
import { acquireDaemonLock, type DaemonLock } from './daemon-lock.js';
import { DAEMON_CACHE_SAVE_MS, TaskStore } from '../adapters/task-store.js';
import { DaemonRound } from './round.js';
import { startTickers, type RunningTickers, type Ticker } from './tickers.js';
import { WatchLoop } from './watch-loop.js';
import { now, trace } from '../adapters/trace.js';

const IDLE_SWEEP_MS = 10 * 60_000;
const MAINTENANCE_MS = 5 * 60_000;

export interface DaemonOptions {
  log: Logger;
  /** Built by src/commands/watch.ts once the daemon exists (they may read its config). */
  tickers?: (d: Daemon) => Ticker[];
  /** Quiet time after the last event before a round (default 30 ms). */
  debounceMs?: number;
  /** A lone batch of events (one `mv`, one atomic save) starts its round after this (default 5 ms). */
  quickMs?: number;
  /** A steady stream of events cannot postpone a round longer than this (default 250 ms). */
  maxWaitMs?: number;
  /** Full level-triggered sweep, the safety net for events the OS dropped (default 60 s while events come, 10 min idle). */
  sweepMs?: number;
  alerts?: () => string[] | undefined;
}

/**
 * `orch watch`: the pid lock, the watcher, the watch loop (src/daemon/watch-loop.ts)
 * running DaemonRound, a periodic full sweep, and the tickers. start() returns
 * once the first round (which commits whatever changed while no daemon ran) is
 * done; stopped resolves after stop() has finished the last round.
 */
const STOP_GRACE_MS = 5_000;

export class Daemon {
  readonly loop: WatchLoop;
  readonly round: DaemonRound;
  private lock: DaemonLock | undefined;
  private watcher: WorkspaceWatcher | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private tickers: RunningTickers | undefined;
  private stopping: Promise<void> | undefined;
  /** HEAD after the last round (undefined before the first). */
  private lastHead: string | null | undefined;
  private events = 0;
  private maintainedAt = 0;

  constructor(readonly root: string, cfg: Config, private readonly opts: DaemonOptions) {
    this.round = new DaemonRound({ root, cfg, store: new TaskStore(root, { saveEveryMs: DAEMON_CACHE_SAVE_MS }), log: opts.log, alerts: opts.alerts });
    this.loop = new WatchLoop({
      debounceMs: opts.debounceMs ?? 30,
      quickMs: opts.quickMs ?? 5,
      maxWaitMs: opts.maxWaitMs ?? 250,
      round: async (hint) => {
        const before = this.round.commits;
        const t0 = now();
        trace(`round start (${hint.full ? 'full' : `${hint.paths.size} paths`})`);
        const out = await this.round.run(hint);
        trace('round done', t0);
        // Something was committed — by this round or by a verb beside it (an agent's own `orch done`
        // frees it): the monitor looks now (dispatch, golden rule 1) rather than at its next interval.
        // Ticks never overlap.
        const head = await headOidFast(root).catch(() => null);
        if (this.round.commits > before || (this.lastHead !== undefined && head !== this.lastHead)) this.kick('monitor');
        this.lastHead = head;
        return out;
      },
      onError: (e) => opts.log.error(`round failed, retrying with a full sweep: ${e instanceof Error ? e.message : String(e)}`),
    });
  }

  get cfg(): Config { return this.round.cfg; }

  async start(): Promise<void> {
    const { log } = this.opts;
    deferMaintenance();
    this.lock = acquireDaemonLock(this.root); // throws RefusedError when another daemon runs
    if (this.lock.tookOverFrom !== null) log.warn(`took over the daemon lock from pid ${this.lock.tookOverFrom}, which is not running`);
    log.info(`daemon started (pid ${process.pid}) in ${this.root}`);
    this.watcher = watchWorkspace(this.root, (paths, full) => { trace(`event ${paths[0] ?? (full ? 'full' : '')}`); this.events++; this.loop.poke(paths, full); }, (e) => log.warn(`watcher: ${e instanceof Error ? e.message : String(e)}; sweeping`));
    await this.watcher.ready;
    this.loop.poke([], true); // level-triggered: commit what changed while no daemon ran
    await this.loop.whenIdle();
    await commitSettings(this.root).catch(() => undefined); // read once now, not on the path of the first commit
    log.info('watching tasks/, status/, handoff/, prompts/ and .orch/config.yml');
    // The safety net: a full level-triggered round every sweepMs while events come in (an overflowing
    // inotify queue drops some), and every 10 minutes when idle, so an idle daemon costs ≈ 0 % CPU.
    const sweepMs = this.opts.sweepMs ?? 60_000;
    let lastSweep = Date.now();
    this.sweep = setInterval(() => {
      if (this.events === 0 && Date.now() - lastSweep < Math.max(sweepMs, IDLE_SWEEP_MS)) return;
      this.events = 0;
      lastSweep = Date.now();
      this.loop.poke([], true);
    }, sweepMs);
    const maintenance: Ticker = {
      name: 'git-maintenance', intervalMs: MAINTENANCE_MS, immediate: false,
      run: async () => { if (this.round.commits > this.maintainedAt) { this.maintainedAt = this.round.commits; await git(this.root, ['maintenance', 'run', '--auto', '--quiet'], { reject: false, timeout: 600_000 }); } },
    };
    this.tickers = startTickers([maintenance, ...(this.opts.tickers?.(this) ?? [])], log);
  }

  kick(ticker: string): void { this.tickers?.kick(ticker); }

  /** Finish the round in flight, run the last one, stop tickers and watcher, release the lock. */
  stop(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      const { log } = this.opts;
      log.info(`stopping (${reason}): finishing the round in flight`);
      if (this.sweep) clearInterval(this.sweep);
      // A monitor pass in flight may be waiting on a delivery (up to its own deadline): give it a
      // short grace, not the whole deadline, so `orch stop` stays prompt. Whatever it leaves half
      // done is level-triggered state the next start picks up (the lease requeues an undelivered task).
      const tickersStopped = this.tickers?.stop();
      await Promise.race([tickersStopped, new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
      await this.loop.stop();
      await flushIndexSync();
      await this.watcher?.close();
      this.lock?.release();
      log.info(`daemon stopped (${this.round.rounds} rounds, ${this.round.commits} commits)`);
    })();
    return this.stopping;
  }
}

import { Logger } from '../adapters/logger.js';
import { workspace, type Ctx } from '../cli/context.js';
import type { Config } from '../core/config.js';
import { Daemon } from '../daemon/daemon.js';
import { DAEMON_CACHE_SAVE_MS, TaskStore } from '../adapters/task-store.js';
import { DaemonRound } from '../daemon/round.js';
import type { Ticker } from '../daemon/tickers.js';

/**
 * The daemon's periodic jobs. One line each: a module that may not exist in
 * this build (it is then skipped), the function it exports, and its interval.
 * The function is called as `fn(root, cfg, { log, kick })` on every tick.
 */
interface TickerSpec {
  name: string;
  module: string;
  fn: string;
  intervalMs: (cfg: Config) => number;
  enabled?: (cfg: Config) => boolean;
}

export const TICKERS: TickerSpec[] = [
  { name: 'monitor', module: '../daemon/monitor.js', fn: 'runMonitorPass', intervalMs: (c) => c.monitor.interval },
  { name: 'sync', module: '../daemon/sync.js', fn: 'runSyncRound', intervalMs: (c) => c.sync.interval, enabled: (c) => c.sync.enabled },
];

type TickFn = (root: string, cfg: Config, extra: { log: Logger; kick: (name: string) => void }) => Promise<unknown>;

async function loadTickers(log: Logger): Promise<((d: Daemon) => Ticker | undefined)[]> {
  const out: ((d: Daemon) => Ticker | undefined)[] = [];
  // ORCH_TICKERS=none (or a comma list) limits the tickers: the benchmark measures the watch path alone.
  const only = process.env.ORCH_TICKERS?.split(',').map((s) => s.trim());
  for (const spec of TICKERS) {
    if (only && !only.includes(spec.name)) continue;
    let mod: Record<string, unknown>;
    try { mod = (await import(spec.module)) as Record<string, unknown>; } catch (e) {
      if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(spec.module.slice(3))) continue;
      throw e;
    }
    const fn = mod[spec.fn] as TickFn | undefined;
    if (typeof fn !== 'function') { log.warn(`ticker ${spec.name}: ${spec.module} has no ${spec.fn}(); skipped`); continue; }
    out.push((d) => (spec.enabled && !spec.enabled(d.cfg) ? undefined : {
      name: spec.name,
      intervalMs: spec.intervalMs(d.cfg),
      run: async () => { await fn(d.root, d.cfg, { log, kick: (n) => d.kick(n) }); },
    }));
  }
  return out;
}

export async function run(ctx: Ctx, opts: { once?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  const log = Logger.for(root, 'orchestration', (line) => ctx.stdout(line));
  if (opts.once) {
    const round = new DaemonRound({ root, cfg, store: new TaskStore(root, { saveEveryMs: DAEMON_CACHE_SAVE_MS }), log });
    await round.run({ paths: new Set(), full: true });
    if (!round.commits) ctx.stdout('nothing to commit: the workspace matches HEAD');
    return 0;
  }
  const makers = await loadTickers(log);
  const daemon = new Daemon(root, cfg, {
    log,
    tickers: (d) => makers.map((m) => m(d)).filter((t): t is Ticker => t !== undefined),
    debounceMs: envMs('ORCH_DEBOUNCE_MS'),
    quickMs: envMs('ORCH_QUICK_MS'),
    sweepMs: envMs('ORCH_SWEEP_MS'),
  });
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (sig: string) => {
      // A second signal while the last round is still running: the user wants out now (nothing is lost:
      // the next start commits what is left).
      if (++signals > 1) { log.warn(`${sig} again: exiting without waiting for the round in flight`); process.exit(130); }
      void daemon.stop(sig).then(resolve, resolve);
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGHUP', () => onSignal('SIGHUP'));
  });
  process.on('unhandledRejection', (e) => log.error(`unhandled: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  await daemon.start();
  await stopped;
  // A monitor pass cut short by the stop grace may still hold timers or a child (a delivery waiting
  // on its deadline): once the daemon has stopped, nothing of it must keep the process alive.
  setTimeout(() => process.exit(0), 200).unref();
  return 0;
}

/** Tuning knobs for tests and the benchmark (not part of the config contract). */
function envMs(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

import type { Logger } from '../adapters/logger.js';

/**
 * A periodic job the daemon runs beside its watch loop: the monitor, the
 * dispatcher, sync. Registered in src/commands/watch.ts (a small array).
 * A tick never overlaps the previous tick of the same ticker; a failing tick
 * is logged and the ticker keeps going; stop() waits for ticks in flight.
 */
export interface Ticker {
  name: string;
  intervalMs: number;
  run(): Promise<void>;
  /** Run once right after the daemon's first round (default true). */
  immediate?: boolean;
}

export interface RunningTickers {
  /** Ask a ticker to run as soon as it is free (e.g. dispatch right after a task lands in pending). */
  kick(name: string): void;
  stop(): Promise<void>;
}

export function startTickers(tickers: Ticker[], log: Logger): RunningTickers {
  let stopped = false;
  const state = new Map<string, { timer?: NodeJS.Timeout; inFlight?: Promise<void>; again: boolean }>();

  const schedule = (t: Ticker, ms: number): void => {
    const s = state.get(t.name)!;
    if (stopped) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => tick(t), ms);
  };
  const tick = (t: Ticker): void => {
    const s = state.get(t.name)!;
    s.timer = undefined;
    if (stopped) return;
    if (s.inFlight) { s.again = true; return; }
    s.inFlight = t.run()
      .catch((e: unknown) => log.error(`${t.name}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        s.inFlight = undefined;
        if (s.again) { s.again = false; schedule(t, 0); } else schedule(t, t.intervalMs);
      });
  };

  for (const t of tickers) {
    state.set(t.name, { again: false });
    schedule(t, t.immediate === false ? t.intervalMs : 0);
  }
  return {
    kick(name) {
      const t = tickers.find((x) => x.name === name);
      if (t && !stopped) schedule(t, 0);
    },
    async stop() {
      stopped = true;
      for (const s of state.values()) if (s.timer) clearTimeout(s.timer);
      await Promise.all([...state.values()].map((s) => s.inFlight));
    },
  };
}

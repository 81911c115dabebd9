/**
 * The daemon's watch loop as an explicit state machine (after google/wireit's
 * watcher). File events only say *when* to look; each round is level-triggered
 * (it compares the workspace with HEAD), so coalescing events never loses a change.
 *
 *                 poke                        timer (quickMs after a lone batch of
 *   ┌──────────┐ ──────► ┌────────────┐       events, else quiet for debounceMs,
 *                                             or maxWaitMs since first poke)
 *   │ watching │         │ debouncing │ ───────────────────────────┐
 *   └──────────┘ ◄────┐  └────────────┘ ◄─┐ poke: note its time     ▼
 *        ▲            │        ▲          └──────────        ┌─────────┐
 *        │            │        │ round done                  │ running │ ◄─┐
 *        │            │        └──────────────── ┌────────┐  └─────────┘   │
 *        │            │                          │ queued │ ◄── poke ──┘   │
 *        │            └── round done, no poke ── └────────┘                 │
 *        │                                                                  │
 *   stop() in any state ──► stopping: the round in flight finishes, then one
 *   final round runs (so nothing seen before the signal is left uncommitted)
 *   ──► stopped.
 *
 * What must stay true: at most one round at a time; every poke that arrives
 * while a round runs is followed by at least one more round; a poke is never
 * dropped, only merged with others (the hint is the union of their paths).
 */

/** What the events since the last round named (a hint only: rounds stay level-triggered). */
export interface RoundHint {
  /** Workspace-relative paths the events named. */
  paths: Set<string>;
  /** Something happened that a path list cannot describe (first round, overflow, a folder replaced, a timer sweep). */
  full: boolean;
}

export interface RoundOutcome {
  /** Run another round after this delay even without events (a half-written file to look at again). */
  retryAfterMs?: number;
  /** Paths the retry should look at. */
  retryPaths?: string[];
}

export type RoundFn = (hint: RoundHint) => Promise<RoundOutcome | void>;

export type LoopState =
  | { name: 'watching' }
  | { name: 'debouncing'; timer: NodeJS.Timeout; since: number; last: number; lone: boolean; more: boolean }
  | { name: 'running'; round: Promise<void> }
  | { name: 'queued'; round: Promise<void>; since: number; lone: boolean; more: boolean }
  | { name: 'stopping'; done: Promise<void> }
  | { name: 'stopped' };

export interface WatchLoopOptions {
  /** Quiet time after the last event before a round starts. */
  debounceMs: number;
  /**
   * A lone batch of events (what one `mv` or one atomic save gives: the events of one read of
   * the OS queue, delivered in one turn of the event loop) starts its round this soon instead of
   * after debounceMs; any event in a later turn means a burst or a multi-step save, and the
   * regular debounce applies. Default: debounceMs (off).
   */
  quickMs?: number;
  /** A steady stream of events cannot postpone a round longer than this. */
  maxWaitMs: number;
  round: RoundFn;
  onError?: (e: unknown) => void;
  onState?: (name: LoopState['name']) => void;
}

export class WatchLoop {
  private state: LoopState = { name: 'watching' };
  private hint: RoundHint = { paths: new Set(), full: false };
  private retryTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: WatchLoopOptions) {}

  get stateName(): LoopState['name'] { return this.state.name; }

  /** An event (or a timer) says "look": `paths` narrows where, `full` asks for a whole sweep. */
  poke(paths: Iterable<string> = [], full = false): void {
    for (const p of paths) this.hint.paths.add(p);
    if (full) this.hint.full = true;
    const s = this.state;
    switch (s.name) {
      case 'watching':
        this.debounce();
        return;
      case 'debouncing':
        // No timer churn per event (bursts bring thousands): the timer checks `last` when it fires.
        s.last = Date.now();
        if (!s.lone) s.more = true;
        return;
      case 'running': {
        // Same rule as in `watching`: a lone batch arriving during a round is quick once it ends.
        const q: LoopState = { name: 'queued', round: s.round, since: Date.now(), lone: true, more: false };
        this.set(q);
        setImmediate(() => { q.lone = false; });
        return;
      }
      case 'queued':
        if (!s.lone) s.more = true;
        return;
      case 'stopping':
      case 'stopped':
        return; // merged into the hint; the queued / final round will see it
      default:
        return assertNever(s);
    }
  }

  /** Resolves when the loop is idle (watching, nothing pending): for tests and `--once`. */
  whenIdle(): Promise<void> {
    if (this.state.name === 'watching' || this.state.name === 'stopped') return Promise.resolve();
    return new Promise((res) => this.idleWaiters.push(res));
  }

  /** Finish the round in flight, run one last round, stop. Safe to call twice. */
  stop(): Promise<void> {
    const s = this.state;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    switch (s.name) {
      case 'stopping':
        return s.done;
      case 'stopped':
        return Promise.resolve();
      case 'debouncing':
        clearTimeout(s.timer);
        return this.finalRound(Promise.resolve());
      case 'watching':
        return this.finalRound(Promise.resolve());
      case 'running':
      case 'queued':
        return this.finalRound(s.round);
      default:
        return assertNever(s);
    }
  }

  private finalRound(inFlight: Promise<void>): Promise<void> {
    const done = (async () => {
      await inFlight;
      if (this.hint.full || this.hint.paths.size) await this.runOnce();
      this.set({ name: 'stopped' });
    })();
    this.set({ name: 'stopping', done });
    return done;
  }

  /** Wait before a round: quickMs after `since` for what is so far a lone batch of events, else the debounce. */
  private debounce(lone = true, since = Date.now()): void {
    const now = Date.now();
    const quick = lone && this.opts.quickMs !== undefined && this.opts.quickMs < this.opts.debounceMs;
    const delay = quick ? Math.max(0, since + this.opts.quickMs! - now) : this.opts.debounceMs;
    const state: LoopState = {
      name: 'debouncing', timer: setTimeout(() => this.timerFired(), delay),
      since: now, last: now, lone: quick, more: !quick,
    };
    this.set(state);
    // Events delivered in this same turn belong to the first batch; any later one ends the quick path.
    if (quick) setImmediate(() => { state.lone = false; });
  }

  /**
   * A lone batch: run once quickMs passed. Otherwise quiet for debounceMs since the last event,
   * or maxWaitMs since the first: run. Else wait the rest.
   */
  private timerFired(): void {
    const s = this.state;
    if (s.name !== 'debouncing') return;
    const now = Date.now();
    const wait = s.more ? Math.min(s.last + this.opts.debounceMs, s.since + this.opts.maxWaitMs) - now : 0;
    if (wait > 0) { s.timer = setTimeout(() => this.timerFired(), wait); return; }
    const round = this.runOnce().then(() => this.roundDone());
    this.set({ name: 'running', round });
  }

  private async runOnce(): Promise<void> {
    const hint = this.hint;
    this.hint = { paths: new Set(), full: false };
    try {
      const out = await this.opts.round(hint);
      if (out?.retryAfterMs !== undefined) this.scheduleRetry(out.retryAfterMs, out.retryPaths ?? []);
    } catch (e) {
      // A round that failed (git busy, disk full…) is retried with a full sweep: nothing is lost.
      this.opts.onError?.(e);
      this.scheduleRetry(1000, [], true);
    }
  }

  private scheduleRetry(ms: number, paths: string[], full = false): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => { this.retryTimer = undefined; this.poke(paths, full); }, ms);
    this.retryTimer.unref();
  }

  private roundDone(): void {
    const s = this.state;
    switch (s.name) {
      case 'running':
        this.set({ name: 'watching' });
        return;
      case 'queued':
        // Events came in during the round: one more round — soon for a lone batch (one `mv` while the
        // last round finished), else after a short quiet time so a burst coalesces.
        this.debounce(!s.more, s.since);
        return;
      case 'stopping':
      case 'stopped':
      case 'watching':
      case 'debouncing':
        return; // stop() owns the rest
      default:
        return assertNever(s);
    }
  }

  private set(next: LoopState): void {
    const changed = next.name !== this.state.name;
    this.state = next;
    if (changed) this.opts.onState?.(next.name);
    if (next.name === 'watching' || next.name === 'stopped') {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const res of w) res();
    }
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected state: ${JSON.stringify(x)}`);
}

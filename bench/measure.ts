import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, watch, type FSWatcher } from 'node:fs';

export const HAS_TIME = existsSync('/usr/bin/time');

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
export const median = (xs: number[]): number => percentile(xs, 50);
export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export interface Run { ms: number; rssMb: number | null; code: number | null; stdout: string; stderr: string }

/** Run a command to the end: wall time, and peak RSS through /usr/bin/time -v when present. */
export function runTimed(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const withTime = HAS_TIME ? ['/usr/bin/time', ['-v', cmd, ...args]] as const : [cmd, args] as const;
  const t0 = performance.now();
  const r = spawnSync(withTime[0], [...withTime[1]], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', maxBuffer: 512 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { ms, rssMb: m ? Number(m[1]) / 1024 : null, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Median wall time and peak RSS over `n` runs after one warm-up. */
export function repeat(n: number, f: () => Run): { ms: number; rssMb: number | null; runs: Run[] } {
  f();
  const runs = Array.from({ length: n }, f);
  const bad = runs.find((r) => r.code !== 0);
  if (bad) throw new Error(`command failed (${bad.code}): ${bad.stderr.split('\n').filter((l) => !/^\s/.test(l)).slice(0, 3).join(' | ')}`);
  const rss = runs.map((r) => r.rssMb).filter((x): x is number => x !== null);
  return { ms: median(runs.map((r) => r.ms)), rssMb: rss.length ? Math.max(...rss) : null, runs };
}

/**
 * Follows the daemon's log and resolves when lines match: the "commit … sha"
 * line is written right after the commit (and the index sync), so it marks
 * "the change is in a commit".
 */
export class LogTail {
  private offset: number;
  private partial = '';
  private waiters: { test: (line: string) => boolean; resolve: (t: number) => void }[] = [];
  private w: FSWatcher | undefined;
  private poll: NodeJS.Timeout;
  readonly seen: string[] = [];

  constructor(private readonly file: string) {
    this.offset = existsSync(file) ? statSync(file).size : 0;
    try { this.w = watch(file, () => this.pump()); } catch { /* not yet there: the poll covers it */ }
    this.poll = setInterval(() => this.pump(), 5);
  }

  /** Resolves with performance.now() of the moment the matching line was read. */
  next(test: (line: string) => boolean, timeoutMs = 60_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a daemon log line')), timeoutMs);
      this.waiters.push({ test, resolve: (t) => { clearTimeout(timer); resolve(t); } });
      this.pump();
    });
  }

  private pump(): void {
    let size: number;
    try { size = statSync(this.file).size; } catch { return; }
    if (size <= this.offset) return;
    const fd = openSync(this.file, 'r');
    const buf = Buffer.alloc(size - this.offset);
    readSync(fd, buf, 0, buf.length, this.offset);
    closeSync(fd);
    this.offset = size;
    const now = performance.now();
    const lines = (this.partial + buf.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      this.seen.push(line);
      for (const w of [...this.waiters]) if (w.test(line)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(now); }
    }
  }

  close(): void { this.w?.close(); clearInterval(this.poll); }
}

/** CPU ticks (utime + stime) and RSS of a live process, from /proc. */
export function procSample(pid: number): { ticks: number; rssMb: number; hwmMb: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
    return { ticks, rssMb: kb('VmRSS'), hwmMb: kb('VmHWM') };
  } catch { return null; }
}

export const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout?.trim()) || 100;
})();

export function startDaemon(orch: string, cwd: string, env: Record<string, string> = {}): ChildProcess {
  // The watch path alone: no monitor/dispatch/sync tickers (they would try to reach tmux agents).
  // With ORCH_TRACE its timing lines are kept (d.stderr), not printed into the bench's output.
  return spawn(process.execPath, [orch, 'watch'], { cwd, env: { ...process.env, NO_COLOR: '1', ORCH_TICKERS: 'none', ...env }, stdio: ['ignore', 'ignore', env.ORCH_TRACE ? 'pipe' : 'inherit'] });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wait until no git process works in `dir` (a `git gc --auto` that a baseline `git commit`
 * detached would otherwise run beside the next measurements). Returns the ms waited.
 */
export async function waitGitIdle(dir: string, timeoutMs = 180_000): Promise<number> {
  const t0 = Date.now();
  const busy = (): boolean => readdirSync('/proc').some((p) => {
    if (!/^\d+$/.test(p)) return false;
    try { return readFileSync(`/proc/${p}/comm`, 'utf8').trim().startsWith('git') && realpathSync(`/proc/${p}/cwd`) === realpathSync(dir); } catch { return false; }
  });
  while (busy() && Date.now() - t0 < timeoutMs) await sleep(200);
  return Date.now() - t0;
}

import type { ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitOut, orchSpawn, waitFor } from '../helpers/index.js';

/** Shared by the daemon e2e tests: start the real `orch watch`, read commits back. */
export const LOG = '.orch/logs/orchestration.log';

export function logText(dir: string): string {
  try { return readFileSync(join(dir, LOG), 'utf8'); } catch { return ''; }
}

/** A running daemon (wrapped: awaiting the process itself would wait for its exit). */
export interface Running { proc: ResultPromise; pid: number }

/** Start the real daemon and wait until its first round is done (it logs "watching"). */
export async function startDaemon(dir: string, env: Record<string, string> = {}): Promise<Running> {
  const before = (logText(dir).match(/ watching tasks\//g) ?? []).length;
  // The watch path alone: the monitor/dispatch tickers would claim these tasks for (absent) agents.
  const p = orchSpawn(dir, ['watch'], { ORCH_TICKERS: 'none', ...env });
  await waitFor(async () => {
    if (p.exitCode !== null) throw new Error(`daemon exited ${p.exitCode}: ${String((await p).stderr)}`);
    return (logText(dir).match(/ watching tasks\//g) ?? []).length > before;
  }, 'the daemon to finish its first round', 20_000);
  return { proc: p, pid: p.pid! };
}

export async function stopDaemon(d: Running): Promise<number | undefined> {
  if (d.proc.exitCode === null) d.proc.kill('SIGTERM');
  const r = await d.proc;
  return r.exitCode;
}

export interface Commit { sha: string; subject: string; body: string; tasks: string[] }

/** Every commit, newest first, with its Orch-Task trailers. */
export async function commits(dir: string): Promise<Commit[]> {
  const out = await gitOut(dir, ['log', '--format=%H%x1f%s%x1f%B%x1e']);
  return out.split('\x1e').map((c) => c.trim()).filter(Boolean).map((c) => {
    const [sha, subject, body] = c.split('\x1f') as [string, string, string];
    const tasks = [...body.matchAll(/^Orch-Task: (.+)$/gm)].map((m) => m[1]!);
    return { sha, subject, body, tasks };
  });
}

/** Wait for a commit with this exact Orch-Task trailer. */
export async function waitForTrailer(dir: string, trailer: string, timeoutMs = 15_000): Promise<Commit> {
  return waitFor(async () => (await commits(dir)).find((c) => c.tasks.includes(trailer)), `a commit with Orch-Task: ${trailer}`, timeoutMs, 40);
}

export async function porcelain(dir: string, ...paths: string[]): Promise<string> {
  return (await gitOut(dir, ['status', '--porcelain', '--untracked-files=all', '--', ...paths])).trim();
}

export function exists(dir: string, rel: string): boolean { return existsSync(join(dir, rel)); }

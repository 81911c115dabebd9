/**
 * Shared by the monitor e2e tests (test/e2e/monitor-*.test.ts): a tmux world
 * (test/adapters/tmux-world.ts: the real binary, sim agents on a private
 * `tmux -L orch-test-<unique>` server) with the `monitor:` and `dispatch:` settings
 * a test needs, and monitor passes through `orch monitor --once --json`.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorld, type SimAgentSpec, type World } from '../adapters/tmux-world.js';
import { taskText, waitFor } from '../helpers/index.js';
import { startDaemon, stopDaemon, type Running } from './daemon-kit.js';

export interface PassReport {
  actions: { kind: string; agent?: string; taskId?: string; message?: string; reason?: string; count?: number }[];
  dispatched: { agent: string; taskId: string; result: string; reason?: string }[];
  errors: string[];
}

/** A started world (no daemon, nothing dispatched) whose config has these `monitor:` and `dispatch:` lines. */
export async function monitorWorld(agents: Record<string, SimAgentSpec>, monitor: string, opts: { dispatch?: string; start?: boolean } = {}): Promise<World> {
  const w = await makeWorld(agents);
  const file = join(w.dir, '.orch', 'config.yml');
  const cfg = readFileSync(file, 'utf8')
    .replace('monitor: { interval: 1h }', `monitor: ${monitor}`)
    .replace('dispatch: { auto: false }', `dispatch: ${opts.dispatch ?? '{ auto: false }'}`);
  writeFileSync(file, cfg);
  if (opts.start !== false) {
    const s = await w.orch(['start', '--no-daemon', '--no-dispatch']);
    assert.equal(s.exitCode, 0, s.stderr + s.stdout);
  }
  return w;
}

export function putTask(w: World, id: string, extra: Record<string, string> = {}, folder = 'pending'): void {
  writeFileSync(join(w.dir, 'tasks', folder, `${id}.md`), taskText(id, `Task ${id}`, extra));
}

/** One real monitor pass. */
export async function pass(w: World): Promise<PassReport> {
  const r = await w.orch(['monitor', '--once', '--json'], { timeout: 120_000 });
  assert.ok(r.stdout.trim(), `orch monitor printed nothing (exit ${r.exitCode}): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as PassReport;
  assert.deepEqual(report.errors, [], `monitor pass errors: ${report.errors.join('; ')}`);
  return report;
}

/** Monitor passes, one after another, until `pred` holds on the workspace (checked after each pass). */
export async function passUntil<T>(w: World, pred: (r: PassReport) => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  return waitFor(async () => pred(await pass(w)), what, timeoutMs, 0);
}

export const read = (w: World, rel: string): string => {
  try { return readFileSync(join(w.dir, rel), 'utf8'); } catch { return ''; }
};

/** The Alerts section of ORCHESTRATION_STATUS.md. */
export const statusAlerts = (w: World): string => /^#+ Alerts\b[^\n]*\n([\s\S]*?)(?=^#+ |(?![\s\S]))/m.exec(read(w, 'ORCHESTRATION_STATUS.md'))?.[1] ?? '';

export const reminders = (w: World, agent: string, id: string) =>
  w.received(agent).filter((x) => x.text.startsWith('[RAPPEL] Tu as une tache en cours. Continue le travail.') && x.text.includes(`TASK_ID: ${id}`));

/** Cleanup; with ORCH_TEST_KEEP=1 the workspace is kept (its path printed) to read its logs after a failure. */
export async function dispose(w: World | undefined): Promise<void> {
  if (!w) return;
  if (process.env.ORCH_TEST_KEEP) { await w.tmux.killServer(); process.stderr.write(`# kept ${w.dir}\n`); return; }
  await w.cleanup();
}

/**
 * The whole loop under the daemon: an orchestrator (boss) and a worker (w1),
 * automatic dispatch, and `orch watch` running its monitor ticker every
 * `intervalS` (daemon-kit alone runs the watch path only: ORCH_TICKERS=none).
 */
export interface DaemonWorld { w: World; daemon: Running | undefined }

export async function daemonWorld(intervalS: number): Promise<DaemonWorld> {
  const w = await monitorWorld({ boss: { window: 0, role: 'orchestrator' }, w1: { window: 1 } },
    `{ interval: ${intervalS}s, idle_after: 1s, remind_after: 1h, max_reminders: 3, lease: 1h }`, { dispatch: '{ auto: true }' });
  return { w, daemon: await startDaemon(w.dir, { ...w.env, ORCH_TICKERS: 'monitor' }) };
}

export async function disposeDaemonWorld(x: DaemonWorld | undefined): Promise<void> {
  if (x?.daemon) await stopDaemon(x.daemon).catch(() => undefined);
  await dispose(x?.w);
}

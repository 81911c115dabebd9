import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real orch binary (compiled). */
export const ORCH_BIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface RunResult { stdout: string; stderr: string; exitCode: number }

/** Run the real `orch` binary in `cwd`; never throws on a non-zero exit. */
export async function orch(cwd: string, args: string[], opts: { input?: string; env?: Record<string, string>; timeout?: number } = {}): Promise<RunResult> {
  const r = await execa(process.execPath, [ORCH_BIN, ...args], {
    cwd, reject: false, input: opts.input, timeout: opts.timeout ?? 60_000,
    env: { NO_COLOR: '1', ...opts.env },
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/** Start the real binary in the background (daemon, sim-agent…). */
export function orchSpawn(cwd: string, args: string[], env: Record<string, string> = {}): ResultPromise {
  return execa(process.execPath, [ORCH_BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1', ...env }, buffer: true });
}

export async function sh(cwd: string, cmd: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const r = await execa(cmd, args, { cwd, reject: false, env });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'orch-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }) };
}

/** A fresh workspace made by the real `orch init` (a git repo with identity). */
export async function tempWorkspace(initArgs: string[] = []): Promise<{ dir: string; cleanup: () => void }> {
  const t = tempDir();
  await sh(t.dir, 'git', ['init', '-q', '-b', 'main']);
  await sh(t.dir, 'git', ['config', 'user.name', 'Test User']);
  await sh(t.dir, 'git', ['config', 'user.email', 'test@example.com']);
  const r = await orch(t.dir, ['init', ...initArgs]);
  if (r.exitCode !== 0) throw new Error(`orch init failed: ${r.stderr}`);
  return t;
}

/**
 * Wait until `fn` returns a truthy value, polling; throws with `what` after the deadline.
 * The only way tests synchronize: a condition with a deadline, never a fixed sleep.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15_000, pollMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function gitOut(cwd: string, args: string[]): Promise<string> {
  return (await sh(cwd, 'git', args)).stdout;
}

/** A valid v2 task file text. */
export function taskText(id: string, title: string, extra: Record<string, string> = {}, body?: string): string {
  const lines = [`id: ${id}`, `title: ${JSON.stringify(title)}`, ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`)];
  return `---\n${lines.join('\n')}\n---\n${body ?? v2BodyFor(id)}`;
}

export function v2BodyFor(id: string): string {
  return `
## Context
Line one of context for ${id}.
Line two of context.
Line three of context.

## Objective
Do the thing well.
Make it fast.

## Files to create/modify
- src/a.ts — new module
- src/b.ts — wiring

## Detailed instructions
1. Step one.
2. Step two.
3. Step three.
4. Step four.

## Tests to write
- test a
- test b

## Acceptance criteria
- [ ] all tests pass
- [ ] lint clean

## After completion
Run orch done ${id}.
`;
}

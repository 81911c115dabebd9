import { resolve } from 'node:path';
import { findRoot, loadConfig } from '../adapters/workspace.js';
import type { Config } from '../core/config.js';

/** What every command gets: where to run and how to print. Commands never read process.cwd() themselves. */
export interface Ctx {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  color: boolean;
}

export function makeCtx(cwdOpt: string | undefined): Ctx {
  return {
    cwd: resolve(cwdOpt ?? process.cwd()),
    stdout: (s) => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
    stderr: (s) => void process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

export function workspace(ctx: Ctx): { root: string; cfg: Config } {
  const root = findRoot(ctx.cwd);
  return { root, cfg: loadConfig(root) };
}

/** `--json` output: one JSON document and nothing else on stdout. */
export function printJson(ctx: Ctx, value: unknown): void {
  ctx.stdout(JSON.stringify(value, null, 2));
}

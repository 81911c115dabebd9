import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Ctx } from '../cli/context.js';

/** All of stdin, as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The text a `--file`-like flag names: `-` is stdin, a relative path is taken
 * from the command's directory (`-C <dir>` included, like git).
 */
export async function readFileFlag(ctx: Ctx, flag: string, file: string): Promise<string> {
  if (file === '-') return readStdin();
  return readFile(resolve(ctx.cwd, file), 'utf8').catch(() => {
    throw new UsageError(`cannot read ${flag} ${file}`, 'give a readable file, or - for stdin');
  });
}

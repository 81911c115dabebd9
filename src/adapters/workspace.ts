import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CONFIG_PATH, parseConfig, type Config } from '../core/config.js';
import { EnvError, RefusedError } from '../core/errors.js';
import { formatProblem } from '../core/result.js';

/** The workspace root: the nearest folder upward holding `.orch/config.yml`. */
export function findRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, CONFIG_PATH))) return dir;
    const up = dirname(dir);
    if (up === dir) {
      throw new EnvError(`not an orch workspace: no ${CONFIG_PATH} in ${resolve(start)} or any parent`, 'run `orch init` here, or pass -C <workspace>');
    }
    dir = up;
  }
}

export function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

/** Load and validate the config; a broken config refuses the command with file:line:col. */
export function loadConfig(root: string): Config {
  const path = join(root, CONFIG_PATH);
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch {
    throw new EnvError(`cannot read ${CONFIG_PATH} in ${root}`, 'run `orch init` to create it');
  }
  const r = parseConfig(text, basename(root));
  if (!r.ok) {
    throw new RefusedError(r.errors.map(formatProblem).join('\n'), `fix ${CONFIG_PATH} (schema: schema/config.schema.json), then run \`orch lint\``);
  }
  return r.value;
}

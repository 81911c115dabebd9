import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';

/**
 * The orch checkout. The runner runs the suite from a private copy of dist/
 * (`.vendors/run-<pid>/`, so a concurrent `npm run build` cannot break a run)
 * and names the checkout in ORCH_VENDORS_REPO; otherwise walk up from this
 * file to package.json.
 */
export function repoRoot(): string {
  const fromEnv = process.env['ORCH_VENDORS_REPO'];
  if (fromEnv) return fromEnv;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** The orch binary of the build this file belongs to (dist/src/cli/main.js beside dist/test/). */
export function orchMain(): string {
  return fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));
}

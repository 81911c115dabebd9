import { mkdirSync } from 'node:fs';
import { lockfile } from '../vendor/files.js';
import { runPath } from './paths.js';

/**
 * orch's commit lock: one writer of orch's commits at a time across processes
 * (verbs, the daemon, dispatch). A lock whose holder died goes stale and is
 * taken over (proper-lockfile refreshes the mtime while held).
 */
export async function withCommitLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const dir = runPath(root);
  mkdirSync(dir, { recursive: true });
  const release = await lockfile.lock(dir, {
    lockfilePath: runPath(root, 'commit.lock'),
    realpath: false,
    stale: 10_000,
    update: 2_000,
    retries: { retries: 600, factor: 1, minTimeout: 20, maxTimeout: 100 },
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

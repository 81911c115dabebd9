import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ORCH_PATHS, syncRealIndex } from '../adapters/committer.js';
import { git } from '../adapters/git.js';

/**
 * A daemon killed between its `git commit` and the index sync that follows
 * leaves the human's index holding the old entries of the committed paths:
 * `git status` shows orch's change as staged-reverted, and the human's next
 * `git commit` would revert it. On every full round the daemon looks for orch
 * paths whose index entry differs from HEAD while the file on disk matches
 * HEAD — stale entries, no one's staged work — and brings them to HEAD.
 * Returns the paths it fixed.
 */
export async function healRealIndex(root: string): Promise<string[]> {
  const spec = ORCH_PATHS.map((p) => `:(literal)${p}`);
  const staged = await git(root, ['diff-index', '--cached', '--no-renames', '--name-only', '-z', 'HEAD', '--', ...spec], { reject: false });
  if (staged.exitCode !== 0) return [];
  const candidates = staged.stdout.split('\0').filter(Boolean);
  if (!candidates.length) return [];
  // Does the file on disk match HEAD? (`git diff HEAD` cannot say: it sees disk only through the index.)
  const lit = candidates.map((p) => `:(literal)${p}`);
  const tree = await git(root, ['ls-tree', '-z', 'HEAD', '--', ...lit], { reject: false });
  const inHead = new Map<string, string>();
  for (const row of tree.stdout.split('\0').filter(Boolean)) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(row);
    if (m) inHead.set(m[2]!, m[1]!);
  }
  const onDisk = candidates.filter((p) => existsSync(join(root, p)));
  const hashes = onDisk.length ? (await git(root, ['hash-object', '--stdin-paths'], { input: onDisk.join('\n') + '\n', reject: false })).stdout.trim().split('\n') : [];
  const diskHash = new Map(onDisk.map((p, i) => [p, hashes[i]]));
  const stale = candidates.filter((p) => (inHead.has(p) ? diskHash.get(p) === inHead.get(p) : !diskHash.has(p)));
  await syncRealIndex(root, stale);
  return stale;
}

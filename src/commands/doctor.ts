import { existsSync, statSync } from 'node:fs';
import { readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { planDoctor, type Finding, type Fix, type LockState } from '../core/doctor.js';
import { updateFrontmatter } from '../core/frontmatter.js';
import { indexLockPath } from '../adapters/committer.js';
import { git, headOid } from '../adapters/git.js';
import { ageMs, readPidFile } from '../adapters/liveness.js';
import { isLiveDaemon } from '../daemon/daemon-lock.js';
import { liveGitIn } from '../daemon/git-procs.js';
import { withCommitLock } from '../adapters/lock.js';
import { Logger } from '../adapters/logger.js';
import { RUN_DIR } from '../adapters/paths.js';
import { reconcile } from '../adapters/reconcile.js';
import { moveTaskFile, TaskStore, writeAtomic } from '../adapters/store.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';
import type { Config } from '../core/config.js';

/** proper-lockfile refreshes a held lock every 2 s and calls it stale after 10 s (src/adapters/lock.ts). */
const LOCK_STALE_MS = 10_000;

/**
 * `orch doctor [--fix] [--json]`: duplicate ids, a file in two folders, stale
 * locks, a `status:` that disagrees with its folder, in-progress tasks of an
 * agent that is not configured. `--fix` repairs them (one commit for the task
 * files). Exit 1 when problems remain.
 */
export async function run(ctx: Ctx, o: { fix?: boolean; json?: boolean }): Promise<number> {
  const { root, cfg } = workspace(ctx);
  let findings = planDoctor(await gather(root, cfg));
  const fixed = new Set<Finding>();
  let commit: string | null = null;
  if (o.fix && findings.some((f) => f.fix)) {
    for (const f of findings) if (f.fix?.type === 'remove-lock') { await rm(f.fix.path, { recursive: true, force: true }); fixed.add(f); }
    const fileFixes = findings.filter((f) => f.fix && f.fix.type !== 'remove-lock');
    if (fileFixes.length) {
      commit = await withCommitLock(root, async () => {
        const notes: Record<string, string> = {};
        for (const f of fileFixes) {
          if (await applyFix(root, f.fix!)) { fixed.add(f); const id = idOf(f); if (id) notes[id] = `doctor: ${f.message}`; }
        }
        const r = await reconcile(root, { cfg, notes, log: Logger.for(root, 'orchestration') });
        return r.commit;
      });
    }
    const before = findings;
    findings = planDoctor(await gather(root, cfg));
    for (const f of before) if (fixed.has(f)) Logger.for(root, 'orchestration').info(`doctor fixed ${f.kind} ${f.path}`);
    if (o.json) printJson(ctx, { fixed: [...fixed].map(view), problems: findings.map(view), remaining: findings.length, commit });
    else {
      for (const f of fixed) ctx.stdout(`fixed  ${f.path}: ${f.kind}: ${f.message}`);
      for (const f of findings) ctx.stdout(`left   ${f.path}: ${f.kind}: ${f.message}`);
      ctx.stderr(findings.length ? `orch doctor: ${findings.length} problem(s) remain` : `orch doctor: ${fixed.size} problem(s) fixed${commit ? ` [${commit.slice(0, 7)}]` : ''}, none left`);
    }
    return findings.length ? 1 : 0;
  }
  if (o.json) printJson(ctx, { fixed: [], problems: findings.map(view), remaining: findings.length, commit: null });
  else {
    for (const f of findings) ctx.stdout(`${f.path}: ${f.kind}: ${f.message}`);
    ctx.stderr(findings.length ? `orch doctor: ${findings.length} problem(s)${findings.some((f) => f.fix) ? '; run `orch doctor --fix` to repair' : ''}` : 'orch doctor: no problems');
  }
  return findings.length ? 1 : 0;
}

const view = (f: Finding) => ({ kind: f.kind, path: f.path, id: f.id ?? null, message: f.message, fixable: f.fix !== null });
const idOf = (f: Finding): string | undefined => (f.fix?.type === 'renumber' ? f.fix.newId : f.id);

async function gather(root: string, cfg: Config) {
  const scan = await new TaskStore(root, false).scan();
  const inHead = await pathsInHead(root, scan.tasks.map((t) => t.path));
  const tasks = scan.tasks.map((task) => {
    let mtimeMs = 0;
    try { mtimeMs = statSync(join(root, task.path)).mtimeMs; } catch { /* vanished */ }
    return { task, mtimeMs, inHead: inHead.has(task.path) };
  });
  return { tasks, agents: Object.keys(cfg.agents), locks: await locks(root) };
}

async function pathsInHead(root: string, paths: string[]): Promise<Set<string>> {
  if (!paths.length || !(await headOid(root))) return new Set();
  const r = await git(root, ['cat-file', '--batch-check=%(objecttype)'], { input: paths.map((p) => `HEAD:${p}`).join('\n') + '\n', reject: false });
  const lines = r.stdout.split('\n');
  return new Set(paths.filter((_, i) => lines[i] === 'blob'));
}

async function locks(root: string): Promise<LockState[]> {
  const out: LockState[] = [];
  for (const name of ['commit.lock', 'daemon.lock']) {
    const p = join(root, RUN_DIR, name);
    const age = ageMs(p);
    if (age !== null && age > LOCK_STALE_MS) out.push({ path: p, stale: `not refreshed for ${Math.round(age / 1000)} s, so its holder is gone` });
  }
  const pidFile = join(root, RUN_DIR, 'daemon.pid');
  if (existsSync(pidFile)) {
    const pid = readPidFile(pidFile);
    if (pid === null) out.push({ path: pidFile, stale: 'it holds no pid' });
    else if (!isLiveDaemon(pid)) out.push({ path: pidFile, stale: `daemon pid ${pid} is not running (or is no longer an orch watch)` });
  }
  const index = await indexLockPath(root);
  const age = ageMs(index);
  // A lock younger than 2 s may belong to a git that is starting up elsewhere (git -C): leave it.
  if (age !== null && age > 2000 && !liveGitIn(root)) {
    out.push({ path: index, stale: 'no git process is running in this repository (left by a killed git)' });
  }
  return out;
}

async function applyFix(root: string, fix: Fix): Promise<boolean> {
  const abs = (p: string) => join(root, p);
  switch (fix.type) {
    case 'remove-lock':
      await rm(fix.path, { recursive: true, force: true });
      return true;
    case 'remove':
      await unlink(abs(fix.path));
      return true;
    case 'renumber': {
      const name = fix.path.split('/').pop()!;
      const to = `${fix.path.slice(0, -name.length)}${name.startsWith(fix.id) ? fix.newId + name.slice(fix.id.length) : `${fix.newId}-${name}`}`;
      if (existsSync(abs(to))) return false;
      await moveTaskFile(root, fix.path, to, updateFrontmatter(await readFile(abs(fix.path), 'utf8'), { id: fix.newId }));
      return true;
    }
    case 'set-status':
      await writeAtomic(abs(fix.path), updateFrontmatter(await readFile(abs(fix.path), 'utf8'), { status: fix.status }));
      return true;
    case 'move': {
      const to = `tasks/${fix.to}/${fix.path.split('/').pop()!}`;
      if (existsSync(abs(to))) return false;
      await rename(abs(fix.path), abs(to));
      return true;
    }
    case 'requeue': {
      const to = `tasks/pending/${fix.path.split('/').pop()!}`;
      if (existsSync(abs(to))) return false;
      const text = await readFile(abs(fix.path), 'utf8');
      const hasStatus = /^status\s*:/m.test(text.split(/\r?\n(?:---|\.\.\.)/)[0] ?? '');
      await moveTaskFile(root, fix.path, to, updateFrontmatter(text, { agent: null, assigned: undefined, ...(hasStatus ? { status: 'pending' } : {}) }));
      return true;
    }
    default: {
      const never: never = fix;
      throw new Error(`unknown fix ${JSON.stringify(never)}`);
    }
  }
}

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { gitOut, orch, sh, taskText, tempWorkspace, waitFor } from '../helpers/index.js';
import { commits, logText, porcelain, startDaemon, stopDaemon, waitForTrailer } from './daemon-kit.js';

/** The daemon's fault handling through the real binary: locks, kill -9, stale git locks, signals. */
describe('orch watch: faults', () => {
  it('refuses a second daemon (exit 1, names the pid) and takes over a dead pid lock', async () => {
    const ws = await tempWorkspace();
    try {
      // A lock left by a process that is gone.
      const child = execa('true');
      const dead = { pid: child.pid! };
      await child;
      mkdirSync(join(ws.dir, '.orch/run'), { recursive: true });
      writeFileSync(join(ws.dir, '.orch/run/daemon.pid'), `${dead.pid}\n`);
      const d = await startDaemon(ws.dir);
      assert.match(logText(ws.dir), new RegExp(`WARN took over the daemon lock from pid ${dead.pid}, which is not running`));
      const second = await orch(ws.dir, ['watch'], { timeout: 20_000 });
      assert.equal(second.exitCode, 1);
      assert.match(second.stderr, new RegExp(`^orch: another daemon is running in this workspace \\(pid ${d.pid}\\)$`, 'm'));
      assert.match(second.stderr, /orch stop/);
      assert.equal(await stopDaemon(d), 0);
      assert.ok(!existsSync(join(ws.dir, '.orch/run/daemon.pid')), 'the lock is released on exit');
    } finally { ws.cleanup(); }
  });

  it('SIGTERM finishes the round, commits what is pending, exits 0', async () => {
    const ws = await tempWorkspace();
    try {
      const d = await startDaemon(ws.dir, { ORCH_DEBOUNCE_MS: '2000', ORCH_QUICK_MS: '2000' }); // the change is still in its debounce when the signal arrives
      writeFileSync(join(ws.dir, 'tasks/pending/TASK-PO-101.md'), taskText('TASK-PO-101', 'Pending at SIGTERM'));
      assert.equal(d.proc.exitCode, null);
      d.proc.kill('SIGTERM');
      const r = await d.proc;
      assert.equal(r.exitCode, 0, String(r.stderr));
      assert.equal(await porcelain(ws.dir, 'tasks', 'ORCHESTRATION_STATUS.md'), '');
      assert.ok((await commits(ws.dir)).some((c) => c.tasks.includes('TASK-PO-101 new -> pending')));
    } finally { ws.cleanup(); }
  });

  it('kill -9 in the middle of a burst loses nothing: the next start commits the rest, git fsck clean', async () => {
    const ws = await tempWorkspace();
    const p = (rel: string) => join(ws.dir, rel);
    try {
      const ids = Array.from({ length: 400 }, (_, i) => `KILL-${i + 1}`);
      for (const id of ids) writeFileSync(p(`tasks/pending/${id}.md`), taskText(id, id));
      await sh(ws.dir, 'git', ['add', 'tasks']);
      await sh(ws.dir, 'git', ['commit', '-qm', 'seed tasks']);
      const d = await startDaemon(ws.dir, { ORCH_DEBOUNCE_MS: '5' });
      const head = (await commits(ws.dir)).length;
      let killed = false;
      for (const [i, id] of ids.entries()) {
        renameSync(p(`tasks/pending/${id}.md`), p(`tasks/in_progress/${id}.md`));
        if (i % 20 === 0) await new Promise((r) => setImmediate(r));
        // Kill it as soon as it has committed part of the burst: mid-burst, maybe mid-commit.
        if (!killed && i > 100 && (await commits(ws.dir)).length > head) { d.proc.kill('SIGKILL'); killed = true; }
      }
      if (!killed) d.proc.kill('SIGKILL');
      await d.proc;
      const d2 = await startDaemon(ws.dir);
      await waitFor(async () => (await porcelain(ws.dir, 'tasks', 'ORCHESTRATION_STATUS.md')) === '', 'everything committed after restart', 30_000, 100);
      const moved = (await commits(ws.dir)).flatMap((c) => c.tasks).filter((t) => t.startsWith('KILL-') && t.endsWith('pending -> in_progress'));
      assert.equal(moved.length, 400);
      assert.equal(new Set(moved).size, 400);
      const fsck = await sh(ws.dir, 'git', ['fsck', '--no-progress']);
      assert.equal(fsck.exitCode, 0, fsck.stderr);
      assert.equal(await stopDaemon(d2), 0);
    } finally { ws.cleanup(); }
  });

  it('clears a stale .git/index.lock left by a killed git, never one a live git holds', async () => {
    const ws = await tempWorkspace();
    try {
      const lock = join(ws.dir, '.git/index.lock');
      writeFileSync(lock, '');
      const old = new Date(Date.now() - 60_000);
      utimesSync(lock, old, old);
      writeFileSync(join(ws.dir, 'tasks/pending/TASK-PO-201.md'), taskText('TASK-PO-201', 'Behind a stale lock'));
      const d = await startDaemon(ws.dir);
      assert.ok(!existsSync(lock));
      assert.match(logText(ws.dir), /WARN removed stale .*index\.lock left by a killed git/);
      await waitForTrailer(ws.dir, 'TASK-PO-201 new -> pending');
      // A human's `git commit` works afterwards: the real index is consistent.
      writeFileSync(join(ws.dir, 'human.txt'), 'x\n');
      await sh(ws.dir, 'git', ['add', 'human.txt']);
      assert.equal((await sh(ws.dir, 'git', ['commit', '-qm', 'human work'])).exitCode, 0);
      assert.equal((await gitOut(ws.dir, ['show', '--name-only', '--format=', 'HEAD'])).trim(), 'human.txt');
      assert.equal(await stopDaemon(d), 0);
    } finally { ws.cleanup(); }
  });
});

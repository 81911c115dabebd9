import assert from 'node:assert/strict';
import { renameSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gitOut, orch, sh, taskText, tempWorkspace, waitFor } from '../helpers/index.js';
import { commits, exists, type Running, logText, porcelain, startDaemon, stopDaemon, waitForTrailer } from './daemon-kit.js';

/**
 * The daemon through the real binary: every change made by anyone is
 * committed, once, with its trailer; nothing else is. One daemon for the
 * whole file (the tests use distinct task ids), as a user would run it.
 */
describe('orch watch: commits every change', () => {
  let ws: { dir: string; cleanup: () => void };
  let daemon: Running;
  const p = (rel: string) => join(ws.dir, rel);
  /** A change that must land in a commit of its own after everything before it: a fence. */
  let fenceN = 900;
  async function fence(): Promise<void> {
    const id = `FENCE-${++fenceN}`;
    writeFileSync(p(`tasks/pending/${id}.md`), taskText(id, 'fence'));
    await waitForTrailer(ws.dir, `${id} new -> pending`);
  }

  before(async () => {
    ws = await tempWorkspace();
    // Written while no daemon runs: the first round must commit it.
    writeFileSync(p('tasks/pending/TASK-PO-001.md'), taskText('TASK-PO-001', 'Present before the daemon'));
    daemon = await startDaemon(ws.dir);
  });
  after(async () => {
    const code = await stopDaemon(daemon);
    ws.cleanup();
    assert.equal(code, 0);
  });

  it('commits at start what changed while it was down', async () => {
    await waitForTrailer(ws.dir, 'TASK-PO-001 new -> pending');
    assert.equal(await porcelain(ws.dir, 'tasks', 'ORCHESTRATION_STATUS.md'), '');
  });

  it('commits a plain mv with its trailer and the status in the same commit', async () => {
    renameSync(p('tasks/pending/TASK-PO-001.md'), p('tasks/in_progress/TASK-PO-001.md'));
    const c = await waitForTrailer(ws.dir, 'TASK-PO-001 pending -> in_progress');
    assert.equal(c.subject, 'orch: TASK-PO-001 pending -> in_progress');
    assert.match(c.body, /^Orch-Event: move$/m);
    const files = (await gitOut(ws.dir, ['show', '--no-renames', '--name-only', '--format=', c.sha])).trim().split('\n').sort();
    assert.deepEqual(files, ['ORCHESTRATION_STATUS.md', 'tasks/in_progress/TASK-PO-001.md', 'tasks/pending/TASK-PO-001.md']);
    assert.match(await gitOut(ws.dir, ['show', `${c.sha}:ORCHESTRATION_STATUS.md`]), /TASK-PO-001/);
  });

  it('moves a file whose status: was edited, committed as a move', async () => {
    writeFileSync(p('tasks/pending/TASK-PO-002.md'), taskText('TASK-PO-002', 'Status edit', { status: 'pending' }));
    await waitForTrailer(ws.dir, 'TASK-PO-002 new -> pending');
    const text = readFileSync(p('tasks/pending/TASK-PO-002.md'), 'utf8').replace('status: pending', 'status: blocked');
    writeFileSync(p('tasks/pending/TASK-PO-002.md'), text);
    const c = await waitForTrailer(ws.dir, 'TASK-PO-002 pending -> blocked');
    assert.match(c.body, /^Orch-Event: move$/m);
    assert.ok(exists(ws.dir, 'tasks/blocked/TASK-PO-002.md') && !exists(ws.dir, 'tasks/pending/TASK-PO-002.md'));
    assert.match(readFileSync(p('tasks/blocked/TASK-PO-002.md'), 'utf8'), /^status: blocked$/m);
  });

  it('a vim-style save (4913, backup rename, new file, backup removed) is one edit commit, no temp file committed', async () => {
    writeFileSync(p('tasks/pending/TASK-PO-003.md'), taskText('TASK-PO-003', 'Vim'));
    await waitForTrailer(ws.dir, 'TASK-PO-003 new -> pending');
    const f = p('tasks/pending/TASK-PO-003.md');
    writeFileSync(p('tasks/pending/4913'), '');
    unlinkSync(p('tasks/pending/4913'));
    renameSync(f, `${f}~`);
    writeFileSync(f, taskText('TASK-PO-003', 'Vim, edited'));
    unlinkSync(`${f}~`);
    await waitForTrailer(ws.dir, 'TASK-PO-003 pending -> pending');
    await fence();
    const mine = (await commits(ws.dir)).filter((c) => c.tasks.some((t) => t.startsWith('TASK-PO-003 ')));
    assert.deepEqual(mine.map((c) => c.tasks).flat(), ['TASK-PO-003 pending -> pending', 'TASK-PO-003 new -> pending']);
    const everything = await gitOut(ws.dir, ['log', '--name-only', '--format=']);
    assert.doesNotMatch(everything, /4913|~$/m);
  });

  it('a VS Code-style save (temp file + rename, or in place) is one edit commit each', async () => {
    writeFileSync(p('tasks/pending/TASK-PO-004.md'), taskText('TASK-PO-004', 'Code'));
    await waitForTrailer(ws.dir, 'TASK-PO-004 new -> pending');
    const f = p('tasks/pending/TASK-PO-004.md');
    writeFileSync(`${f}.tmp.4242`, taskText('TASK-PO-004', 'Code, saved atomically'));
    renameSync(`${f}.tmp.4242`, f);
    await waitFor(async () => (await commits(ws.dir)).filter((c) => c.tasks.includes('TASK-PO-004 pending -> pending')).length === 1, 'the atomic save commit');
    writeFileSync(f, taskText('TASK-PO-004', 'Code, saved in place'));
    await waitFor(async () => (await commits(ws.dir)).filter((c) => c.tasks.includes('TASK-PO-004 pending -> pending')).length === 2, 'the in-place save commit');
    await fence();
    const mine = (await commits(ws.dir)).filter((c) => c.tasks.some((t) => t.startsWith('TASK-PO-004 ')));
    assert.equal(mine.length, 3);
    assert.doesNotMatch(await gitOut(ws.dir, ['log', '--name-only', '--format=']), /\.tmp/);
  });

  it('a broken file is reported and not committed; good files keep flowing; once fixed it is committed', async () => {
    writeFileSync(p('tasks/pending/TASK-PO-010.md'), taskText('TASK-PO-010', 'Good one'));
    writeFileSync(p('tasks/pending/TASK-PO-011.md'), '---\nid: TASK-PO-011\ntitle: [unclosed\n---\nbody\n');
    writeFileSync(p('tasks/pending/TASK-PO-012.md'), taskText('TASK-PO-012', 'Good two'));
    await waitForTrailer(ws.dir, 'TASK-PO-010 new -> pending');
    await waitForTrailer(ws.dir, 'TASK-PO-012 new -> pending');
    await waitFor(() => /WARN invalid task file, not committed: tasks\/pending\/TASK-PO-011\.md/.test(logText(ws.dir)), 'the broken file in the log');
    await waitFor(() => /TASK-PO-011/.test(readFileSync(p('ORCHESTRATION_STATUS.md'), 'utf8')), 'the broken file in the status Alerts');
    assert.equal((await gitOut(ws.dir, ['ls-files', 'tasks/pending/TASK-PO-011.md'])).trim(), '');
    const lint = await orch(ws.dir, ['lint', '--json']);
    assert.equal(lint.exitCode, 1);
    assert.match(lint.stdout, /TASK-PO-011/);
    writeFileSync(p('tasks/pending/TASK-PO-011.md'), taskText('TASK-PO-011', 'Fixed'));
    await waitForTrailer(ws.dir, 'TASK-PO-011 new -> pending');
    await waitFor(() => /task file tasks\/pending\/TASK-PO-011\.md is no longer invalid/.test(logText(ws.dir)), 'the fix in the log');
  });

  it("never touches a human's staged or unstaged work outside orch paths", async () => {
    writeFileSync(p('notes.txt'), 'my staged notes\n');
    writeFileSync(p('draft.txt'), 'unstaged, untracked\n');
    await sh(ws.dir, 'git', ['add', 'notes.txt']);
    writeFileSync(p('tasks/pending/TASK-PO-020.md'), taskText('TASK-PO-020', 'Beside human work'));
    await waitForTrailer(ws.dir, 'TASK-PO-020 new -> pending');
    // The real index is brought to HEAD for orch's paths right after the commit; the human's entry stays.
    await waitFor(async () => (await gitOut(ws.dir, ['diff', '--cached', '--name-only'])).trim() === 'notes.txt', 'only notes.txt staged');
    assert.match(await gitOut(ws.dir, ['status', '--porcelain']), /^\?\? draft\.txt$/m);
    assert.doesNotMatch(await gitOut(ws.dir, ['log', '--name-only', '--format=']), /notes\.txt|draft\.txt/);
    await sh(ws.dir, 'git', ['reset', '-q', 'notes.txt']);
    rmSync(p('notes.txt')); rmSync(p('draft.txt'));
  });

  it('`orch claim` while the daemon runs gives exactly one commit', async () => {
    writeFileSync(p('tasks/pending/TASK-PO-030.md'), taskText('TASK-PO-030', 'Claimed beside the daemon'));
    await waitForTrailer(ws.dir, 'TASK-PO-030 new -> pending');
    const r = await orch(ws.dir, ['claim', 'TASK-PO-030', '--agent', 'amp']);
    assert.equal(r.exitCode, 0, r.stderr);
    await waitForTrailer(ws.dir, 'TASK-PO-030 pending -> in_progress');
    await fence();
    const mine = (await commits(ws.dir)).filter((c) => c.tasks.some((t) => t.startsWith('TASK-PO-030 ')));
    assert.deepEqual(mine.map((c) => c.tasks.filter((t) => t.startsWith('TASK-PO-030 '))), [['TASK-PO-030 pending -> in_progress'], ['TASK-PO-030 new -> pending']]);
    assert.match(mine[0]!.body, /^Orch-Agent: amp$/m);
  });

  it('`orch logs` shows the daemon log (last n lines, merged and tagged with --name all); a bad name is a usage error', async () => {
    const one = await orch(ws.dir, ['logs', '-n', '3', '--name', 'orchestration']);
    assert.equal(one.exitCode, 0, one.stderr);
    const lines = one.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO|WARN|ERROR) /);
    writeFileSync(p('.orch/logs/monitor.log'), '2000-01-01T00:00:00.000Z INFO an old monitor line\n');
    const all = await orch(ws.dir, ['logs', '-n', '200', '--name', 'all']);
    assert.match(all.stdout, /^2000-01-01T00:00:00\.000Z \[monitor\] INFO an old monitor line$/m);
    assert.match(all.stdout, /\[orchestration\] INFO commit TASK-PO-001 pending -> in_progress [0-9a-f]{7}$/m);
    assert.equal((await orch(ws.dir, ['logs', '--name', 'nope'])).exitCode, 2);
  });

  it('commits a burst of 1 000 moves: every id exactly once, in few commits', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `BURST-${i + 1}`);
    const head0 = (await commits(ws.dir)).length;
    // Created without the daemon's help, committed by it (in one or a few rounds).
    for (const id of ids) writeFileSync(p(`tasks/pending/${id}.md`), taskText(id, `Burst ${id}`));
    await waitFor(async () => (await porcelain(ws.dir, 'tasks')) === '', 'the creations to be committed', 30_000, 100);
    const head1 = (await commits(ws.dir)).length;
    for (const id of ids) renameSync(p(`tasks/pending/${id}.md`), p(`tasks/in_progress/${id}.md`));
    await waitFor(async () => (await porcelain(ws.dir, 'tasks')) === '', 'the moves to be committed', 30_000, 100);
    const all = await commits(ws.dir);
    const burst = all.slice(0, all.length - head1);
    const moved = burst.flatMap((c) => c.tasks).filter((t) => t.startsWith('BURST-'));
    assert.equal(moved.length, 1000);
    assert.equal(new Set(moved).size, 1000);
    for (const id of ids) assert.ok(moved.includes(`${id} pending -> in_progress`), id);
    assert.ok(burst.length <= 20, `${burst.length} commits for the burst`);
    const creations = all.slice(all.length - head1, all.length - head0).flatMap((c) => c.tasks).filter((t) => t.startsWith('BURST-'));
    assert.equal(creations.length, 1000);
  });
});

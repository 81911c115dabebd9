import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyVerb } from '../../src/commands/verbs.js';
import { CommitRefusedError } from '../../src/adapters/committer.js';
import { loadConfig } from '../../src/adapters/workspace.js';
import { gitOut, sh, taskText, tempWorkspace, waitFor } from '../helpers/index.js';

/** A workspace with one committed pending task. */
async function setup() {
  const ws = await tempWorkspace();
  writeFileSync(join(ws.dir, 'tasks/pending/T-1-a.md'), taskText('T-1', 'A task'));
  await sh(ws.dir, 'git', ['add', 'tasks']);
  await sh(ws.dir, 'git', ['commit', '-qm', 'human adds a task']);
  return ws;
}

const hook = (dir: string, name: string, script: string) => {
  const p = join(dir, '.git/hooks', name);
  writeFileSync(p, `#!/bin/sh\n${script}\n`);
  chmodSync(p, 0o755);
};

test("a human's staged and unstaged work is neither committed nor unstaged by a verb", async (t) => {
  const ws = await setup();
  t.after(ws.cleanup);
  writeFileSync(join(ws.dir, 'notes.md'), 'staged by the human\n');
  writeFileSync(join(ws.dir, 'draft.txt'), 'untracked\n');
  await sh(ws.dir, 'git', ['add', 'notes.md']);
  const before = await gitOut(ws.dir, ['status', '--porcelain']);
  const out = await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' });
  assert.ok(out.commit);
  const files = (await gitOut(ws.dir, ['show', '--no-renames', '--name-only', '--format=', 'HEAD'])).trim().split('\n').sort();
  assert.deepEqual(files, ['ORCHESTRATION_STATUS.md', 'tasks/in_progress/T-1-a.md', 'tasks/pending/T-1-a.md']);
  assert.equal(await gitOut(ws.dir, ['status', '--porcelain']), before, 'the human index and worktree are as they were');
  assert.equal((await gitOut(ws.dir, ['diff', '--cached', '--name-only'])).trim(), 'notes.md');
});

test('hooks run on orch commits; git.no_verify skips them', async (t) => {
  const ws = await setup();
  t.after(ws.cleanup);
  const marker = join(ws.dir, '.git/commit-msg-ran');
  hook(ws.dir, 'commit-msg', `cat "$1" >> "${marker}"`);
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' });
  assert.match(readFileSync(marker, 'utf8'), /Orch-Task: T-1 pending -> in_progress/);
  const cfgPath = join(ws.dir, '.orch/config.yml');
  writeFileSync(cfgPath, readFileSync(cfgPath, 'utf8').replace('no_verify: false', 'no_verify: true'));
  await sh(ws.dir, 'git', ['commit', '-qm', 'config', '--', '.orch/config.yml']);
  const size = readFileSync(marker, 'utf8').length;
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'done', {});
  assert.equal(readFileSync(marker, 'utf8').length, size, 'commit-msg hook skipped with no_verify');
  assert.match(await gitOut(ws.dir, ['log', '-1', '--format=%B']), /Orch-Task: T-1 in_progress -> completed/);
});

test('a failing pre-commit hook fails the verb with a clear message and leaves nothing half-done', async (t) => {
  const ws = await setup();
  // An uncommitted hand-written task too: the verb's first round (committing it) is refused as well.
  writeFileSync(join(ws.dir, 'tasks/pending/T-2-b.md'), taskText('T-2', 'Another'));
  t.after(ws.cleanup);
  hook(ws.dir, 'pre-commit', 'echo "lint says no" >&2; exit 1');
  const head = await gitOut(ws.dir, ['rev-parse', 'HEAD']);
  const statusFile = readFileSync(join(ws.dir, 'ORCHESTRATION_STATUS.md'), 'utf8');
  await assert.rejects(applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' }), (e: unknown) => {
    assert.ok(e instanceof CommitRefusedError);
    assert.match(e.message, /git refused orch's commit: .*lint says no/);
    assert.match(e.hint ?? '', /no_verify: true/);
    return true;
  });
  assert.equal(await gitOut(ws.dir, ['rev-parse', 'HEAD']), head, 'no commit');
  assert.ok(existsSync(join(ws.dir, 'tasks/pending/T-1-a.md')), 'the file is back in pending');
  assert.ok(!existsSync(join(ws.dir, 'tasks/in_progress/T-1-a.md')));
  assert.equal(readFileSync(join(ws.dir, 'ORCHESTRATION_STATUS.md'), 'utf8'), statusFile);
  assert.equal(await gitOut(ws.dir, ['status', '--porcelain']), '?? tasks/pending/T-2-b.md', 'only the human file is uncommitted');
  // Once the hook passes, the same verb goes through: hand-written task first, then the claim.
  hook(ws.dir, 'pre-commit', 'exit 0');
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' });
  assert.deepEqual((await gitOut(ws.dir, ['log', '-2', '--format=%s'])).trim().split('\n'), ['orch: T-1 pending -> in_progress', 'orch: T-2 new -> pending']);
});

test('without hooks or signing orch commits with plumbing: the reflog line git commit writes, a clean message, no refresh of the index', async (t) => {
  const ws = await setup();
  t.after(ws.cleanup);
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' });
  assert.match(await gitOut(ws.dir, ['reflog', '-1', '--format=%gs']), /^commit: orch: T-1 pending -> in_progress\n?$/);
  const out = await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'done', { note: 'trailing spaces   \n\n\n  ' });
  assert.equal((await gitOut(ws.dir, ['rev-parse', 'HEAD'])).trim(), out.commit);
  const body = await gitOut(ws.dir, ['cat-file', 'commit', 'HEAD']);
  assert.doesNotMatch(body, /[ \t]+\n/, 'no trailing whitespace');
  assert.doesNotMatch(body, /\n\n\n/, 'no doubled blank line');
  assert.equal(await gitOut(ws.dir, ['status', '--porcelain']), '', 'work tree, index and HEAD agree');
  assert.equal((await gitOut(ws.dir, ['fsck', '--no-progress'])).trim(), '');
});

test('a commit the human makes while orch commits is kept: orch stages again on top of it (HEAD compare-and-swap)', async (t) => {
  const ws = await setup();
  t.after(ws.cleanup);
  // post-index-change runs after orch's write-tree writes its private index, i.e. between staging and
  // update-ref: the human commits right there, once.
  const marker = join(ws.dir, '.git/human-committed');
  hook(ws.dir, 'post-index-change', `tr '\\0' ' ' < /proc/$PPID/cmdline | grep -q write-tree || exit 0; [ -e "${marker}" ] && exit 0; touch "${marker}"; env -u GIT_INDEX_FILE git commit -q --allow-empty -m "human, meanwhile"`);
  const out = await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' });
  assert.ok(existsSync(marker), 'the human commit happened during the verb');
  assert.match(readFileSync(join(ws.dir, '.orch/logs/orchestration.log'), 'utf8'), /HEAD moved during the commit/);
  assert.deepEqual((await gitOut(ws.dir, ['log', '-3', '--format=%s'])).trim().split('\n'), ['orch: T-1 pending -> in_progress', 'human, meanwhile', 'human adds a task']);
  assert.equal((await gitOut(ws.dir, ['rev-parse', 'HEAD'])).trim(), out.commit);
  assert.equal(await gitOut(ws.dir, ['status', '--porcelain']), '');
});

test('a verb never commits a broken task file, whether or not the last staging knew it was broken', async (t) => {
  const ws = await setup();
  t.after(ws.cleanup);
  writeFileSync(join(ws.dir, 'tasks/pending/T-2-b.md'), taskText('T-2', 'Another'));
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' }); // T-2 committed first, on its own
  // Now T-2 breaks: the staging that runs beside the scan does not know yet, and must not commit it.
  writeFileSync(join(ws.dir, 'tasks/pending/T-2-b.md'), '---\nid: T-2\ntitle: [unclosed\n---\nbody\n');
  const head = (await gitOut(ws.dir, ['rev-parse', 'HEAD'])).trim();
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'release', {});
  const touched = (await gitOut(ws.dir, ['diff', '--no-renames', '--name-only', head, 'HEAD'])).trim().split('\n').sort();
  assert.deepEqual(touched, ['ORCHESTRATION_STATUS.md', 'tasks/in_progress/T-1-a.md', 'tasks/pending/T-1-a.md']);
  assert.match(await gitOut(ws.dir, ['status', '--porcelain']), /^ M tasks\/pending\/T-2-b\.md$/m, 'the broken edit stays uncommitted');
  // Known broken this time (the guess is right): still not committed.
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' });
  assert.doesNotMatch(await gitOut(ws.dir, ['show', '--name-only', '--format=', 'HEAD']), /T-2/);
  // Fixed: the next verb commits it first, in a commit of its own.
  writeFileSync(join(ws.dir, 'tasks/pending/T-2-b.md'), taskText('T-2', 'Another, fixed'));
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'release', {});
  assert.deepEqual((await gitOut(ws.dir, ['log', '-2', '--format=%s'])).trim().split('\n'), ['orch: T-1 in_progress -> pending', 'orch: T-2 pending -> pending']);
});

test("a verb's plumbing commit starts git's auto maintenance, as git commit does (loose objects get packed)", async (t) => {
  const ws = await setup();
  t.after(ws.cleanup);
  // 2 000 loose objects (git estimates their number from objects/17), and a low threshold: gc is due.
  const blobs = join(ws.dir, '.git', 'blobs-for-test');
  mkdirSync(blobs);
  const files = Array.from({ length: 2000 }, (_, i) => { const f = join(blobs, `b${i}`); writeFileSync(f, `blob ${i}\n`); return f; });
  await sh(ws.dir, 'git', ['hash-object', '-w', '--', ...files]);
  await sh(ws.dir, 'git', ['config', 'gc.auto', '100']);
  const packs = () => readdirSync(join(ws.dir, '.git/objects/pack')).filter((f) => f.endsWith('.pack')).length;
  assert.equal(packs(), 0);
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' });
  await waitFor(() => packs() > 0, 'a pack written by the auto maintenance', 20_000, 50);
  // The detached gc must be done before the workspace is removed.
  await waitFor(() => !existsSync(join(ws.dir, '.git/gc.pid')) && !existsSync(join(ws.dir, '.git/objects/maintenance.lock')), 'gc finished', 30_000, 50);
});

test("orch's private index is rebuilt from HEAD when git cannot read it (its split-index base removed, or damaged)", async (t) => {
  const ws = await setup();
  t.after(ws.cleanup);
  await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'claim', { agent: 'amp' });
  const shared = readdirSync(join(ws.dir, '.git')).filter((f) => f.startsWith('sharedindex.'));
  assert.ok(shared.length > 0, 'the private index is a split index');
  for (const f of shared) rmSync(join(ws.dir, '.git', f));
  const out = await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'done', {});
  assert.ok(out.commit);
  writeFileSync(join(ws.dir, '.orch/run/git-index'), 'not an index at all');
  const again = await applyVerb(ws.dir, loadConfig(ws.dir), 'T-1', 'reopen', {});
  assert.ok(again.commit);
  assert.deepEqual((await gitOut(ws.dir, ['log', '-3', '--format=%s'])).trim().split('\n'), ['orch: T-1 completed -> pending', 'orch: T-1 in_progress -> completed', 'orch: T-1 pending -> in_progress']);
  assert.equal(await gitOut(ws.dir, ['status', '--porcelain']), '');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitOut, orch, sh, taskText, tempDir } from '../helpers/index.js';

/** A bare remote and two clones (two humans' machines), both orch workspaces with sync enabled. */
async function sharedRepo() {
  const t = tempDir('orch-sync-');
  const remote = join(t.dir, 'remote.git');
  const a = join(t.dir, 'alice');
  const b = join(t.dir, 'bob');
  await sh(t.dir, 'git', ['init', '-q', '--bare', '-b', 'main', remote]);
  await sh(t.dir, 'git', ['clone', '-q', remote, a]);
  for (const [dir, who] of [[a, 'alice'], [b, 'bob']] as const) {
    if (dir === b) await sh(t.dir, 'git', ['clone', '-q', remote, b]);
    await sh(dir, 'git', ['config', 'user.name', who]);
    await sh(dir, 'git', ['config', 'user.email', `${who}@example.com`]);
    if (dir === a) {
      assert.equal((await orch(a, ['init'])).exitCode, 0);
      const cfg = join(a, '.orch/config.yml');
      writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('sync: { enabled: false', 'sync: { enabled: true'));
      for (const n of [1, 2, 3]) writeFileSync(join(a, `tasks/pending/TASK-${n}.md`), taskText(`TASK-${n}`, `Task ${n}`));
      assert.equal((await orch(a, ['status', '--write'])).exitCode, 0);
      const s = await orch(a, ['sync']);
      assert.equal(s.exitCode, 0, s.stderr + s.stdout);
    } else {
      await sh(b, 'git', ['pull', '-q', 'origin', 'main']);
    }
  }
  return { ...t, remote, a, b };
}

const stateOf = (dir: string, id: string): string | undefined =>
  ['pending', 'in_progress', 'completed', 'blocked'].find((s) => readdirSync(join(dir, 'tasks', s)).some((f) => f.startsWith(`${id}.`) || f.startsWith(`${id}-`)));

test('a task is never claimed by two clones: the second claim is lost and undone by the remote state', async () => {
  const r = await sharedRepo();
  try {
    const first = await orch(r.a, ['claim', 'TASK-1', '--agent', 'amp']);
    assert.equal(first.exitCode, 0, first.stderr);
    const second = await orch(r.b, ['claim', 'TASK-1', '--agent', 'codex']);
    assert.equal(second.exitCode, 1, 'the later claim must be refused');
    assert.match(second.stderr, /claim lost: TASK-1/);
    assert.equal(stateOf(r.b, 'TASK-1'), 'in_progress');
    assert.match(readFileSync(join(r.b, 'tasks/in_progress/TASK-1.md'), 'utf8'), /agent: amp/);
    // Bob still gets other work, and both clones converge.
    assert.equal((await orch(r.b, ['claim', 'TASK-2', '--agent', 'codex'])).exitCode, 0);
    assert.equal((await orch(r.a, ['sync'])).exitCode, 0);
    for (const id of ['TASK-1', 'TASK-2', 'TASK-3']) assert.equal(stateOf(r.a, id), stateOf(r.b, id), id);
    const remoteLog = await gitOut(r.a, ['log', 'origin/main', '--format=%B']);
    assert.equal(remoteLog.match(/^Orch-Task: TASK-1 pending -> in_progress$/gm)?.length, 1, 'exactly one accepted claim of TASK-1 on the remote');
    assert.equal((await gitOut(r.b, ['status', '--porcelain', '--', 'tasks', 'ORCHESTRATION_STATUS.md'])).trim(), '');
  } finally { r.cleanup(); }
});

test('a local task depending on a renumbered id follows it to its new id', async () => {
  const r = await sharedRepo();
  try {
    assert.equal((await orch(r.a, ['new', 'Alice task', '--id', 'TASK-4'])).exitCode, 0);
    assert.equal((await orch(r.b, ['new', 'Bob base', '--id', 'TASK-4'])).exitCode, 0);
    assert.equal((await orch(r.b, ['new', 'Bob follow-up', '--id', 'TASK-9', '--depends', 'TASK-4,TASK-1'])).exitCode, 0);
    assert.equal((await orch(r.a, ['sync'])).exitCode, 0);
    const s = await orch(r.b, ['sync', '--json']);
    assert.equal(s.exitCode, 0, s.stderr);
    // The next free id after every id in sight (TASK-9 included).
    assert.deepEqual((JSON.parse(s.stdout) as { renumbered: unknown[] }).renumbered, [{ from: 'TASK-4', to: 'TASK-10' }]);
    const follow = readFileSync(join(r.b, 'tasks/pending/TASK-9-bob-follow-up.md'), 'utf8');
    assert.match(follow, /^depends_on: \[TASK-10, TASK-1\]$|^depends_on:\n\s+- TASK-10\n\s+- TASK-1$/m, follow);
    // The pushed commit holds the rewritten dependency too, and Alice's TASK-4 is untouched.
    const pushed = await gitOut(r.b, ['show', 'origin/main:tasks/pending/TASK-9-bob-follow-up.md']);
    assert.equal(pushed.trimEnd(), follow.trimEnd());
    assert.match(readFileSync(join(r.b, 'tasks/pending/TASK-4-alice-task.md'), 'utf8'), /^id: TASK-4$/m);
  } finally { r.cleanup(); }
});

test('ids minted at the same time on two clones are renumbered, with a note; human work is never pushed', async () => {
  const r = await sharedRepo();
  try {
    assert.equal((await orch(r.a, ['new', 'Alice task', '--id', 'TASK-4'])).exitCode, 0);
    assert.equal((await orch(r.b, ['new', 'Bob task', '--id', 'TASK-4'])).exitCode, 0);
    assert.equal((await orch(r.a, ['sync'])).exitCode, 0);
    const s = await orch(r.b, ['sync', '--json']);
    assert.equal(s.exitCode, 0, s.stderr);
    const out = JSON.parse(s.stdout) as { renumbered: { from: string; to: string }[] };
    assert.deepEqual(out.renumbered, [{ from: 'TASK-4', to: 'TASK-5' }]);
    const files = readdirSync(join(r.b, 'tasks/pending')).sort();
    assert.ok(files.includes('TASK-4-alice-task.md') && files.includes('TASK-5-bob-task.md'), files.join(','));
    assert.match(readFileSync(join(r.b, 'tasks/pending/TASK-5-bob-task.md'), 'utf8'), /^id: TASK-5$/m);
    assert.match(await gitOut(r.b, ['log', '-1', '--format=%B', 'origin/main', '--', 'tasks/pending/TASK-5-bob-task.md']), /TASK-4 renumbered to TASK-5/);

    // A human's own unpushed commit pauses sync instead of being pushed; their unstaged edit stays.
    writeFileSync(join(r.b, 'notes.txt'), 'mine\n');
    await sh(r.b, 'git', ['add', 'notes.txt']);
    await sh(r.b, 'git', ['commit', '-qm', 'my own work']);
    writeFileSync(join(r.b, 'notes.txt'), 'mine, edited\n');
    const paused = await orch(r.b, ['sync']);
    assert.equal(paused.exitCode, 1);
    assert.match(paused.stdout, /paused.*not orch's/);
    assert.doesNotMatch(await gitOut(r.a, ['ls-remote', r.remote]), /undefined/);
    assert.equal((await gitOut(r.b, ['log', 'origin/main', '--format=%s'])).includes('my own work'), false);
    assert.equal(readFileSync(join(r.b, 'notes.txt'), 'utf8'), 'mine, edited\n');
  } finally { r.cleanup(); }
});

test('an unreachable remote undoes the claim with a commit', async () => {
  const r = await sharedRepo();
  try {
    await sh(r.a, 'git', ['remote', 'set-url', 'origin', join(r.dir, 'gone.git')]);
    const c = await orch(r.a, ['claim', 'TASK-3', '--agent', 'amp']);
    assert.equal(c.exitCode, 1);
    assert.match(c.stderr, /not confirmed/);
    assert.equal(stateOf(r.a, 'TASK-3'), 'pending');
    assert.match(await gitOut(r.a, ['log', '-1', '--format=%B']), /Orch-Task: TASK-3 in_progress -> pending/);
  } finally { r.cleanup(); }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { gitOut, orch, sh, taskText, tempWorkspace } from '../helpers/index.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/task_queue.json', import.meta.url));

test('done means: a hand-written task is listed, claimed in exactly one commit whose tree has the status, human staging untouched', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  writeFileSync(join(ws.dir, 'tasks/pending/TASK-7-hand written.md'), taskText('TASK-7', 'Written | by *hand*'));
  const list = await orch(ws.dir, ['list', '--json']);
  assert.equal(list.exitCode, 0, list.stderr);
  assert.deepEqual(JSON.parse(list.stdout).map((x: { id: string; state: string; path: string }) => [x.id, x.state, x.path]), [['TASK-7', 'pending', 'tasks/pending/TASK-7-hand written.md']]);

  writeFileSync(join(ws.dir, 'human.txt'), 'mine\n');
  await sh(ws.dir, 'git', ['add', 'human.txt']);
  const claim = await orch(ws.dir, ['claim', 'TASK-7', '--agent', 'amp']);
  assert.equal(claim.exitCode, 0, claim.stderr);

  const hits = (await gitOut(ws.dir, ['log', '--format=%H', '--fixed-strings', '--grep=Orch-Task: TASK-7 pending -> in_progress'])).trim().split('\n').filter(Boolean);
  assert.equal(hits.length, 1, 'exactly one commit carries the claim');
  const commit = hits[0]!;
  assert.equal((await gitOut(ws.dir, ['rev-parse', 'HEAD'])).trim(), commit);
  const msg = await gitOut(ws.dir, ['log', '-1', '--format=%B', commit]);
  assert.match(msg, /^orch: TASK-7 pending -> in_progress\n/);
  assert.match(msg, /Orch-Task: TASK-7 pending -> in_progress\nOrch-Agent: amp\nOrch-Event: move/);
  const status = await gitOut(ws.dir, ['show', `${commit}:ORCHESTRATION_STATUS.md`]);
  const inProgress = status.split('## In progress')[1]!.split('## Pending')[0]!;
  assert.match(inProgress, /`TASK-7` \| Written \\\| by \\\*hand\\\* \| amp/);
  assert.equal((await gitOut(ws.dir, ['show', '--no-renames', '--name-only', '--format=', commit])).includes('human.txt'), false);
  assert.equal((await gitOut(ws.dir, ['diff', '--cached', '--name-only'])).trim(), 'human.txt', 'still staged');
  assert.equal((await gitOut(ws.dir, ['status', '--porcelain'])).trim(), 'A  human.txt');
  // The hand-written task got its own commit first.
  assert.equal((await gitOut(ws.dir, ['log', '-1', '--format=%s', 'HEAD~1'])).trim(), 'orch: TASK-7 new -> pending');

  const log = await orch(ws.dir, ['log', 'TASK-7', '--json']);
  assert.equal(log.exitCode, 0, log.stderr);
  assert.deepEqual(JSON.parse(log.stdout).map((e: { from: string; to: string; agent: string | null; event: string }) => [e.from, e.to, e.agent, e.event]), [
    ['pending', 'in_progress', 'amp', 'move'], ['new', 'pending', null, 'create'],
  ]);
  const show = await orch(ws.dir, ['show', 'TASK-7', '--json']);
  const shown = JSON.parse(show.stdout) as { state: string; agent: string; body: string; history: unknown[]; frontmatter: Record<string, unknown> };
  assert.deepEqual([shown.state, shown.agent, shown.history.length, shown.frontmatter.assigned], ['in_progress', 'amp', 2, 'claimed']);
  assert.match(shown.body, /## Acceptance criteria/);
});

test('import the seed queue in one commit, export it back, import the export elsewhere: same tasks', async (t) => {
  const a = await tempWorkspace();
  const b = await tempWorkspace();
  t.after(() => { a.cleanup(); b.cleanup(); });
  const head = (await gitOut(a.dir, ['rev-parse', 'HEAD'])).trim();
  const imp = await orch(a.dir, ['import', FIXTURE, '--json']);
  assert.equal(imp.exitCode, 0, imp.stderr);
  const r = JSON.parse(imp.stdout) as { imported: unknown[]; skipped: unknown[]; current_orchestrator: string };
  assert.equal(r.imported.length, 7);
  assert.equal(r.current_orchestrator, 'claude');
  assert.equal((await gitOut(a.dir, ['rev-list', '--count', `${head}..HEAD`])).trim(), '1', 'one commit for the whole import');
  assert.equal((await gitOut(a.dir, ['log', '-1', '--format=%s'])).trim(), 'orch: import 7 tasks from task_queue.json');

  const exp = await orch(a.dir, ['export', '--json']);
  assert.equal(exp.exitCode, 0, exp.stderr);
  const exported = JSON.parse(exp.stdout) as { task_queue: Record<string, { id: string }[]> };
  assert.deepEqual(Object.fromEntries(Object.entries(exported.task_queue).map(([k, v]) => [k, v.map((x) => x.id)])), {
    pending: ['TASK-PO-021', 'TASK-PO-022', 'TASK-PO-023'], in_progress: ['TASK-PO-012'], completed: ['TASK-PO-010', 'TASK-PO-011'], blocked: ['TASK-PO-024'],
  });
  const file = join(b.dir, 'exported.json');
  writeFileSync(file, exp.stdout);
  assert.equal((await orch(b.dir, ['import', file])).exitCode, 0);
  const listA = await orch(a.dir, ['list', '--json']);
  const listB = await orch(b.dir, ['list', '--json']);
  assert.deepEqual(JSON.parse(listB.stdout), JSON.parse(listA.stdout));
  for (const id of ['TASK-PO-021', 'TASK-PO-024']) {
    const sa = JSON.parse((await orch(a.dir, ['show', id, '--json'])).stdout) as { body: string; frontmatter: unknown };
    const sb = JSON.parse((await orch(b.dir, ['show', id, '--json'])).stdout) as { body: string; frontmatter: unknown };
    assert.equal(sb.body, sa.body);
    assert.deepEqual(sb.frontmatter, sa.frontmatter);
  }
  // Importing again is a no-op; a changed task with an existing id is refused (exit 1), the rest untouched.
  const again = await orch(a.dir, ['import', FIXTURE]);
  assert.equal(again.exitCode, 0, again.stderr);
  assert.match(again.stdout, /imported 0 task\(s\), 7 already present and identical/);
  const changed = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { task_queue: { pending: { title?: string }[] } };
  changed.task_queue.pending[0]!.title = 'Another title';
  writeFileSync(file, JSON.stringify(changed));
  const before = (await gitOut(a.dir, ['rev-parse', 'HEAD'])).trim();
  const refused = await orch(a.dir, ['import', file]);
  assert.equal(refused.exitCode, 1);
  assert.match(refused.stderr, /\$\.task_queue\.pending\[0\]: TASK-PO-021 already exists .* different title/);
  assert.equal((await gitOut(a.dir, ['rev-parse', 'HEAD'])).trim(), before, 'nothing committed');
});

test('orch init --example palm-oil: 12 lint-clean tasks committed', async (t) => {
  const ws = await tempWorkspace(['--example', 'palm-oil']);
  t.after(ws.cleanup);
  const lint = await orch(ws.dir, ['lint', '--json']);
  assert.equal(lint.exitCode, 0, lint.stdout);
  assert.deepEqual(JSON.parse(lint.stdout), []);
  const list = JSON.parse((await orch(ws.dir, ['list', '--json'])).stdout) as { id: string; priority: string }[];
  assert.equal(list.length, 12);
  assert.equal(list.find((x) => x.id === 'TASK-PO-001')!.priority, 'high', 'HAUTE normalised');
  assert.equal((await gitOut(ws.dir, ['status', '--porcelain'])).trim(), '');
});

test('orch -C <ws> new --body-file: a relative path is read from the workspace, like git -C', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  writeFileSync(join(ws.dir, 'body.md'), '\n## Context\nBODY-FROM-WS\n');
  const r = await orch(join(ws.dir, '..'), ['-C', ws.dir, 'new', 'Relative body', '--body-file', 'body.md', '--json']);
  assert.equal(r.exitCode, 0, r.stderr);
  const { path } = JSON.parse(r.stdout) as { path: string };
  assert.match(readFileSync(join(ws.dir, path), 'utf8'), /BODY-FROM-WS/);
});

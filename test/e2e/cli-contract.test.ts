import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitOut, orch, taskText, tempWorkspace } from '../helpers/index.js';

test('--help of every command has an Example', async () => {
  const top = await orch(process.cwd(), ['--help']);
  assert.equal(top.exitCode, 0);
  const names = [...top.stdout.split('Commands:')[1]!.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  assert.ok(names.length >= 20, names.join(' '));
  const results: [string, Awaited<ReturnType<typeof orch>>][] = [];
  for (let i = 0; i < names.length; i += 6) {
    const batch = names.slice(i, i + 6);
    results.push(...(await Promise.all(batch.map(async (n) => [n, await orch(process.cwd(), [n, '--help'])] as [string, Awaited<ReturnType<typeof orch>>]))));
  }
  for (const [n, r] of results) {
    assert.equal(r.exitCode, 0, `orch ${n} --help`);
    assert.match(r.stdout, /Example/, `orch ${n} --help has no Example`);
  }
});

test('--json outputs are one JSON document on stdout; doctor finds, fixes and commits', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  writeFileSync(join(ws.dir, 'tasks/pending/T-1-a.md'), taskText('T-1', 'A'));
  assert.equal((await orch(ws.dir, ['claim', 'T-1', '--agent', 'amp'])).exitCode, 0);
  const show = await orch(ws.dir, ['show', 'T-1', '--json']);
  assert.equal(JSON.parse(show.stdout).id, 'T-1');
  // A crash between the two halves of a move: the file is in two folders; plus a dead daemon's pid file.
  copyFileSync(join(ws.dir, 'tasks/in_progress/T-1-a.md'), join(ws.dir, 'tasks/pending/T-1-a.md'));
  writeFileSync(join(ws.dir, '.orch/run/daemon.pid'), '999999\n');
  const runs = await Promise.all([
    ['list', '--json'], ['log', '--json'], ['log', 'T-1', '-n', '1', '--json'],
    ['lint', '--json'], ['status', '--json'], ['export', '--json'], ['doctor', '--json'],
  ].map(async (args) => [args, await orch(ws.dir, args)] as const));
  for (const [args, r] of runs) {
    assert.doesNotThrow(() => JSON.parse(r.stdout), `orch ${args.join(' ')} printed: ${r.stdout.slice(0, 200)}`);
  }
  const doctor = JSON.parse(runs.at(-1)![1].stdout) as { problems: { kind: string; path: string }[]; remaining: number };
  assert.equal(runs.at(-1)![1].exitCode, 1);
  assert.deepEqual(doctor.problems.map((p) => p.kind).sort(), ['stale-lock', 'two-folders']);
  assert.equal(doctor.problems.find((p) => p.kind === 'two-folders')!.path, 'tasks/pending/T-1-a.md');
  assert.equal(JSON.parse(runs[2]![1].stdout).length, 1);
  // A refused command prints nothing on stdout, its reason on stderr.
  const refused = await orch(ws.dir, ['show', 'T-1', '--json']);
  assert.deepEqual([refused.exitCode, refused.stdout], [1, '']);
  assert.match(refused.stderr, /exists 2 times.*\n.*orch doctor --fix/);

  const fix = await orch(ws.dir, ['doctor', '--fix']);
  assert.equal(fix.exitCode, 0, fix.stdout + fix.stderr);
  assert.ok(!existsSync(join(ws.dir, 'tasks/pending/T-1-a.md')), 'the less advanced copy is removed');
  assert.ok(existsSync(join(ws.dir, 'tasks/in_progress/T-1-a.md')));
  assert.ok(!existsSync(join(ws.dir, '.orch/run/daemon.pid')));
  assert.equal((await gitOut(ws.dir, ['status', '--porcelain'])).trim(), '');
  const again = await orch(ws.dir, ['doctor']);
  assert.equal(again.exitCode, 0, again.stdout);
});

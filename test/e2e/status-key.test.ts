import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitOut, orch, taskText, tempWorkspace } from '../helpers/index.js';

test('status: edited in place moves the file; a file moved by hand keeps its folder and the key follows', async () => {
  const w = await tempWorkspace();
  try {
    const p = (s: string) => join(w.dir, `tasks/${s}/TASK-1.md`);
    writeFileSync(p('pending'), taskText('TASK-1', 'One', { status: 'pending' }));
    assert.equal((await orch(w.dir, ['status', '--write'])).exitCode, 0);

    renameSync(p('pending'), p('blocked')); // a `mv` in a shell: the folder is the truth
    assert.equal((await orch(w.dir, ['status', '--write'])).exitCode, 0);
    assert.ok(existsSync(p('blocked')) && !existsSync(p('pending')));
    assert.match(readFileSync(p('blocked'), 'utf8'), /^status: blocked$/m);
    assert.match(await gitOut(w.dir, ['log', '-1', '--format=%B']), /^Orch-Task: TASK-1 pending -> blocked$/m);

    writeFileSync(p('blocked'), readFileSync(p('blocked'), 'utf8').replace('status: blocked', 'status: completed')); // an editor save
    assert.equal((await orch(w.dir, ['status', '--write'])).exitCode, 0);
    assert.ok(existsSync(p('completed')) && !existsSync(p('blocked')));
    assert.match(await gitOut(w.dir, ['log', '-1', '--format=%B']), /^Orch-Task: TASK-1 blocked -> completed$/m);
    assert.equal((await gitOut(w.dir, ['status', '--porcelain', '--', 'tasks'])).trim(), '');
  } finally { w.cleanup(); }
});

import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TaskStore } from '../../src/adapters/store.js';

import { taskText, tempDir } from '../helpers/index.js';

/** The daemon's incremental store must always agree with a fresh full scan. */
function same(a: Awaited<ReturnType<TaskStore['scan']>>, b: Awaited<ReturnType<TaskStore['scan']>>): void {
  const view = (s: typeof a) => ({
    tasks: s.tasks.map((t) => `${t.path}|${t.id}|${t.state}|${t.title}|${t.body.length}`).sort(),
    invalid: s.invalid.map((p) => `${p.path}|${p.rule}`).sort(),
    files: [...s.files].sort(),
  });
  assert.deepEqual(view(a), view(b));
}

describe('TaskStore (hinted scans)', () => {
  it('agrees with a full scan after hinted rounds: create, move (no re-parse), edit, break, delete', async () => {
    const t = tempDir();
    try {
      for (const s of ['pending', 'in_progress', 'completed', 'blocked']) mkdirSync(join(t.dir, 'tasks', s), { recursive: true });
      const p = (rel: string) => join(t.dir, rel);
      for (let i = 1; i <= 20; i++) writeFileSync(p(`tasks/pending/T-${i}.md`), taskText(`T-${i}`, `Task ${i}`));
      const store = new TaskStore(t.dir);
      store.lookAt(null);
      same(await store.scan(), await new TaskStore(t.dir, false).scan());

      renameSync(p('tasks/pending/T-1.md'), p('tasks/in_progress/T-1.md'));
      writeFileSync(p('tasks/pending/T-21.md'), taskText('T-21', 'New'));
      writeFileSync(p('tasks/pending/T-2.md'), taskText('T-2', 'Edited title'));
      writeFileSync(p('tasks/pending/T-3.md'), '---\nid: T-3\ntitle: [broken\n---\n');
      rmSync(p('tasks/pending/T-4.md'));
      store.lookAt(['tasks/pending/T-1.md', 'tasks/in_progress/T-1.md', 'tasks/pending/T-21.md', 'tasks/pending/T-2.md', 'tasks/pending/T-3.md', 'tasks/pending/T-4.md', 'status/amp.md']);
      const s = await store.scan();
      same(s, await new TaskStore(t.dir, false).scan());
      const moved = s.tasks.find((x) => x.id === 'T-1')!;
      assert.equal(moved.state, 'in_progress');
      assert.equal(moved.path, 'tasks/in_progress/T-1.md');
      assert.match(moved.body, /Run orch done T-1/);
      assert.equal(s.tasks.find((x) => x.id === 'T-2')!.title, 'Edited title');
      assert.ok(s.invalid.some((x) => x.path === 'tasks/pending/T-3.md'));

      // A move the events did not name is found by the next full sweep.
      renameSync(p('tasks/pending/T-5.md'), p('tasks/blocked/T-5.md'));
      store.lookAt(null);
      same(await store.scan(), await new TaskStore(t.dir, false).scan());
    } finally { t.cleanup(); }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planReplay, replayMessage, rewriteRefs, type TreeMap } from '../../src/core/sync-replay.js';

const tree = (o: Record<string, string>): TreeMap => new Map(Object.entries(o).map(([p, oid]) => [p, { mode: '100644', oid }]));
const idOf = () => undefined;
const next = (id: string, taken: Set<string>) => { let n = 1; const pre = id.replace(/-[0-9]+$/, ''); while (taken.has(`${pre}-${n}`)) n++; return `${pre}-${n}`; };

test('the remote wins a task both sides changed; untouched-by-remote changes replay', () => {
  const base = tree({ 'tasks/pending/T-1.md': 'a1', 'tasks/pending/T-2.md': 'b1' });
  const up = tree({ 'tasks/in_progress/T-1.md': 'a2', 'tasks/pending/T-2.md': 'b1' });
  const local = { oid: 'c1', message: 'm', parent: base, tree: tree({ 'tasks/in_progress/T-1.md': 'a3', 'tasks/in_progress/T-2.md': 'b3' }) };
  const [step] = planReplay(base, up, [local], idOf, next);
  assert.deepEqual(step!.dropped, ['T-1']);
  assert.deepEqual(step!.writes.map((w) => `${w.path}:${w.entry?.oid ?? 'del'}`).sort(), ['tasks/in_progress/T-2.md:b3', 'tasks/pending/T-2.md:del']);
});

test('a later local change to a lost task is dropped too, and ids taken on the remote are renumbered', () => {
  const base = tree({ 'tasks/pending/T-1.md': 'a1' });
  const up = tree({ 'tasks/blocked/T-1.md': 'a2', 'tasks/pending/T-2.md': 'r2' });
  const c1 = { oid: 'c1', message: 'm1', parent: base, tree: tree({ 'tasks/in_progress/T-1.md': 'a3', 'tasks/pending/T-2-mine.md': 'm2' }) };
  const c2 = { oid: 'c2', message: 'm2', parent: c1.tree, tree: tree({ 'tasks/completed/T-1.md': 'a4', 'tasks/in_progress/T-2-mine.md': 'm3' }) };
  const [s1, s2] = planReplay(base, up, [c1, c2], idOf, next);
  assert.deepEqual(s1!.dropped, ['T-1']);
  assert.deepEqual(s1!.renumbered, [{ from: 'T-2', to: 'T-3' }]);
  assert.deepEqual(s1!.writes, [{ path: 'tasks/pending/T-3-mine.md', entry: { mode: '100644', oid: 'm2' }, rewriteId: { from: 'T-2', to: 'T-3' } }]);
  assert.deepEqual(s2!.dropped, ['T-1']);
  assert.deepEqual(s2!.writes.map((w) => `${w.path}:${w.entry?.oid ?? 'del'}`).sort(), ['tasks/in_progress/T-3-mine.md:m3', 'tasks/pending/T-3-mine.md:del']);
  const msg = replayMessage('orch: 2 task changes\n\n- T-1 pending -> in_progress (amp)\n- T-2 new -> pending\n\nOrch-Task: T-1 pending -> in_progress\nOrch-Agent: amp\nOrch-Event: move\nOrch-Task: T-2 new -> pending\nOrch-Event: create\n', s1!);
  assert.doesNotMatch(msg, /T-1 pending/);
  assert.match(msg, /Orch-Task: T-3 new -> pending\nOrch-Event: create\n$/);
  assert.match(msg, /sync: T-2 renumbered to T-3/);
});

test('a replayed task keeps its bytes unless it names a renumbered id (its own id or a dependency)', () => {
  const renames = new Map([['T-2', 'T-3']]);
  const dep = '---\nid: T-9\ntitle: "x"  # keep me\ndepends_on: [T-2, T-1]\n---\nbody\n';
  assert.match(rewriteRefs(dep, renames)!, /^depends_on:.*T-3.*T-1|^depends_on:\n\s+- T-3\n\s+- T-1/m);
  assert.match(rewriteRefs(dep, renames)!, /^id: T-9\ntitle: "x" +# keep me$/m);
  assert.match(rewriteRefs(dep, renames)!, /\n---\nbody\n$/);
  assert.equal(rewriteRefs('---\nid: T-8\ntitle: y\ndepends_on: [T-1]\n---\n', renames), null);
  assert.match(rewriteRefs('---\nid: T-2\ntitle: z\n---\n', renames, { from: 'T-2', to: 'T-3' })!, /^id: T-3$/m);
  assert.equal(rewriteRefs('not a task', renames), null);
});

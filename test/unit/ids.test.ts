import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareIds, sortById, topById } from '../../src/core/ids.js';

const IDS = ['T-1', 'T-2', 'T-10', 'T-025', 'T-25', 'T-0', 'T-00', 'TASK-PO-9', 'TASK-PO-10', 'TASK-P-10', 'A-1', 'B-0', 'T-100', 'T-099',
  'TASK-PO-001', 'TASK-PO-010', 'TASK-PO-002', 'TASK-PO-0010', 'TASK-PO-01', 'T-0007', 'T-7', 'T-070', 'X1', 'X-2', 'X-10-2', 'X-9-3', 'BENCH-1', 'BENCH-10000', 'BENCH-999', '10', '9'];
const numeric = new Intl.Collator('en', { numeric: true });

test('compareIds orders exactly like the numeric collator (its fast path included)', () => {
  for (const a of IDS) for (const b of IDS) assert.equal(Math.sign(compareIds(a, b)), Math.sign(numeric.compare(a, b)), `${a} vs ${b}`);
});

test('topById gives the first n of the full sort, either way', () => {
  const xs = IDS.map((id) => ({ id }));
  for (const n of [1, 3, 10, IDS.length + 2]) {
    assert.deepEqual(topById(xs, n), sortById(xs).slice(0, n));
    assert.deepEqual(topById(xs, n, true), sortById(xs, true).slice(0, n));
  }
});

test('sortById orders exactly like the numeric collator, either way', () => {
  const xs = [...IDS, 'T-123456789012345678', 'T-123456789012345677', 'BENCH-00001'].map((id) => ({ id }));
  const byCollator = [...xs].sort((a, b) => numeric.compare(a.id, b.id)).map((x) => x.id);
  const mine = sortById(xs).map((x) => x.id);
  // Ties under the collator (T-025 / T-25 …) may come in either order; compare ranks, not positions.
  mine.forEach((id, i) => assert.equal(numeric.compare(id, byCollator[i]!), 0, `${id} at ${i}, collator has ${byCollator[i]}`));
  sortById(xs, true).map((x) => x.id).forEach((id, i) => assert.equal(numeric.compare(id, byCollator[byCollator.length - 1 - i]!), 0, `desc ${id} at ${i}`));
});

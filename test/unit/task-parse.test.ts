import { test } from 'node:test';
import assert from 'node:assert/strict';
import { updateFrontmatter } from '../../src/core/frontmatter.js';
import { idFromFileName, isValidId, nextId, slugify, taskFileName } from '../../src/core/ids.js';
import { parseTask } from '../../src/core/task.js';
import { checkId } from '../../src/adapters/tasks.js';
import { UsageError } from '../../src/core/errors.js';

const file = (fm: string, body = '\nBody line\n') => `---\n${fm}\n---\n${body}`;

test('priority: HAUTE, moyenne, Basse are normalised; default is medium', () => {
  const p = (v: string | null) => {
    const r = parseTask('tasks/pending/T-1.md', file(`id: T-1\ntitle: x${v === null ? '' : `\npriority: ${v}`}`), 'pending');
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    return r.value.priority;
  };
  assert.equal(p('HAUTE'), 'high');
  assert.equal(p('moyenne'), 'medium');
  assert.equal(p('Basse'), 'low');
  assert.equal(p('high'), 'high');
  assert.equal(p(null), 'medium');
});

test('unknown keys are kept in data; the body is kept as written', () => {
  const body = '\n=== CONTEXTE ===\nÉtape 1 — café ☕\n\n```\n---\n```\n';
  const r = parseTask('tasks/blocked/T-2.md', file('id: T-2\ntitle: t\nestimated_hours: 6\nowner: {name: julien}', body), 'blocked');
  assert.ok(r.ok);
  assert.equal(r.value.data.estimated_hours, 6);
  assert.deepEqual(r.value.data.owner, { name: 'julien' });
  assert.equal(r.value.body, body);
  assert.equal(r.value.state, 'blocked');
});

test('missing fields, bad values and invalid YAML are errors with a line', () => {
  const noTitle = parseTask('p.md', file('id: T-1\nagent: amp'), 'pending');
  assert.ok(!noTitle.ok);
  assert.match(noTitle.errors[0]!.message, /title/);
  const badPrio = parseTask('p.md', file('id: T-1\ntitle: x\npriority: urgent'), 'pending');
  assert.ok(!badPrio.ok);
  assert.equal(badPrio.errors[0]!.line, 4);
  const yaml = parseTask('p.md', file('id: T-1\ntitle: [unclosed'), 'pending');
  assert.ok(!yaml.ok);
  assert.equal(yaml.errors[0]!.rule, 'yaml');
  assert.ok(yaml.errors[0]!.line! >= 2);
  const noFm = parseTask('p.md', 'just text\n', 'pending');
  assert.ok(!noFm.ok);
  assert.equal(noFm.errors[0]!.rule, 'frontmatter');
});

test('path-like and malformed ids are refused, as data and as an argument', () => {
  for (const bad of ['TASK-../../etc', '../../etc/passwd', 'task-1', 'TASK-', 'TASK-1/..', 'TASK-1\n', '', 'A'.repeat(70) + '-1']) {
    assert.equal(isValidId(bad), false, bad);
    assert.throws(() => checkId(bad), UsageError);
  }
  const r = parseTask('p.md', file('id: "../../etc/passwd"\ntitle: x'), 'pending');
  assert.ok(!r.ok);
  assert.ok(isValidId('TASK-PO-025'));
  assert.equal(checkId('TASK-PO-025'), 'TASK-PO-025');
});

test('ids: next id keeps padding; file names from id and title; id read back from a name', () => {
  assert.equal(nextId('TASK-PO', ['TASK-PO-009', 'TASK-PO-012', 'OTHER-99']), 'TASK-PO-013');
  assert.equal(nextId('T', []), 'T-001');
  assert.equal(slugify('Risk limits: 2% «été»'), 'risk-limits-2-ete');
  assert.equal(taskFileName('TASK-PO-025', 'Risk limits'), 'TASK-PO-025-risk-limits.md');
  assert.equal(idFromFileName('TASK-PO-025-risk-limits.md'), 'TASK-PO-025');
  assert.equal(idFromFileName('notes.md'), undefined);
});

test('updateFrontmatter changes only the keys it is given: order, unknown keys, comments and body byte for byte', () => {
  const body = '\n## Context\n  indented — ünïcode\ttab\n\n---\nnot frontmatter\n';
  const text = `---\nid: T-1 # the id\ntitle: "Keep: me"\nzeta: 1\nagent: null\nnested:\n  a: [1, 2]\nalpha: x\n---${body}`;
  const out = updateFrontmatter(text, { agent: 'amp', status: 'in_progress' });
  assert.equal(out, `---\nid: T-1 # the id\ntitle: "Keep: me"\nzeta: 1\nagent: amp\nnested:\n  a: [1, 2]\nalpha: x\nstatus: in_progress\n---${body}`);
  const removed = updateFrontmatter(out, { status: undefined });
  assert.equal(removed, text.replace('agent: null', 'agent: amp'));
  // A multi-line value goes through the Document API: comments, unknown keys and the body survive.
  const arr = updateFrontmatter(text, { tags: ['a', 'b'] });
  assert.ok(arr.endsWith(`---${body}`));
  assert.match(arr, /# the id/);
  assert.match(arr, /nested:\n {2}a: \[ 1, 2 \]|nested:\n {2}a: \[1, 2\]/);
  assert.match(arr, /zeta: 1/);
});

test('updateFrontmatter keeps CRLF files CRLF', () => {
  const text = '---\r\nid: T-1\r\ntitle: x\r\n---\r\nbody\r\n';
  assert.equal(updateFrontmatter(text, { agent: 'amp' }), '---\r\nid: T-1\r\ntitle: x\r\nagent: amp\r\n---\r\nbody\r\n');
});

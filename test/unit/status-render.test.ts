import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import type { Root, Table } from 'mdast';
import type { AgentRecord } from '../../src/core/agent-record.js';
import { renderStatus, type StatusInput } from '../../src/core/status-render.js';
import type { Task } from '../../src/core/task.js';

/** Plain text of a node (what a reader of the rendered table sees). */
function toString(n: unknown): string {
  const node = n as { value?: string; children?: unknown[] };
  return node.value ?? (node.children ?? []).map(toString).join('');
}

const task = (id: string, title: string, state: Task['state'], extra: Partial<Task> = {}): Task => ({
  id, title, agent: null, priority: 'medium', depends_on: [], tags: [], created: null, blocked_reason: null,
  state, status: null, path: `tasks/${state}/${id}.md`, body: '', data: { id, title }, ...extra,
});

const NASTY = [
  'pipe | in title',
  'stars *bold* and _under_',
  'back`tick` ``double``',
  'new\nline',
  'unicode — été ☕ 漢字 🚀',
  '<b>html</b> & [link](x) \\ backslash',
  '| leading pipe',
];

function input(): StatusInput {
  const agents: AgentRecord[] = [{ agent: 'amp', role: 'worker', window: 1, state: 'busy', task: 'T-2', context_pct: 42, paused: false }];
  return {
    tasks: [
      ...NASTY.map((t, i) => task(`T-${i + 10}`, t, 'pending', { agent: i % 2 ? 'amp' : null })),
      task('T-2', 'in | progress *x*', 'in_progress', { agent: 'amp' }),
      task('T-3', 'blocked `x`', 'blocked', { blocked_reason: 'needs | keys\nfrom *broker*' }),
      task('T-4', 'done | ok', 'completed'),
    ],
    invalid: [], agents, orchestrator: 'claude', backup: 'amp',
  };
}

function tables(md: string): Table[] {
  const tree = remark().use(remarkGfm).parse(md) as Root;
  return tree.children.filter((n): n is Table => n.type === 'table');
}

test('titles with |, *, backticks, newlines and unicode keep the GFM tables valid and the cell texts intact', () => {
  const md = renderStatus(input());
  const ts = tables(md);
  for (const t of ts) {
    const width = t.children[0]!.children.length;
    for (const row of t.children) assert.equal(row.children.length, width, `row of ${width} cells in:\n${md}`);
  }
  const pending = ts.find((t) => toString(t.children[0]!.children[1]!) === 'id' && t.children[0]!.children.length === 6)!;
  const titles = pending.children.slice(1).map((r) => toString(r.children[2]!));
  for (const t of NASTY) assert.ok(titles.includes(t.replace(/\n/g, ' ')), `title ${JSON.stringify(t)} not found in ${JSON.stringify(titles)}`);
  const blocked = ts.find((t) => toString(t.children[0]!.children[2]!) === 'reason')!;
  assert.equal(toString(blocked.children[1]!.children[2]!), 'needs | keys from *broker*');
  assert.equal(toString(blocked.children[1]!.children[1]!), 'blocked `x`');
});

test('rendering twice gives identical bytes, whatever the input order', () => {
  const a = renderStatus(input());
  const rev = input();
  rev.tasks.reverse();
  assert.equal(renderStatus(rev), a);
  assert.equal(renderStatus(input()), a);
  assert.ok(!/\d{2}:\d{2}:\d{2}/.test(a), 'no clock time in the status');
});

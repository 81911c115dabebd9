import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import type { Root, Table } from 'mdast';
import type { AgentRecord } from '../../src/core/agent-record.js';
import { renderStatus, serialize, serializeWhole, statusBlocks, summarize, type StatusInput } from '../../src/core/status-render.js';
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

test('block-by-block serialization (memoized between renders) gives the bytes of serializing the whole tree', () => {
  const big = input();
  for (let i = 0; i < 70; i++) big.tasks.push(task(`T-${100 + i}`, NASTY[i % NASTY.length]!, (['pending', 'in_progress', 'blocked', 'completed'] as const)[i % 4]!, { agent: i % 3 ? 'amp' : null, depends_on: i % 5 ? [] : ['T-2'] }));
  big.invalid = Array.from({ length: 55 }, (_, i) => ({ path: `tasks/pending/X-${i}.md`, line: i, rule: 'yaml', severity: 'error' as const, message: `bad | *yaml* ${NASTY[i % NASTY.length]}` }));
  big.alerts = ['agent amp idle', '- dash first', '1. numbered'];
  const empty: StatusInput = { tasks: [], invalid: [], agents: [], orchestrator: 'claude', backup: null };
  for (const inp of [input(), big, empty, big]) {
    const blocks = statusBlocks(inp);
    const whole = serializeWhole(blocks);
    assert.equal(serialize(blocks), whole);
    assert.equal(serialize(blocks), whole, 'again, from the memo');
    assert.equal(renderStatus(inp), whole);
  }
  // A changed section is serialized again, the others come from the memo.
  const moved = input();
  moved.tasks[0] = { ...moved.tasks[0]!, state: 'in_progress', path: 'tasks/in_progress/T-10.md' };
  assert.equal(renderStatus(moved), serializeWhole(statusBlocks(moved)));
  assert.notEqual(renderStatus(moved), renderStatus(input()));
});

test('the status file picks its first 50 rows per list exactly as the whole sorted lists begin (and counts them all)', () => {
  let seed = 2463534242;
  const rnd = (n: number) => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed % n; }; // xorshift32
  const states: Task['state'][] = ['pending', 'pending', 'pending', 'in_progress', 'completed', 'blocked'];
  const prios: Task['priority'][] = ['high', 'medium', 'low'];
  const tasks: Task[] = Array.from({ length: 600 }, (_, i) => {
    const id = rnd(4) === 0 ? `T-${String(i).padStart(4, '0')}` : `T-${i}`;
    return task(id, `task ${i}`, states[rnd(states.length)]!, {
      priority: prios[rnd(3)]!,
      created: rnd(5) === 0 ? null : `2026-0${1 + rnd(9)}-1${rnd(10)}T00:00:00Z`,
      depends_on: rnd(3) === 0 ? [`T-${rnd(600)}`] : [],
    });
  });
  const agents: AgentRecord[] = [{ agent: 'amp', role: 'worker', window: 1, state: 'idle', task: null, context_pct: null, paused: false }];
  const inputs: StatusInput = { tasks, invalid: [], agents, orchestrator: 'claude', backup: 'amp' };
  const whole = summarize(inputs);
  const capped = summarize(inputs, 50);
  assert.deepEqual(capped.counts, whole.counts);
  assert.deepEqual(capped.alerts, whole.alerts, 'the golden-rule count of ready tasks is the same');
  assert.ok(whole.pending.length > 50 && whole.in_progress.length > 50 && whole.blocked.length > 50, 'every list is longer than the cap');
  assert.deepEqual(capped.pending, whole.pending.slice(0, 50));
  assert.deepEqual(capped.in_progress, whole.in_progress.slice(0, 50));
  assert.deepEqual(capped.blocked, whole.blocked.slice(0, 50));
  assert.deepEqual(capped.completed, whole.completed);
});

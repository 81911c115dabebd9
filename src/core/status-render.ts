import type { Paragraph, Root, RootContent, Table, TableRow, PhrasingContent } from 'mdast';
import { gfmTableToMarkdown, toMarkdown, type Options as ToMarkdownOptions } from '../vendor/markdown.js';
import type { AgentRecord } from './agent-record.js';
import { completedIds, dispatchHead, waitingOn } from './dispatch-order.js';
import type { Problem } from './result.js';
import { sortById, topById } from './ids.js';
import { STATES } from './states.js';
import type { Task } from './task.js';

export interface StatusInput {
  tasks: Task[];
  invalid: Problem[];
  agents: AgentRecord[];
  orchestrator: string;
  backup: string | null;
  /** Extra alerts from the monitor (stale tasks, waiting agents…), already worded. */
  alerts?: string[];
}

export interface StatusSummary {
  counts: Record<string, number>;
  orchestrator: string;
  backup: string | null;
  agents: AgentRecord[];
  in_progress: { id: string; title: string; agent: string | null }[];
  pending: { id: string; title: string; priority: string; agent: string | null; waiting_on: string[] }[];
  blocked: { id: string; title: string; reason: string | null }[];
  completed: { id: string; title: string; agent: string | null }[];
  alerts: string[];
}

/**
 * Everything the status shows, as data (also `orch status --json`). Pure. With `rows`, the
 * in-progress, pending and blocked lists hold only their first `rows` entries (picked, not
 * sorted whole: what the status file shows); `counts` always counts them all.
 */
export function summarize(input: StatusInput, rows = Infinity): StatusSummary {
  const { tasks } = input;
  const counts: Record<string, number> = {};
  for (const s of STATES) counts[s] = 0;
  for (const t of tasks) counts[t.state] = (counts[t.state] ?? 0) + 1;
  const completed = completedIds(tasks);
  const head = dispatchHead(tasks, completed, rows);
  const pending = head.order;
  const first = (state: string): Task[] => {
    const xs = tasks.filter((t) => t.state === state);
    return rows === Infinity ? sortById(xs) : topById(xs, rows);
  };
  const alerts: string[] = [];
  for (const p of input.invalid) alerts.push(`invalid task file ${p.path}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  const busyAgents = new Set(tasks.filter((t) => t.state === 'in_progress' && t.agent).map((t) => t.agent));
  for (const a of input.agents) {
    if (a.state === 'waiting') alerts.push(`agent ${a.agent} is waiting for an answer (permission or question)`);
    if (a.state === 'dead') alerts.push(`agent ${a.agent} is dead`);
    if (a.role === 'worker' && !a.paused && !busyAgents.has(a.agent) && head.ready > 0 && a.state !== 'stopped') {
      alerts.push(`golden rule 1: agent ${a.agent} has no task while ${head.ready} task(s) are ready`);
    }
  }
  alerts.push(...(input.alerts ?? []));
  return {
    counts,
    orchestrator: input.orchestrator,
    backup: input.backup,
    agents: [...input.agents].sort((a, b) => a.window - b.window),
    in_progress: first('in_progress').map((t) => ({ id: t.id, title: t.title, agent: t.agent })),
    pending: pending.map((t) => ({ id: t.id, title: t.title, priority: t.priority, agent: t.agent, waiting_on: waitingOn(t, tasks, completed) })),
    blocked: first('blocked').map((t) => ({ id: t.id, title: t.title, reason: t.blocked_reason })),
    // "Last 10 completed": no clock in the file, so the highest ids stand for the latest.
    completed: topById(tasks.filter((t) => t.state === 'completed'), 10, true).map((t) => ({ id: t.id, title: t.title, agent: t.agent })),
    alerts,
  };
}

const text = (value: string): PhrasingContent => ({ type: 'text', value: value.replace(/[\r\n]+/g, ' ') });
const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value: value.replace(/[\r\n]+/g, ' ') });

function table(header: string[], rows: (PhrasingContent | string)[][]): Table {
  const row = (cells: (PhrasingContent | string)[]): TableRow => ({
    type: 'tableRow',
    children: cells.map((c) => ({ type: 'tableCell', children: [typeof c === 'string' ? text(c) : c] })),
  });
  return { type: 'table', align: header.map(() => null), children: [row(header), ...rows.map(row)] };
}

const heading = (depth: 1 | 2, value: string): RootContent => ({ type: 'heading', depth, children: [text(value)] });
const para = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
const none = (): RootContent => para({ type: 'emphasis', children: [text('none')] });

/**
 * Long lists are cut at ROW_CAP rows (the first ones in dispatch order) with a
 * count of the rest: the file stays readable and renders in milliseconds at
 * 10 000 tasks; `orch list` and `orch status --json` give everything.
 */
export const ROW_CAP = 50;
const cap = <T>(rows: T[]): T[] => rows.slice(0, ROW_CAP);
function more(c: RootContent[], n: number, label: string, state: string): void {
  if (n > ROW_CAP) c.push(para(text(`…and ${n - ROW_CAP} more ${label} (run `), code(`orch list --state ${state}`), text(')')));
}

/** ORCHESTRATION_STATUS.md through an mdast tree: valid GFM whatever the titles hold, same bytes for same state. */
export function renderStatus(input: StatusInput): string {
  return serialize(statusBlocks(input));
}

/** The status document's top-level mdast blocks. Pure. */
export function statusBlocks(input: StatusInput): RootContent[] {
  const s = summarize(input, ROW_CAP);
  const c: RootContent[] = [];
  c.push(heading(1, 'Orchestration status'));
  c.push(para(text('Generated by orch — do not edit. Run '), code('orch status'), text(' for a live view.')));
  c.push(heading(2, 'Summary'));
  c.push(table(['pending', 'in progress', 'completed', 'blocked', 'invalid'], [[
    String(s.counts.pending), String(s.counts.in_progress), String(s.counts.completed), String(s.counts.blocked), String(input.invalid.length),
  ]]));
  c.push(para(text(`Orchestrator: ${s.orchestrator} · backup: ${s.backup ?? 'none'}`)));
  c.push(heading(2, 'Agents'));
  c.push(s.agents.length
    ? table(['agent', 'role', 'window', 'state', 'task', 'context %'], s.agents.map((a) => [
      a.agent, a.role, String(a.window), a.paused ? `${a.state} (paused)` : a.state, a.task ? code(a.task) : '—', a.context_pct == null ? '—' : `${a.context_pct}`,
    ]))
    : none());
  c.push(heading(2, 'In progress'));
  c.push(s.in_progress.length ? table(['id', 'title', 'agent'], cap(s.in_progress).map((t) => [code(t.id), t.title, t.agent ?? '—'])) : none());
  more(c, s.counts.in_progress!, 'in progress', 'in_progress');
  c.push(heading(2, 'Pending'));
  c.push(s.pending.length
    ? table(['#', 'id', 'title', 'priority', 'agent', 'waiting on'], cap(s.pending).map((t, i) => [
      String(i + 1), code(t.id), t.title, t.priority, t.agent ?? '—', t.waiting_on.length ? t.waiting_on.join(', ') : '—',
    ]))
    : none());
  more(c, s.counts.pending!, 'pending', 'pending');
  c.push(heading(2, 'Blocked'));
  c.push(s.blocked.length ? table(['id', 'title', 'reason'], cap(s.blocked).map((t) => [code(t.id), t.title, t.reason ?? '—'])) : none());
  more(c, s.counts.blocked!, 'blocked', 'blocked');
  c.push(heading(2, 'Recently completed'));
  c.push(s.completed.length ? table(['id', 'title', 'agent'], s.completed.map((t) => [code(t.id), t.title, t.agent ?? '—'])) : none());
  c.push(heading(2, 'Alerts'));
  c.push(s.alerts.length
    ? { type: 'list', ordered: false, spread: false, children: cap(s.alerts).map((a) => ({ type: 'listItem', spread: false, children: [para(text(a))] })) }
    : none());
  if (s.alerts.length > ROW_CAP) c.push(para(text(`…and ${s.alerts.length - ROW_CAP} more alerts (run `), code('orch lint'), text(')')));
  return c;
}

// remark's own serializer (mdast-util-to-markdown, what remark-stringify runs) with GFM tables;
// no column padding, so one changed row changes one line in git diffs.
const MD_OPTIONS: ToMarkdownOptions = { bullet: '-', rule: '-', extensions: [gfmTableToMarkdown({ tablePipeAlign: false })] };

/** The last render's top-level blocks, by their mdast: a daemon round re-serializes only the sections that changed. */
let lastBlocks = new Map<string, string>();

/** Bump when the serializer's options change: remembered blocks of another format are not used. */
export const STATUS_FORMAT = 1;

/** The blocks the last render serialized (mdast JSON → markdown), to remember across processes. */
export function rememberedBlocks(): [string, string][] {
  return [...lastBlocks];
}

/** Blocks serialized by an earlier process (see rememberedBlocks): a one-shot verb's render serializes only what changed since. */
export function recallBlocks(entries: Iterable<[string, string]>): void {
  for (const [k, v] of entries) if (typeof k === 'string' && typeof v === 'string' && !lastBlocks.has(k)) lastBlocks.set(k, v);
}

/**
 * The same bytes as `toMarkdown({ type: 'root', children })`: at the top level
 * blocks are serialized on their own and joined by one blank line (the
 * serializer's join for these blocks; test/unit/status-render.test.ts checks
 * the identity). Serializing is most of a render at 10 000 tasks, and between
 * two daemon rounds most sections are unchanged.
 */
export function serialize(children: RootContent[]): string {
  const next = new Map<string, string>();
  const parts = children.map((node) => {
    const key = JSON.stringify(node);
    let md = next.get(key) ?? lastBlocks.get(key);
    if (md === undefined) md = toMarkdown(node, MD_OPTIONS).replace(/\n$/, '');
    next.set(key, md);
    return md;
  });
  lastBlocks = next;
  return `${parts.join('\n\n')}\n`;
}

/** The reference serializer `serialize` must always agree with (tests). */
export function serializeWhole(children: RootContent[]): string {
  const tree: Root = { type: 'root', children };
  return toMarkdown(tree, MD_OPTIONS);
}

/**
 * `handoff/claude_to_amp.md` (SPEC §11; seed "Fichier de Handoff"), pure.
 * Mechanical sections are filled from the repository and rewritten on every
 * update; the orchestrator completes the marked sections, which are kept
 * byte for byte from the previous version of the file:
 *
 *   <!-- orch:fill context — … -->
 *   what the orchestrator wrote
 *   <!-- orch:end context -->
 */
import type { Paragraph, RootContent, PhrasingContent, Table, TableRow } from 'mdast';
import { gfmTableToMarkdown, toMarkdown } from '../vendor/markdown.js';
import type { AgentRecord } from './agent-record.js';
import { completedIds, dispatchOrder, waitingOn } from './dispatch-order.js';
import type { HandoffPhase } from './handoff-plan.js';
import { sortById } from './ids.js';
import type { Task } from './task.js';

export interface OrchCommit { short: string; date: string; subject: string }

export interface HandoffDocInput {
  from: string;
  to: string;
  phase: HandoffPhase;
  /** ISO time of this version. */
  updated: string;
  tasks: Task[];
  records: AgentRecord[];
  /** Orch commits since `from` took the role, newest first. */
  commits: OrchCommit[];
  /** The commit where `from` took the role, or null (it has held it since the start). */
  since: string | null;
  /** The file as it is now, to keep what the orchestrator wrote. */
  previous?: string;
  /** Execute step: note every section left empty. */
  finalize?: boolean;
}

export const FILL_SECTIONS = [
  { key: 'context', title: 'Context summary', hint: 'what the team is doing, where it stands, and why' },
  { key: 'decisions', title: 'Technical decisions', hint: 'choices made, alternatives rejected and why' },
  { key: 'instructions', title: 'Special instructions', hint: 'what the next orchestrator must watch, what comes next' },
] as const;
export type FillKey = (typeof FILL_SECTIONS)[number]['key'];

const MAX_ROWS = 50;
const MAX_COMMITS = 100;
const FILL_RE = /<!-- orch:fill ([a-z]+)[^\n]*?-->\n?([\s\S]*?)<!-- orch:end \1 -->/g;

/** The text inside each fill block of a handoff file. */
export function readFills(text: string | undefined): Partial<Record<FillKey, string>> {
  const out: Partial<Record<FillKey, string>> = {};
  if (!text) return out;
  for (const m of text.matchAll(FILL_RE)) out[m[1] as FillKey] = m[2]!;
  return out;
}

/** A block holding only whitespace and HTML comments is empty. */
export const isEmptyFill = (s: string | undefined): boolean => !s || !s.replace(/<!--[\s\S]*?-->/g, '').trim();

const text = (value: string): PhrasingContent => ({ type: 'text', value: value.replace(/[\r\n]+/g, ' ') });
const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value });
const para = (...children: PhrasingContent[]): Paragraph => ({ type: 'paragraph', children });
const heading = (depth: 1 | 2, value: string): RootContent => ({ type: 'heading', depth, children: [text(value)] });
function table(header: string[], rows: (PhrasingContent | string)[][]): Table {
  const row = (cells: (PhrasingContent | string)[]): TableRow => ({
    type: 'tableRow', children: cells.map((c) => ({ type: 'tableCell', children: [typeof c === 'string' ? text(c) : c] })),
  });
  return { type: 'table', align: header.map(() => null), children: [row(header), ...rows.map(row)] };
}
const none = (): RootContent => para({ type: 'emphasis', children: [text('none')] });

export function buildHandoffDoc(i: HandoffDocInput): { text: string; empty: FillKey[] } {
  const fills = readFills(i.previous);
  const empty: FillKey[] = [];
  const c: RootContent[] = [];
  c.push(heading(1, `Handoff ${i.from} -> ${i.to}`));
  c.push(para(text(`Phase: ${i.phase} · updated ${i.updated} · written by orch from the repository. `),
    text(`${i.from}: complete the three marked sections below (write only between the orch:fill and orch:end markers; orch rewrites everything else).`)));

  for (const s of FILL_SECTIONS) {
    const title = s.key === 'instructions' ? `${s.title} for ${i.to}` : s.title;
    c.push(heading(2, title));
    const body = fills[s.key] ?? '\n';
    c.push({ type: 'html', value: `<!-- orch:fill ${s.key} — ${s.hint} -->\n${body.endsWith('\n') ? body : `${body}\n`}<!-- orch:end ${s.key} -->` });
    if (isEmptyFill(fills[s.key])) {
      empty.push(s.key);
      if (i.finalize) {
        c.push({ type: 'blockquote', children: [para(text(`orch: left empty by ${i.from} at handoff time. Read the history (`), code("git log --grep '^Orch-'"), text(') and ORCHESTRATION_STATUS.md instead.'))] });
      }
    }
  }

  const byAgent = new Map(i.records.map((r) => [r.agent, r]));
  const completed = completedIds(i.tasks);
  const inProgress = sortById(i.tasks.filter((t) => t.state === 'in_progress'));
  c.push(heading(2, 'Tasks in progress'));
  c.push(inProgress.length ? table(['id', 'title', 'agent', 'agent state'], inProgress.slice(0, MAX_ROWS).map((t) => [
    code(t.id), t.title, t.agent ?? '—', (t.agent && byAgent.get(t.agent)?.state) || '—',
  ])) : none());
  more(c, inProgress.length);

  const pending = dispatchOrder(i.tasks, completed);
  c.push(heading(2, 'Pending tasks (dispatch order)'));
  c.push(pending.length ? table(['#', 'id', 'title', 'priority', 'agent', 'waiting on'], pending.slice(0, MAX_ROWS).map((t, n) => [
    String(n + 1), code(t.id), t.title, t.priority, t.agent ?? '—', waitingOn(t, i.tasks, completed).join(', ') || '—',
  ])) : none());
  more(c, pending.length);

  const blocked = sortById(i.tasks.filter((t) => t.state === 'blocked'));
  c.push(heading(2, 'Blocked tasks'));
  c.push(blocked.length ? table(['id', 'title', 'reason'], blocked.slice(0, MAX_ROWS).map((t) => [code(t.id), t.title, t.blocked_reason ?? '—'])) : none());
  more(c, blocked.length);

  c.push(heading(2, `Orch commits since ${i.from} took the role`));
  c.push(para(text(i.since ? `Since ${i.since} (the handoff that gave ${i.from} the role), newest first.` : `${i.from} has held the role since the start of the history; newest first.`)));
  c.push(i.commits.length ? {
    type: 'list', ordered: false, spread: false,
    children: i.commits.slice(0, MAX_COMMITS).map((x) => ({ type: 'listItem', spread: false, children: [para(code(x.short), text(` ${x.date} ${x.subject}`))] })),
  } : none());
  if (i.commits.length > MAX_COMMITS) c.push(para(text(`…and ${i.commits.length - MAX_COMMITS} older ones.`)));

  c.push(heading(2, `For ${i.to}`));
  c.push(para(text('Read the history: '), code("git log --grep '^Orch-' --format='%h %ad %s' --date=short"), text(' (or '), code('orch log'),
    text('); the live state: '), code('orch status'), text('; keep every agent busy: '), code('orch dispatch'), text('.')));
  return { text: toMarkdown({ type: 'root', children: c }, { bullet: '-', extensions: [gfmTableToMarkdown({ tablePipeAlign: false })] }), empty };
}

function more(c: RootContent[], n: number): void {
  if (n > MAX_ROWS) c.push(para(text(`…and ${n - MAX_ROWS} more (see `), code('orch list'), text(').')));
}

/**
 * Reading orch's history back from commit trailers (SPEC §4). A trailer group
 * is `[Orch-Task] [Orch-Agent] Orch-Event`, in that order; Orch-Event always
 * closes a group (see changes.ts commitMessage). Pure.
 */
export interface TrailerGroup {
  id: string | null;
  from: string | null;
  to: string | null;
  agent: string | null;
  event: string | null;
}

export interface LogEntry extends TrailerGroup {
  /** Author date, ISO 8601. */
  time: string;
  /** `Name <email>`. */
  author: string;
  commit: string;
  subject: string;
}

const TASK = /^([^\s]+)\s+(\S+)\s*->\s*(\S+)\s*$/;

/** Trailer lines (`Key: value`, one per line, unfolded) → groups, in order. Other keys are ignored. */
export function parseTrailerGroups(text: string): TrailerGroup[] {
  const out: TrailerGroup[] = [];
  let cur: TrailerGroup | null = null;
  const open = (): TrailerGroup => (cur ??= { id: null, from: null, to: null, agent: null, event: null });
  const flush = () => { if (cur) out.push(cur); cur = null; };
  for (const raw of text.split(/\r?\n/)) {
    const m = /^(Orch-Task|Orch-Agent|Orch-Event)\s*:\s*(.*?)\s*$/i.exec(raw);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    if (key === 'orch-task') {
      if (cur) flush(); // a group without its Orch-Event (hand-written trailers): keep what it said
      const t = TASK.exec(value);
      const g = open();
      if (t) { g.id = t[1]!; g.from = t[2]!; g.to = t[3]!; } else g.id = value || null;
    } else if (key === 'orch-agent') {
      if (cur && (cur as TrailerGroup).agent !== null) flush();
      open().agent = value || null;
    } else {
      open().event = value || null;
      flush();
    }
  }
  flush();
  return out;
}

export const FIELD = '\x1f';
export const RECORD = '\x1e';

/** The `git log --format` that parseLog reads: one record per commit, fields split by US. */
export const LOG_FORMAT = ['%H', '%aI', '%an <%ae>', '%s', '%(trailers:only,unfold)'].join('%x1f') + '%x1e';

/** `git log --format=LOG_FORMAT` output → entries, newest commit first, trailer order within a commit. */
export function parseLog(out: string, id?: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const rec of out.split(RECORD)) {
    const fields = rec.replace(/^\s+/, '').split(FIELD);
    if (fields.length < 5) continue;
    const [commit, time, author, subject, trailers] = fields as [string, string, string, string, string];
    for (const g of parseTrailerGroups(trailers)) {
      if (id !== undefined && g.id !== id) continue;
      entries.push({ time, author, commit, ...g, subject });
    }
  }
  return entries;
}

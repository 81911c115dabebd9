import { idFromFileName } from './ids.js';
import type { State } from './states.js';

/** One path that differs between HEAD and what will be committed. */
export interface FileChange {
  status: 'A' | 'M' | 'D';
  path: string;
  /** The staged entry (`git diff-index --raw`): mode and blob; absent for a deletion. */
  mode?: string;
  oid?: string;
}

export type ChangeKind = 'create' | 'move' | 'edit' | 'delete' | 'agent' | 'handoff' | 'config' | 'prompt';

/** One state change: one `Orch-Task`/`Orch-Event` trailer group (SPEC §4). */
export interface Change {
  kind: ChangeKind;
  id?: string;
  from?: State | 'new';
  to?: State | 'deleted';
  agent?: string | null;
  path: string;
  note?: string;
}

export interface ChangeLookup {
  /** Id of the task now at `path` (valid files only). */
  idAt(path: string): string | undefined;
  /** Id of the task HEAD had at `path`. */
  headIdAt(path: string): string | undefined;
  agentOf(id: string): string | null | undefined;
}

const stateOf = (p: string): State | undefined => {
  const m = /^tasks\/(pending|in_progress|completed|blocked)\/[^/.][^/]*\.md$/.exec(p);
  return m?.[1] as State | undefined;
};

/** Turn path-level differences into task-level changes; a delete and an add of one id are a move. Pure. */
export function planChanges(files: FileChange[], lookup: ChangeLookup): Change[] {
  const out: Change[] = [];
  const added = new Map<string, FileChange>();
  const deleted = new Map<string, FileChange>();
  const other: FileChange[] = [];
  for (const f of files) {
    const st = stateOf(f.path);
    if (!st) { other.push(f); continue; }
    if (f.status === 'A') {
      const id = lookup.idAt(f.path) ?? idFromFileName(f.path.split('/').pop()!);
      if (id && !added.has(id)) { added.set(id, f); continue; }
    } else if (f.status === 'D') {
      const id = lookup.headIdAt(f.path) ?? idFromFileName(f.path.split('/').pop()!);
      if (id && !deleted.has(id)) { deleted.set(id, f); continue; }
    }
    other.push(f);
  }
  for (const [id, a] of added) {
    const d = deleted.get(id);
    const to = stateOf(a.path)!;
    if (d) {
      deleted.delete(id);
      const from = stateOf(d.path)!;
      out.push({ kind: from === to ? 'edit' : 'move', id, from, to, agent: lookup.agentOf(id), path: a.path });
    } else {
      out.push({ kind: 'create', id, from: 'new', to, agent: lookup.agentOf(id), path: a.path });
    }
  }
  for (const [id, d] of deleted) {
    out.push({ kind: 'delete', id, from: stateOf(d.path)!, to: 'deleted', agent: lookup.agentOf(id) ?? null, path: d.path });
  }
  for (const f of other) {
    const st = stateOf(f.path);
    if (st) {
      const id = (f.status === 'D' ? lookup.headIdAt(f.path) : lookup.idAt(f.path)) ?? idFromFileName(f.path.split('/').pop()!) ?? f.path;
      const kind: ChangeKind = f.status === 'A' ? 'create' : f.status === 'D' ? 'delete' : 'edit';
      out.push({ kind, id, from: f.status === 'A' ? 'new' : st, to: f.status === 'D' ? 'deleted' : st, agent: lookup.agentOf(id) ?? null, path: f.path });
    } else if (f.path.startsWith('status/')) {
      out.push({ kind: 'agent', agent: f.path.slice('status/'.length).replace(/\.md$/, ''), path: f.path });
    } else if (f.path.startsWith('handoff/')) {
      out.push({ kind: 'handoff', path: f.path });
    } else if (f.path.startsWith('prompts/')) {
      out.push({ kind: 'prompt', path: f.path });
    } else if (f.path === '.orch/config.yml') {
      out.push({ kind: 'config', path: f.path });
    }
    // ORCHESTRATION_STATUS.md and .gitkeep files ride along without a trailer.
  }
  return out;
}

export function describe(c: Change): string {
  if (c.id) return `${c.id} ${c.from} -> ${c.to}`;
  if (c.kind === 'agent') return `agent ${c.agent} record updated`;
  return `${c.kind} ${c.path}`;
}

/** Commit message with one trailer group per change, in order (SPEC §4, contract). */
export function commitMessage(changes: Change[], notes: Record<string, string> = {}, subject?: string): string {
  const taskChanges = changes.filter((c) => c.id);
  // No change with a trailer: only ORCHESTRATION_STATUS.md (e.g. its Alerts section) was re-rendered.
  const subj = subject ?? (changes.length === 0
    ? 'orch: ORCHESTRATION_STATUS.md re-rendered'
    : changes.length === 1
    ? `orch: ${describe(changes[0]!)}`
    : taskChanges.length === changes.length
      ? `orch: ${changes.length} task changes`
      : `orch: ${changes.length} changes`);
  const body = changes.map((c) => `- ${describe(c)}${c.agent && c.id ? ` (${c.agent})` : ''}${c.id && notes[c.id] ? `: ${oneLine(notes[c.id]!)}` : ''}`);
  const trailers: string[] = [];
  for (const c of changes) {
    if (c.id) trailers.push(`Orch-Task: ${c.id} ${c.from} -> ${c.to}`);
    if (c.agent) trailers.push(`Orch-Agent: ${c.agent}`);
    trailers.push(`Orch-Event: ${c.kind}`);
  }
  if (!changes.length) return `${subj}\n`;
  return `${subj}\n\n${body.join('\n')}\n\n${trailers.join('\n')}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 200);
}

import jsyaml from 'js-yaml';
import { splitFrontmatter, updateFrontmatter } from './frontmatter.js';
import { idFromFileName } from './ids.js';

/** A tree restricted to orch paths: path → blob. */
export interface Entry { mode: string; oid: string }
export type TreeMap = Map<string, Entry>;

export interface LocalCommit { oid: string; message: string; parent: TreeMap; tree: TreeMap }

/** What to do with one local orch commit when it is replayed on top of the remote. */
export interface ReplayStep {
  commit: LocalCommit;
  /** Path → new entry (null: delete). Entries with `rewriteId` need their blob's `id:` rewritten. */
  writes: { path: string; entry: Entry | null; rewriteId?: { from: string; to: string } }[];
  /** Task ids whose local change was dropped because the remote changed them first (a lost claim, say). */
  dropped: string[];
  /** Ids minted here that the remote took meanwhile: renumbered. */
  renumbered: { from: string; to: string }[];
  /**
   * Every renumbering of this replay (all steps): a task written by any step that
   * depends on a renumbered id must depend on its new id (`rewriteRefs`).
   */
  renames: ReadonlyMap<string, string>;
}

/** A task file's path in an orch tree. */
export const TASK_PATH = /^tasks\/(pending|in_progress|completed|blocked)\/[^/]+\.md$/;
const STATUS_FILE = 'ORCHESTRATION_STATUS.md';

export type IdOf = (path: string, e: Entry) => string | undefined;

function idsIn(map: TreeMap, idOf: IdOf): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [p, e] of map) {
    if (!TASK_PATH.test(p)) continue;
    const id = idOf(p, e) ?? idFromFileName(p.split('/').pop()!);
    if (!id) continue;
    out.set(id, [...(out.get(id) ?? []), p]);
  }
  return out;
}

const keyOf = (map: TreeMap, paths: string[] | undefined): string =>
  (paths ?? []).map((p) => `${p}:${map.get(p)?.oid}`).sort().join('|');

/**
 * Replay local orch commits on top of the remote, task by task (pure).
 * The remote wins every conflict: a task the remote changed since the merge
 * base keeps the remote's version and the local change to it is dropped (that
 * is how a claim is lost). An id minted locally that the remote minted too is
 * renumbered to the next free id. ORCHESTRATION_STATUS.md is left to the
 * re-render that follows.
 */
export function planReplay(base: TreeMap, upstream: TreeMap, commits: LocalCommit[], idOf: IdOf, nextFreeId: (prefixOf: string, taken: Set<string>) => string): ReplayStep[] {
  const baseIds = idsIn(base, idOf);
  const upIds = idsIn(upstream, idOf);
  const taken = new Set<string>([...upIds.keys(), ...baseIds.keys()]);
  for (const c of commits) for (const id of idsIn(c.tree, idOf).keys()) taken.add(id);
  // Renumberings first (they depend on ids only), so a step can rewrite references to an id renumbered later.
  const renames = new Map<string, string>();
  const touchedIn = commits.map((c) => {
    const before = idsIn(c.parent, idOf);
    const after = idsIn(c.tree, idOf);
    const touched = new Set<string>();
    for (const id of new Set([...before.keys(), ...after.keys()])) {
      if (keyOf(c.parent, before.get(id)) !== keyOf(c.tree, after.get(id))) touched.add(id);
    }
    for (const id of touched) {
      if (!before.has(id) && !baseIds.has(id) && upIds.has(id) && !renames.has(id)) {
        const to = nextFreeId(id, taken);
        taken.add(to);
        renames.set(id, to);
      }
    }
    return { before, after, touched };
  });
  const reported = new Set<string>();
  const lost = new Set<string>();
  const steps: ReplayStep[] = [];
  commits.forEach((c, i) => {
    const { before, after, touched } = touchedIn[i]!;
    const step: ReplayStep = { commit: c, writes: [], dropped: [], renumbered: [], renames };
    for (const id of touched) {
      const to = renames.get(id);
      if (to && !reported.has(id)) {
        reported.add(id);
        step.renumbered.push({ from: id, to });
      }
      if (!to && (lost.has(id) || keyOf(base, baseIds.get(id)) !== keyOf(upstream, upIds.get(id)))) {
        lost.add(id);
        step.dropped.push(id);
        continue;
      }
      const rename = (p: string) => (to ? p.replace(`/${id}`, `/${to}`) : p);
      for (const p of before.get(id) ?? []) if (!(after.get(id) ?? []).includes(p)) step.writes.push({ path: rename(p), entry: null });
      for (const p of after.get(id) ?? []) {
        const e = c.tree.get(p)!;
        if (c.parent.get(p)?.oid === e.oid && (before.get(id) ?? []).includes(p)) continue;
        step.writes.push({ path: rename(p), entry: e, ...(to ? { rewriteId: { from: id, to } } : {}) });
      }
    }
    for (const p of new Set([...c.parent.keys(), ...c.tree.keys()])) {
      if (TASK_PATH.test(p) || p === STATUS_FILE) continue;
      const a = c.parent.get(p)?.oid;
      const b = c.tree.get(p)?.oid;
      if (a === b) continue;
      if (base.get(p)?.oid !== upstream.get(p)?.oid) continue; // the remote changed it too: the remote wins
      step.writes.push({ path: p, entry: c.tree.get(p) ?? null });
    }
    steps.push(step);
  });
  return steps;
}

/**
 * A replayed task file with the renumberings applied: its own `id:` (when it
 * is the renumbered task) and every `depends_on` entry naming a renumbered
 * id. null when nothing changes (the blob is written as it was).
 */
export function rewriteRefs(text: string, renames: ReadonlyMap<string, string>, rewriteId?: { from: string; to: string }): string | null {
  const updates: Record<string, unknown> = {};
  if (rewriteId) updates.id = rewriteId.to;
  const deps = dependsOn(text);
  if (deps?.some((d) => renames.has(d))) updates.depends_on = deps.map((d) => renames.get(d) ?? d);
  return Object.keys(updates).length ? updateFrontmatter(text, updates) : null;
}

function dependsOn(text: string): string[] | null {
  const split = splitFrontmatter(text);
  if (!split) return null;
  try {
    const v = (jsyaml.load(split.yaml, { schema: jsyaml.CORE_SCHEMA }) as Record<string, unknown> | null)?.depends_on;
    return Array.isArray(v) && v.every((d) => typeof d === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/** Rewrite a replayed commit message: drop trailer groups of dropped ids, rename renumbered ids, add a note. */
export function replayMessage(message: string, step: ReplayStep): string {
  if (!step.dropped.length && !step.renumbered.length) return message;
  const lines = message.replace(/\n+$/, '').split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const m = /^Orch-Task: (\S+) /.exec(line);
    if (m) skipping = step.dropped.includes(m[1]!);
    if (/^- (\S+) /.test(line) && step.dropped.includes(/^- (\S+) /.exec(line)![1]!)) continue;
    if (!skipping) out.push(line);
    if (/^Orch-Event: /.test(line)) skipping = false;
  }
  let text = out.join('\n');
  for (const r of step.renumbered) text = text.replace(new RegExp(`\\b${r.from}\\b`, 'g'), r.to);
  const notes = [
    ...step.renumbered.map((r) => `sync: ${r.from} renumbered to ${r.to} (the id was taken on the remote)`),
    ...step.dropped.map((id) => `sync: local change to ${id} dropped (changed on the remote first)`),
  ];
  const [subject, ...rest] = text.split('\n');
  return `${subject}\n\n${notes.join('\n')}\n${rest.join('\n')}\n`;
}

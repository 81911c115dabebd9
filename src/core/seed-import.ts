import { isValidId } from './ids.js';
import { normalizePriority, type Priority, type State } from './states.js';

/**
 * The seed's `config/task_queue.json` → task files, as data (SPEC §7 `orch import`).
 * The seed never fixed its field names, so each field accepts the names a
 * French or English script would use; anything else is kept as an unknown
 * frontmatter key. Pure: the command writes and commits.
 */
export interface ImportedTask { state: State; id: string; fm: Record<string, unknown>; body: string; jsonPath: string }
export interface ImportProblem { jsonPath: string; message: string }
export interface SeedImport { tasks: ImportedTask[]; problems: ImportProblem[]; warnings: ImportProblem[]; currentOrchestrator: string | null }

const SECTIONS: Record<string, State> = {
  pending: 'pending', todo: 'pending', en_attente: 'pending',
  in_progress: 'in_progress', 'in-progress': 'in_progress', en_cours: 'in_progress',
  completed: 'completed', done: 'completed', termine: 'completed', terminees: 'completed',
  blocked: 'blocked', bloque: 'blocked', bloquees: 'blocked',
};

export const ALIASES = {
  id: ['id', 'task_id', 'taskId', 'ID', 'identifiant'],
  title: ['title', 'titre', 'name', 'nom', 'summary'],
  agent: ['agent', 'assigned_to', 'assignee', 'assigned_agent', 'agent_assigne'],
  priority: ['priority', 'priorite', 'priorité', 'prio', 'PRIORITE'],
  depends_on: ['depends_on', 'dependencies', 'depends', 'deps', 'dependances', 'dépendances'],
  tags: ['tags', 'labels', 'specialties', 'specialites'],
  created: ['created', 'created_at', 'createdAt', 'date_creation', 'timestamp'],
  blocked_reason: ['blocked_reason', 'reason', 'raison', 'block_reason'],
  body: ['prompt', 'body', 'content', 'contenu', 'instructions', 'description'],
} as const;
/** Keys that only mirror the section the entry is in. */
const DROPPED = new Set(['status', 'state', 'statut']);
const NO_AGENT = new Set(['', 'none', 'null', 'unassigned', 'any', 'aucun', '-']);
const CREATED_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mapSeedQueue(doc: unknown, knownAgents: string[] | null = null): SeedImport {
  const out: SeedImport = { tasks: [], problems: [], warnings: [], currentOrchestrator: null };
  if (!isObj(doc)) { out.problems.push({ jsonPath: '$', message: 'expected a JSON object like {"task_queue": {"pending": [...], ...}}' }); return out; }
  const queue = isObj(doc.task_queue) ? doc.task_queue : doc;
  const base = isObj(doc.task_queue) ? '$.task_queue' : '$';
  const co = doc.current_orchestrator ?? queue.current_orchestrator;
  if (typeof co === 'string' && co.trim()) out.currentOrchestrator = co.trim().toLowerCase();
  const seen = new Set<string>();
  for (const [key, list] of Object.entries(queue)) {
    if (key === 'current_orchestrator') continue;
    const state = SECTIONS[key.toLowerCase()];
    if (!state) { out.warnings.push({ jsonPath: `${base}.${key}`, message: `unknown section "${key}" ignored (expected pending, in_progress, completed, blocked)` }); continue; }
    if (!Array.isArray(list)) { out.problems.push({ jsonPath: `${base}.${key}`, message: 'expected an array of tasks' }); continue; }
    list.forEach((entry, i) => {
      const jsonPath = `${base}.${key}[${i}]`;
      const r = mapEntry(entry, state, jsonPath, knownAgents);
      if ('message' in r) { out.problems.push(r); return; }
      if (seen.has(r.id)) { out.problems.push({ jsonPath, message: `duplicate id ${r.id} (an earlier entry has it); give it another id` }); return; }
      seen.add(r.id);
      out.tasks.push(r);
    });
  }
  return out;
}

function take(e: Obj, names: readonly string[], used: Set<string>): unknown {
  for (const n of names) if (n in e && e[n] !== undefined) { used.add(n); return e[n]; }
  return undefined;
}

const list = (v: unknown): unknown[] | undefined =>
  v == null ? [] : Array.isArray(v) ? v : typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;

function priorityOf(v: unknown): Priority | undefined {
  if (v == null || v === '') return 'medium';
  if (typeof v === 'number') return v <= 1 ? 'high' : v === 2 ? 'medium' : 'low';
  const s = String(v).trim().toLowerCase();
  if (['urgent', 'urgente', 'critical', 'critique', 'p0', 'p1'].includes(s)) return 'high';
  if (s === 'p2') return 'medium';
  if (s === 'p3') return 'low';
  return normalizePriority(s);
}

function mapEntry(e: unknown, state: State, jsonPath: string, knownAgents: string[] | null): ImportedTask | ImportProblem {
  const bad = (message: string): ImportProblem => ({ jsonPath, message });
  if (!isObj(e)) return bad('expected a task object with at least an id and a title');
  const used = new Set<string>();
  const rawId = take(e, ALIASES.id, used);
  if (typeof rawId !== 'string' || !rawId.trim()) return bad('no id (expected "id" or "task_id", like TASK-PO-025)');
  const id = rawId.trim().toUpperCase();
  if (!isValidId(id)) return bad(`invalid id ${JSON.stringify(rawId)} (expected like TASK-PO-025: capitals and digits, dash-separated, ending in a number)`);
  const rawBody = take(e, ALIASES.body, used);
  if (rawBody !== undefined && typeof rawBody !== 'string') return bad('the prompt/description must be a string');
  let title = take(e, ALIASES.title, used);
  if (title === undefined && typeof rawBody === 'string') title = rawBody.split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 120);
  if (typeof title !== 'string' || !title.trim()) return bad('no title (expected "title", "titre" or a "description")');
  const agentRaw = take(e, ALIASES.agent, used);
  if (agentRaw != null && typeof agentRaw !== 'string') return bad('agent must be a string');
  const agent = agentRaw == null || NO_AGENT.has(agentRaw.trim().toLowerCase()) ? null : agentRaw.trim().toLowerCase();
  if (agent && knownAgents && !knownAgents.includes(agent)) return bad(`unknown agent "${agentRaw}" (known: ${knownAgents.join(', ')}); fix it in the JSON or add the agent to .orch/config.yml`);
  const prioRaw = take(e, ALIASES.priority, used);
  const priority = priorityOf(prioRaw);
  if (!priority) return bad(`unknown priority ${JSON.stringify(prioRaw)} (expected HAUTE/MOYENNE/BASSE or high/medium/low)`);
  const deps = list(take(e, ALIASES.depends_on, used));
  if (!deps || deps.some((d) => typeof d !== 'string')) return bad('depends_on must be a list of ids');
  const depends_on = (deps as string[]).map((d) => d.trim().toUpperCase());
  const badDep = depends_on.find((d) => !isValidId(d));
  if (badDep !== undefined) return bad(`depends_on has an invalid id ${JSON.stringify(badDep)}`);
  const tags = list(take(e, ALIASES.tags, used));
  if (!tags || tags.some((t) => typeof t !== 'string')) return bad('tags must be a list of strings');
  const fm: Record<string, unknown> = { id, title: title.split(/\r?\n/)[0]!.trim(), agent, priority, depends_on, tags: (tags as string[]).map((t) => t.trim()) };
  const created = take(e, ALIASES.created, used);
  if (typeof created === 'string' && CREATED_RE.test(created.trim())) fm.created = created.trim();
  else if (created !== undefined && created !== null) {
    const d = new Date(typeof created === 'number' && created < 1e11 ? created * 1000 : (created as string | number));
    if (Number.isNaN(d.getTime())) return bad(`created_at ${JSON.stringify(created)} is not a date (expected ISO 8601, e.g. 2026-01-20T10:00:00Z)`);
    fm.created = d.toISOString();
  }
  const reason = take(e, ALIASES.blocked_reason, used);
  if (reason != null) fm.blocked_reason = String(reason);
  for (const [k, v] of Object.entries(e)) if (!used.has(k) && !DROPPED.has(k) && v !== undefined) fm[k] = v;
  const text = typeof rawBody === 'string' ? rawBody.replace(/\s+$/, '') : '';
  return { state, id, fm, body: text ? `\n${text.replace(/^\n+/, '')}\n` : '\n', jsonPath };
}

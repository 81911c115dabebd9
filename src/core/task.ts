import jsyaml from 'js-yaml';
import { yaml as yamlLib } from './yaml-lazy.js';
import { splitFrontmatter } from './frontmatter.js';
import { isValidId } from './ids.js';
import { describeAjvError, validator } from './schema.js';
import { fail, ok, type Problem, type Result } from './result.js';
import { normalizePriority, type Priority, type State } from './states.js';

/** A parsed, valid task. `path` is relative to the workspace root, posix. */
export interface Task {
  id: string;
  title: string;
  agent: string | null;
  priority: Priority;
  depends_on: string[];
  tags: string[];
  created: string | null;
  blocked_reason: string | null;
  /** The folder the file is in: the truth (SPEC §3). */
  state: State;
  /** `status:` from the frontmatter, when present (may disagree with state: that is an edit intent). */
  status: string | null;
  path: string;
  body: string;
  /** All frontmatter keys, unknown ones included. */
  data: Record<string, unknown>;
}

export const MAX_TASK_BYTES = 1024 * 1024;

/**
 * Frontmatter YAML with js-yaml's core schema: dates stay strings, duplicate
 * keys are errors. (This is the hot path of every scan: js-yaml parses a task's
 * frontmatter ~10× faster than the Document API, measured in docs/performance.md;
 * edits keep using the `yaml` Document API for byte preservation.)
 */
function loadYaml(src: string): { value: unknown } | { error: string; line: number } {
  try {
    return { value: jsyaml.load(src, { schema: jsyaml.CORE_SCHEMA }) };
  } catch (e) {
    const err = e as { reason?: string; message?: string; mark?: { line?: number } };
    return { error: err.reason ?? String(err.message).split('\n')[0] ?? 'syntax error', line: (err.mark?.line ?? 0) + 1 };
  }
}

export function problem(path: string, rule: string, message: string, line: number | null = null, severity: Problem['severity'] = 'error'): Problem {
  return { path, line, rule, severity, message };
}

/** Line (1-based, in the file) of a top-level frontmatter key, or null. */
export function keyLine(text: string, key: string): number | null {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (/^(---|\.\.\.)\s*$/.test(lines[i] ?? '')) break;
    if ((lines[i] ?? '').startsWith(`${key}:`)) return i + 1;
  }
  return null;
}

/** Reads a task's body from its file, given the task's path (an adapter supplies it). */
export type BodyReader = (path: string) => string;

/**
 * The typed task from its frontmatter mapping (already validated): the one
 * place the fields are derived, for a parse and for the scan cache, which
 * stores only the mapping. With a reader instead of the body text, the body
 * is read on first access (a prototype getter: no closure per task — at
 * 100 000 tasks an own accessor per object cost ~100 MB of heap). A lazy
 * task's `body` is not an own property: copy one with `withBodyRead(t)`, never a spread.
 */
export function taskFromData(path: string, state: State, data: Record<string, unknown>, body: string | BodyReader): Task {
  if (typeof body !== 'string') return new LazyBodyTask(path, state, data, body);
  // One object literal (fast properties, ~130 bytes): a spread of a fields object was ~600.
  return {
    id: data.id as string, title: String(data.title), agent: agentOf(data), priority: normalizePriority(data.priority) ?? 'medium',
    depends_on: listOf(data.depends_on), tags: listOf(data.tags), created: strOf(data.created), blocked_reason: strOf(data.blocked_reason),
    state, status: strOf(data.status), path, body, data,
  };
}

/** A plain copy whose body is read now (before its file moves, or to spread it: a lazy body is not an own property). */
export function withBodyRead(t: Task): Task {
  return taskFromData(t.path, t.state, t.data, t.body);
}

/** The same task under another path and state (a move); a lazy body stays lazy, read from the new path. */
export function relocated(t: Task, path: string, state: State): Task {
  return taskFromData(path, state, t.data, t instanceof LazyBodyTask ? t.reader : t.body);
}

const strOf = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const agentOf = (data: Record<string, unknown>): string | null => strOf(data.agent);
const NO_ITEMS: readonly string[] = Object.freeze([]);
const listOf = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : (NO_ITEMS as string[]));

class LazyBodyTask implements Task {
  id: string; title: string; agent: string | null; priority: Priority; depends_on: string[]; tags: string[];
  created: string | null; blocked_reason: string | null; status: string | null;
  private text: string | undefined = undefined;
  constructor(public path: string, public state: State, public data: Record<string, unknown>, readonly reader: BodyReader) {
    this.id = data.id as string; this.title = String(data.title); this.agent = agentOf(data);
    this.priority = normalizePriority(data.priority) ?? 'medium'; this.depends_on = listOf(data.depends_on); this.tags = listOf(data.tags);
    this.created = strOf(data.created); this.blocked_reason = strOf(data.blocked_reason); this.status = strOf(data.status);
  }

  get body(): string { return (this.text ??= this.reader(this.path)); }
}


/** Parse and validate a task file's text. Pure: the caller reads the bytes. */
export function parseTask(path: string, text: string, state: State): Result<Task> {
  if (Buffer.byteLength(text) > MAX_TASK_BYTES) {
    return fail([problem(path, 'size', `file is ${Math.round(Buffer.byteLength(text) / 1024)} KB; a task file may be at most ${MAX_TASK_BYTES / 1024} KB — move large material elsewhere and link it`)]);
  }
  if (text.includes('\u0000')) {
    return fail([problem(path, 'binary', 'file contains NUL bytes (binary?); a task must be a UTF-8 markdown file')]);
  }
  if (!/^---[ \t]*\r?\n/.test(text)) {
    return fail([problem(path, 'frontmatter', 'no YAML frontmatter: the file must start with a `---` line, then `id:` and `title:`, then `---`', 1)]);
  }
  const split = splitFrontmatter(text);
  if (!split) {
    return fail([problem(path, 'frontmatter', 'the frontmatter is not closed: add a `---` line after the last key', 1)]);
  }
  const loaded = loadYaml(split.yaml);
  if ('error' in loaded) {
    return fail([problem(path, 'yaml', `invalid YAML frontmatter: ${loaded.error} — fix the syntax (quote values containing ':' or '#')`, loaded.line + 1)]);
  }
  const data = (loaded.value ?? {}) as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data)) {
    return fail([problem(path, 'frontmatter', 'frontmatter must be a YAML mapping (key: value lines)', 2)]);
  }
  const validate = validator('task');
  if (!validate(data)) {
    const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf' || true).map((e) => {
      const d = describeAjvError(e);
      const key = d.path[0] ?? (e.params as { missingProperty?: string }).missingProperty ?? '';
      const hint = key === 'id' ? ' (expected like TASK-PO-025: capitals, dashes, ending in a number)'
        : key === 'priority' ? ' (use high, medium or low)' : '';
      const where = d.path.length ? `"${d.path.join('.')}" ` : '';
      return problem(path, 'schema', `${where}${d.message}${hint}`, keyLine(text, key) ?? 2);
    });
    return fail(dedupe(errors));
  }
  if (!isValidId(data.id)) return fail([problem(path, 'schema', 'invalid id', keyLine(text, 'id'))]);
  return ok(taskFromData(path, state, data, split.body));
}

function dedupe(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.line}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Render a new task file: frontmatter in a stable key order, then the body. */
export function renderTaskFile(fm: Record<string, unknown>, body: string): string {
  const yaml = yamlLib().stringify(fm, { lineWidth: 0 });
  return `---\n${yaml}---\n${body.startsWith('\n') ? body : `\n${body}`}`;
}

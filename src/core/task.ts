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

/**
 * The typed task from its frontmatter mapping (already validated): the one
 * place the fields are derived, for a parse and for the scan cache, which
 * stores only the mapping. `body` may be a getter (read lazily).
 */
export function taskFromData(path: string, state: State, data: Record<string, unknown>, body: string | (() => string)): Task {
  const fields = {
    id: data.id as string,
    title: String(data.title),
    agent: typeof data.agent === 'string' ? data.agent : null,
    priority: normalizePriority(data.priority) ?? 'medium',
    depends_on: Array.isArray(data.depends_on) ? (data.depends_on as string[]) : [],
    tags: Array.isArray(data.tags) ? (data.tags as string[]) : [],
    created: typeof data.created === 'string' ? data.created : null,
    blocked_reason: typeof data.blocked_reason === 'string' ? data.blocked_reason : null,
    state,
    status: typeof data.status === 'string' ? data.status : null,
    path,
    data,
  };
  if (typeof body === 'string') return { ...fields, body };
  let text: string | undefined;
  return Object.defineProperty(fields, 'body', { enumerable: true, get: () => (text ??= body()) }) as Task;
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

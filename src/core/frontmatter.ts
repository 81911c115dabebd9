import { yaml as yamlLib } from './yaml-lazy.js';

/**
 * Byte-preserving frontmatter edits. orch changes only the keys it means to
 * change (SPEC §2): other lines, key order, comments and the body stay as
 * they were. Single-line top-level keys are replaced in place; anything more
 * complex falls back to the yaml Document API, which keeps comments.
 */
export interface Split {
  /** Opening fence line including its newline, e.g. `---\n`. */
  open: string;
  /** Raw YAML between the fences. */
  yaml: string;
  /** Closing fence line including its newline. */
  close: string;
  body: string;
}

const OPEN = /^---[ \t]*\r?\n/;

export function splitFrontmatter(text: string): Split | undefined {
  const m = OPEN.exec(text);
  if (!m) return undefined;
  const start = m[0].length;
  const re = /^(---|\.\.\.)[ \t]*(\r?\n|$)/gm;
  re.lastIndex = start;
  // An empty frontmatter block closes on the line right after the opening fence.
  let c: RegExpExecArray | null;
  while ((c = re.exec(text))) {
    if (c.index >= start) {
      return { open: m[0], yaml: text.slice(start, c.index), close: c[0], body: text.slice(c.index + c[0].length) };
    }
  }
  return undefined;
}

export type KeyUpdates = Record<string, unknown>;

function scalarLine(key: string, value: unknown): string {
  const v = plainScalar(value) ?? yamlLib().stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  return `${key}: ${v}`;
}

const PLAIN = /^[A-Za-z][A-Za-z0-9_./@+ -]*[A-Za-z0-9_./@+-]$|^[A-Za-z]$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * The text `yaml.stringify` gives for the scalars verbs write (agent names,
 * timestamps, null, short reasons), without loading the `yaml` library (~30 ms
 * of a verb's start-up); undefined for anything else, which goes to the library.
 * test/unit/frontmatter.test.ts checks the agreement.
 */
export function plainScalar(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  if (TIMESTAMP.test(value)) return value;
  return PLAIN.test(value) && !RESERVED.test(value) && !/ {2}/.test(value) ? value : undefined;
}

/** `undefined` removes a key; anything else sets it. Returns the new file text. */
export function updateFrontmatter(text: string, updates: KeyUpdates): string {
  const split = splitFrontmatter(text);
  if (!split) throw new Error('file has no frontmatter block');
  const nl = split.open.endsWith('\r\n') ? '\r\n' : '\n';
  const lines = split.yaml.length ? split.yaml.replace(/\r?\n$/, '').split(/\r?\n/) : [];
  for (const [key, value] of Object.entries(updates)) {
    const multiline = value !== null && typeof value === 'object';
    const idx = lines.findIndex((l) => new RegExp(`^${escapeRe(key)}[ \\t]*:`).test(l));
    const next = idx >= 0 ? lines[idx + 1] : undefined;
    const continues = next !== undefined && /^([ \t]|-\s)/.test(next);
    if (multiline || continues || (idx >= 0 && /:\s*[|>]/.test(lines[idx] ?? ''))) {
      return viaDocument(split, updates, nl);
    }
    if (idx >= 0) {
      if (value === undefined) lines.splice(idx, 1);
      else lines[idx] = scalarLine(key, value) + trailingComment(lines[idx] ?? '');
    } else if (value !== undefined) {
      lines.push(scalarLine(key, value));
    }
  }
  const yaml = lines.length ? lines.join(nl) + nl : '';
  return split.open + yaml + split.close + split.body;
}

function trailingComment(line: string): string {
  // Keep `# comment` at the end of a simple `key: value  # comment` line.
  const m = /^[^#'"]*?(\s+#.*)$/.exec(line);
  return m?.[1] ?? '';
}

function viaDocument(split: Split, updates: KeyUpdates, nl: string): string {
  const doc = yamlLib().parseDocument(split.yaml);
  for (const [key, value] of Object.entries(updates)) {
    if (value === undefined) doc.delete(key);
    else doc.set(key, value);
  }
  let yaml = doc.toString({ lineWidth: 0 });
  if (nl === '\r\n') yaml = yaml.replace(/\r?\n/g, '\r\n');
  return split.open + yaml + split.close + split.body;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

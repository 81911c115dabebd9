import { splitFrontmatter } from '../frontmatter.js';
import { isValidId } from '../ids.js';
import type { Problem } from '../result.js';
import { keyLine, MAX_TASK_BYTES, parseTask, problem } from '../task.js';
import type { CheckedFile, RawFile } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Rules about one file on its own: kind, name, size, encoding, control
 * characters, then schema (parseTask). Pure: the bytes come in `raw`.
 */
export function checkFile(raw: RawFile): CheckedFile {
  const { path } = raw;
  const problems: Problem[] = [];
  const name = path.split('/').pop() ?? path;
  if (/[\r\n]/.test(name)) {
    return { raw, problems: [problem(path, 'filename', 'file name contains a newline; rename it to `<ID>-<slug>.md` (spaces and unicode are fine)')] };
  }
  if (raw.kind === 'symlink') {
    const where = raw.outside ? `points outside the workspace (${raw.target})` : `points to ${raw.target}`;
    return { raw, problems: [problem(path, 'symlink', `is a symlink that ${where}; symlinks are never followed — replace it with a regular file`)] };
  }
  if (raw.kind === 'other') {
    return { raw, problems: [problem(path, 'filetype', 'is not a regular file (directory, fifo, socket…); only <ID>-<slug>.md files belong in a state folder', null, 'warning')] };
  }
  if (raw.state === null) {
    return { raw, problems: [problem(path, 'placement', 'is not in a state folder, so orch ignores it; move it to tasks/pending/ (or in_progress, completed, blocked)', null, 'warning')] };
  }
  if (raw.size > MAX_TASK_BYTES || !raw.bytes) {
    return { raw, problems: [problem(path, 'size', `file is ${(raw.size / 1048576).toFixed(1)} MB; a task file may be at most ${MAX_TASK_BYTES / 1024} KB — move large material elsewhere and link it`)] };
  }
  if (raw.bytes.includes(0)) {
    return { raw, problems: [problem(path, 'binary', 'file contains NUL bytes (binary?); a task must be a UTF-8 markdown file')] };
  }
  let text: string;
  try { text = utf8.decode(raw.bytes); } catch {
    return { raw, problems: [problem(path, 'binary', 'file is not valid UTF-8 (binary, or another encoding); save it as UTF-8 markdown')] };
  }
  problems.push(...controlChars(path, text));
  const parsed = parseTask(path, text.replace(/^\uFEFF/, ''), raw.state);
  if (!parsed.ok) return { raw, text, problems: [...problems, ...parsed.errors] };
  const task = parsed.value;
  const split = splitFrontmatter(text.replace(/^\uFEFF/, ''));
  const bodyLine = split ? (split.open + split.yaml + split.close).split('\n').length : 1;
  if (!name.startsWith(task.id)) {
    problems.push(problem(path, 'filename', `file name does not start with its id ${task.id}; rename it to ${task.id}-<slug>.md`, keyLine(text, 'id'), 'warning'));
  } else if (name !== `${task.id}.md` && name[task.id.length] !== '-') {
    problems.push(problem(path, 'filename', `file name starts with ${name.slice(0, task.id.length + 1)}… not "${task.id}-"; rename it to ${task.id}-<slug>.md`, keyLine(text, 'id'), 'warning'));
  }
  if (task.status !== null && task.status !== task.state) {
    problems.push(problem(path, 'status', `status: ${task.status} but the file is in ${task.state}/; orch moves it to ${task.status}/ on the next round (edit the key back if that is not what you want)`, keyLine(text, 'status'), 'warning'));
  }
  for (const dep of task.depends_on) {
    if (dep === task.id) problems.push(problem(path, 'depends', `${task.id} depends on itself; remove it from depends_on`, keyLine(text, 'depends_on')));
  }
  if (!isValidId(task.id)) problems.push(problem(path, 'schema', 'invalid id', keyLine(text, 'id')));
  return { raw, task, text, bodyLine, problems };
}

const NAMES: Record<number, string> = { 0x1b: 'ESC', 0x07: 'BEL', 0x08: 'BS', 0x0d: 'CR', 0x7f: 'DEL', 0x0b: 'VT', 0x0c: 'FF' };
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

/**
 * Control characters could end a bracketed paste early and type keys into an
 * agent (SPEC §9): an error, with its line. Tab, LF and CRLF are fine.
 * Unicode bidi overrides ("trojan source") are a warning.
 */
export function controlChars(path: string, text: string, max = 5): Problem[] {
  const out: Problem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const m = /[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f]/.exec(line);
    if (m) {
      const code = m[0].charCodeAt(0);
      const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      out.push(problem(path, 'control-char', `control character ${hex}${NAMES[code] ? ` (${NAMES[code]})` : ''} at column ${m.index + 1}; remove it (only tab and newline are allowed)`, i + 1));
      continue;
    }
    const b = BIDI.exec(line);
    if (b) out.push(problem(path, 'bidi', `bidirectional override U+${b[0].charCodeAt(0).toString(16).toUpperCase()} at column ${b.index + 1} can hide text from reviewers; remove it unless intended`, i + 1, 'warning'));
  }
  return out;
}

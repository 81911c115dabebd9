import { simpleGit } from 'simple-git';
import { LOG_FORMAT, parseLog, type LogEntry } from '../core/trailers.js';

export interface HistoryQuery { id?: string; max?: number }

/**
 * orch's history from the commit trailers, in one `git log` process. git does
 * the filtering (`--grep` on the trailer line), so thousands of commits cost
 * one pass; each matching commit yields at least one entry, so `--max-count`
 * on commits is safe for a limit on entries.
 */
export async function readHistory(root: string, q: HistoryQuery = {}): Promise<LogEntry[]> {
  const args = ['log', `--format=${LOG_FORMAT}`, '--no-color', '--fixed-strings'];
  // The trailing space keeps TASK-1 from matching TASK-10.
  args.push(q.id ? `--grep=Orch-Task: ${q.id} ` : '--grep=Orch-Event: ');
  if (q.max !== undefined) args.push(`--max-count=${q.max}`);
  args.push('HEAD', '--');
  let out: string;
  try {
    out = await simpleGit({ baseDir: root, trimmed: false }).env({ ...safeEnv(), LC_ALL: 'C' }).raw(args);
  } catch (e) {
    // A repository without commits has no history yet.
    if (/does not have any commits|unknown revision|bad revision|ambiguous argument 'HEAD'/.test(String((e as Error).message))) return [];
    throw e;
  }
  const entries = parseLog(out, q.id);
  return q.max !== undefined ? entries.slice(0, q.max) : entries;
}

/**
 * simple-git refuses to run with editor/pager/askpass variables in its env
 * (npm sets EDITOR for scripts); `git log` needs none of them.
 */
function safeEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/EDITOR$|^VISUAL$|ASKPASS|SSH_COMMAND|PAGER$/.test(k)) out[k] = v;
  }
  return out;
}

import { UsageError } from '../core/errors.js';
import type { LogEntry } from '../core/trailers.js';
import { readHistory } from '../adapters/history.js';
import { checkId } from '../adapters/tasks.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';

/** `orch log [<id>] [-n N] [--json]`: history read back from the Orch-* trailers, newest first. */
export async function run(ctx: Ctx, id: string | undefined, o: { max?: string; json?: boolean }): Promise<number> {
  let max: number | undefined;
  if (o.max !== undefined) {
    max = Number(o.max);
    if (!Number.isInteger(max) || max < 0) throw new UsageError(`-n takes a whole number, got "${o.max}"`, 'example: orch log -n 20');
  }
  if (id !== undefined) checkId(id);
  const { root } = workspace(ctx);
  const entries = await readHistory(root, { id, max });
  if (o.json) printJson(ctx, entries);
  else if (!entries.length) ctx.stdout(id ? `no history for ${id}` : 'no orch commits yet');
  else for (const e of entries) ctx.stdout(formatEntry(e));
  return 0;
}

export function formatEntry(e: LogEntry): string {
  const what = e.id ? `${e.id} ${e.from} -> ${e.to}` : e.event === 'agent' ? `agent ${e.agent}` : `${e.event ?? ''}: ${e.subject}`;
  const agent = e.id && e.agent ? ` (${e.agent})` : '';
  return `${e.time}  ${e.commit.slice(0, 7)}  ${what}${agent}  [${e.event ?? '?'}]  ${e.author}`;
}

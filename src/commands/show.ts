import { readHistory } from '../adapters/history.js';
import { TaskStore } from '../adapters/store.js';
import { findTask } from '../adapters/tasks.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';
import { listEntry } from './list.js';
import { formatEntry } from './log.js';

/**
 * `orch show <id> [--json]`: one task — its fields, its frontmatter as written
 * (unknown keys included), its body, and its history from the commit trailers
 * (newest first, like `orch log`).
 */
export async function run(ctx: Ctx, id: string, o: { json?: boolean }): Promise<number> {
  const { root } = workspace(ctx);
  const task = findTask(await new TaskStore(root, false).scan(), id);
  const history = await readHistory(root, { id });
  if (o.json) {
    printJson(ctx, {
      ...listEntry(task), created: task.created, status: task.status, blocked_reason: task.blocked_reason,
      frontmatter: task.data, body: task.body, history,
    });
    return 0;
  }
  const rows: [string, string][] = [
    ['id', task.id], ['title', task.title], ['state', task.state], ['agent', task.agent ?? '-'], ['priority', task.priority],
    ['depends_on', task.depends_on.join(', ') || '-'], ['tags', task.tags.join(', ') || '-'], ['created', task.created ?? '-'], ['path', task.path],
  ];
  if (task.blocked_reason) rows.push(['blocked', task.blocked_reason]);
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) ctx.stdout(`${k.padEnd(w)}  ${v.replace(/[\u0000-\u001f\u007f]/g, ' ')}`);
  ctx.stdout('');
  ctx.stdout(task.body.replace(/^\n+/, '').trimEnd() || '(empty body)');
  ctx.stdout('');
  ctx.stdout(history.length ? `History:\n${history.map((e) => `  ${formatEntry(e)}`).join('\n')}` : 'History: none yet (not committed)');
  return 0;
}

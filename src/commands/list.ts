import { UsageError } from '../core/errors.js';
import { sortById } from '../core/ids.js';
import { isState } from '../core/states.js';
import type { Task } from '../core/task.js';
import { TaskStore } from '../adapters/store.js';
import { printJson, workspace, type Ctx } from '../cli/context.js';
import { formatTable } from './format.js';

export function listEntry(t: Task) {
  return { id: t.id, title: t.title, state: t.state, agent: t.agent, priority: t.priority, depends_on: t.depends_on, tags: t.tags, path: t.path };
}

export async function run(ctx: Ctx, o: { state?: string; agent?: string; json?: boolean }): Promise<number> {
  if (o.state && !isState(o.state)) throw new UsageError(`unknown state "${o.state}"`, 'use pending, in_progress, completed or blocked');
  const { root } = workspace(ctx);
  const scan = await new TaskStore(root).scan();
  const tasks = sortById(scan.tasks.filter((t) => (!o.state || t.state === o.state) && (!o.agent || t.agent === o.agent)));
  if (o.json) {
    printJson(ctx, tasks.map(listEntry));
    return 0;
  }
  if (!tasks.length) ctx.stdout('no tasks');
  else ctx.stdout(formatTable(['ID', 'STATE', 'PRIO', 'AGENT', 'TITLE'], tasks.map((t) => [t.id, t.state, t.priority, t.agent ?? '-', t.title])));
  if (scan.invalid.length) ctx.stderr(`orch: ${scan.invalid.length} invalid task file(s) not listed; run \`orch lint\``);
  return 0;
}

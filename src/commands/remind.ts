import { workspace, printJson, type Ctx } from '../cli/context.js';
import { renderReminder } from '../core/prompts.js';
import { RefusedError, UsageError } from '../core/errors.js';
import { deliver } from '../adapters/delivery.js';
import { Logger } from '../adapters/logger.js';
import { readAgentRun, recordReminder } from '../adapters/agent-run.js';
import { TaskStore } from '../adapters/store.js';
import { readPrompt } from '../adapters/templates.js';
import { Tmux } from '../adapters/tmux.js';

/** `orch remind <agent>`: the seed's [RAPPEL] for the agent's task in progress, through verified delivery. */
export async function run(ctx: Ctx, agent: string, opts: { json?: boolean } = {}): Promise<number> {
  const { root, cfg } = workspace(ctx);
  if (!cfg.agents[agent]) throw new UsageError(`unknown agent "${agent}"`, `agents in .orch/config.yml: ${Object.keys(cfg.agents).join(', ')}`);
  await new Tmux().ensureInstalled();
  const scan = await new TaskStore(root).scan();
  const task = scan.tasks.find((t) => t.state === 'in_progress' && t.agent === agent);
  if (!task) throw new RefusedError(`${agent} has no task in progress`, `give it one: orch dispatch --agent ${agent} --task <ID>`);
  const template = await readPrompt(root, 'reminder.md');
  // The monitor's own count (`.orch/run/agents/<agent>.json`): a reminder sent by hand is one of max_reminders.
  const mem = (await readAgentRun(root, agent)).monitor;
  const count = (mem?.reminders.task === task.id ? mem.reminders.count : 0) + 1;
  const r = await deliver(root, cfg, agent, renderReminder(template, task, count, cfg.monitor.max_reminders), { log: Logger.for(root, 'monitor') });
  if (r.ok) await recordReminder(root, agent, task.id, count, new Date());
  if (opts.json) { printJson(ctx, { agent, task: task.id, count, ...r }); return r.ok ? 0 : 1; }
  if (!r.ok) throw new RefusedError(`reminder not delivered to ${agent}: ${r.reason}`, 'look at the agent window; see .orch/logs/monitor.log');
  ctx.stdout(`reminded ${agent} of ${task.id} (${count}/${cfg.monitor.max_reminders})`);
  return 0;
}

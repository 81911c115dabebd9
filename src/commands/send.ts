import { workspace, printJson, type Ctx } from '../cli/context.js';
import { parseDurationFlag } from '../core/duration.js';
import { RefusedError, UsageError } from '../core/errors.js';
import { deliver, flushQueue } from '../adapters/delivery.js';
import { Logger } from '../adapters/logger.js';
import { Tmux } from '../adapters/tmux.js';
import { readFileFlag } from './input.js';

interface Opts { file?: string; timeout: string; json?: boolean; flush?: boolean; force?: boolean }

/** `orch send <agent> [text…] [--file F]`: verified delivery; exit 1 unless the agent took it. */
export async function run(ctx: Ctx, agent: string, words: string[], opts: Opts): Promise<number> {
  const { root, cfg } = workspace(ctx);
  if (!cfg.agents[agent]) throw new UsageError(`unknown agent "${agent}"`, `agents in .orch/config.yml: ${Object.keys(cfg.agents).join(', ')}`);
  await new Tmux().ensureInstalled();
  const timeoutMs = parseDurationFlag('--timeout', opts.timeout);
  const log = Logger.for(root, 'dispatch');
  if (opts.flush) {
    const r = await flushQueue(root, cfg, agent, { timeoutMs, log });
    if (opts.json) printJson(ctx, r);
    else ctx.stdout(`${agent}: ${r.delivered} queued message(s) delivered, ${r.remaining} left${r.reason ? ` (${r.reason})` : ''}`);
    return r.remaining === 0 ? 0 : 1;
  }
  let text: string;
  if (opts.file !== undefined) {
    if (words.length) throw new UsageError('give the message as text or with --file, not both', 'e.g. orch send codex --file prompt.md');
    text = await readFileFlag(ctx, '--file', opts.file);
  } else {
    if (!words.length) throw new UsageError('nothing to send', 'e.g. orch send amp "run the tests again", or --file prompt.md');
    text = words.join(' ');
  }
  const r = await deliver(root, cfg, agent, text, { timeoutMs, log, force: Boolean(opts.force) });
  if (opts.json) printJson(ctx, r);
  if (r.ok) {
    if (!opts.json) ctx.stdout(`delivered to ${agent} (verified by ${r.verifiedBy}, ${r.attempts} submit${r.attempts > 1 ? 's' : ''})`);
    return 0;
  }
  if (opts.json) return 1;
  throw new RefusedError(`message not delivered to ${agent}: ${r.reason}`, r.queued
    ? `clear the draft in ${agent}'s input box; the daemon (or \`orch send ${agent} --flush\`) delivers the queue`
    : `look at the agent's window (tmux attach) and try again; see .orch/logs/monitor.log`);
}

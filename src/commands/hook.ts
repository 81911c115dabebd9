/**
 * `orch hook <event> [payload…] [--agent A]`: the entry point for agents' own
 * hooks (Claude Code and Gemini CLI hooks send JSON on stdin; Codex `notify`
 * appends JSON as the last argument). Appends `{t, agent, event, state?, payload}`
 * to `.orch/run/hooks/<agent>.jsonl` and returns: no git, no config parsing.
 *
 * Never exits 2: Claude Code treats exit 2 from a hook as "block and show
 * stderr to the model". Problems exit 1 with one line on stderr.
 */
import { findRoot } from '../adapters/workspace.js';
import { appendHookEvent, stateOfEvent } from '../adapters/hook-events.js';
import { patchAgentRun } from '../adapters/agent-run.js';
import type { Ctx } from '../cli/context.js';
import { errorMessage } from '../core/errors.js';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const STDIN_MS = 1000;

function parseMaybeJson(s: string): unknown {
  const t = s.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return s;
  try { return JSON.parse(t) as unknown; } catch { return s; }
}

/** Stdin when something is piped in; gives up after a short deadline if nothing arrives. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = false;
    const done = () => { clearTimeout(timer); process.stdin.pause(); resolve(Buffer.concat(chunks).toString('utf8')); };
    const timer = setTimeout(() => { if (!got) done(); }, STDIN_MS);
    process.stdin.on('data', (c: Buffer) => { got = true; chunks.push(c); });
    process.stdin.on('end', done);
    process.stdin.on('error', done);
  });
}

export async function run(ctx: Ctx, eventArg: string, payloadArgs: string[], o: { agent?: string }): Promise<number> {
  try {
    const agent = o.agent ?? process.env.ORCH_AGENT;
    if (!agent || !NAME.test(agent)) {
      ctx.stderr('orch: hook needs the agent: --agent <name> or $ORCH_AGENT (orch start sets it in each agent window)');
      return 1;
    }
    let root: string;
    try { root = findRoot(ctx.cwd); } catch (e) {
      if (!process.env.ORCH_WORKSPACE) throw e;
      root = findRoot(process.env.ORCH_WORKSPACE);
    }
    let event = eventArg;
    let payload: unknown = payloadArgs.length ? parseMaybeJson(payloadArgs.join(' ')) : undefined;
    const asJson = parseMaybeJson(eventArg);
    if (typeof asJson === 'object' && asJson !== null) {
      // Codex: notify = ["orch", "hook", "--agent", "codex"] → the JSON is the event argument.
      payload = asJson;
      event = String((asJson as Record<string, unknown>).type ?? 'notify');
    }
    if (payload === undefined) {
      const input = await readStdin();
      payload = input.trim() ? parseMaybeJson(input) : null;
    }
    if (payload && typeof payload === 'object' && !event) event = String((payload as Record<string, unknown>).hook_event_name ?? 'event');
    const state = stateOfEvent(event, payload);
    appendHookEvent(root, { t: new Date().toISOString(), agent, event, ...(state ? { state } : {}), payload });
    // Claude Code and Gemini tell us their transcript, Codex its thread (its rollout file ends with that id):
    // the usage probe finds the agent's file from here, even when two agents share one home.
    const p = (payload ?? {}) as Record<string, unknown>;
    const session: Record<string, string> = {};
    if (typeof p.session_id === 'string' && p.session_id) session.sessionId = p.session_id;
    else if (typeof p['thread-id'] === 'string' && p['thread-id']) session.sessionId = p['thread-id'];
    if (typeof p.transcript_path === 'string' && p.transcript_path) session.transcriptPath = p.transcript_path;
    if (Object.keys(session).length) await patchAgentRun(root, agent, session);
    return 0;
  } catch (e) {
    ctx.stderr(`orch: hook not recorded: ${errorMessage(e).split('\n')[0]}`);
    return 1;
  }
}

/**
 * Stand-in for the OpenAI Responses API as Codex calls it: `POST /v1/responses`
 * with SSE events `response.created`, `response.output_item.added`,
 * `response.output_text.delta`, `response.output_item.done`,
 * `response.completed` (with `usage`). The key arrives as `Authorization: Bearer`.
 * Shell tool calls are `function_call` items for the shell tool the CLI declared.
 */
import type { ServerResponse } from 'node:http';
import { header, listen, sendJson, startSse, type StandIn } from './http.js';
import { newestUserText, Script, shellArgs, type Kind, type Turn, type Usage } from './script.js';

interface Tool {
  type?: string;
  name?: string;
  parameters?: unknown;
}

const SHELL_NAMES = ['exec_command', 'shell_command', 'shell', 'local_shell'];

function textOf(m: Record<string, unknown>): string {
  const c = m['content'];
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return (c as { type?: string; text?: string }[])
    .filter((p) => p.type === 'input_text' || p.type === 'text')
    .map((p) => p.text ?? '')
    .join('\n');
}

/** User messages are prompts; developer/system ones are skipped; tool output and assistant items are not. */
function kindOf(m: Record<string, unknown>): Kind {
  if ((m['type'] ?? 'message') !== 'message') return 'other';
  if (m['role'] === 'user') return 'prompt';
  if (m['role'] === 'developer' || m['role'] === 'system') return 'skip';
  return 'other';
}

let counter = 0;

function itemFor(turn: Exclude<Turn, { kind: 'hold' }>, tools: Tool[]): Record<string, unknown> {
  const id = ++counter;
  if (turn.kind === 'text') {
    return {
      type: 'message', id: `msg_${id}`, role: 'assistant', status: 'completed',
      content: [{ type: 'output_text', text: turn.text, annotations: [] }],
    };
  }
  const tool =
    SHELL_NAMES.map((n) => tools.find((t) => t.name === n)).find((t) => t !== undefined) ??
    tools.find((t) => shellArgs(t.parameters, '') !== undefined);
  const args = shellArgs(tool?.parameters, turn.command, turn.escalate === true) ?? { command: ['bash', '-lc', turn.command] };
  return {
    type: 'function_call', id: `fc_${id}`, call_id: `call_standin_${id}`, status: 'completed',
    name: tool?.name ?? 'shell', arguments: JSON.stringify(args),
  };
}

function usageJson(u: Usage): Record<string, unknown> {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cacheRead ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.input + u.output,
  };
}

function stream(res: ServerResponse, model: string, item: Record<string, unknown>, u: Usage): void {
  const send = startSse(res);
  const rid = `resp_standin_${++counter}`;
  const base = { id: rid, object: 'response', model, status: 'in_progress', output: [] };
  send('response.created', { type: 'response.created', response: base });
  const added = item['type'] === 'message' ? { ...item, status: 'in_progress', content: [] } : item;
  send('response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: added });
  if (item['type'] === 'message') {
    const text = (item['content'] as { text: string }[])[0]?.text ?? '';
    send('response.output_text.delta', {
      type: 'response.output_text.delta', item_id: item['id'], output_index: 0, content_index: 0, delta: text,
    });
  }
  send('response.output_item.done', { type: 'response.output_item.done', output_index: 0, item });
  send('response.completed', {
    type: 'response.completed',
    response: { ...base, status: 'completed', output: [item], usage: usageJson(u) },
  });
  res.end();
}

export function startOpenAI(script = new Script()): Promise<StandIn> {
  return listen(script, async (req, body, raw, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const apiKey = header(req, 'authorization').replace(/^Bearer /, '');
    if (req.method === 'GET' && url.pathname.endsWith('/models')) {
      sendJson(res, 200, { object: 'list', data: [], models: [] });
      return;
    }
    if (req.method !== 'POST' || !url.pathname.endsWith('/responses')) {
      sendJson(res, 404, { error: { message: `not served: ${req.method} ${url.pathname}` } });
      return;
    }
    const b = (body ?? {}) as { model?: string; input?: unknown[]; tools?: Tool[]; stream?: boolean };
    const tools = Array.isArray(b.tools) ? b.tools : [];
    const input = Array.isArray(b.input) ? b.input : [];
    const turn = await script.reply({
      api: 'openai', method: req.method, path: req.url ?? '', apiKey, body, bytes: raw.length,
      main: tools.length > 0,
      userText: newestUserText(input, kindOf, textOf),
    });
    const item = itemFor(turn, tools);
    stream(res, b.model ?? 'gpt-standin', item, script.usageFor(apiKey));
  });
}

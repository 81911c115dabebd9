/**
 * Stand-in for the Anthropic Messages API as Claude Code calls it:
 * `POST /v1/messages?beta=true` with `stream: true` (SSE), the API key in
 * `x-api-key`. Shell tool calls are `tool_use` blocks for the `Bash` tool.
 */
import type { ServerResponse } from 'node:http';
import { header, listen, sendJson, startSse, type StandIn } from './http.js';
import { newestUserText, Script, shellArgs, type Kind, type Turn, type Usage } from './script.js';

interface Block {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

function textOf(m: Record<string, unknown>): string {
  const c = m['content'];
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return (c as Block[])
    .filter((b) => b.type === 'text')
    .map((b) => b.text ?? '')
    .join('\n');
}

/** A tool_result message is not a prompt; a trailing `system` message is skipped. */
function kindOf(m: Record<string, unknown>): Kind {
  if (m['role'] === 'system') return 'skip';
  if (m['role'] !== 'user') return 'other';
  const c = m['content'];
  if (Array.isArray(c) && (c as Block[]).some((b) => b.type === 'tool_result')) return 'other';
  return 'prompt';
}

let counter = 0;

function blocksFor(turn: Turn, tools: { name: string; input_schema?: unknown }[]): Block[] {
  if (turn.kind === 'text') return [{ type: 'text', text: turn.text }];
  if (turn.kind === 'hold') return blocksFor(turn.then, tools);
  const bash = tools.find((t) => t.name === 'Bash');
  const input = shellArgs(bash?.input_schema, turn.command) ?? { command: turn.command };
  const blocks: Block[] = [];
  if (turn.text) blocks.push({ type: 'text', text: turn.text });
  blocks.push({ type: 'tool_use', id: `toolu_standin_${++counter}`, name: 'Bash', input });
  return blocks;
}

function usageJson(u: Usage): Record<string, number> {
  return {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheCreation ?? 0,
    cache_read_input_tokens: u.cacheRead ?? 0,
    output_tokens: u.output,
  };
}

function stream(res: ServerResponse, model: string, blocks: Block[], u: Usage): void {
  const send = startSse(res);
  const id = `msg_standin_${++counter}`;
  send('message_start', {
    type: 'message_start',
    message: {
      id, type: 'message', role: 'assistant', model, content: [],
      stop_reason: null, stop_sequence: null, usage: { ...usageJson(u), output_tokens: 1 },
    },
  });
  blocks.forEach((b, index) => {
    if (b.type === 'text') {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: b.text ?? '' } });
    } else {
      send('content_block_start', {
        type: 'content_block_start', index,
        content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
      });
      send('content_block_delta', {
        type: 'content_block_delta', index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
      });
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  });
  const toolUse = blocks.some((b) => b.type === 'tool_use');
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: usageJson(u),
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

export function startAnthropic(script = new Script()): Promise<StandIn> {
  return listen(script, async (req, body, raw, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const b = (body ?? {}) as { model?: string; stream?: boolean; messages?: unknown[]; tools?: { name: string }[] };
    if (req.method !== 'POST' || !url.pathname.startsWith('/v1/messages')) {
      sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: url.pathname } });
      return;
    }
    const apiKey = header(req, 'x-api-key') || header(req, 'authorization').replace(/^Bearer /, '');
    if (url.pathname.endsWith('/count_tokens')) {
      sendJson(res, 200, { input_tokens: script.usageFor(apiKey).input });
      return;
    }
    const tools = Array.isArray(b.tools) ? b.tools : [];
    const messages = Array.isArray(b.messages) ? b.messages : [];
    const turn = await script.reply({
      api: 'anthropic', method: req.method, path: req.url ?? '', apiKey, body, bytes: raw.length,
      main: tools.length > 0,
      userText: newestUserText(messages, kindOf, textOf),
    });
    const model = b.model ?? 'claude-standin';
    const blocks = blocksFor(turn, tools);
    const u = script.usageFor(apiKey);
    if (b.stream) {
      stream(res, model, blocks, u);
      return;
    }
    sendJson(res, 200, {
      id: `msg_standin_${++counter}`, type: 'message', role: 'assistant', model, content: blocks,
      stop_reason: blocks.some((x) => x.type === 'tool_use') ? 'tool_use' : 'end_turn',
      stop_sequence: null, usage: usageJson(u),
    });
  });
}

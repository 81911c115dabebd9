/**
 * Stand-in for the Gemini API as Gemini CLI calls it through
 * `GOOGLE_GEMINI_BASE_URL`: `POST /v1beta/models/<model>:streamGenerateContent?alt=sse`
 * (SSE of GenerateContentResponse chunks), `:generateContent`, `:countTokens`.
 * The key arrives as `x-goog-api-key`. Shell tool calls are `functionCall`
 * parts for `run_shell_command`.
 */
import type { ServerResponse } from 'node:http';
import { header, listen, sendJson, startSse, type StandIn } from './http.js';
import { newestUserText, Script, shellArgs, type Kind, type Turn, type Usage } from './script.js';

interface Part {
  text?: string;
  functionCall?: { name: string; args: unknown };
  functionResponse?: unknown;
}
interface Decl {
  name?: string;
  parameters?: unknown;
  parametersJsonSchema?: unknown;
}

function textOf(m: Record<string, unknown>): string {
  const parts = m['parts'];
  if (!Array.isArray(parts)) return '';
  return (parts as Part[]).map((p) => p.text ?? '').join('');
}

/** A user content holding a functionResponse is a tool result, not a prompt. */
function kindOf(m: Record<string, unknown>): Kind {
  if (m['role'] !== 'user' || !Array.isArray(m['parts'])) return 'other';
  return (m['parts'] as Part[]).some((p) => p.functionResponse !== undefined) ? 'other' : 'prompt';
}

function partsFor(turn: Exclude<Turn, { kind: 'hold' }>, decls: Decl[]): Part[] {
  if (turn.kind === 'text') return [{ text: turn.text }];
  const tool = decls.find((d) => d.name === 'run_shell_command');
  const args = shellArgs(tool?.parametersJsonSchema ?? tool?.parameters, turn.command) ?? { command: turn.command };
  const parts: Part[] = [];
  if (turn.text) parts.push({ text: turn.text });
  parts.push({ functionCall: { name: 'run_shell_command', args } });
  return parts;
}

function response(parts: Part[], u: Usage, model: string): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: u.input,
      candidatesTokenCount: u.output,
      cachedContentTokenCount: u.cacheRead ?? 0,
      totalTokenCount: u.input + u.output,
    },
    modelVersion: model,
    responseId: `standin-${Date.now()}`,
  };
}

/** A value matching a (Gemini-flavoured) JSON schema: side requests in JSON mode must parse. */
export function fakeFromSchema(schema: unknown): unknown {
  const s = (schema ?? {}) as { type?: string; properties?: Record<string, unknown>; items?: unknown; enum?: unknown[] };
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  switch ((s.type ?? 'object').toLowerCase()) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = fakeFromSchema(v);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    default:
      return 'standin';
  }
}

function declarationsOf(tools: unknown): Decl[] {
  if (!Array.isArray(tools)) return [];
  return (tools as { functionDeclarations?: Decl[] }[]).flatMap((t) => t.functionDeclarations ?? []);
}

export function startGemini(script = new Script()): Promise<StandIn> {
  return listen(script, async (req, body, raw, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /\/models\/([^/:]+):(\w+)$/.exec(url.pathname);
    const apiKey = header(req, 'x-goog-api-key') || url.searchParams.get('key') || '';
    if (req.method !== 'POST' || !m) {
      sendJson(res, 404, { error: { code: 404, message: `not served: ${url.pathname}`, status: 'NOT_FOUND' } });
      return;
    }
    const model = m[1] ?? 'gemini-standin';
    const method = m[2] ?? '';
    const b = (body ?? {}) as {
      contents?: unknown[];
      tools?: unknown;
      generationConfig?: { responseMimeType?: string; responseJsonSchema?: unknown; responseSchema?: unknown };
    };
    if (method === 'countTokens') {
      sendJson(res, 200, { totalTokens: script.usageFor(apiKey).input });
      return;
    }
    const decls = declarationsOf(b.tools);
    const contents = Array.isArray(b.contents) ? b.contents : [];
    const turn = await script.reply({
      api: 'gemini', method: req.method, path: req.url ?? '', apiKey, body, bytes: raw.length,
      main: decls.length > 0,
      userText: newestUserText(contents, kindOf, textOf),
    });
    const gc = b.generationConfig;
    const parts =
      decls.length === 0 && gc?.responseMimeType === 'application/json'
        ? [{ text: JSON.stringify(fakeFromSchema(gc.responseJsonSchema ?? gc.responseSchema)) }]
        : partsFor(turn, decls);
    const out = response(parts, script.usageFor(apiKey), model);
    if (method === 'streamGenerateContent') {
      const send = startSse(res);
      send(null, out);
      res.end();
      return;
    }
    sendJson(res, 200, out);
  });
}

/**
 * Parsers of the files the real CLIs write, text in, numbers out (pure).
 * Each tolerates a half-written last line (the CLI may be appending) and
 * unknown record types (formats grow).
 */

export interface Tokens {
  used: number;
  /** The window the file itself states, if any. */
  window?: number;
  model?: string;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** A JSON object, or undefined for anything else: half-written, garbage, an array, a scalar. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try { return obj(JSON.parse(text)); } catch { return undefined; }
}

function* jsonLines(text: string): Generator<Record<string, unknown>> {
  for (const line of text.split('\n')) {
    const t = line.trim();
    // A line being written right now, or garbage, is skipped.
    const v = t.startsWith('{') ? jsonObject(t) : undefined;
    if (v) yield v;
  }
}

/**
 * Claude Code transcript (`~/.claude/projects/<key>/<session>.jsonl`):
 * context = input + cache_creation + cache_read of the last main-chain
 * assistant message (sidechains are subagents; `<synthetic>` messages carry no usage).
 */
export function parseClaudeTranscript(text: string): Tokens | null {
  let last: Tokens | null = null;
  for (const r of jsonLines(text)) {
    if (r['type'] !== 'assistant' || r['isSidechain'] === true) continue;
    const msg = obj(r['message']);
    const u = obj(msg?.['usage']);
    if (!msg || !u) continue;
    const model = typeof msg['model'] === 'string' ? msg['model'] : undefined;
    if (model === '<synthetic>') continue;
    const used = num(u['input_tokens']) + num(u['cache_creation_input_tokens']) + num(u['cache_read_input_tokens']);
    last = model === undefined ? { used } : { used, model };
  }
  return last;
}

/** Codex rollout: the last `token_count` event's `last_token_usage.total_tokens` and `model_context_window`. */
export function parseCodexRollout(text: string): Tokens | null {
  let last: Tokens | null = null;
  for (const r of jsonLines(text)) {
    const p = obj(r['payload']);
    if (r['type'] !== 'event_msg' || p?.['type'] !== 'token_count') continue;
    const info = obj(p['info']);
    const lastUsage = obj(info?.['last_token_usage']);
    if (!info || !lastUsage) continue;
    const window = num(info['model_context_window']);
    const used = num(lastUsage['total_tokens']) || num(lastUsage['input_tokens']) + num(lastUsage['output_tokens']);
    last = window > 0 ? { used, window } : { used };
  }
  return last;
}

/** The session id a Codex rollout declares on its first line (`session_meta`). */
export function codexRolloutMeta(text: string): { id?: string; cwd?: string } {
  for (const r of jsonLines(text.slice(0, 65536))) {
    if (r['type'] !== 'session_meta') continue;
    const p = obj(r['payload']);
    const out: { id?: string; cwd?: string } = {};
    if (typeof p?.['id'] === 'string') out.id = p['id'];
    if (typeof p?.['cwd'] === 'string') out.cwd = p['cwd'];
    return out;
  }
  return {};
}

/**
 * Gemini CLI chat recording (`~/.gemini/tmp/<project>/chats/session-*.jsonl`):
 * a metadata line, then message records (a message re-appended when it is
 * updated: the last copy wins), `$set` lines, possibly `$set.messages` on a
 * rewrite. Context = `tokens.input` (promptTokenCount, cached included) of the
 * newest `gemini` message — the number Gemini CLI compares with its own
 * compression threshold.
 */
export function parseGeminiChat(text: string): Tokens | null {
  let last: Tokens | null = null;
  const take = (m: Record<string, unknown>): void => {
    if (m['type'] !== 'gemini') return;
    const t = obj(m['tokens']);
    if (!t) return;
    const used = num(t['input']) || num(t['total']) - num(t['output']);
    last = typeof m['model'] === 'string' ? { used, model: m['model'] } : { used };
  };
  for (const r of jsonLines(text)) {
    const set = obj(r['$set']);
    if (set && Array.isArray(set['messages'])) {
      for (const m of set['messages']) {
        const mo = obj(m);
        if (mo) take(mo);
      }
      continue;
    }
    take(r);
  }
  return last;
}

/** The session id on a Gemini chat file's metadata line. */
export function geminiChatSessionId(text: string): string | undefined {
  for (const r of jsonLines(text.slice(0, 65536))) {
    return typeof r['sessionId'] === 'string' ? r['sessionId'] : undefined;
  }
  return undefined;
}

/**
 * Amp thread file (`~/.local/share/amp/threads/T-<id>.json`): the last
 * assistant message's `usage` — `totalInputTokens` when present, else input +
 * cache creation + cache read — and `maxInputTokens` as the window.
 */
export function parseAmpThread(text: string): Tokens | null {
  const messages = jsonObject(text)?.['messages'];
  if (!Array.isArray(messages)) return null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = obj(messages[i]);
    const u = obj(m?.['usage']);
    if (!m || m['role'] !== 'assistant' || !u) continue;
    const used =
      num(u['totalInputTokens']) ||
      num(u['inputTokens']) + num(u['cacheCreationInputTokens']) + num(u['cacheReadInputTokens']);
    const window = num(u['maxInputTokens']);
    const out: Tokens = window > 0 ? { used, window } : { used };
    if (typeof u['model'] === 'string') out.model = u['model'];
    return out;
  }
  return null;
}

/**
 * The scripted "model" behind every stand-in: per API key, a queue of turns
 * (text or a shell tool call), the usage numbers to report, and a log of every
 * request so a test can assert what reached the model and how often.
 *
 * Only "main" requests (the ones that offer tools to the model) consume the
 * queue; side requests a CLI makes on its own (titles, topic checks, quota
 * probes) get a short default text so they never steal a scripted turn.
 */

export type Turn =
  | { kind: 'text'; text: string }
  /** Ask the agent to run `command` through its own shell tool. */
  | { kind: 'shell'; command: string; text?: string; escalate?: boolean }
  /** Reply only once `release` resolves (lets a test observe the busy screen). */
  | { kind: 'hold'; release: Promise<void>; then: Turn };

export interface Usage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheCreation?: number;
}

export interface LoggedRequest {
  seq: number;
  api: 'anthropic' | 'openai' | 'gemini';
  method: string;
  path: string;
  apiKey: string;
  /** The request offered tools: a turn of the agent's main loop. */
  main: boolean;
  /** Text of the newest user message (tool results excluded). */
  userText: string;
  body: unknown;
  bytes: number;
}

const DEFAULT_USAGE: Usage = { input: 1000, output: 10 };

export class Script {
  readonly requests: LoggedRequest[] = [];
  private readonly queues = new Map<string, Turn[]>();
  private readonly usages = new Map<string, Usage>();
  private readonly waiters = new Set<() => void>();

  /** Turns this API key's next main requests get, in order. */
  enqueue(apiKey: string, ...turns: Turn[]): void {
    const q = this.queues.get(apiKey) ?? [];
    q.push(...turns);
    this.queues.set(apiKey, q);
  }

  setUsage(apiKey: string, usage: Usage): void {
    this.usages.set(apiKey, usage);
  }

  usageFor(apiKey: string): Usage {
    return this.usages.get(apiKey) ?? DEFAULT_USAGE;
  }

  /** Records a request and picks its turn (default: a short text reply). */
  take(req: Omit<LoggedRequest, 'seq'>): Turn {
    this.requests.push({ ...req, seq: this.requests.length + 1 });
    for (const w of [...this.waiters]) w();
    if (!req.main) return { kind: 'text', text: 'OK' };
    const q = this.queues.get(req.apiKey);
    return q?.shift() ?? { kind: 'text', text: 'Done.' };
  }

  /** take(), then wait out any `hold` turns: the turn to answer with, once it may be sent. */
  async reply(req: Omit<LoggedRequest, 'seq'>): Promise<Exclude<Turn, { kind: 'hold' }>> {
    let turn = this.take(req);
    while (turn.kind === 'hold') {
      await turn.release;
      turn = turn.then;
    }
    return turn;
  }

  /** Main requests whose newest user message contains `text`. */
  carrying(text: string, apiKey?: string): LoggedRequest[] {
    return this.requests.filter(
      (r) => r.main && r.userText.includes(text) && (apiKey === undefined || r.apiKey === apiKey),
    );
  }

  /** Resolves on the next request (for condition waits without polling). */
  nextRequest(): Promise<void> {
    return new Promise((resolve) => {
      const w = (): void => {
        this.waiters.delete(w);
        resolve();
      };
      this.waiters.add(w);
    });
  }
}

/** A shell tool's arguments, shaped after the JSON schema the CLI declared. */
export function shellArgs(schema: unknown, command: string, escalate = false): Record<string, unknown> | undefined {
  const props = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  if (!props) return undefined;
  for (const key of ['command', 'cmd']) {
    const p = props[key];
    if (!p) continue;
    const value = p.type === 'array' ? ['bash', '-lc', command] : command;
    const out: Record<string, unknown> = { [key]: value };
    if (props['description']) out['description'] = 'Run the command the test chose';
    // Codex asks the human only for commands the model wants run outside its sandbox.
    if (escalate && props['sandbox_permissions']) {
      out['sandbox_permissions'] = 'require_escalated';
      out['justification'] = 'The conformance test asks for approval';
    }
    return out;
  }
  return undefined;
}

/** How a message of the conversation counts when looking for the newest prompt. */
export type Kind = 'prompt' | 'skip' | 'other';

/**
 * Text of the user's prompt when it is the newest thing in the conversation;
 * '' when something else (an assistant turn, a tool result) came after it, so
 * a prompt is counted once, not again on every tool round that repeats history.
 */
export function newestUserText(
  messages: unknown[],
  kind: (m: Record<string, unknown>) => Kind,
  textOf: (m: Record<string, unknown>) => string,
): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m || typeof m !== 'object') continue;
    const k = kind(m as Record<string, unknown>);
    if (k === 'prompt') return textOf(m as Record<string, unknown>);
    if (k === 'other') return '';
  }
  return '';
}

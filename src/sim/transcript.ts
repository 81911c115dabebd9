/**
 * The sim's usage trail, in the real formats the usage probes read:
 * a Claude Code session transcript (JSONL: user/assistant records chained by
 * uuid/parentUuid, `message.usage` on assistant records) and optionally a
 * Codex rollout (`event_msg` / `token_count`). The context grows by
 * `tokensPerPrompt` per prompt, so handoff thresholds are crossed for real.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const BASE_CONTEXT = 12_000;
export const CODEX_WINDOW = 272_000;

export class Transcript {
  readonly sessionId = randomUUID();
  private parent: string | null = null;
  private context = BASE_CONTEXT;
  private prompts = 0;

  constructor(private readonly file: string, private readonly cwd: string, private readonly tokensPerPrompt: number, private readonly rollout?: string) {
    mkdirSync(dirname(file), { recursive: true });
    if (rollout) {
      mkdirSync(dirname(rollout), { recursive: true });
      this.appendRollout({ type: 'session_meta', payload: { id: this.sessionId, cwd, originator: 'orch_sim', cli_version: '0.0.0-sim' } });
    }
  }

  get contextTokens(): number { return this.context; }

  /** One exchange: the prompt and the agent's reply; returns the new context size. */
  exchange(prompt: string, reply: string): number {
    this.prompts++;
    this.context += this.tokensPerPrompt;
    const now = new Date().toISOString();
    const userId = randomUUID();
    this.append({
      type: 'user', sessionId: this.sessionId, uuid: userId, parentUuid: this.parent, isSidechain: false,
      timestamp: now, cwd: this.cwd, version: 'sim', message: { role: 'user', content: prompt },
    });
    const asstId = randomUUID();
    const output = 150 + (this.prompts % 7) * 10;
    this.append({
      type: 'assistant', sessionId: this.sessionId, uuid: asstId, parentUuid: userId, isSidechain: false,
      timestamp: now, cwd: this.cwd, version: 'sim',
      message: {
        id: `msg_sim_${this.prompts}`, type: 'message', role: 'assistant', model: 'orch-sim',
        content: [{ type: 'text', text: reply }],
        usage: {
          input_tokens: 8,
          cache_creation_input_tokens: this.tokensPerPrompt,
          cache_read_input_tokens: this.context - this.tokensPerPrompt - 8,
          output_tokens: output,
        },
      },
    });
    this.parent = asstId;
    if (this.rollout) {
      const last = { input_tokens: this.context, cached_input_tokens: this.context - this.tokensPerPrompt, output_tokens: output, reasoning_output_tokens: 0, total_tokens: this.context + output };
      this.appendRollout({ type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: last, last_token_usage: last, model_context_window: CODEX_WINDOW } } });
    }
    return this.context;
  }

  private append(rec: object): void {
    appendFileSync(this.file, `${JSON.stringify(rec)}\n`);
  }

  private appendRollout(rec: object): void {
    appendFileSync(this.rollout!, `${JSON.stringify({ timestamp: new Date().toISOString(), ...rec })}\n`);
  }
}

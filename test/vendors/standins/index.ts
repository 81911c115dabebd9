import { startAnthropic } from './anthropic.js';
import { startGemini } from './gemini.js';
import { startOpenAI } from './openai.js';
import type { StandIn } from './http.js';
import { Script } from './script.js';

export type { StandIn } from './http.js';
export { Script, type Turn, type Usage, type LoggedRequest } from './script.js';

/** The stand-in of the model API a vendor's CLI talks to. */
export function startStandIn(vendor: 'claude' | 'codex' | 'gemini', script = new Script()): Promise<StandIn> {
  if (vendor === 'claude') return startAnthropic(script);
  if (vendor === 'codex') return startOpenAI(script);
  return startGemini(script);
}

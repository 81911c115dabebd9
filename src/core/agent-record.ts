import jsyaml from 'js-yaml';
import { splitFrontmatter } from './frontmatter.js';
import { yaml } from './yaml-lazy.js';
import type { AgentConfig, Config } from './config.js';

export const AGENT_STATES = ['starting', 'busy', 'idle', 'waiting', 'dead', 'paused', 'stopped'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** `status/<agent>.md` (SPEC §5): changes only on meaningful transitions. */
export interface AgentRecord {
  agent: string;
  role: 'orchestrator' | 'worker';
  window: number;
  state: AgentState;
  task: string | null;
  context_pct: number | null;
  paused: boolean;
  /** Orchestrator only: handoff phase (none | prepared | executed …). */
  handoff?: string | null;
}

export function defaultRecord(a: AgentConfig, cfg: Config): AgentRecord {
  const rec: AgentRecord = {
    agent: a.name,
    role: a.name === cfg.orchestrator ? 'orchestrator' : 'worker',
    window: a.window,
    state: 'stopped',
    task: null,
    context_pct: null,
    paused: false,
  };
  if (rec.role === 'orchestrator') rec.handoff = 'none';
  return rec;
}

/** Parse a record; a broken or missing one falls back to the default. */
export function parseRecord(text: string | undefined, fallback: AgentRecord): AgentRecord {
  if (!text) return fallback;
  try {
    const split = splitFrontmatter(text.replace(/^\uFEFF/, ''));
    const d = (split ? (jsyaml.load(split.yaml, { schema: jsyaml.CORE_SCHEMA }) ?? {}) : {}) as Partial<AgentRecord>;
    if (typeof d !== 'object' || Array.isArray(d)) return fallback;
    return {
      ...fallback,
      ...d,
      agent: fallback.agent,
      paused: d.paused === true,
      state: (AGENT_STATES as readonly string[]).includes(String(d.state)) ? (d.state as AgentState) : fallback.state,
    };
  } catch {
    return fallback;
  }
}

export function renderRecord(r: AgentRecord): string {
  const fm: Record<string, unknown> = {
    agent: r.agent, role: r.role, window: r.window, state: r.state, task: r.task,
    context_pct: r.context_pct, paused: r.paused,
  };
  if (r.role === 'orchestrator' || r.handoff) fm.handoff = r.handoff ?? 'none';
  return `---\n${yaml().stringify(fm)}---\n\n# Agent ${r.agent}\n\nMaintained by orch. Set \`paused: true\` to stop dispatch to this agent.\n`;
}

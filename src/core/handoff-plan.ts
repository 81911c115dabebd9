/**
 * The handoff protocol's decisions (SPEC §11; seed: 90 % prepare, 98 % execute),
 * pure. The phase lives in the current orchestrator's status/ record:
 *
 *   none ──≥prepare_at──► preparing ──asked──► prepared ──≥execute_at──► executing ──switched──► (new orchestrator: done)
 *     └────────────≥execute_at (or --execute)──────────────────────────────┘
 *
 * `preparing` and `executing` are resumed by the next pass after a crash or a
 * failed delivery; `done` on the new orchestrator means "took the role through
 * a handoff" and behaves like `none` for the next handoff (the role can go
 * back: amp → claude once claude is fresh).
 */
import type { Config } from './config.js';

export const HANDOFF_PHASES = ['none', 'preparing', 'prepared', 'executing', 'done'] as const;
export type HandoffPhase = (typeof HANDOFF_PHASES)[number];
export type HandoffStep = 'prepare' | 'execute';

export function asPhase(v: unknown): HandoffPhase {
  return (HANDOFF_PHASES as readonly unknown[]).includes(v) ? (v as HandoffPhase) : 'none';
}

/** Who takes the role from `current`: the backup when the initial orchestrator holds it, else the initial one. */
export function handoffTarget(current: string, cfg: Config): string | null {
  const to = current === cfg.orchestrator ? cfg.backup_orchestrator : cfg.orchestrator;
  return to && to !== current && cfg.agents[to] ? to : null;
}

/** The handoff file for a direction: the configured one, with the names swapped when the role goes back. */
export function handoffFile(cfg: Config, from: string, to: string): string {
  const f = cfg.handoff.file;
  const a = cfg.orchestrator;
  const b = cfg.backup_orchestrator;
  if (from === a || !b) return f;
  const swapped = f.replace(`${a}_to_${b}`, `${from}_to_${to}`);
  return swapped !== f ? swapped : f.replace(/\.md$/, `.${from}_to_${to}.md`);
}

export interface HandoffStepInput {
  phase: unknown;
  /** The orchestrator's usage, % of its usable budget (null: unknown). */
  pct: number | null;
  targetPct: number | null;
  targetLive: string;
  prepareAt: number;
  executeAt: number;
}

export type HandoffDecision = { kind: 'none' } | { kind: 'step'; step: HandoffStep } | { kind: 'blocked'; reason: string };

export function planHandoffStep(i: HandoffStepInput): HandoffDecision {
  const phase = asPhase(i.phase);
  const pct = i.pct;
  switch (phase) {
    case 'executing':
      return { kind: 'step', step: 'execute' };
    case 'preparing':
      return { kind: 'step', step: pct !== null && pct >= i.executeAt ? 'execute' : 'prepare' };
    case 'prepared':
      return pct !== null && pct >= i.executeAt ? { kind: 'step', step: 'execute' } : { kind: 'none' };
    case 'none':
    case 'done': {
      if (pct === null || pct < i.prepareAt) return { kind: 'none' };
      if (i.targetPct !== null && i.targetPct >= i.prepareAt) {
        return { kind: 'blocked', reason: `handoff needed (orchestrator at ${pct} %) but the backup is at ${i.targetPct} % too; restart the backup fresh, then orch handoff --execute` };
      }
      return { kind: 'step', step: pct >= i.executeAt ? 'execute' : 'prepare' };
    }
    default: {
      const never: never = phase;
      throw new Error(`unknown phase ${String(never)}`);
    }
  }
}

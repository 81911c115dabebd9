/**
 * Pure arithmetic of context usage (SPEC §11). The percentage is measured
 * against the agent's *usable* budget — the point where its CLI compacts on
 * its own — so orch's 90 % / 98 % handoff marks come before the CLI's own
 * compaction does.
 */
import type { UsageProbe } from '../../core/config.js';

export interface ProbeDefaults {
  /** Context window in tokens when the files do not say it. */
  window: number;
  /** Usable share of the window (where the CLI auto-compacts). */
  usable: number;
}

export const PROBE_DEFAULTS: Record<UsageProbe, ProbeDefaults> = {
  'claude-code': { window: 200_000, usable: 0.835 },
  codex: { window: 272_000, usable: 0.9 },
  gemini: { window: 1_048_576, usable: 0.5 },
  amp: { window: 200_000, usable: 1 },
  pane: { window: 200_000, usable: 1 },
  file: { window: 200_000, usable: 1 },
  manual: { window: 200_000, usable: 1 },
};

/** The probe a profile uses when the agent's config names none. */
export function defaultProbe(profile: string): UsageProbe {
  switch (profile) {
    case 'claude':
    case 'sim':
      return 'claude-code';
    case 'codex':
      return 'codex';
    case 'gemini':
      return 'gemini';
    case 'amp':
      return 'amp';
    default:
      return 'file';
  }
}

/** `usable` from config: tokens, or `"NN%"` of the window; default: the probe's share. */
export function resolveUsable(usable: number | string | undefined, window: number, fallbackShare: number): number {
  if (typeof usable === 'number' && Number.isFinite(usable) && usable > 0) return usable;
  if (typeof usable === 'string') {
    const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$/.exec(usable);
    if (m) return Math.round((window * Number(m[1])) / 100);
    const n = Number(usable);
    if (Number.isFinite(n) && n > 0) return n;
  }
  return Math.round(window * fallbackShare);
}

/** Percent of the usable budget, one decimal, clamped to 0–100. */
export function usagePct(used: number, usable: number): number {
  if (!(usable > 0) || !Number.isFinite(used)) return 0;
  const pct = (Math.max(0, used) / usable) * 100;
  return Math.min(100, Math.round(pct * 10) / 10);
}

/** A percentage as given by a human or a file, clamped to 0–100. */
export function clampPct(pct: number): number {
  if (!Number.isFinite(pct)) return 0;
  return Math.min(100, Math.max(0, Math.round(pct * 10) / 10));
}

/** `12,345` / `12.3k` / `1.2M` → tokens. */
export function parseTokenCount(s: string): number | undefined {
  const m = /^\s*([0-9][0-9,_ ]*(?:\.[0-9]+)?)\s*([kKmM])?\s*$/.exec(s);
  if (!m || m[1] === undefined) return undefined;
  const n = Number(m[1].replace(/[,_ ]/g, ''));
  if (!Number.isFinite(n)) return undefined;
  const mult = m[2] === 'k' || m[2] === 'K' ? 1e3 : m[2] === 'm' || m[2] === 'M' ? 1e6 : 1;
  return Math.round(n * mult);
}

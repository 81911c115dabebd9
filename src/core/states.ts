/** The four task states are the four folders under tasks/ (SPEC §3, contract). */
export const STATES = ['pending', 'in_progress', 'completed', 'blocked'] as const;
export type State = (typeof STATES)[number];

export function isState(s: unknown): s is State {
  return typeof s === 'string' && (STATES as readonly string[]).includes(s);
}

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

const PRIORITY_ALIASES: Record<string, Priority> = {
  high: 'high', haute: 'high', h: 'high',
  medium: 'medium', moyenne: 'medium', med: 'medium', m: 'medium',
  low: 'low', basse: 'low', l: 'low',
};

/** `HAUTE` → `high`, `Moyenne` → `medium`; undefined for anything else. */
export function normalizePriority(p: unknown): Priority | undefined {
  if (typeof p !== 'string') return undefined;
  return PRIORITY_ALIASES[p.trim().toLowerCase()];
}

export const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

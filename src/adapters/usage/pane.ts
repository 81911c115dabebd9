/**
 * The `pane` probe: a regex over the agent's captured screen. Named groups
 * `pct`, or `used` (and optionally `window`), else the first group is a
 * percentage. Token counts may read `12,345`, `12.3k`, `1.2M`.
 */
import { parseTokenCount } from './compute.js';

export type PaneUsage = { pct: number } | { used: number; window?: number };

export function matchPane(text: string, pattern: string): PaneUsage | null {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'g');
  } catch {
    return null;
  }
  // The newest figure on the screen is the lowest one.
  let m: RegExpExecArray | null = null;
  for (let x = re.exec(text); x; x = re.exec(text)) {
    m = x;
    if (x[0] === '') re.lastIndex++;
  }
  if (!m) return null;
  const g = m.groups ?? {};
  if (g['used'] !== undefined) {
    const used = parseTokenCount(g['used']);
    if (used === undefined) return null;
    const window = g['window'] !== undefined ? parseTokenCount(g['window']) : undefined;
    return window ? { used, window } : { used };
  }
  const raw = g['pct'] ?? m[1];
  if (raw === undefined) return null;
  const pct = Number(raw.replace(',', '.'));
  return Number.isFinite(pct) ? { pct } : null;
}

import { UsageError } from './errors.js';

/** `90s`, `3m`, `1h`, `250ms` or a number of milliseconds → milliseconds. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(v.trim());
  if (!m) throw new Error(`invalid duration "${v}" (use 90s, 3m, 1h or milliseconds)`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(n * unit);
}

/** A duration given as a command-line flag: a bad one is a usage error (exit 2) naming the flag. */
export function parseDurationFlag(flag: string, v: string): number {
  try {
    return parseDuration(v);
  } catch {
    throw new UsageError(`invalid ${flag} "${v}"`, `use 90s, 3m, 1h or milliseconds, e.g. ${flag} 30s`);
  }
}

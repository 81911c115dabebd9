/**
 * The `file` and `manual` probes: `.orch/run/usage/<agent>.json`, written by
 * anything (a statusLine script, a wrapper, `orch usage <agent> --set 91`):
 * `{"used": N, "window": M}` or `{"pct": N}`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../store.js';
import { clampPct } from './compute.js';
import { jsonObject } from './parse.js';

export function usageFile(root: string, agent: string): string {
  return path.join(root, '.orch', 'run', 'usage', `${agent}.json`);
}

export type FileUsage = { used: number; window?: number } | { pct: number };

export function parseUsageFile(text: string): FileUsage | null {
  const r = jsonObject(text);
  if (!r) return null;
  const n = (k: string): number | undefined =>
    typeof r[k] === 'number' && Number.isFinite(r[k]) && (r[k] as number) >= 0 ? (r[k] as number) : undefined;
  const used = n('used');
  if (used !== undefined) {
    const window = n('window');
    return window !== undefined && window > 0 ? { used, window } : { used };
  }
  const pct = n('pct');
  return pct !== undefined ? { pct } : null;
}

export async function readUsageFile(file: string): Promise<FileUsage | null> {
  try {
    return parseUsageFile(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

/** `orch usage <agent> --set PCT`: what the manual probe reads back. */
export async function writeManualUsage(root: string, agent: string, pct: number, now = new Date()): Promise<string> {
  const file = usageFile(root, agent);
  await writeAtomic(file, `${JSON.stringify({ pct: clampPct(pct), set_at: now.toISOString(), by: 'manual' })}\n`);
  return file;
}

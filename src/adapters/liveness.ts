import { readFileSync, statSync } from 'node:fs';

/** The pid written in a pid file: a bare number, or JSON with a `pid` field. */
export function readPidFile(path: string): number | null {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return null; }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && typeof (v as { pid?: unknown }).pid === 'number') return (v as { pid: number }).pid;
  } catch { /* plain text */ }
  const m = /\d+/.exec(text);
  return m ? Number(m[0]) : null;
}

/** Age of a file or folder in ms, or null when it does not exist. */
export function ageMs(path: string, now = Date.now()): number | null {
  try { return now - statSync(path).mtimeMs; } catch { return null; }
}

/**
 * The alerts currently standing, in `.orch/run/alerts.json` (what the status
 * file's Alerts section shows, through reconcile's `alerts` option).
 *
 * Two kinds: *level* alerts are recomputed by every monitor pass and replaced
 * as a set (a condition that stops holding disappears); *event* alerts (a
 * delivery that failed, a handoff that could not complete) stand until they
 * expire. Only an alert that was not already standing is logged and sent to
 * `alerts.command`, so a condition lasting an hour alerts once, not 60 times.
 */
import type { Config } from '../core/config.js';
import { alert } from './alert.js';
import { runPath } from './paths.js';
import { readJson, readJsonSync, writeJson } from './store.js';

export interface BoardAlert { key: string; message: string; source: string; first: string; expires?: string }

const file = (root: string): string => runPath(root, 'alerts.json');
export const EVENT_ALERT_TTL_MS = 60 * 60_000;

/** The well-formed alerts of a parsed alerts.json (anything else reads as none). */
function boardAlerts(doc: unknown): BoardAlert[] {
  const alerts = (doc as { alerts?: unknown } | null)?.alerts;
  return Array.isArray(alerts) ? (alerts as BoardAlert[]).filter((a) => a && typeof a.key === 'string' && typeof a.message === 'string') : [];
}

export async function readBoard(root: string): Promise<BoardAlert[]> {
  return boardAlerts(await readJson<unknown>(file(root), null));
}

async function writeBoard(root: string, alerts: BoardAlert[]): Promise<void> {
  await writeJson(file(root), { alerts });
}

const live = (a: BoardAlert, now: Date): boolean => !a.expires || Date.parse(a.expires) > now.getTime();

/** Replace the level alerts of `source`; returns the ones that are new (and alerts them). */
export async function setLevelAlerts(root: string, cfg: Config, source: string, alerts: { key: string; message: string }[], now: Date): Promise<string[]> {
  const cur = (await readBoard(root)).filter((a) => live(a, now));
  const before = new Map(cur.filter((a) => a.source === source).map((a) => [a.key, a]));
  const kept = cur.filter((a) => a.source !== source);
  const fresh: string[] = [];
  for (const a of alerts) {
    const old = before.get(a.key);
    if (!old || old.message !== a.message) fresh.push(a.message);
    kept.push({ key: a.key, message: a.message, source, first: old?.first ?? now.toISOString() });
  }
  await writeBoard(root, kept);
  for (const m of fresh) alert(root, cfg, m);
  return fresh;
}

/** Post an event alert (standing for `ttlMs`); alerts it unless the same key already stands. */
export async function postAlert(root: string, cfg: Config, key: string, message: string, now: Date, ttlMs = EVENT_ALERT_TTL_MS): Promise<boolean> {
  const cur = (await readBoard(root)).filter((a) => live(a, now));
  const old = cur.find((a) => a.key === key);
  const rest = cur.filter((a) => a.key !== key);
  rest.push({ key, message, source: 'event', first: old?.first ?? now.toISOString(), expires: new Date(now.getTime() + ttlMs).toISOString() });
  await writeBoard(root, rest);
  if (old?.message === message) return false;
  alert(root, cfg, message);
  return true;
}

/** Remove event alerts whose key starts with `prefix` (the condition was resolved). */
export async function clearAlerts(root: string, prefix: string): Promise<void> {
  const cur = await readBoard(root);
  const rest = cur.filter((a) => !a.key.startsWith(prefix));
  if (rest.length !== cur.length) await writeBoard(root, rest);
}

/** The messages standing at `now`, in a stable order (the status file must not change without a reason). */
function standing(alerts: BoardAlert[], now: Date): string[] {
  return alerts.filter((a) => live(a, now)).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)).map((a) => a.message);
}

export async function standingMessages(root: string, now: Date): Promise<string[]> {
  return standing(await readBoard(root), now);
}

/** Synchronous `standingMessages`, for callers that take `() => string[]` (the daemon round's `alerts`). */
export function standingMessagesSync(root: string, now = new Date()): string[] {
  return standing(boardAlerts(readJsonSync<unknown>(file(root), null)), now);
}

/**
 * `ORCH_TRACE=1`: timing lines on stderr (`orch +<ms since start> <what> <took>ms`) for
 * each git process and each phase of a round or a verb — how docs/performance.md
 * says where the time goes. Off, it costs one boolean test per call.
 */
import { performance } from 'node:perf_hooks';

export const tracing = Boolean(process.env.ORCH_TRACE);

/** Log `what` with how long it took since `since` (a performance.now() value). */
export function trace(what: string, since?: number): void {
  if (!tracing) return;
  const now = performance.now();
  process.stderr.write(`orch +${now.toFixed(1)} ${what}${since === undefined ? '' : ` ${(now - since).toFixed(1)}ms`}\n`);
}

export const now = (): number => (tracing ? performance.now() : 0);

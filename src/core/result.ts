/** A problem found in a file: where, which rule, how bad, and what to do. */
export interface Problem {
  path: string;
  line: number | null;
  col?: number | null;
  rule: string;
  severity: 'error' | 'warning';
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: Problem[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(errors: Problem[]): Result<T> => ({ ok: false, errors });

export function formatProblem(p: Problem): string {
  const where = p.line != null ? `${p.path}:${p.line}${p.col != null ? `:${p.col}` : ''}` : p.path;
  return `${where}: ${p.severity} ${p.rule}: ${p.message}`;
}

import { firstN } from './first-n.js';

/** Task ids are a contract (SPEC §2): `TASK-PO-025`. Never a path. */
export const ID_PATTERN = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]+$/;
export const ID_PREFIX_PATTERN = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/;

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && id.length <= 64 && ID_PATTERN.test(id);
}

/** Lowercase ascii slug for file names: `Risk limits: 2%` → `risk-limits-2`. */
export function slugify(title: string, max = 48): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, max).replace(/-+$/g, '');
}

export function taskFileName(id: string, title: string): string {
  const slug = slugify(title);
  return slug ? `${id}-${slug}.md` : `${id}.md`;
}

/** Next id with the given prefix, after the highest number seen. Keeps the widest zero padding seen (3 when none). */
export function nextId(prefix: string, existing: Iterable<string>): string {
  let max = 0;
  let width = 0;
  const head = `${prefix}-`;
  for (const id of existing) {
    if (!id.startsWith(head)) continue;
    const rest = id.slice(head.length);
    if (!/^[0-9]+$/.test(rest)) continue;
    max = Math.max(max, Number(rest));
    width = Math.max(width, rest.length);
  }
  return `${head}${String(max + 1).padStart(width || 3, '0')}`;
}

/** The id a file name announces (`TASK-PO-025-risk.md` → `TASK-PO-025`), if any. */
export function idFromFileName(name: string): string | undefined {
  const base = name.replace(/\.md$/, '');
  const m = /^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*?-[0-9]+)(?:-|$)/.exec(base);
  return m?.[1];
}

/**
 * The `id:` line of a task file's text, without parsing it: for git blobs
 * (a deleted or replayed file) whose name does not announce the id.
 */
export function idFromText(text: string): string | undefined {
  return /^id:\s*["']?([A-Z][A-Z0-9-]*-[0-9]+)/m.exec(text)?.[1];
}

/** The numeric collator, made on first use: creating it loads ICU data (~18 ms of every command's start-up). */
let numeric: Intl.Collator | undefined;
const collator = (): Intl.Collator => (numeric ??= new Intl.Collator('en', { numeric: true }));

/** Where the id's trailing run of digits starts, leading zeros included (`T-025` → 2), or -1 when it has none. */
function numberStart(id: string): number {
  let i = id.length;
  while (i > 0 && id.charCodeAt(i - 1) >= 48 && id.charCodeAt(i - 1) <= 57) i--;
  return i < id.length ? i : -1;
}

function samePrefix(a: string, b: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** Past the leading zeros of the digits starting at `i` (the last digit is kept). */
function skipZeros(s: string, i: number): number {
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return i;
}

/**
 * Compare ids in the numeric collator's order, fast: ids that share a prefix and
 * end in numbers of different values (zero-padded or not) compare by those
 * values (exactly what numeric collation does); any other pair asks the
 * collator. At 10 000 tasks the collator alone cost most of a daemon round's render.
 */
export function compareIds(a: string, b: string): number {
  return compareKeyed(a, numberStart(a), b, numberStart(b));
}

function compareKeyed(a: string, na: number, b: string, nb: number): number {
  if (na >= 0 && na === nb && samePrefix(a, b, na)) {
    const za = skipZeros(a, na);
    const zb = skipZeros(b, nb);
    const r = (a.length - za) - (b.length - zb);
    if (r) return r;
    for (let i = 0; i < a.length - za; i++) {
      const d = a.charCodeAt(za + i) - b.charCodeAt(zb + i);
      if (d) return d;
    }
  }
  return collator().compare(a, b);
}

/** Sort by id (compareIds, each id's number located once), a new array. */
export function sortById<T extends { id: string }>(xs: T[], desc = false): T[] {
  const sign = desc ? -1 : 1;
  // Each id split once into its prefix and the value of its number (exact up to 15 digits):
  // the common comparison is then one string equality and one subtraction.
  const keyed = xs.map((x) => {
    const n = numberStart(x.id);
    const digits = n >= 0 ? x.id.length - skipZeros(x.id, n) : 99;
    return { x, n, prefix: n >= 0 ? x.id.slice(0, n) : x.id, value: digits <= 15 ? Number(x.id.slice(n)) : NaN };
  });
  keyed.sort((a, b) => {
    if (a.prefix === b.prefix && a.value === a.value && b.value === b.value && a.value !== b.value) return sign * (a.value - b.value);
    return sign * compareKeyed(a.x.id, a.n, b.x.id, b.n);
  });
  return keyed.map((k) => k.x);
}

/** The first `n` of `xs` in id order (or the last `n` with `desc`), without sorting them all. */
export function topById<T extends { id: string }>(xs: T[], n: number, desc = false): T[] {
  const sign = desc ? -1 : 1;
  const keyed = xs.map((x) => ({ x, n: numberStart(x.id) }));
  return firstN(keyed, n, (a, b) => sign * compareKeyed(a.x.id, a.n, b.x.id, b.n)).map((k) => k.x);
}

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

const numeric = new Intl.Collator('en', { numeric: true });

/**
 * Sort by id in the numeric collator's order, fast: ids that share a prefix and
 * end in digits without leading zeros compare by that number (exactly what
 * numeric collation does); any other pair asks the collator. At 10 000 tasks
 * the collator alone cost most of a daemon round's render. Returns a new array.
 */
export function sortById<T extends { id: string }>(xs: T[], desc = false): T[] {
  const keyed = xs.map((x) => {
    const m = /^(.*?)([1-9][0-9]*)$/.exec(x.id);
    return { x, p: m ? m[1]! : null, d: m ? m[2]! : '' };
  });
  const sign = desc ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.p !== null && a.p === b.p) {
      const r = a.d.length - b.d.length || (a.d < b.d ? -1 : a.d > b.d ? 1 : 0);
      if (r) return sign * r;
    }
    return sign * numeric.compare(a.x.id, b.x.id);
  });
  return keyed.map((k) => k.x);
}

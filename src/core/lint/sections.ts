/**
 * The v2 long-prompt sections (SPEC §2), found in French or English, as a
 * markdown heading of any level (`## Context`) or the seed's `=== CONTEXTE ===`,
 * whatever the case and accents. Pure.
 */
export interface SectionDef { fr: string; en: string; match: RegExp }

export const V2_SECTIONS: readonly SectionDef[] = [
  { fr: 'CONTEXTE', en: 'Context', match: /^(contexte?|background)\b/ },
  { fr: 'OBJECTIF', en: 'Objective', match: /^(objectifs?|objectives?|goals?)\b/ },
  { fr: 'FICHIERS A CREER/MODIFIER', en: 'Files to create/modify', match: /^(fichiers|files)\b/ },
  { fr: 'INSTRUCTIONS DETAILLEES', en: 'Detailed instructions', match: /^(instructions( detaillees)?|detailed instructions|steps|etapes)\b/ },
  { fr: 'TESTS A ECRIRE', en: 'Tests to write', match: /^(tests?( a ecrire| to write)?)\b/ },
  { fr: 'CRITERES DE VALIDATION', en: 'Acceptance criteria', match: /^(criteres( de validation)?|acceptance criteria|validation criteria|definition of done)\b/ },
  { fr: 'APRES COMPLETION', en: 'After completion', match: /^(apres (la )?completion|after completion|when done|une fois termine)\b/ },
];

/** `Critères de validation :` → `criteres de validation`. */
export function normalizeHeading(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface Heading { text: string; line: number }

/** Headings of a markdown body (ATX `#`…`######` or `=== X ===`), skipping fenced code. `line` is 0-based in the body. */
export function headings(body: string): Heading[] {
  const out: Heading[] = [];
  let fence: string | null = null;
  body.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trimEnd();
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      const mark = f[1]!;
      if (fence === null) fence = mark[0]!.repeat(mark.length);
      else if (mark[0] === fence[0] && mark.length >= fence.length) fence = null;
      return;
    }
    if (fence !== null) return;
    const atx = /^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/.exec(line);
    if (atx) { out.push({ text: atx[1]!, line: i }); return; }
    const seed = /^\s*={2,}\s*(.+?)\s*={2,}\s*$/.exec(line);
    if (seed) out.push({ text: seed[1]!, line: i });
  });
  return out;
}

/** Which of the seven sections the body lacks (in template order). */
export function missingSections(body: string): SectionDef[] {
  const found = headings(body).map((h) => normalizeHeading(h.text));
  return V2_SECTIONS.filter((s) => !found.some((h) => s.match.test(h)));
}

/** Non-blank lines of the body (golden rule 2: prompts of at least 20 lines). */
export function nonBlankLines(body: string): number {
  let n = 0;
  for (const l of body.split(/\r?\n/)) if (l.trim()) n++;
  return n;
}

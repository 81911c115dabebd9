/**
 * Plain `{{name}}` placeholders, never code (SPEC §2). Unknown placeholders stay
 * as written so a typo is visible in the output instead of silently vanishing.
 */
export function fillTemplate(template: string, values: Record<string, string | number | null | undefined>): string {
  return template.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi, (whole, key: string) => {
    const v = values[key];
    return v === undefined || v === null ? whole : String(v);
  });
}

export const PRIORITY_FR = { high: 'HAUTE', medium: 'MOYENNE', low: 'BASSE' } as const;

/** The v2 long-prompt skeleton `orch new` writes (seven sections, SPEC §2). */
export function v2Body(title: string): string {
  return `
## Context

<5-10 lines: where this task sits in the project, what exists already, why it matters.>
Task: ${title}

## Objective

<What must be true when the task is done, in detail.>

## Files to create/modify

- <path> — <what changes>

## Detailed instructions

1. <step>
2. <step>
3. <step>

## Tests to write

- <test and what it proves>

## Acceptance criteria

- [ ] <checkable criterion>

## After completion

Run \`orch done <ID> --note "<summary>"\`; if blocked, \`orch block <ID> --reason "<why>"\`.
`;
}

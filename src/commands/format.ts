/** A plain aligned text table for human output (no color, no box drawing: pipes and NO_COLOR friendly). */
export function formatTable(header: string[], rows: string[][]): string {
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const all = [header, ...rows].map((r) => r.map(clean));
  const widths = header.map((_, i) => Math.min(60, Math.max(...all.map((r) => [...(r[i] ?? '')].length))));
  return all
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

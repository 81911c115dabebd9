/**
 * The sim's screen, drawn like Claude Code's: a title, the conversation, a
 * spinner line with `esc to interrupt` while working, the composer — a `❯`
 * line between two horizontal rules (`›` in codex mode) — and a footer. A
 * permission dialog replaces the composer while it is open. Pure: state in,
 * lines out; the terminal writer is separate.
 */
export interface ScreenModel {
  name: string;
  mode: string;
  columns: number;
  rows: number;
  history: string[];
  busy: { label: string; since: number } | null;
  dialog: { command: string } | null;
  composer: string[];
  pastes: number;
  now: number;
}

const SPIN = ['✻', '✳', '✢', '·', '✶', '✽'];
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export function renderScreen(m: ScreenModel): string[] {
  const width = Math.max(20, Math.min(m.columns, 120));
  const rule = '─'.repeat(width);
  const glyph = m.mode === 'codex' ? '›' : '❯';
  const bottom: string[] = [];
  if (m.busy) {
    const secs = Math.floor((m.now - m.busy.since) / 1000);
    bottom.push(`${SPIN[Math.floor(m.now / 200) % SPIN.length]} ${m.busy.label}… (${secs}s · esc to interrupt)`, '');
  }
  if (m.dialog) {
    bottom.push(rule, ' Bash command', '', `   ${m.dialog.command}`, '', ' Do you want to proceed?', ' ❯ 1. Yes', '   2. No, and tell the agent what to do differently (esc)', rule);
  } else {
    bottom.push(rule);
    if (m.composer.length === 0 || (m.composer.length === 1 && m.composer[0] === '')) {
      bottom.push(`${glyph} ${DIM}Try "orch status"${RESET}`);
    } else {
      m.composer.slice(0, 6).forEach((l, i) => bottom.push(`${i === 0 ? `${glyph} ` : '  '}${l}`));
      if (m.composer.length > 6) bottom.push(`  … +${m.composer.length - 6} lines`);
    }
    bottom.push(rule, `  ${DIM}? for shortcuts · sim-agent ${m.name} (${m.mode})${RESET}`);
  }
  const top = [`✻ orch sim-agent — ${m.name}`, ''];
  const room = Math.max(0, m.rows - top.length - bottom.length - 1);
  const hist = m.history.flatMap((h) => wrap(h, width)).slice(-room);
  return [...top, ...hist, '', ...bottom].map((l) => l.slice(0, width + 20));
}

function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  for (let i = 0; i < line.length; i += width) out.push(line.slice(i, i + width));
  return out;
}

/** Redraw the whole screen in place: home, each line cleared to its end, the rest cleared. */
export function paint(write: (s: string) => void, lines: string[]): void {
  write(`\x1b[?25l\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\r\n')}\x1b[J`);
}

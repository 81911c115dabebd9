/**
 * An agent's state read from its tmux pane (SPEC §10, second-best signal after
 * hook events): the screen with ANSI stripped matched against the profile's
 * patterns, and the process (`pane_dead`). Also reads the composer (the text
 * in the agent's input box) so delivery never pastes over a human's draft.
 */
import type { Profile } from './profiles/types.js';
import type { PaneInfo, Tmux } from './tmux.js';

export type ScreenState = 'starting' | 'busy' | 'idle' | 'waiting';
export type PaneState = ScreenState | 'dead';

const cache = new Map<string, RegExp>();
export function rx(source: string): RegExp {
  let r = cache.get(source);
  if (!r) { r = new RegExp(source, 'm'); cache.set(source, r); }
  return r;
}

/** Waiting beats busy beats idle: a dialog can show while the footer still says busy. */
export function classifyScreen(screen: string, p: Profile): ScreenState {
  if (p.waiting_patterns.some((s) => rx(s).test(screen))) return 'waiting';
  if (p.busy_patterns.some((s) => rx(s).test(screen))) return 'busy';
  if (rx(p.ready_pattern).test(screen) || p.idle_patterns.some((s) => rx(s).test(screen))) return 'idle';
  return 'starting';
}

/**
 * The composer's first line: null when no input line is on screen, '' when it
 * is empty. Text the CLI draws dim (SGR 2: placeholder hints) does not count,
 * nor text matching the profile's placeholder patterns.
 */
export function composerText(plain: string, withEscapes: string, p: Profile): string | null {
  const lines = plain.split('\n');
  const input = rx(p.input_pattern);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = input.exec(lines[i]!);
    if (!m) continue;
    let text = (m[1] ?? '').trim();
    const escLine = withEscapes.split('\n')[i];
    if (text && escLine !== undefined) {
      const m2 = input.exec(stripDim(escLine));
      text = m2 ? (m2[1] ?? '').trim() : text;
    }
    if (text && p.placeholder_patterns.some((s) => rx(s).test(text))) text = '';
    return text;
  }
  return null;
}

/** Drop the characters drawn with the dim/faint attribute, then every escape sequence. */
export function stripDim(line: string): string {
  let out = '';
  let dim = false;
  const re = /\x1b\[([0-9;:]*)m|\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b./g;
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (!dim) out += line.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      const codes = m[1] === '' ? ['0'] : m[1].split(/[;:]/);
      for (const c of codes) {
        if (c === '0' || c === '' || c === '22') dim = false;
        else if (c === '2') dim = true;
      }
    }
  }
  if (!dim) out += line.slice(last);
  return out;
}

export interface PaneRead {
  info: PaneInfo;
  state: PaneState;
  screen: string;
  composer: string | null;
}

/** One look at the agent's pane; null when the window does not exist. */
export async function readPane(tmux: Tmux, target: string, p: Profile): Promise<PaneRead | null> {
  const info = await tmux.pane(target);
  if (!info) return null;
  const [screen, esc] = await Promise.all([tmux.capture(info.paneId), tmux.capture(info.paneId, { escapes: true })]);
  const plain = trimScreen(screen);
  if (info.dead) return { info, state: 'dead', screen: plain, composer: null };
  return { info, state: classifyScreen(plain, p), screen: plain, composer: composerText(plain, trimScreen(esc), p) };
}

function trimScreen(s: string): string {
  return s.split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').replace(/\n+$/, '');
}

/** The last few non-empty lines of a screen, for error messages. */
export function screenTail(screen: string, n = 8): string {
  return screen.split('\n').filter((l) => l.trim()).slice(-n).join('\n');
}

/**
 * Terminal input → events, for a raw-mode program with bracketed paste on
 * (`ESC[?2004h`). A paste arrives between `ESC[200~` and `ESC[201~`, possibly
 * split over many reads; it is collected whole. Outside a paste: printable
 * text, Enter (CR), Backspace, Ctrl-C/D/U, Esc, and escape sequences (arrows
 * and the like, ignored).
 */
export type InputEvent =
  | { type: 'paste'; text: string }
  | { type: 'text'; text: string }
  | { type: 'key'; key: 'enter' | 'backspace' | 'ctrl-c' | 'ctrl-d' | 'ctrl-u' | 'esc' | 'tab' | 'newline' | 'other' };

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

export class InputParser {
  private pasting = false;
  private paste = '';
  private pending = '';

  /** Input held back waiting for the rest of a sequence. */
  get hasPending(): boolean { return this.pending.length > 0 && !this.pasting; }

  /** No more input came: a held ESC (or partial sequence) was a real Esc key. */
  flush(): InputEvent[] {
    if (!this.hasPending) return [];
    const held = this.pending;
    this.pending = '';
    return held === '\x1b' ? [{ type: 'key', key: 'esc' }] : [{ type: 'key', key: 'other' }];
  }

  /** Feed one chunk; returns the complete events it finished. */
  feed(chunk: string): InputEvent[] {
    const out: InputEvent[] = [];
    let s = this.pending + chunk;
    this.pending = '';
    while (s.length) {
      if (this.pasting) {
        const end = s.indexOf(PASTE_END);
        if (end < 0) {
          // Keep a possible partial end marker for the next read.
          const keep = partialSuffix(s, PASTE_END);
          this.paste += s.slice(0, s.length - keep);
          this.pending = s.slice(s.length - keep);
          return out;
        }
        this.paste += s.slice(0, end);
        out.push({ type: 'paste', text: this.paste.replace(/\r\n?/g, '\n') });
        this.paste = '';
        this.pasting = false;
        s = s.slice(end + PASTE_END.length);
        continue;
      }
      const c = s[0]!;
      if (c === '\x1b') {
        if (s.startsWith(PASTE_START)) { this.pasting = true; s = s.slice(PASTE_START.length); continue; }
        // A lone ESC at the end of a read may be the start of a sequence split over reads: hold it (see flush()).
        if (s.length === 1) { this.pending = s; return out; }
        if (PASTE_START.startsWith(s)) { this.pending = s; return out; }
        const m = /^\x1b(\[[0-9;?]*[ -\/]*[@-~]|O.|.)/s.exec(s);
        const seq = m ? m[0] : s;
        out.push(seq === '\x1b\r' ? { type: 'key', key: 'newline' } : { type: 'key', key: 'other' });
        s = s.slice(seq.length);
        continue;
      }
      s = s.slice(1);
      switch (c) {
        case '\r': out.push({ type: 'key', key: 'enter' }); break;
        case '\n': out.push({ type: 'key', key: 'newline' }); break;
        case '\x7f': case '\b': out.push({ type: 'key', key: 'backspace' }); break;
        case '\x03': out.push({ type: 'key', key: 'ctrl-c' }); break;
        case '\x04': out.push({ type: 'key', key: 'ctrl-d' }); break;
        case '\x15': out.push({ type: 'key', key: 'ctrl-u' }); break;
        case '\t': out.push({ type: 'key', key: 'tab' }); break;
        default:
          if (c < ' ') { out.push({ type: 'key', key: 'other' }); break; }
          {
            const last = out[out.length - 1];
            if (last?.type === 'text') last.text += c; else out.push({ type: 'text', text: c });
          }
      }
    }
    return out;
  }
}

function partialSuffix(s: string, marker: string): number {
  for (let k = Math.min(marker.length - 1, s.length); k > 0; k--) {
    if (marker.startsWith(s.slice(s.length - k))) return k;
  }
  return 0;
}

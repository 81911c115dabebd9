/**
 * Verified delivery at the tmux level (SPEC §9), until `orch send` exists:
 * wait idle, sanitize, load-buffer + paste-buffer -p -r -d, settle, submit,
 * verify (the stand-in received it), resend the submit keys up to 3 times.
 */
import type { Script } from '../standins/index.js';
import { screenState, type ScreenProfile } from './profiles.js';
import type { PrivateTmux } from './tmux.js';
import { waitFor } from './wait.js';

/** Drop ESC and every control character except \n and \t (CR LF becomes LF). */
export function sanitize(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

export async function waitIdle(tmux: PrivateTmux, pane: string, p: ScreenProfile, timeout = 60_000): Promise<string> {
  let last = '';
  return waitFor(async () => {
    last = await tmux.capture(pane);
    return screenState(last, p) === 'idle' ? last : undefined;
  }, { timeout, interval: 100, message: () => `idle screen; last screen:\n${last}` });
}

export interface Delivery {
  attempts: number;
}

/** Paste `text` and submit; resolves once a main request carrying `marker` reached the stand-in. */
export async function deliver(
  tmux: PrivateTmux, pane: string, p: ScreenProfile, script: Script, apiKey: string, text: string, marker: string,
): Promise<Delivery> {
  await waitIdle(tmux, pane, p);
  const before = script.carrying(marker, apiKey).length;
  await tmux.paste(pane, sanitize(text));
  await new Promise((r) => setTimeout(r, p.settleMs)); // the profile's settle delay, part of the protocol
  for (let attempt = 1; attempt <= 4; attempt++) {
    await tmux.keys(pane, ...p.submit);
    const ok = await waitFor(() => script.carrying(marker, apiKey).length > before, { timeout: 8000 }).then(
      () => true,
      () => false,
    );
    if (ok) return { attempts: attempt };
  }
  throw new Error(`prompt ${marker} was not submitted after 4 submits; screen:\n${await tmux.capture(pane)}`);
}

/**
 * What may reach an agent's input box (SPEC §9 step 4): text, `\n` and `\t`.
 * ESC and every other C0 control, DEL and the C1 controls (U+0080–U+009F) are
 * dropped, so a task file can never end the bracketed paste early with
 * `ESC[201~`, type keys, ring the bell or move the cursor. CR LF and lone CR
 * become LF. The result is NFC-normalised text that arrives as one paste.
 */
export function sanitize(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
    .normalize('NFC');
}

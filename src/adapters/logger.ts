import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { logPath } from './paths.js';

export type Level = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

/**
 * One line per event (SPEC §8): `2026-11-23T19:30:00.123Z INFO commit TASK-PO-025 pending -> in_progress abc1234`.
 * Appends are small single writes, so lines from several processes never interleave mid-line.
 */
export class Logger {
  private made = false;
  constructor(readonly file: string, private readonly echo?: (line: string) => void) {}

  static for(root: string, name: 'orchestration' | 'monitor' | 'dispatch', echo?: (line: string) => void): Logger {
    return new Logger(logPath(root, `${name}.log`), echo);
  }

  log(level: Level, message: string): void {
    this.write(level, [message]);
  }

  /** Several lines in one append (a burst's 1 000 commit lines: one write, not 1 000). */
  write(level: Level, messages: string[]): void {
    if (!messages.length) return;
    const at = new Date().toISOString();
    const lines = messages.map((m) => `${at} ${level} ${m.replace(/[\r\n]+/g, ' ')}\n`);
    try {
      if (!this.made) { mkdirSync(dirname(this.file), { recursive: true }); this.made = true; }
      appendFileSync(this.file, lines.join(''));
    } catch { /* logging must never break a round */ }
    if (this.echo) for (const l of lines) this.echo(l.trimEnd());
  }
  info(m: string): void { this.log('INFO', m); }
  warn(m: string): void { this.log('WARN', m); }
  error(m: string): void { this.log('ERROR', m); }
}

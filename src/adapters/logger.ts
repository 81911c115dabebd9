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
    const line = `${new Date().toISOString()} ${level} ${message.replace(/[\r\n]+/g, ' ')}\n`;
    try {
      if (!this.made) { mkdirSync(dirname(this.file), { recursive: true }); this.made = true; }
      appendFileSync(this.file, line);
    } catch { /* logging must never break a round */ }
    this.echo?.(line.trimEnd());
  }
  info(m: string): void { this.log('INFO', m); }
  warn(m: string): void { this.log('WARN', m); }
  error(m: string): void { this.log('ERROR', m); }
}

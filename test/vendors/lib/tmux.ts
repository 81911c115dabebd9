/**
 * A private tmux server for one test (`tmux -L <unique>`), started from inside
 * the network namespace so every pane it spawns is inside it too.
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { assertIsolated } from './isolation.js';

export class PrivateTmux {
  readonly socket = `orch-vendors-${process.pid}-${randomBytes(4).toString('hex')}`;
  private started = false;

  async tmux(...args: string[]): Promise<string> {
    const r = await execa('tmux', ['-L', this.socket, ...args], { timeout: 15_000 });
    return r.stdout;
  }

  /** A new window running argv (executed directly, no shell); returns its pane id. */
  async spawn(name: string, argv: string[], env: Record<string, string>, cwd: string): Promise<string> {
    assertIsolated();
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const common = ['-P', '-F', '#{pane_id}', '-c', cwd, ...envArgs];
    let out: string;
    if (!this.started) {
      out = await this.tmux('new-session', '-d', '-s', 'vendors', '-n', name, '-x', '200', '-y', '50', ...common, ...argv);
      this.started = true;
      await this.tmux('set-option', '-g', 'remain-on-exit', 'on');
      await this.tmux('set-option', '-g', 'history-limit', '5000');
    } else {
      out = await this.tmux('new-window', '-d', '-t', 'vendors', '-n', name, ...common, ...argv);
    }
    return out.trim();
  }

  /** The visible screen, plain text (no escapes), trailing blanks trimmed. */
  async capture(pane: string): Promise<string> {
    const out = await this.tmux('capture-pane', '-p', '-t', pane);
    return out.replace(/\s+$/g, '');
  }

  async keys(pane: string, ...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', pane, ...keys);
  }

  /** Bracketed paste of `text` through a uniquely named buffer. */
  async paste(pane: string, text: string): Promise<void> {
    const buffer = `orch-${randomBytes(4).toString('hex')}`;
    await execa('tmux', ['-L', this.socket, 'load-buffer', '-b', buffer, '-'], { input: text, timeout: 15_000 });
    await this.tmux('paste-buffer', '-p', '-r', '-d', '-b', buffer, '-t', pane);
  }

  async paneDead(pane: string): Promise<boolean> {
    return (await this.tmux('display-message', '-p', '-t', pane, '#{pane_dead}')).trim() === '1';
  }

  /** Kills the server (also when orch start, not spawn(), created it). */
  async kill(): Promise<void> {
    await execa('tmux', ['-L', this.socket, 'kill-server'], { reject: false, timeout: 15_000 });
    this.started = false;
  }
}

/**
 * tmux through argument arrays (never a shell string). Every call goes to
 * one server: `-L <socket>` when a socket is given (tests and the demo use a
 * private server; `ORCH_TMUX_SOCKET` selects one for the whole process tree),
 * else the user's default server.
 */
import { runProcess } from './proc.js';
import { EnvError } from '../core/errors.js';

export interface PaneInfo {
  paneId: string;
  windowIndex: number;
  windowName: string;
  dead: boolean;
  pid: number | null;
  command: string;
  inMode: boolean;
}

const PANE_FORMAT = '#{pane_id}\t#{window_index}\t#{window_name}\t#{pane_dead}\t#{pane_pid}\t#{pane_current_command}\t#{pane_in_mode}';

export class TmuxError extends Error {
  constructor(message: string, readonly stderr: string) { super(message); }
}

export const TMUX_HINT = 'install tmux (Debian/Ubuntu: apt-get install tmux; macOS: brew install tmux), then run the command again';

export class Tmux {
  readonly socket: string | undefined;
  constructor(socket?: string) {
    this.socket = socket ?? (process.env.ORCH_TMUX_SOCKET || undefined);
  }

  /** The argument prefix selecting this server (for messages: how to attach). */
  get serverArgs(): string[] {
    return this.socket ? ['-L', this.socket] : [];
  }

  attachHint(session: string): string {
    return ['tmux', ...this.serverArgs, 'attach', '-t', session].join(' ');
  }

  async run(args: string[], opts: { input?: string; reject?: boolean; timeout?: number } = {}): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    const r = await runProcess('tmux', [...this.serverArgs, ...args], {
      input: opts.input, timeout: opts.timeout ?? 15_000,
      env: { TMUX: '' }, // a command run inside tmux must still address the server we chose
    });
    if (r.errorCode === 'ENOENT') throw new EnvError('tmux not found', TMUX_HINT);
    const out = { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
    if (out.exitCode !== 0 && opts.reject !== false) {
      throw new TmuxError(`tmux ${args[0]} failed: ${out.stderr.trim() || (r.timedOut ? 'timed out' : `exit ${out.exitCode}`)}`, out.stderr);
    }
    return out;
  }

  /** Throws EnvError (exit 3) when tmux is not installed. */
  async ensureInstalled(): Promise<string> {
    const r = await this.run(['-V'], { reject: false });
    if (r.exitCode !== 0) throw new EnvError('tmux not found', TMUX_HINT);
    return r.stdout.trim();
  }

  async serverRunning(): Promise<boolean> {
    return (await this.run(['list-sessions'], { reject: false })).exitCode === 0;
  }

  async hasSession(session: string): Promise<boolean> {
    return (await this.run(['has-session', '-t', `=${session}`], { reject: false })).exitCode === 0;
  }

  /** Every pane of the session (first pane of each window is what orch uses). */
  async panes(session: string): Promise<PaneInfo[]> {
    const r = await this.run(['list-panes', '-s', '-t', `=${session}`, '-F', PANE_FORMAT], { reject: false });
    if (r.exitCode !== 0) return [];
    return r.stdout.split('\n').filter(Boolean).map(parsePane);
  }

  /** The first pane of window `index`, or null when the window does not exist. */
  async windowPane(session: string, index: number): Promise<PaneInfo | null> {
    return (await this.panes(session)).find((p) => p.windowIndex === index) ?? null;
  }

  async pane(target: string): Promise<PaneInfo | null> {
    const r = await this.run(['display-message', '-p', '-t', target, PANE_FORMAT], { reject: false });
    return r.exitCode === 0 && r.stdout.trim() ? parsePane(r.stdout.trim()) : null;
  }

  /**
   * A new window running argv directly (no shell when argv has several words),
   * with `remain-on-exit on` set in the same tmux command list so even an
   * instant crash stays visible as a dead pane. Creates the session if needed.
   */
  async newWindow(o: { session: string; index: number; name: string; cwd: string; env: Record<string, string>; argv: string[]; width?: number; height?: number }): Promise<string> {
    const env = Object.entries(o.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const argv = o.argv.map(escapeSemicolon);
    const exists = await this.hasSession(o.session);
    const create = exists
      ? ['new-window', '-d', '-P', '-F', '#{pane_id}', '-t', `=${o.session}:${o.index}`, '-n', o.name, '-c', o.cwd, ...env, ...argv]
      : ['new-session', '-d', '-P', '-F', '#{pane_id}', '-s', o.session, '-n', o.name, '-c', o.cwd, '-x', String(o.width ?? 200), '-y', String(o.height ?? 50), ...env, ...argv];
    const win = exists ? `=${o.session}:${o.index}` : `=${o.session}:`; // a fresh session's current window is the new one
    const r = await this.run([...create, ';', 'set-option', '-w', '-t', win, 'remain-on-exit', 'on']);
    const paneId = r.stdout.trim().split('\n')[0]!;
    if (!exists) {
      // The first window lands on base-index; move it to the configured index.
      const p = await this.pane(paneId);
      if (p && p.windowIndex !== o.index) await this.run(['move-window', '-s', `=${o.session}:${p.windowIndex}`, '-t', `=${o.session}:${o.index}`]);
      await this.run(['set-option', '-t', `=${o.session}`, 'history-limit', '5000'], { reject: false });
    }
    return paneId;
  }

  /** Restart a (dead) pane's process in place. */
  async respawn(paneId: string, o: { cwd: string; env: Record<string, string>; argv: string[] }): Promise<void> {
    const env = Object.entries(o.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    await this.run(['respawn-pane', '-k', '-t', paneId, '-c', o.cwd, ...env, ...o.argv.map(escapeSemicolon)]);
  }

  /** The visible screen as plain text (`-e` keeps SGR attributes, for placeholder detection). */
  async capture(target: string, opts: { escapes?: boolean } = {}): Promise<string> {
    const r = await this.run(['capture-pane', '-p', ...(opts.escapes ? ['-e'] : []), '-t', target], { reject: false });
    return r.exitCode === 0 ? r.stdout : '';
  }

  async sendKeys(target: string, keys: string[]): Promise<void> {
    await this.run(['send-keys', '-t', target, ...keys]);
  }

  async cancelCopyMode(target: string): Promise<void> {
    await this.run(['send-keys', '-t', target, '-X', 'cancel'], { reject: false });
  }

  /** Bracketed paste (`-p`) of `text` through a uniquely named buffer, deleted after (`-d`), LF kept (`-r`). */
  async paste(target: string, text: string, buffer: string): Promise<void> {
    await this.run(['load-buffer', '-b', buffer, '-'], { input: text });
    await this.run(['paste-buffer', '-p', '-r', '-d', '-b', buffer, '-t', target]);
  }

  async killWindow(target: string): Promise<void> {
    await this.run(['kill-window', '-t', target], { reject: false });
  }

  async killSession(session: string): Promise<void> {
    await this.run(['kill-session', '-t', `=${session}`], { reject: false });
  }

  async killServer(): Promise<void> {
    await this.run(['kill-server'], { reject: false });
  }
}

/** tmux treats an argument ending in `;` as a command separator; escape it. */
function escapeSemicolon(a: string): string {
  return a.endsWith(';') ? `${a.slice(0, -1)}\\;` : a;
}

function parsePane(line: string): PaneInfo {
  const [paneId = '', idx = '0', name = '', dead = '0', pid = '', command = '', inMode = '0'] = line.split('\t');
  return {
    paneId, windowIndex: Number(idx), windowName: name, dead: dead === '1',
    pid: pid ? Number(pid) : null, command, inMode: inMode === '1',
  };
}

/**
 * A child process run to completion: argument array (never a shell), extra
 * environment on top of ours, optional stdin text, a timeout, output
 * collected whole. Node's own `child_process.spawn` on the hot paths (git,
 * tmux): loading execa costs ~110 ms of a one-shot verb's cold start, and
 * these calls need none of its features (docs/decisions.md, "Processes").
 */
import { spawn } from 'node:child_process';

export interface ProcOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  /** ms; the child is killed (SIGTERM, then SIGKILL 2 s later) when it runs longer. */
  timeout?: number;
  maxBuffer?: number;
}

export interface ProcResult {
  stdout: string;
  stderr: string;
  /** The exit code; -1 when killed by a signal or never started. */
  exitCode: number;
  /** `ENOENT` when the command is not installed. */
  errorCode?: string;
  timedOut: boolean;
}

export function runProcess(cmd: string, args: string[], o: ProcOptions = {}): Promise<ProcResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env ? { ...process.env, ...o.env } : process.env,
      stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let errSize = 0;
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const max = o.maxBuffer ?? 512 * 1024 * 1024;
    const kill = (): void => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
      killTimer.unref();
    };
    const timer = o.timeout ? setTimeout(() => { timedOut = true; kill(); }, o.timeout) : undefined;
    child.stdout!.on('data', (b: Buffer) => { size += b.length; if (size > max) kill(); else out.push(b); });
    // stderr only explains a failure: its first MB is plenty.
    child.stderr!.on('data', (b: Buffer) => { if (errSize < 1 << 20) { errSize += b.length; err.push(b); } });
    let errorCode: string | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => { errorCode = e.code ?? 'ERROR'; });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? -1,
        errorCode,
        timedOut,
      });
    });
    if (o.input !== undefined) {
      // A child that exits without reading all of its input (EPIPE) is judged by its exit code.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(o.input);
    }
  });
}

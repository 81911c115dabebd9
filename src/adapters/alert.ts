import type { Config } from '../core/config.js';
import { Logger } from './logger.js';

/**
 * An alert (SPEC §10): one line in .orch/logs/monitor.log, and the user's
 * `alerts.command` (the message appended as its last argument) when set.
 * Never throws and never waits for the command.
 */
export function alert(root: string, cfg: Config, message: string): void {
  Logger.for(root, 'monitor').warn(`ALERT ${message}`);
  const cmd = cfg.alerts.command;
  if (cmd && cmd.length) {
    // execa is loaded only when an alert command runs (it is most of a one-shot verb's start-up).
    void import('execa').then(({ execa }) => {
      const child = execa(cmd[0]!, [...cmd.slice(1), message], { cwd: root, reject: false, detached: true, stdio: 'ignore', timeout: 30_000 });
      child.catch(() => undefined);
      child.unref?.();
    }).catch(() => undefined); // an alert command that cannot start must not break delivery
  }
}

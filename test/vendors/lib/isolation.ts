/**
 * The hard rule of the vendor suite: a vendor CLI runs only inside a network
 * namespace whose one interface is loopback. Checked from /proc (sysfs would
 * show the namespace it was mounted in, not ours) before any CLI is started.
 */
import { readFileSync, readlinkSync } from 'node:fs';

export function interfaces(): string[] {
  const text = readFileSync('/proc/self/net/dev', 'utf8');
  return text
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]?.trim() ?? '')
    .filter((n) => n.length > 0);
}

/** Why this process may not start a vendor CLI, or null when it may. */
export function isolationProblem(): string | null {
  let own = '';
  let init = '';
  try {
    own = readlinkSync('/proc/self/ns/net');
    // The runner outside names the host's namespace (inside a private pid namespace, /proc/1 is the runner itself).
    init = process.env['ORCH_VENDORS_HOST_NETNS'] || readlinkSync('/proc/1/ns/net');
  } catch {
    // Unreadable /proc/1 (not root): rely on the interface list alone.
  }
  if (own && init && own === init) return `not in a private network namespace (${own} is the host's)`;
  const extra = interfaces().filter((n) => n !== 'lo');
  if (extra.length > 0) return `network interfaces other than loopback are present: ${extra.join(', ')}`;
  return null;
}

export function assertIsolated(): void {
  const problem = isolationProblem();
  if (problem) throw new Error(`refusing to start a vendor CLI: ${problem}`);
}

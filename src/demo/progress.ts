/** What the demo reports: task counts from the folders, and the loop's footprints in git and the logs. */
import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Counts { pending: number; in_progress: number; completed: number; blocked: number; total: number }

export function countTasks(dir: string): Counts {
  const n = (s: string): number => {
    try { return readdirSync(join(dir, 'tasks', s)).filter((f) => f.endsWith('.md')).length; } catch { return 0; }
  };
  const c = { pending: n('pending'), in_progress: n('in_progress'), completed: n('completed'), blocked: n('blocked') };
  return { ...c, total: c.pending + c.in_progress + c.completed + c.blocked };
}

export interface Summary {
  tasks: Counts;
  commits: number;
  handoffs: string[];
  reminders: number;
  alerts: string[];
  deliveries: number;
  orchestrator: string | null;
}

const read = (f: string): string => { try { return readFileSync(f, 'utf8'); } catch { return ''; } };

export async function summarize(dir: string): Promise<Summary> {
  const git = async (args: string[]): Promise<string> => String((await execa('git', args, { cwd: dir, reject: false })).stdout);
  const commits = Number((await git(['rev-list', '--count', 'HEAD'])).trim()) || 0;
  const handoffs = (await git(['log', '--format=%s'])).split('\n').filter((l) => /^orch: handoff /.test(l)).reverse();
  const monitor = read(join(dir, '.orch', 'logs', 'monitor.log'));
  const dispatch = read(join(dir, '.orch', 'logs', 'dispatch.log'));
  const alerts = monitor.split('\n').filter((l) => / ALERT /.test(l)).map((l) => l.replace(/^\S+ \S+ ALERT /, ''));
  const reminders = monitor.split('\n').filter((l) => /remind \S+ on \S+ .*delivered/.test(l)).length;
  const orchestration = read(join(dir, '.orch', 'logs', 'orchestration.log'));
  const deliveries = `${monitor}\n${dispatch}\n${orchestration}`.split('\n').filter((l) => / delivered \d+ chars to /.test(l)).length;
  const orch = /^agent: (\S+)\nrole: orchestrator/m;
  let orchestrator: string | null = null;
  try {
    for (const f of readdirSync(join(dir, 'status'))) {
      const m = orch.exec(read(join(dir, 'status', f)).replace(/^---\n/, ''));
      if (m) orchestrator = m[1]!;
    }
  } catch { /* none */ }
  return { tasks: countTasks(dir), commits, handoffs, reminders, alerts, deliveries, orchestrator };
}

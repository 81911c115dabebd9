import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled orch binary this bench measures. */
export const ORCH = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export const STATES = ['pending', 'in_progress', 'completed', 'blocked'] as const;

export function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
}

export function orchSync(cwd: string, args: string[]): string {
  return execFileSync(process.execPath, [ORCH, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 << 20 });
}

/** Where task i lives: 40 % pending, 10 % in progress, 45 % completed, 5 % blocked. */
export function stateOf(i: number): (typeof STATES)[number] {
  const r = i % 20;
  return r < 8 ? 'pending' : r < 10 ? 'in_progress' : r < 19 ? 'completed' : 'blocked';
}

const body = (id: string): string => `
## Context
Part of the bench workload; ${id} stands for a realistic v2 task.
The palm oil trading bot needs this piece before the backtests.
Keep the change small and well tested.

## Objective
Implement the piece described by ${id}.

## Files to create/modify
- src/feature/${id.toLowerCase()}.ts
- test/feature/${id.toLowerCase()}.test.ts

## Detailed instructions
1. Read the context.
2. Write the code.
3. Write the tests.
4. Run the suite.

## Tests to write
- the happy path
- one failure path

## Acceptance criteria
- [ ] tests pass
- [ ] lint clean

## After completion
Run \`orch done ${id}\`.
`;

export function taskFile(id: string, i: number, state: string): string {
  const agent = state === 'in_progress' || state === 'completed' ? ['amp', 'codex', 'antigravity'][i % 3] : null;
  return `---\nid: ${id}\ntitle: "Bench task ${i}: feed, risk and backtest piece"\nagent: ${agent ?? 'null'}\npriority: ${['high', 'medium', 'low'][i % 3]}\ntags: [implementation]\ncreated: 2026-01-01T00:00:00Z\n${state === 'blocked' ? 'blocked_reason: "waiting on broker keys"\n' : ''}---\n${body(id)}`;
}

/**
 * An orch workspace with n tasks, written directly (fast) and committed in one
 * commit, then made consistent (status rendered) by `orch watch --once`.
 */
export function makeOrchWorkspace(dir: string, n: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Bench']);
  git(dir, ['config', 'user.email', 'bench@localhost']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  orchSync(dir, ['init']);
  for (let i = 1; i <= n; i++) {
    const s = stateOf(i);
    writeFileSync(join(dir, 'tasks', s, `BENCH-${i}.md`), taskFile(`BENCH-${i}`, i, s));
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `bench: ${n} tasks`]);
  orchSync(dir, ['watch', '--once']);
}

/** A Backlog.md 1.52 project with n tasks (same shape as `backlog task create` writes), autoCommit on. */
export function makeBacklogWorkspace(dir: string, n: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'backlog', 'tasks'), { recursive: true });
  for (const d of ['drafts', 'docs', 'decisions', 'archive/tasks', 'completed']) mkdirSync(join(dir, 'backlog', d), { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Bench']);
  git(dir, ['config', 'user.email', 'bench@localhost']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  writeFileSync(join(dir, 'backlog', 'config.yml'), [
    'project_name: "bench"', 'default_status: "To Do"', 'statuses: ["To Do", "In Progress", "Done"]', 'labels: []',
    'date_format: yyyy-mm-dd', 'max_column_width: 20', 'auto_open_browser: false', 'default_port: 6420',
    'remote_operations: false', 'auto_commit: true', 'filesystem_only: false', 'bypass_git_hooks: false',
    'check_active_branches: false', 'active_branch_days: 30', 'task_prefix: "task"', '',
  ].join('\n'));
  const status = (i: number) => { const s = stateOf(i); return s === 'pending' || s === 'blocked' ? 'To Do' : s === 'in_progress' ? 'In Progress' : 'Done'; };
  for (let i = 1; i <= n; i++) {
    writeFileSync(join(dir, 'backlog', 'tasks', `task-${i} - Bench-task-${i}.md`),
      `---\nid: TASK-${i}\ntitle: "Bench task ${i}: feed, risk and backtest piece"\nstatus: ${status(i)}\nassignee: []\ncreated_date: '2026-01-01 00:00'\nlabels: [implementation]\ndependencies: []\nordinal: ${i * 1000}\n---\n${body(`TASK-${i}`)}`);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `bench: ${n} tasks`]);
}

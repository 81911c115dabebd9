/**
 * What the sim does with a prompt: find the task id on its `TASK_ID:` line,
 * "work" for a while, then report like a real agent would, by running the
 * real orch binary (`orch done <id>` or `orch block <id> --reason …`).
 */
import { execa } from 'execa';
import { ORCH_MAIN } from '../adapters/profiles/sim.js';

export type PromptKind = { kind: 'task'; id: string } | { kind: 'reminder'; id: string | null } | { kind: 'message' };

export function classifyPrompt(text: string): PromptKind {
  const id = /^\s*TASK_ID:\s*([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]+)\b/m.exec(text)?.[1] ?? null;
  if (/\[RAPPEL\]/.test(text)) return { kind: 'reminder', id };
  if (id) return { kind: 'task', id };
  return { kind: 'message' };
}

export interface ReportResult { ok: boolean; output: string }

/** Run the real orch binary in the workspace, as the agent. */
export async function report(root: string, agent: string, id: string, block: boolean): Promise<ReportResult> {
  const args = block
    ? ['block', id, '--reason', `sim-agent ${agent} was told to block (--block)`]
    : ['done', id, '--note', `sim-agent ${agent} finished ${id}`];
  const r = await execa(process.execPath, [ORCH_MAIN, ...args], {
    cwd: root, reject: false, timeout: 60_000, env: { ORCH_AGENT: agent, NO_COLOR: '1' },
  });
  const output = `${String(r.stdout)}\n${String(r.stderr)}`.trim();
  return { ok: r.exitCode === 0, output };
}

/**
 * The texts orch sends to agents, rendered from the workspace's prompt
 * templates (plain `{{placeholders}}`, SPEC §2). Pure: the caller reads the
 * template and passes the clock.
 */
import { fillTemplate, PRIORITY_FR } from './template.js';
import type { Task } from './task.js';

/** prompts/task.md with the task: the seed's header, the body, how to report, the closing line. */
export function renderTaskPrompt(template: string, task: Task, agent: string, now: Date): string {
  return fillTemplate(template, {
    agent,
    agent_upper: agent.toUpperCase(),
    id: task.id,
    title: task.title,
    priority: task.priority,
    priority_fr: PRIORITY_FR[task.priority],
    timestamp: now.toISOString(),
    body: task.body.replace(/^\n+/, '').replace(/\s+$/, ''),
    tags: task.tags.join(', '),
    depends_on: task.depends_on.join(', '),
    path: task.path,
  });
}

/** prompts/reminder.md: the seed's `[RAPPEL] Tu as une tache en cours. Continue le travail.` with the task. */
export function renderReminder(template: string, task: { id: string; title: string }, count: number, max: number): string {
  return fillTemplate(template, { id: task.id, title: task.title, count, max });
}

/** The message asking the orchestrator to complete the handoff file now (prepare step). */
export function handoffRequest(file: string, from: string, to: string, pct: number | null): string {
  return [
    '[HANDOFF - PREPARATION]',
    '',
    `${from}: your context is ${pct === null ? 'close to its limit' : `at ${pct} % of its usable budget`}. The role of orchestrator will pass to ${to} soon.`,
    `orch wrote ${file} with the tasks, their agents and the recent orch commits.`,
    'Complete NOW the sections between the <!-- orch:fill … --> and <!-- orch:end … --> markers:',
    '  - context summary (what the team is doing and why),',
    '  - technical decisions (choices made, what was rejected and why),',
    `  - special instructions for ${to} (what to watch, what comes next).`,
    'Write only inside the markers; orch rewrites the rest. Save the file; orch commits it.',
    '',
    'COMMENCE IMMEDIATEMENT - NE POSE PAS DE QUESTIONS',
  ].join('\n');
}

/** The message telling the old orchestrator the role has passed. */
export function handoffDone(from: string, to: string): string {
  return [
    '[HANDOFF TERMINE]',
    '',
    `${to} is now the orchestrator. ${from}: stop orchestrating — do not create, dispatch or reassign tasks any more.`,
    'Finish or release what you hold (orch done <id> / orch release <id>) and wait for instructions.',
  ].join('\n');
}

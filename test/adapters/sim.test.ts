/**
 * orch sim-agent: its input parser, its screen as the pane reader sees it,
 * and the real program on a private tmux server (task → orch done, the
 * permission dialog, transcript and rollout growth, the crash mode).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyScreen, composerText, readPane } from '../../src/adapters/pane-state.js';
import { PROFILES } from '../../src/adapters/profiles/index.js';
import { parseClaudeTranscript, parseCodexRollout } from '../../src/adapters/usage/parse.js';
import { InputParser } from '../../src/sim/input.js';
import { classifyPrompt } from '../../src/sim/worker.js';
import { waitFor } from '../helpers/index.js';
import { makeWorld, type World } from './tmux-world.js';

test('input parser: a bracketed paste split anywhere, even inside its markers, arrives whole', () => {
  const text = 'hello\nworld \u00e9\u2713';
  const stream = `ab\x1b[200~${text}\x1b[201~\r`;
  for (let cut = 1; cut < stream.length; cut++) {
    const p = new InputParser();
    const evs = [...p.feed(stream.slice(0, cut)), ...p.feed(stream.slice(cut))];
    const pastes = evs.filter((e) => e.type === 'paste');
    assert.deepEqual(pastes, [{ type: 'paste', text }], `cut at ${cut}`);
    assert.deepEqual(evs[evs.length - 1], { type: 'key', key: 'enter' });
  }
});

test('prompt kinds: task, reminder, plain message', () => {
  assert.deepEqual(classifyPrompt('[TACHE]\nAGENT: amp\nTASK_ID: TASK-PO-025\n'), { kind: 'task', id: 'TASK-PO-025' });
  assert.deepEqual(classifyPrompt('[RAPPEL] Tu as une tache en cours.\nTASK_ID: TASK-PO-025 — x'), { kind: 'reminder', id: 'TASK-PO-025' });
  assert.deepEqual(classifyPrompt('run orch done <TASK_ID> when done'), { kind: 'message' });
});

test('pane reader: the sim screen reads idle / busy / waiting; a dim placeholder is not a draft', () => {
  const p = PROFILES.sim;
  const rule = '─'.repeat(40);
  const idle = `title\n\n${rule}\n❯ Try "orch status"\n${rule}`;
  const idleEsc = `title\n\n${rule}\n❯ \x1b[2mTry "x y"\x1b[0m\n${rule}`;
  assert.equal(classifyScreen(idle, p), 'idle');
  assert.equal(composerText(idle, idleEsc, p), '');
  const draft = `title\n\n${rule}\n❯ my own words\n${rule}`;
  assert.equal(composerText(draft, draft, p), 'my own words');
  assert.equal(classifyScreen(`✻ Working… (3s · esc to interrupt)\n${rule}\n❯ \n${rule}`, p), 'busy');
  assert.equal(classifyScreen(' Do you want to proceed?\n ❯ 1. Yes\n   2. No', p), 'waiting');
});

let w: World;
before(async () => {
  w = await makeWorld({
    w1: { window: 0, sim: ['--permission'] },
    w2: { window: 1, sim: ['--rollout', '.orch/run/sim/w2.rollout.jsonl', '--tokens-per-prompt', '10000'] },
    cr: { window: 2, sim: ['--crash-after', '1'] },
  });
  const r = await w.orch(['start', '--no-daemon', '--no-dispatch']);
  assert.equal(r.exitCode, 0, r.stderr + r.stdout);
});
after(async () => { await w?.cleanup(); });

const completed = (id: string): boolean => readdirSync(join(w.dir, 'tasks', 'completed')).some((f) => f.startsWith(id));

async function claimed(id: string, agent: string): Promise<void> {
  assert.equal((await w.orch(['new', `Sim task ${id}`, '--id', id, '--agent', agent])).exitCode, 0);
  const c = await w.orch(['claim', id, '--agent', agent]);
  assert.equal(c.exitCode, 0, c.stderr);
}

test('a task prompt: the sim works, runs the real `orch done <id>`, and its transcript and rollout grow', async () => {
  await claimed('TASK-S-001', 'w2');
  const r = await w.orch(['send', 'w2', `[TACHE ORCHESTRATEUR]\nAGENT: w2\nTASK_ID: TASK-S-001\nDo it.`]);
  assert.equal(r.exitCode, 0, r.stderr);
  await waitFor(() => completed('TASK-S-001'), 'TASK-S-001 completed by the sim', 20_000);
  const tfile = join(w.dir, '.orch', 'run', 'sim', 'w2.jsonl');
  await waitFor(() => parseClaudeTranscript(readFileSync(tfile, 'utf8')), 'a transcript usage record');
  const first = parseClaudeTranscript(readFileSync(tfile, 'utf8'))!.used;
  assert.equal((await w.orch(['send', 'w2', 'second prompt'])).exitCode, 0);
  await waitFor(() => parseClaudeTranscript(readFileSync(tfile, 'utf8'))!.used === first + 10_000, 'context grew by --tokens-per-prompt');
  const lines = readFileSync(tfile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => l.type), ['user', 'assistant', 'user', 'assistant']);
  assert.equal(lines[1]!.parentUuid, lines[0]!.uuid);
  assert.equal(lines[2]!.parentUuid, lines[1]!.uuid);
  assert.equal(new Set(lines.map((l) => l.sessionId)).size, 1);
  const roll = parseCodexRollout(readFileSync(join(w.dir, '.orch', 'run', 'sim', 'w2.rollout.jsonl'), 'utf8'));
  assert.ok(roll && roll.window === 272_000 && roll.used > first);
  const session = JSON.parse(readFileSync(join(w.dir, '.orch', 'run', 'agents', 'w2.json'), 'utf8')) as { transcriptPath: string };
  assert.equal(session.transcriptPath, tfile, 'the usage probe finds the transcript');
});

test('--permission: the dialog waits for a key (pane reads waiting), then the sim reports', async () => {
  await claimed('TASK-S-002', 'w1');
  assert.equal((await w.orch(['send', 'w1', 'TASK_ID: TASK-S-002\nplease'])).exitCode, 0);
  const target = `=${w.session}:0`;
  await waitFor(async () => (await readPane(w.tmux, target, PROFILES.sim))?.state === 'waiting', 'the permission dialog');
  assert.equal(completed('TASK-S-002'), false, 'nothing ran before the answer');
  await w.tmux.sendKeys(target, ['1']);
  await waitFor(() => completed('TASK-S-002'), 'TASK-S-002 completed after approval', 20_000);
});

test('--crash-after 1: the process dies after its first prompt, the pane stays (dead)', async () => {
  assert.equal((await w.orch(['send', 'cr', 'hello'])).exitCode === 0 || true, true);
  await waitFor(async () => (await w.tmux.windowPane(w.session, 2))?.dead, 'cr pane dead');
  assert.equal(w.received('cr').length, 1);
  assert.ok(existsSync(join(w.dir, '.orch', 'run', 'sim', 'cr.received.jsonl')));
});

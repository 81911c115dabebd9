import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestHookEvent } from '../../src/adapters/hook-events.js';
import { orch, tempWorkspace } from '../helpers/index.js';

test('orch hook: Claude Code JSON on stdin, Codex notify JSON as argv; the transcript is remembered; no commit', async () => {
  const ws = await tempWorkspace();
  try {
    const head = (await orch(ws.dir, ['log', '--json'])).stdout;
    const claude = await orch(ws.dir, ['hook', 'Stop', '--agent', 'claude'], { input: JSON.stringify({ hook_event_name: 'Stop', session_id: 's-1', transcript_path: '/tmp/t.jsonl' }) });
    assert.equal(claude.exitCode, 0, claude.stderr);
    assert.equal(claude.stdout, '');
    const ev = await latestHookEvent(ws.dir, 'claude');
    assert.deepEqual([ev?.event, ev?.state, (ev?.payload as { session_id: string }).session_id], ['Stop', 'idle', 's-1']);
    const run = JSON.parse(readFileSync(join(ws.dir, '.orch/run/agents/claude.json'), 'utf8')) as Record<string, string>;
    assert.deepEqual([run.sessionId, run.transcriptPath], ['s-1', '/tmp/t.jsonl']);

    const thread = '0199a213-81c0-7800-8aa1-bbab2a035a53';
    const codex = await orch(ws.dir, ['hook', `{"type":"agent-turn-complete","thread-id":"${thread}","turn-id":"7"}`], { env: { ORCH_AGENT: 'codex' } });
    assert.equal(codex.exitCode, 0, codex.stderr);
    const cev = await latestHookEvent(ws.dir, 'codex');
    assert.deepEqual([cev?.event, cev?.state], ['agent-turn-complete', 'idle']);
    // Codex's thread id names its rollout file: remembered as the session, for the usage probe.
    assert.equal((JSON.parse(readFileSync(join(ws.dir, '.orch/run/agents/codex.json'), 'utf8')) as Record<string, string>).sessionId, thread);

    const perm = await orch(ws.dir, ['hook', 'Notification', '--agent', 'amp'], { input: '{"message":"Claude needs your permission to use Bash"}' });
    assert.equal(perm.exitCode, 0);
    assert.equal((await latestHookEvent(ws.dir, 'amp'))?.state, 'waiting');

    const noAgent = await orch(ws.dir, ['hook', 'Stop'], { input: '' });
    assert.equal(noAgent.exitCode, 1, 'never exit 2: Claude Code would block on it');
    assert.match(noAgent.stderr, /--agent <name> or \$ORCH_AGENT/);
    assert.equal((await orch(ws.dir, ['log', '--json'])).stdout, head, 'hooks never commit');
  } finally { ws.cleanup(); }
});

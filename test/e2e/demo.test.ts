/**
 * The headless demo is the integration test of everything: a palm-oil
 * workspace, four sim agents in a real tmux session, the daemon dispatching,
 * reminding and handing off, until every task is completed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

const DEMO = fileURLToPath(new URL('../../src/demo/demo.js', import.meta.url));

test('npm run demo -- --headless: every task completed, a reminder, a handoff, exit 0', { timeout: 240_000 }, async (t) => {
  const r = await execa(process.execPath, [DEMO, '--headless', '--strict', '--timeout', '180s', '--work-ms', '800'], { reject: false, timeout: 230_000, env: { NO_COLOR: '1' } });
  const out = String(r.stdout);
  t.diagnostic(out.split('\n').filter((l) => /summary|tasks completed|commits|reminders|handoffs|orchestrator now|alerts|result/.test(l)).join('\n'));
  assert.equal(r.exitCode, 0, `${out}\n${String(r.stderr)}`);
  assert.match(out, /tasks completed\s+(\d+)\/\1\b/);
  assert.match(out, /reminders\s+[1-9]/);
  assert.match(out, /handoffs\s+.*orch: handoff claude -> amp/);
  assert.match(out, /orchestrator now\s+amp/);
  assert.match(out, /attach:\s+tmux -L orch-demo-\d+ attach -t palm-oil-orchestration/);
});

/**
 * Handoff end to end: the real binary, a private tmux server, two sim agents
 * (claude orchestrator, amp backup). Usage comes from `orch usage --set`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorld, type World } from '../adapters/tmux-world.js';
import { gitOut, waitFor } from '../helpers/index.js';

let w: World;
const rec = (a: string) => readFileSync(join(w.dir, `status/${a}.md`), 'utf8');
const subjects = async () => (await gitOut(w.dir, ['log', '--format=%s'])).split('\n').filter(Boolean);

before(async () => {
  w = await makeWorld({
    claude: { window: 0, role: 'orchestrator', sim: ['--no-report'] },
    amp: { window: 1, sim: ['--no-report'] },
  });
  appendFileSync(join(w.dir, '.orch/config.yml'), 'backup_orchestrator: amp\nhandoff: { prepare_at: 90, execute_at: 98, file: handoff/claude_to_amp.md }\n');
  const s = await w.orch(['start', '--no-daemon', '--no-dispatch']);
  assert.equal(s.exitCode, 0, s.stderr + s.stdout);
});
after(async () => { await w?.cleanup(); });

test('at 90 % the monitor prepares: the file is committed and the orchestrator asked to complete it', async () => {
  assert.equal((await w.orch(['usage', 'claude', '--set', '91'])).exitCode, 0);
  const r = await w.orch(['monitor', '--once', '--json'], { timeout: 120_000 });
  assert.equal(r.exitCode, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as { handoff: { step: string; ok: boolean; phase: string } | null };
  assert.deepEqual(report.handoff && [report.handoff.step, report.handoff.ok, report.handoff.phase], ['prepare', true, 'prepared']);
  const doc = readFileSync(join(w.dir, 'handoff/claude_to_amp.md'), 'utf8');
  assert.match(doc, /<!-- orch:fill context/);
  assert.equal((await gitOut(w.dir, ['status', '--porcelain', '--', 'handoff'])).trim(), '', 'the handoff file is committed');
  assert.ok((await subjects()).includes('orch: handoff prepare claude -> amp'));
  assert.match(rec('claude'), /handoff: prepared/);
  await waitFor(() => w.received('claude').some((x) => x.text.includes('[HANDOFF - PREPARATION]')), 'claude asked to complete the file');
});

test('execute switches the role with the described commits; re-running does nothing new', async () => {
  // The orchestrator completes one section, as it was asked to.
  const file = join(w.dir, 'handoff/claude_to_amp.md');
  const doc = readFileSync(file, 'utf8').replace(/(<!-- orch:fill context[^\n]*-->\n)/, '$1The team builds the risk engine; TASK-1 is next.\n');
  (await import('node:fs')).writeFileSync(file, doc);
  assert.equal((await w.orch(['usage', 'claude', '--set', '98'])).exitCode, 0);
  const r = await w.orch(['handoff', '--execute', '--json'], { timeout: 120_000 });
  assert.equal(r.exitCode, 0, r.stderr + r.stdout);
  const out = JSON.parse(r.stdout) as { ok: boolean; from: string; to: string; commits: string[] };
  assert.deepEqual([out.ok, out.from, out.to], [true, 'claude', 'amp']);
  const subj = await subjects();
  assert.equal(subj[0], 'orch: handoff claude -> amp');
  assert.ok(subj.includes('orch: handoff file finalized claude -> amp'));
  const body = await gitOut(w.dir, ['log', '-1', '--format=%B']);
  assert.match(body, /Orch-Event: handoff/);
  assert.match(rec('amp'), /role: orchestrator/);
  assert.match(rec('claude'), /role: worker/);
  const final = readFileSync(file, 'utf8');
  assert.match(final, /The team builds the risk engine; TASK-1 is next\.\n+<!-- orch:end context -->/);
  assert.equal((final.match(/left empty by claude/g) ?? []).length, 2, 'the two sections left empty are noted');
  await waitFor(() => w.received('amp').some((x) => x.text.includes('HANDOFF ORCHESTRATEUR') && x.text.includes('handoff/claude_to_amp.md')), 'amp got the orchestrator prompt');
  await waitFor(() => w.received('claude').some((x) => x.text.includes('[HANDOFF TERMINE]')), 'claude told to stop orchestrating');
  const status = readFileSync(join(w.dir, 'ORCHESTRATION_STATUS.md'), 'utf8');
  assert.match(status, /Orchestrator: amp/);

  const head = (await gitOut(w.dir, ['rev-parse', 'HEAD'])).trim();
  const before = (await subjects()).length;
  const ampPrompts = w.received('amp').length;
  const again = await w.orch(['handoff', '--execute', '--json']);
  assert.equal(again.exitCode, 0, again.stderr);
  assert.equal((JSON.parse(again.stdout) as { noop: boolean }).noop, true);
  assert.equal((await gitOut(w.dir, ['rev-parse', 'HEAD'])).trim(), head, 'no new commit');
  const mon = await w.orch(['monitor', '--once', '--json'], { timeout: 120_000 });
  assert.equal((JSON.parse(mon.stdout) as { handoff: unknown }).handoff, null, 'the monitor starts no new handoff');
  const added = (await subjects()).slice(0, (await subjects()).length - before);
  assert.ok(!added.some((s) => /handoff/.test(s)), `no new handoff commit: ${added.join(' | ')}`);
  assert.equal(w.received('amp').length, ampPrompts, 'nothing sent to amp again');
});

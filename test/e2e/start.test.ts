/**
 * orch start / health / stop on a private tmux server with sim agents:
 * windows at their indexes, role prompts exactly once, the daemon, repair of
 * a killed window and of a crashed agent, a clean stop, and exit 3 without tmux.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORCH_BIN, gitOut, orch, tempWorkspace, waitFor } from '../helpers/index.js';
import { makeWorld, type World } from '../adapters/tmux-world.js';
import { processAlive } from '../../src/adapters/liveness.js';

let w: World;
interface Health { healthy: boolean; checks: { name: string; ok: boolean; detail: string }[] }

before(async () => {
  w = await makeWorld({
    boss: { window: 0, role: 'orchestrator', prompt: 'prompts/claude-orchestrator.md' },
    w1: { window: 1, prompt: 'prompts/amp-worker.md' },
    w3: { window: 3, profile: 'codex', sim: ['--mode', 'codex'], prompt: 'prompts/codex-worker.md' },
  }, { daemonWindow: 2 });
});
after(async () => {
  await w?.orch(['stop']).catch(() => undefined);
  await w?.cleanup();
});

const health = async (): Promise<{ code: number; h: Health }> => {
  const r = await w.orch(['health', '--json']);
  return { code: r.exitCode, h: JSON.parse(r.stdout) as Health };
};

test('orch start: one window per agent at its index, role prompts delivered once, the daemon running', async () => {
  const r = await w.orch(['start', '--json']);
  assert.equal(r.exitCode, 0, r.stderr + r.stdout);
  const out = JSON.parse(r.stdout) as { ok: boolean; agents: { agent: string; action: string; rolePrompt: string }[]; daemon: { action: string } };
  assert.deepEqual(out.agents.map((a) => [a.agent, a.action, a.rolePrompt]), [['boss', 'created', 'sent'], ['w1', 'created', 'sent'], ['w3', 'created', 'sent']]);
  assert.equal(out.daemon.action, 'started');
  const panes = await w.tmux.panes(w.session);
  assert.deepEqual(panes.map((p) => [p.windowIndex, p.windowName]).sort(), [[0, 'boss'], [1, 'w1'], [2, 'daemon'], [3, 'w3']]);
  for (const [agent, file] of [['boss', 'claude-orchestrator.md'], ['w1', 'amp-worker.md'], ['w3', 'codex-worker.md']] as const) {
    const got = w.received(agent);
    assert.equal(got.length, 1, `${agent} got its role prompt once`);
    const template = readFileSync(join(w.dir, 'prompts', file), 'utf8');
    assert.ok(!got[0]!.text.includes('{{agent}}'), 'placeholders filled');
    assert.ok(got[0]!.text.includes(agent), 'names the agent');
    assert.equal(got[0]!.text.split('\n').length, template.replace(/\s+$/, '').split('\n').length, 'the whole template');
  }
  const rec = readFileSync(join(w.dir, 'status', 'w1.md'), 'utf8');
  assert.match(rec, /state: idle/);
  assert.equal((await gitOut(w.dir, ['status', '--porcelain', 'status'])).trim(), '', 'agent records committed');
  const { code, h } = await health();
  assert.equal(code, 0, JSON.stringify(h.checks.filter((c) => !c.ok)));
  assert.equal(h.healthy, true);
  for (const name of ['git', 'workspace', 'tmux', 'tmux server', 'session', 'window boss', 'agent boss', 'window daemon', 'daemon', 'lint']) {
    assert.ok(h.checks.some((c) => c.name === name && c.ok), `check ${name}`);
  }
});

test('orch start again duplicates nothing: no second role prompt to a healthy agent', async () => {
  const r = await w.orch(['start', '--json', '--no-dispatch']);
  assert.equal(r.exitCode, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { agents: { action: string }[]; daemon: { action: string } };
  assert.deepEqual(out.agents.map((a) => a.action), ['kept', 'kept', 'kept']);
  assert.equal(out.daemon.action, 'kept');
  assert.equal((await w.tmux.panes(w.session)).length, 4);
  for (const a of ['boss', 'w1', 'w3']) assert.equal(w.received(a).length, 1, a);
});

test('an agent window killed: health exits 1 naming it; start repairs it and gives it its role prompt', async () => {
  await w.tmux.killWindow(`=${w.session}:1`);
  const { code, h } = await health();
  assert.equal(code, 1);
  assert.deepEqual(h.checks.filter((c) => !c.ok).map((c) => c.name), ['window w1', 'agent w1']);
  const text = await w.orch(['health']);
  assert.equal(text.exitCode, 1);
  assert.match(text.stdout, /unhealthy: window w1, agent w1/);
  const r = await w.orch(['start', '--json', '--no-dispatch']);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { agents: { action: string }[] }).agents.map((a) => a.action), ['kept', 'created', 'kept']);
  assert.equal((await health()).code, 0);
  assert.equal(w.received('w1').length, 2, 'the new w1 process got the role prompt');
  assert.equal(w.received('boss').length, 1);
});

test('an agent process that crashed stays visible as a dead pane; start restarts it in place', async () => {
  const before = w.received('w3').length;
  // The sim exits on Ctrl-C twice; remain-on-exit keeps the pane.
  await w.tmux.sendKeys(`=${w.session}:3`, ['C-c']);
  await w.tmux.sendKeys(`=${w.session}:3`, ['C-c']);
  await waitFor(async () => (await w.tmux.windowPane(w.session, 3))?.dead, 'w3 pane dead');
  const { code, h } = await health();
  assert.equal(code, 1);
  assert.match(h.checks.find((c) => c.name === 'agent w3')!.detail, /process exited/);
  const r = await w.orch(['start', '--json', '--no-dispatch']);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { agents: { action: string }[] }).agents[2]!.action, 'restarted');
  assert.equal(w.received('w3').length, before + 1);
  assert.equal((await health()).code, 0);
});

test('orch stop: daemon first, then the session; records stopped and committed', async () => {
  const pid = Number(/\d+/.exec(readFileSync(join(w.dir, '.orch', 'run', 'daemon.pid'), 'utf8'))![0]);
  const r = await w.orch(['stop']);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /stopped cleanly/);
  assert.equal(await w.tmux.hasSession(w.session), false);
  assert.equal(processAlive(pid), false, 'daemon gone (a zombie not yet reaped by tmux counts as gone)');
  for (const a of ['boss', 'w1', 'w3']) assert.match(readFileSync(join(w.dir, 'status', `${a}.md`), 'utf8'), /state: stopped/);
  assert.equal((await gitOut(w.dir, ['status', '--porcelain', 'status'])).trim(), '');
  const { code, h } = await health();
  assert.equal(code, 1);
  assert.ok(h.checks.some((c) => c.name === 'session' && !c.ok));
});

test('without tmux: exit 3 and what to install', async () => {
  const ws = await tempWorkspace();
  try {
    for (const cmd of [['start'], ['send', 'claude', 'hi'], ['stop']]) {
      const r = await orch(ws.dir, cmd, { env: { PATH: '/nonexistent' } });
      assert.equal(r.exitCode, 3, `${cmd[0]}: ${r.stderr}`);
      assert.match(r.stderr, /^orch: tmux not found\n.*install tmux/m);
    }
  } finally { ws.cleanup(); }
  assert.ok(existsSync(ORCH_BIN));
});

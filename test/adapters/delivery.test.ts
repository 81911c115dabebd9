/**
 * Verified delivery (SPEC §9) end to end: the real `orch send` into sim
 * agents on a private tmux server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sanitize } from '../../src/adapters/sanitize.js';
import { waitFor } from '../helpers/index.js';
import { makeWorld, type World } from './tmux-world.js';

let w: World;

before(async () => {
  w = await makeWorld({
    a1: { window: 0 },
    cx: { window: 1, profile: 'codex', sim: ['--mode', 'codex'] },
    cxfast: { window: 2, profile: 'codex', sim: ['--mode', 'codex', '--enter-window-ms', '1000'], extra: { settle_ms: 0 } },
    deaf: { window: 3, sim: ['--mode', 'deaf'] },
    dr: { window: 4 },
  });
  const r = await w.orch(['start', '--no-daemon', '--no-dispatch']);
  assert.equal(r.exitCode, 0, r.stderr + r.stdout);
});
after(async () => { await w?.cleanup(); });

function big(marker: string, bytes = 50 * 1024): string {
  const lines = [`${marker} START`];
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    const l = `line ${String(i).padStart(4, '0')}: the quick brown fox jumps over the lazy dog — ${marker} ✓`;
    lines.push(l);
    size += Buffer.byteLength(l) + 1;
  }
  lines.push(`${marker} END`);
  return lines.join('\n');
}

test('a 50 KB prompt arrives whole, once', async () => {
  const text = big('BIG1');
  writeFileSync(join(w.dir, 'big.md'), text);
  const r = await w.orch(['send', 'a1', '--file', 'big.md', '--json']);
  assert.equal(r.exitCode, 0, r.stderr);
  const res = JSON.parse(r.stdout) as { ok: boolean; attempts: number; verifiedBy: string };
  assert.equal(res.ok, true);
  const got = await waitFor(() => w.received('a1').filter((x) => x.text.includes('BIG1 START')), 'the big prompt in the received log');
  assert.equal(got.length, 1);
  assert.equal(got[0]!.text, text);
  assert.ok(Buffer.byteLength(text) >= 50 * 1024);
});

test('control characters never reach the agent: one clean paste, one submit', async () => {
  const raw = `CTRL1 begin\u001b[201~\u0003 after fake paste end\u0007 bell\ttab\r\nsecond\rthird \u001b[31mred\u001b[0m\u007f\u009b1;2H c1 \u0085 CTRL1-tail`;
  const before = w.received('a1').length;
  const r = await w.orch(['send', 'a1', raw]);
  assert.equal(r.exitCode, 0, r.stderr);
  await waitFor(() => w.received('a1').length > before, 'the prompt');
  const got = w.received('a1').slice(before);
  assert.equal(got.length, 1, 'exactly one submission');
  assert.equal(got[0]!.text, sanitize(raw));
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(got[0]!.text));
  assert.match(got[0]!.text, /\[201~/, 'the printable rest of the fake end marker stays as text');
  assert.match(got[0]!.text, /tab\nsecond\nthird/);
});

test('codex-like composer (Enter within 120 ms of a paste is a newline): the profile settle delay submits at once', async () => {
  const r = await w.orch(['send', 'cx', '--json', 'CODEX1 hello\nsecond line']);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { attempts: number }).attempts, 1);
  const got = await waitFor(() => w.received('cx').filter((x) => x.text.startsWith('CODEX1')), 'codex prompt');
  assert.deepEqual(got.map((x) => x.text), ['CODEX1 hello\nsecond line']);
});

test('codex-like composer that swallows the first Enter (settle 0, 1 s window): the composer is not cleared, the Enter is resent', async () => {
  const r = await w.orch(['send', 'cxfast', '--json', 'CODEX2 fast']);
  assert.equal(r.exitCode, 0, r.stderr);
  const res = JSON.parse(r.stdout) as { attempts: number };
  assert.ok(res.attempts >= 2, `resubmitted (attempts ${res.attempts})`);
  const got = await waitFor(() => w.received('cxfast').filter((x) => x.text.startsWith('CODEX2')), 'codex prompt');
  assert.deepEqual(got.map((x) => x.text), ['CODEX2 fast'], 'submitted once, text intact');
});

test('an agent that never takes the prompt: exit 1, a clear message, an alert — no false success', async () => {
  const r = await w.orch(['send', 'deaf', 'DEAF1 are you there', '--timeout', '20s']);
  assert.equal(r.exitCode, 1, r.stdout);
  assert.match(r.stderr, /orch: message not delivered to deaf: .*did not take the message after 4 submits/);
  const mon = readFileSync(join(w.dir, '.orch', 'logs', 'monitor.log'), 'utf8');
  assert.match(mon, /ALERT delivery to deaf failed/);
  assert.equal(w.received('deaf').length, 0);
});

test('two concurrent sends to one pane never interleave: both arrive, each whole', async () => {
  const before = w.received('a1').length;
  const t1 = big('CONC-A', 20 * 1024);
  const t2 = big('CONC-B', 20 * 1024);
  writeFileSync(join(w.dir, 'c1.md'), t1);
  writeFileSync(join(w.dir, 'c2.md'), t2);
  const [r1, r2] = await Promise.all([w.orch(['send', 'a1', '--file', 'c1.md']), w.orch(['send', 'a1', '--file', 'c2.md'])]);
  assert.equal(r1.exitCode, 0, r1.stderr);
  assert.equal(r2.exitCode, 0, r2.stderr);
  const got = await waitFor(() => { const g = w.received('a1').slice(before); return g.length >= 2 ? g : null; }, 'both prompts');
  assert.equal(got.length, 2);
  assert.deepEqual(got.map((x) => x.text).sort(), [t1, t2].sort());
});

test("a human's draft is not pasted over: the message is queued, then delivered once the box is clear", async () => {
  await waitFor(async () => /❯ /.test(await w.tmux.capture(`=${w.session}:4`)), 'dr ready');
  await w.tmux.sendKeys(`=${w.session}:4`, ['-l', 'half-typed human thought']);
  await waitFor(async () => (await w.tmux.capture(`=${w.session}:4`)).includes('❯ half-typed human thought'), 'the draft on screen');
  const r = await w.orch(['send', 'dr', 'QUEUED1 from orch']);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /unsent draft .*queued/);
  assert.match(readFileSync(join(w.dir, '.orch', 'logs', 'monitor.log'), 'utf8'), /ALERT dr's input box holds an unsent draft/);
  assert.ok((await w.tmux.capture(`=${w.session}:4`)).includes('❯ half-typed human thought'), 'draft untouched');
  assert.equal(w.received('dr').length, 0);
  // The human clears the draft; the monitor pass (the daemon's tick) delivers the queue.
  await w.tmux.sendKeys(`=${w.session}:4`, ['C-u']);
  const f = await w.orch(['monitor', '--once']);
  assert.equal(f.exitCode, 0, f.stderr + f.stdout);
  const got = await waitFor(() => (w.received('dr').length ? w.received('dr') : null), 'the queued message');
  assert.deepEqual(got.map((x) => x.text), ['QUEUED1 from orch']);
});

test('copy mode is left before pasting', async () => {
  const before = w.received('a1').length;
  await w.tmux.run(['copy-mode', '-t', `=${w.session}:0`]);
  const r = await w.orch(['send', 'a1', 'COPY1 after copy mode']);
  assert.equal(r.exitCode, 0, r.stderr);
  const got = await waitFor(() => { const g = w.received('a1').slice(before); return g.length ? g : null; }, 'prompt');
  assert.deepEqual(got.map((x) => x.text), ['COPY1 after copy mode']);
});

/**
 * The conformance checks, the same for every CLI. Each check names what it
 * proved; the spec reporter prints them under "<CLI> <version>".
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { deliver, sanitize, waitIdle } from './deliver.js';
import { isolationProblem } from './isolation.js';
import { screenState } from './profiles.js';
import { installedVersion, VENDORS, type VendorId } from './vendors.js';
import { waitFor } from './wait.js';
import { makeWorld, type World } from './world.js';

const tag = (p: string): string => `${p}-${randomBytes(4).toString('hex').toUpperCase()}`;

function rolePrompt(marker: string): string {
  const lines = [`${marker}: you are a worker agent of orch.`];
  for (let i = 1; i <= 30; i++) lines.push(`Rule ${i}: keep the task file in sync; report with orch done <id> when finished.`);
  return lines.join('\n');
}

function bigPrompt(marker: string, bytes = 50 * 1024): string {
  const lines = [`${marker} START`];
  let size = lines[0]!.length;
  for (let i = 1; size < bytes; i++) {
    const l = `line ${String(i).padStart(4, '0')}: the quick brown fox jumps over the lazy dog, ${marker}`;
    lines.push(l);
    size += l.length + 1;
  }
  lines.push(`${marker} END`);
  return lines.join('\n');
}

/** The tail of the newest request of a key: shows a tool result when a scripted command failed. */
function lastInput(script: World['standin']['script'], key: string): string {
  const r = [...script.requests].reverse().find((x) => x.apiKey === key && x.main);
  const b = (r?.body ?? {}) as { messages?: unknown[]; input?: unknown[]; contents?: unknown[] };
  const list = b.messages ?? b.input ?? b.contents ?? [];
  return JSON.stringify(list.slice(-2)).slice(-3000);
}

async function screenOf(w: World, i: 0 | 1): Promise<string> {
  return w.tmux.capture(w.agents[i].pane);
}

export function conformance(id: VendorId): void {
  const vendor = VENDORS[id];
  const version = installedVersion(vendor);
  const selected = (process.env['ORCH_VENDORS'] ?? id).split(',').includes(id);
  const skip = !selected ? 'not selected' : !version ? `${vendor.pkg} is not installed in .vendors/${id}` : isolationProblem();
  test(`${vendor.name} ${version ?? vendor.version}`, { skip: skip ?? false }, async (t: TestContext) => {
    const w = await makeWorld(id);
    const { standin, profile, tmux } = w;
    const script = standin.script;
    const [a1, a2] = w.agents;
    t.after(() => w.close());

    await t.test('orch start: both agents reach ready; the role prompt is submitted exactly once', async () => {
      for (const a of w.agents) {
        const marker = tag('ROLE');
        await waitIdle(tmux, a.pane, profile, 90_000);
        await deliver(tmux, a.pane, profile, script, a.key, rolePrompt(marker), marker);
        await waitIdle(tmux, a.pane, profile);
        const hits = script.carrying(marker, a.key);
        assert.equal(hits.length, 1, `requests carrying ${marker}`);
        assert.ok(hits[0]!.userText.includes(rolePrompt(marker)), 'the whole role prompt, unchanged');
      }
    });

    await t.test('orch send: a 50 KB prompt is submitted exactly once, whole', async () => {
      const marker = tag('BIG');
      const text = bigPrompt(marker);
      const d = await deliver(tmux, a1.pane, profile, script, a1.key, text, marker);
      await waitIdle(tmux, a1.pane, profile);
      const hits = script.carrying(`${marker} START`, a1.key);
      assert.equal(hits.length, 1);
      assert.ok(hits[0]!.userText.includes(text), `whole text (${text.length} bytes) in one request`);
      t.diagnostic(`50 KB prompt: submitted after ${d.attempts} submit(s), request ${hits[0]!.bytes} bytes`);
    });

    await t.test('orch send: control characters are stripped, the prompt arrives once and clean', async () => {
      const marker = tag('CTRL');
      const raw = `${marker} begin\u001b[201~\u0003 after fake paste end\u0007 bell\ttab\r\nsecond line \u001b[31mred\u001b[0m\u007f ${marker}-tail`;
      const clean = sanitize(raw);
      assert.ok(!/[\u001b\u0003\u0007\u007f\r]/.test(clean));
      const expected = clean.replace(/\t/g, profile.pastedTab);
      await deliver(tmux, a1.pane, profile, script, a1.key, raw, `${marker}-tail`);
      await waitIdle(tmux, a1.pane, profile);
      const hits = script.carrying(`${marker}-tail`, a1.key);
      assert.equal(hits.length, 1);
      assert.ok(hits[0]!.userText.includes(expected), `clean text arrived: ${JSON.stringify(hits[0]!.userText.slice(-200))}`);
      assert.equal(await tmux.paneDead(a1.pane), false, 'the agent is still alive');
    });

    await t.test('busy, idle and waiting are told apart on the real screen', async () => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => { release = r; });
      script.enqueue(a1.key, { kind: 'hold', release: held, then: { kind: 'text', text: 'Finished the slow part.' } });
      const busyMarker = tag('BUSY');
      await deliver(tmux, a1.pane, profile, script, a1.key, `${busyMarker} take your time`, busyMarker);
      const busy = await waitFor(async () => {
        const s = await screenOf(w, 0);
        return screenState(s, profile) === 'busy' ? s : undefined;
      }, { timeout: 15_000, message: 'busy screen' });
      t.diagnostic(`busy screen:\n${busy}`);
      release();
      const idle = await waitIdle(tmux, a1.pane, profile);
      assert.equal(screenState(idle, profile), 'idle');
      const marker = path.join(w.ws, `approved-${randomBytes(3).toString('hex')}`);
      script.enqueue(a1.key, { kind: 'shell', command: `touch ${marker}`, escalate: true }, { kind: 'text', text: 'Touched it.' });
      const waitMarker = tag('WAIT');
      await deliver(tmux, a1.pane, profile, script, a1.key, `${waitMarker} please touch the marker file`, waitMarker);
      let last = '';
      const waiting = await waitFor(async () => {
        last = await screenOf(w, 0);
        return screenState(last, profile) === 'waiting' ? last : undefined;
      }, { timeout: 30_000, message: () => `waiting (permission) screen; last:\n${last}` });
      t.diagnostic(`waiting screen:\n${waiting}`);
      assert.equal(existsSync(marker), false, 'nothing ran before the human answered');
      await tmux.keys(a1.pane, ...profile.approve);
      await waitFor(() => existsSync(marker), { timeout: 30_000, message: 'the approved command to run' });
      await waitIdle(tmux, a1.pane, profile);
    });

    await t.test('a task sent to the real agent is completed by the agent itself running orch done', async () => {
      const created = await w.orch('new', 'Vendor conformance task', '--id', 'TASK-V-001', '--agent', 'a2');
      assert.equal(created.exitCode, 0, created.stderr);
      const claimed = await w.orch('claim', 'TASK-V-001', '--agent', 'a2');
      assert.equal(claimed.exitCode, 0, claimed.stderr);
      script.enqueue(a2.key, { kind: 'shell', command: `${w.orchCommand} done TASK-V-001` }, { kind: 'text', text: 'Reported TASK-V-001 done.' });
      const marker = tag('TASK');
      await deliver(tmux, a2.pane, profile, script, a2.key, `${marker} Work on TASK-V-001, then run: orch done TASK-V-001`, marker);
      let screen = '';
      await waitFor(async () => {
        screen = await screenOf(w, 1);
        return existsSync(path.join(w.ws, 'tasks', 'completed', 'TASK-V-001-vendor-conformance-task.md'));
      }, {
        timeout: 60_000,
        message: () => `TASK-V-001 in tasks/completed; last request:\n${lastInput(script, a2.key)}\nscreen:\n${screen}`,
      });
      const log = await w.orch('log', 'TASK-V-001');
      t.diagnostic(`orch log TASK-V-001:\n${log.stdout}`);
      await waitIdle(tmux, a2.pane, profile);
    });

    await t.test('orch usage reads the real files of two agents of one vendor in one workspace', async () => {
      const r = await w.orch('usage', '--json');
      assert.equal(r.exitCode, 0, r.stderr);
      const rows = JSON.parse(r.stdout) as { agent: string; used: number | null; pct: number | null; source?: string }[];
      for (const [i, a] of w.agents.entries()) {
        const row = rows.find((x) => x.agent === a.name);
        assert.ok(row && row.pct !== null, `a reading for ${a.name}: ${JSON.stringify(row)}`);
        assert.equal(row.used, profile.used(profile.usage[i]!), `${a.name} used (from ${row.source})`);
        t.diagnostic(`${a.name}: ${row.used} tokens = ${row.pct}% of usable, from ${row.source}`);
      }
      assert.notEqual(rows.find((x) => x.agent === 'a1')?.source, rows.find((x) => x.agent === 'a2')?.source);
    });
  });
}

/**
 * The conformance checks, the same for every CLI, all through orch itself:
 * `orch start` launches the real CLIs and gives them their role prompts,
 * `orch send` delivers, orch's pane-state adapter tells busy/idle/waiting
 * apart, `orch dispatch` hands over a task, `orch usage` reads the files.
 * Each check names what it proved; the spec reporter prints them under
 * "<CLI> <version>", and the runner prints one summary line per check.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sanitize } from '../../../src/adapters/sanitize.js';
import type { PaneRead } from '../../../src/adapters/pane-state.js';
import { isolationProblem } from './isolation.js';
import { installedVersion, VENDORS, type VendorId } from './vendors.js';
import { waitFor } from './wait.js';
import { beforeLaunch, makeWorld, type World } from './world.js';

/**
 * Checks that fail because of the vendor CLI itself (never because of orch),
 * each with the evidence in docs/vendors.md: the check still runs, and
 * node:test reports it as `# TODO KNOWN-FAIL <reason>` without failing the
 * run. Key: `<vendor>/<check number 1-6>`. Empty: every check passes.
 */
const KNOWN_FAILS: Partial<Record<`${VendorId}/${1 | 2 | 3 | 4 | 5 | 6}`, string>> = {};

const tag = (p: string): string => `${p}-${randomBytes(4).toString('hex').toUpperCase()}`;

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

/** The tail of the newest main request of a key: shows a tool result when a scripted command failed. */
function lastInput(w: World, key: string): string {
  const r = [...w.standin.script.requests].reverse().find((x) => x.apiKey === key && x.main);
  const b = (r?.body ?? {}) as { messages?: unknown[]; input?: unknown[]; contents?: unknown[] };
  const list = b.messages ?? b.input ?? b.contents ?? [];
  return JSON.stringify(list.slice(-3)).slice(-3000);
}

/** Every main request of a key, one line each (what the stand-in took as the prompt). */
function requestLog(w: World, key: string): string {
  return w.standin.script.requests
    .filter((r) => r.apiKey === key)
    .map((r) => `#${r.seq} ${r.main ? 'main' : 'side'} ${r.bytes} B prompt=${JSON.stringify(r.userText.slice(0, 80))}`)
    .join('\n');
}

/** Poll orch's reading of the pane until `ok` holds; the last reading goes into the timeout message. */
async function paneUntil(w: World, agent: string, what: string, ok: (r: PaneRead) => boolean, timeout = 60_000): Promise<PaneRead> {
  let last: PaneRead | undefined;
  return waitFor(async () => {
    last = await w.pane(agent);
    return ok(last) ? last : undefined;
  }, { timeout, interval: 100, message: () => `${agent}: ${what}; orch reads "${last?.state}", screen:\n${last?.screen ?? ''}` });
}

/** Idle as orch sees it, and still idle a moment later (an answer can redraw the screen). */
async function settledIdle(w: World, agent: string, timeout = 60_000): Promise<PaneRead> {
  let since = 0;
  return paneUntil(w, agent, 'idle', (r) => {
    if (r.state !== 'idle') { since = 0; return false; }
    if (!since) since = Date.now();
    return Date.now() - since >= 800;
  }, timeout);
}

/**
 * A waiting screen whose dialog has stopped changing (drawn and focused), so
 * the approval key is not lost. Only the dialog counts — from the first line a
 * waiting pattern matches, down — since a spinner or timer above it (Claude
 * Code keeps animating while it asks) never stops.
 */
async function stableDialog(w: World, agent: string, timeout: number): Promise<PaneRead> {
  const patterns = w.profile(agent).waiting_patterns.map((p) => new RegExp(p));
  const dialog = (screen: string): string => {
    const lines = screen.split('\n');
    const i = lines.findIndex((l) => patterns.some((p) => p.test(l)));
    return lines.slice(Math.max(0, i)).join('\n');
  };
  let prev = '';
  let since = 0;
  return paneUntil(w, agent, 'a stable permission dialog', (r) => {
    if (r.state !== 'waiting') { prev = ''; since = 0; return false; }
    const d = dialog(r.screen);
    if (d !== prev) { prev = d; since = Date.now(); return false; }
    return Date.now() - since >= 700;
  }, timeout);
}

function parseJson<T>(r: { stdout: string; stderr: string }, what: string): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`${what}: not JSON: ${r.stdout.slice(0, 500)}\n${r.stderr.slice(0, 2000)}`);
  }
}

export function conformance(id: VendorId): void {
  const vendor = VENDORS[id];
  const version = installedVersion(vendor);
  const selected = (process.env['ORCH_VENDORS'] ?? id).split(',').includes(id);
  const skip = !selected ? 'not selected' : !version ? `${vendor.pkg} is not installed in .vendors/${id}` : isolationProblem();
  test(`${vendor.name} ${version ?? vendor.version}`, { skip: skip ?? false }, async (t: TestContext) => {
    const w = await makeWorld(id);
    const { standin, facts } = w;
    const script = standin.script;
    const [a1, a2] = w.agents;
    t.after(() => w.close());
    const known = (n: 1 | 2 | 3 | 4 | 5 | 6): { todo?: string } => {
      const why = KNOWN_FAILS[`${id}/${n}`];
      return why ? { todo: `KNOWN-FAIL ${why}` } : {};
    };

    await t.test('orch start: both agents reach ready; each role prompt is submitted exactly once', known(1), async () => {
      beforeLaunch();
      const r = await w.orch('start', '--json', '--no-daemon', '--no-dispatch', '--timeout', '120s');
      const out = parseJson<{ ok: boolean; agents: { agent: string; ok: boolean; rolePrompt: string; error?: string }[] }>(r, 'orch start --json');
      assert.equal(r.exitCode, 0, `orch start: ${JSON.stringify(out.agents)}\n${r.stderr}`);
      for (const a of w.agents) {
        const row = out.agents.find((x) => x.agent === a.name);
        assert.equal(row?.rolePrompt, 'sent', `${a.name}: ${JSON.stringify(row)}`);
        await waitFor(() => script.carrying(a.roleMarker, a.key).length > 0, {
          timeout: 30_000, message: () => `a request carrying ${a.roleMarker}; requests:\n${requestLog(w, a.key)}`,
        });
        await settledIdle(w, a.name);
        const hits = script.carrying(a.roleMarker, a.key);
        assert.equal(hits.length, 1, `requests carrying ${a.roleMarker}:\n${requestLog(w, a.key)}`);
        assert.ok(hits[0]!.userText.includes(a.rolePrompt), 'the whole role prompt, unchanged');
      }
      // Running it again repairs nothing and sends nothing: both agents are healthy and have their prompt.
      const again = await w.orch('start', '--json', '--no-daemon', '--no-dispatch');
      const out2 = parseJson<{ agents: { agent: string; action: string; rolePrompt: string }[] }>(again, 'orch start --json (again)');
      assert.equal(again.exitCode, 0, again.stderr);
      for (const row of out2.agents) assert.deepEqual([row.action, row.rolePrompt], ['kept', 'already'], JSON.stringify(row));
      for (const a of w.agents) assert.equal(script.carrying(a.roleMarker, a.key).length, 1, `${a.name}: still one role prompt`);
    });

    await t.test('orch send: a 50 KB prompt is submitted exactly once, whole', known(2), async () => {
      const marker = tag('BIG');
      const text = bigPrompt(marker);
      const file = path.join(w.root, 'big.txt');
      writeFileSync(file, text);
      const r = await w.orch('send', a1.name, '--file', file, '--json', '--timeout', '120s');
      assert.equal(r.exitCode, 0, `orch send: ${r.stdout}\n${r.stderr}`);
      const sent = parseJson<{ attempts: number; verifiedBy: string }>(r, 'orch send --json');
      await waitFor(() => script.carrying(`${marker} START`, a1.key).length > 0, { timeout: 30_000, message: 'the 50 KB request' });
      await settledIdle(w, a1.name);
      const hits = script.carrying(`${marker} START`, a1.key);
      assert.equal(hits.length, 1, requestLog(w, a1.key));
      assert.ok(hits[0]!.userText.includes(text), `whole text (${text.length} bytes) in one request`);
      t.diagnostic(`50 KB prompt: ${sent.attempts} submit(s), verified by ${sent.verifiedBy}; request ${hits[0]!.bytes} bytes`);
    });

    await t.test('orch send: control characters are stripped, the prompt arrives once and clean', known(3), async () => {
      const marker = tag('CTRL');
      const raw = `${marker} begin\u001b[201~\u0003 after fake paste end\u0007 bell\ttab\r\nsecond line \u001b[31mred\u001b[0m\u007f ${marker}-tail`;
      const clean = sanitize(raw);
      assert.ok(!/[\u001b\u0003\u0007\u007f\r]/.test(clean));
      const expected = clean.replace(/\t/g, facts.pastedTab);
      const file = path.join(w.root, 'ctrl.txt');
      writeFileSync(file, raw);
      const r = await w.orch('send', a1.name, '--file', file, '--json', '--timeout', '60s');
      assert.equal(r.exitCode, 0, `orch send: ${r.stdout}\n${r.stderr}`);
      await waitFor(() => script.carrying(`${marker}-tail`, a1.key).length > 0, { timeout: 30_000, message: 'the control-character request' });
      await settledIdle(w, a1.name);
      const hits = script.carrying(`${marker}-tail`, a1.key);
      assert.equal(hits.length, 1, requestLog(w, a1.key));
      assert.ok(hits[0]!.userText.includes(expected), `clean text arrived: ${JSON.stringify(hits[0]!.userText.slice(-200))}`);
      assert.notEqual((await w.pane(a1.name)).state, 'dead', 'the agent is still alive');
    });

    await t.test('busy, idle and waiting (a permission dialog) are told apart by orch on the real screen', known(4), async () => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => { release = r; });
      script.enqueue(a1.key, { kind: 'hold', release: held, then: { kind: 'text', text: 'Finished the slow part.' } });
      const busyMarker = tag('BUSY');
      const t0 = Date.now();
      const steps: string[] = [];
      const step = (what: string): void => { steps.push(`${what} +${((Date.now() - t0) / 1000).toFixed(1)} s`); };
      const s1 = await w.orch('send', a1.name, `${busyMarker} take your time`, '--json');
      step('sent (held reply)');
      assert.equal(s1.exitCode, 0, `orch send: ${s1.stdout}\n${s1.stderr}`);
      const busy = await paneUntil(w, a1.name, 'busy', (r) => r.state === 'busy', 15_000);
      step('busy');
      t.diagnostic(`busy screen (tail):\n${busy.screen.split('\n').filter((l) => l.trim()).slice(-6).join('\n')}`);
      release();
      await settledIdle(w, a1.name);
      step('idle');
      const file = path.join(w.ws, `approved-${randomBytes(3).toString('hex')}`);
      script.enqueue(a1.key, { kind: 'shell', command: `touch ${file}`, escalate: true }, { kind: 'text', text: 'Touched it.' });
      const waitMarker = tag('WAIT');
      const s2 = await w.orch('send', a1.name, `${waitMarker} please touch the marker file`, '--json');
      assert.equal(s2.exitCode, 0, `orch send: ${s2.stdout}\n${s2.stderr}`);
      step('sent (shell call)');
      const waiting = await stableDialog(w, a1.name, 30_000);
      step('waiting, stable');
      t.diagnostic(`waiting screen (tail):\n${waiting.screen.split('\n').filter((l) => l.trim()).slice(-10).join('\n')}`);
      assert.equal(existsSync(file), false, 'nothing ran before the human answered');
      await w.tmux.keys(waiting.info.paneId, ...facts.approve);
      let last: PaneRead | undefined;
      await waitFor(async () => {
        if (existsSync(file)) return true;
        last = await w.pane(a1.name);
        return false;
      }, { timeout: 30_000, message: () => `the approved command to run; orch reads "${last?.state}", screen:\n${last?.screen}` });
      step('approved command ran');
      await settledIdle(w, a1.name);
      step('idle');
      t.diagnostic(`timeline: ${steps.join(', ')}`);
    });

    await t.test('a task dispatched to the real agent is completed by the agent itself running orch done', known(5), async () => {
      const id = 'TASK-V-001';
      const created = await w.orch('new', 'Vendor conformance task', '--id', id, '--agent', a2.name);
      assert.equal(created.exitCode, 0, created.stderr);
      script.enqueue(a2.key, { kind: 'shell', command: `${w.orchCommand} done ${id} --note "done by the conformance suite"` }, { kind: 'text', text: `Reported ${id} done.` });
      const d = await w.orch('dispatch', '--agent', a2.name, '--task', id, '--json');
      assert.equal(d.exitCode, 0, `orch dispatch: ${d.stdout}\n${d.stderr}`);
      let last: PaneRead | undefined;
      await waitFor(async () => {
        last = await w.pane(a2.name);
        return existsSync(path.join(w.ws, 'tasks', 'completed', `${id}-vendor-conformance-task.md`));
      }, {
        timeout: 60_000,
        message: () => `${id} in tasks/completed; requests:\n${requestLog(w, a2.key)}\nlast request:\n${lastInput(w, a2.key)}\nscreen:\n${last?.screen}`,
      });
      const hits = script.carrying(`TASK_ID: ${id}`, a2.key);
      assert.equal(hits.length, 1, `one request carried the task prompt:\n${requestLog(w, a2.key)}`);
      const log = await w.orch('log', id);
      t.diagnostic(`orch log ${id}:\n${log.stdout}`);
      await settledIdle(w, a2.name);
    });

    await t.test('orch usage reads the real files of two agents of one vendor in one workspace', known(6), async () => {
      const r = await w.orch('usage', '--json');
      assert.equal(r.exitCode, 0, r.stderr);
      const rows = parseJson<{ agent: string; used: number | null; pct: number | null; source?: string }[]>(r, 'orch usage --json');
      for (const [i, a] of w.agents.entries()) {
        const row = rows.find((x) => x.agent === a.name);
        assert.ok(row && row.pct !== null, `a reading for ${a.name}: ${JSON.stringify(row)}`);
        assert.equal(row.used, facts.used(facts.usage[i]!), `${a.name} used (from ${row.source})`);
        t.diagnostic(`${a.name}: ${row.used} tokens = ${row.pct}% of usable, from ${row.source}`);
      }
      assert.notEqual(rows.find((x) => x.agent === 'a1')?.source, rows.find((x) => x.agent === 'a2')?.source);
    });
  });
}

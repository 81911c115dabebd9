import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readUsage, writeManualUsage } from '../../src/adapters/usage/index.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../test/fixtures/usage/${name}`, import.meta.url)), 'utf8');

function setup(): { root: string; home: string; done: () => void } {
  const base = mkdtempSync(path.join(tmpdir(), 'orch-usage-'));
  const root = path.join(base, 'ws');
  const home = path.join(base, 'home');
  mkdirSync(path.join(root, '.orch', 'run', 'agents'), { recursive: true });
  mkdirSync(home, { recursive: true });
  return { root, home, done: () => rmSync(base, { recursive: true, force: true }) };
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const session = (root: string, agent: string, rec: object): void =>
  write(path.join(root, '.orch', 'run', 'agents', `${agent}.json`), JSON.stringify(rec));

const claudeLine = (input: number, read: number): string =>
  JSON.stringify({ type: 'assistant', isSidechain: false, message: { model: 'm', usage: { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: read, output_tokens: 5 } } }) + '\n';

test('claude-code: two agents in one project folder are told apart by their session ids', async () => {
  const { root, home, done } = setup();
  try {
    const dir = path.join(home, '.claude', 'projects', root.replace(/[^a-zA-Z0-9]/g, '-'));
    write(path.join(dir, 'aaaa.jsonl'), claudeLine(1000, 99_000));
    write(path.join(dir, 'bbbb.jsonl'), claudeLine(500, 16_200));
    session(root, 'one', { sessionId: 'aaaa' });
    session(root, 'two', { sessionId: 'bbbb' });
    const cfg = { profile: 'claude' as const, env: { HOME: home } };
    const one = await readUsage(root, 'one', cfg);
    const two = await readUsage(root, 'two', cfg);
    assert.deepEqual(
      { used: one?.used, usable: one?.usable, pct: one?.pct, probe: one?.probe },
      { used: 100_000, usable: 167_000, pct: 59.9, probe: 'claude-code' },
    );
    assert.equal(two?.used, 16_700);
    assert.equal(two?.pct, 10);
    assert.equal(two?.source, path.join(dir, 'bbbb.jsonl'));
  } finally {
    done();
  }
});

test('claude-code: configured window and usable override the defaults; no transcript falls back to the usage file', async () => {
  const { root, home, done } = setup();
  try {
    const dir = path.join(home, '.claude', 'projects', 'x');
    write(path.join(dir, 'cccc.jsonl'), claudeLine(0, 90_000));
    session(root, 'c', { sessionId: 'cccc' });
    const r = await readUsage(root, 'c', { profile: 'claude', usage: { window: 1_000_000, usable: '10%' } }, { home });
    assert.equal(r?.usable, 100_000);
    assert.equal(r?.pct, 90);
    assert.equal(await readUsage(root, 'nobody', { profile: 'claude' }, { home }), null);
    write(path.join(root, '.orch', 'run', 'usage', 'nobody.json'), '{"used": 83500, "window": 200000}');
    assert.equal((await readUsage(root, 'nobody', { profile: 'claude' }, { home }))?.pct, 50);
  } finally {
    done();
  }
});

test('codex: rollout found by session id; window from the rollout, usable 90 %', async () => {
  const { root, home, done } = setup();
  try {
    const text = fixture('codex-rollout.jsonl');
    const id = /"id": "([0-9a-f-]{36})"/.exec(text)?.[1] ?? '';
    const file = path.join(home, '.codex', 'sessions', '2026', '11', '24', `rollout-2026-11-24T18-53-32-${id}.jsonl`);
    write(file, text);
    session(root, 'codex', { sessionId: id });
    const r = await readUsage(root, 'codex', { profile: 'codex', env: { HOME: home } });
    assert.deepEqual(
      { used: r?.used, window: r?.window, usable: r?.usable, pct: r?.pct, source: r?.source },
      { used: 201_234, window: 258_400, usable: 232_560, pct: 86.5, source: file },
    );
  } finally {
    done();
  }
});

test('codex: one CODEX_HOME per agent — the newest rollout of the workspace there is the agent\'s; a shared home is never guessed', async () => {
  const { root, home, done } = setup();
  try {
    const text = fixture('codex-rollout.jsonl');
    const cwd = /"cwd": "([^"]+)"/.exec(text)?.[1] ?? '';
    const ours = text.split(cwd).join(root);
    const rollout = (dir: string, ts: string, id: string, body: string, mtime: number): string => {
      const f = path.join(dir, 'sessions', '2026', '11', '24', `rollout-2026-11-24T${ts}-${id}.jsonl`);
      write(f, body);
      utimesSync(f, mtime, mtime);
      return f;
    };
    const h1 = path.join(home, 'codex-a1');
    const h2 = path.join(home, 'codex-a2');
    rollout(h1, '10-00-00', '00000000-0000-0000-0000-000000000001', ours, 1000);
    const newest = rollout(h1, '11-00-00', '00000000-0000-0000-0000-000000000002', ours, 2000);
    rollout(h1, '12-00-00', '00000000-0000-0000-0000-000000000003', text, 3000); // another workspace
    const only = rollout(h2, '10-00-00', '00000000-0000-0000-0000-000000000004', ours, 1000);
    const a1 = { name: 'a1', profile: 'codex' as const, env: { HOME: home, CODEX_HOME: h1 } };
    const a2 = { name: 'a2', profile: 'codex' as const, env: { HOME: home, CODEX_HOME: h2 } };
    assert.equal((await readUsage(root, 'a1', a1, { others: [a2] }))?.source, newest);
    assert.equal((await readUsage(root, 'a2', a2, { others: [a1] }))?.source, only);
    // Without knowing the other agents, two candidates are not guessed between.
    assert.equal(await readUsage(root, 'a1', a1), null);
    // A home shared with another Codex agent: never the newest by guess.
    const shared = { ...a2, env: { HOME: home, CODEX_HOME: h1 } };
    assert.equal(await readUsage(root, 'a1', a1, { others: [shared] }), null);
  } finally {
    done();
  }
});

test('gemini: chat file found by session id; usable 50 % of the window', async () => {
  const { root, home, done } = setup();
  try {
    const text = fixture('gemini-chat.jsonl');
    const id = /"sessionId": "([^"]+)"/.exec(text)?.[1] ?? '';
    write(path.join(home, '.gemini', 'tmp', 'ws', 'chats', `session-2026-11-24T18-58-${id.slice(0, 8)}.jsonl`), text);
    session(root, 'gem', { sessionId: id });
    const r = await readUsage(root, 'gem', { profile: 'gemini' }, { home });
    assert.equal(r?.used, 300_000);
    assert.equal(r?.usable, 524_288);
    assert.equal(r?.pct, 57.2);
  } finally {
    done();
  }
});

test('amp: thread by id under AMP_DATA_DIR', async () => {
  const { root, home, done } = setup();
  try {
    const data = path.join(home, 'amp-data');
    write(path.join(data, 'threads', 'T-5b1e4c1a-2f0e-4d6b-9a51-3c1d2e7f9a10.json'), fixture('amp-thread.json'));
    session(root, 'amp', { threadId: 'T-5b1e4c1a-2f0e-4d6b-9a51-3c1d2e7f9a10' });
    const r = await readUsage(root, 'amp', { profile: 'amp', env: { AMP_DATA_DIR: data } }, { home });
    assert.equal(r?.used, 151_200);
    assert.equal(r?.window, 168_000);
    assert.equal(r?.pct, 90);
  } finally {
    done();
  }
});

test('manual, file, pane and path override', async () => {
  const { root, home, done } = setup();
  try {
    await writeManualUsage(root, 'm', 91);
    const m = await readUsage(root, 'm', { profile: 'sim', usage: { probe: 'manual' } }, { home });
    assert.deepEqual({ pct: m?.pct, used: m?.used, probe: m?.probe }, { pct: 91, used: null, probe: 'manual' });
    const p = await readUsage(root, 'p', { profile: 'sim', usage: { probe: 'pane', pattern: '(\\d+)% context' } }, { paneText: 'x\n42% context\n' });
    assert.equal(p?.pct, 42);
    assert.equal(p?.source, 'pane');
    write(path.join(root, 'elsewhere.jsonl'), claudeLine(0, 16_700));
    const o = await readUsage(root, 'o', { profile: 'claude', usage: { path: 'elsewhere.jsonl' } }, { home });
    assert.equal(o?.pct, 10);
  } finally {
    done();
  }
});

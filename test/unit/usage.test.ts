import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clampPct, parseTokenCount, resolveUsable, usagePct, PROBE_DEFAULTS } from '../../src/adapters/usage/compute.js';
import {
  codexRolloutMeta, geminiChatSessionId, parseAmpThread, parseClaudeTranscript, parseCodexRollout, parseGeminiChat,
} from '../../src/adapters/usage/parse.js';
import { matchPane } from '../../src/adapters/usage/pane.js';
import { parseUsageFile } from '../../src/adapters/usage/file.js';
import { claudeProjectKey } from '../../src/adapters/usage/locate.js';

// Fixtures are real files written by Claude Code 2.1.328, Codex 0.169.0 and
// Gemini CLI 0.61.0 (test/vendors), trimmed, with the last usage numbers changed.
const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../test/fixtures/usage/${name}`, import.meta.url)), 'utf8');

test('usable budget: tokens, "NN%" of the window, or the probe default share', () => {
  assert.equal(resolveUsable(150_000, 200_000, 0.835), 150_000);
  assert.equal(resolveUsable('80%', 200_000, 0.835), 160_000);
  assert.equal(resolveUsable('83.5%', 200_000, 0.5), 167_000);
  assert.equal(resolveUsable(undefined, 200_000, PROBE_DEFAULTS['claude-code'].usable), 167_000);
  assert.equal(resolveUsable(undefined, 258_400, PROBE_DEFAULTS.codex.usable), 232_560);
  assert.equal(resolveUsable(undefined, 1_048_576, PROBE_DEFAULTS.gemini.usable), 524_288);
  assert.equal(resolveUsable('nonsense', 100_000, 0.5), 50_000);
});

test('pct is measured against the usable budget, one decimal, clamped 0–100', () => {
  assert.equal(usagePct(155_000, 167_000), 92.8);
  assert.equal(usagePct(167_000, 167_000), 100);
  assert.equal(usagePct(400_000, 167_000), 100);
  assert.equal(usagePct(-5, 100), 0);
  assert.equal(usagePct(10, 0), 0);
  assert.equal(clampPct(91), 91);
  assert.equal(clampPct(120), 100);
  assert.equal(clampPct(Number.NaN), 0);
});

test('token counts as CLIs print them', () => {
  assert.equal(parseTokenCount('12,345'), 12_345);
  assert.equal(parseTokenCount('12.3k'), 12_300);
  assert.equal(parseTokenCount('1.2M'), 1_200_000);
  assert.equal(parseTokenCount('abc'), undefined);
});

test('claude-code: last main-chain assistant, input + cache creation + cache read; sidechain and synthetic skipped', () => {
  const t = parseClaudeTranscript(fixture('claude-transcript.jsonl'));
  assert.ok(t);
  assert.equal(t.used, 2000 + 3000 + 150_000);
  assert.equal(t.model, 'claude-opus-5-5');
  assert.equal(usagePct(t.used, resolveUsable(undefined, 200_000, 0.835)), 92.8);
  assert.equal(parseClaudeTranscript(''), null);
  assert.equal(parseClaudeTranscript('{"type":"user"}\n'), null);
});

test('claude-code project key: every non-alphanumeric character becomes "-"', () => {
  assert.equal(claudeProjectKey('/tmp/orch-vendor-ylICfa/ws'), '-tmp-orch-vendor-ylICfa-ws');
  assert.equal(claudeProjectKey('/home/me/my.project_x'), '-home-me-my-project-x');
});

test('codex: last token_count, last_token_usage.total_tokens over model_context_window', () => {
  const text = fixture('codex-rollout.jsonl');
  const t = parseCodexRollout(text);
  assert.ok(t);
  assert.equal(t.used, 201_234);
  assert.equal(t.window, 258_400);
  assert.equal(usagePct(t.used, resolveUsable(undefined, t.window ?? 0, 0.9)), 86.5);
  const meta = codexRolloutMeta(text);
  assert.match(meta.id ?? '', /^[0-9a-f-]{36}$/);
  assert.ok(meta.cwd?.endsWith('/ws'));
});

test('gemini: newest gemini message tokens.input; re-appended copies and $set lines tolerated', () => {
  const text = fixture('gemini-chat.jsonl');
  const t = parseGeminiChat(text);
  assert.ok(t);
  assert.equal(t.used, 300_000);
  assert.equal(t.model, 'gemini-3.8-flash');
  assert.equal(usagePct(t.used, resolveUsable(undefined, 1_048_576, 0.5)), 57.2);
  assert.match(geminiChatSessionId(text) ?? '', /^3afd2aa6-/);
  const rewritten = '{"sessionId":"s"}\n{"$set":{"messages":[{"id":"a","type":"gemini","tokens":{"input":7,"output":1,"total":8}}]}}\n';
  assert.equal(parseGeminiChat(rewritten)?.used, 7);
});

test('amp: last assistant usage, totalInputTokens over maxInputTokens', () => {
  const t = parseAmpThread(fixture('amp-thread.json'));
  assert.deepEqual(t, { used: 151_200, window: 168_000, model: 'claude-sonnet-4-5' });
  assert.equal(parseAmpThread('{"messages":[{"role":"assistant","usage":{"inputTokens":5,"cacheReadInputTokens":10}}]}')?.used, 15);
  assert.equal(parseAmpThread('not json'), null);
});

test('pane: named groups pct / used+window, or the first group as a percentage; the last match wins', () => {
  assert.deepEqual(matchPane('ctx 12% … ctx 47%', 'ctx (\\d+)%'), { pct: 47 });
  assert.deepEqual(matchPane('Context: 120.5k/200k', 'Context: (?<used>[\\d.,]+k?)/(?<window>[\\d.,]+k?)'), { used: 120_500, window: 200_000 });
  assert.equal(matchPane('nothing here', 'ctx (\\d+)%'), null);
  assert.equal(matchPane('x', '(unclosed'), null);
});

test('usage file: {used, window} or {pct}; anything else is null', () => {
  assert.deepEqual(parseUsageFile('{"used": 1000, "window": 2000}'), { used: 1000, window: 2000 });
  assert.deepEqual(parseUsageFile('{"pct": 91, "by": "manual"}'), { pct: 91 });
  assert.equal(parseUsageFile('{"pct": -1}'), null);
  assert.equal(parseUsageFile('{"used": "many"}'), null);
  assert.equal(parseUsageFile('{half'), null);
});

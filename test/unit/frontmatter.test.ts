import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { plainScalar } from '../../src/core/frontmatter.js';

const SAMPLES: unknown[] = [
  null, true, false, 0, 7, -3, 1.5, 2 ** 60, 'amp', 'codex', 'antigravity', 'claude-2', 'a', 'A', 'x_y', 'TASK-PO-001',
  '2026-12-01T03:00:00Z', '2026-12-01T03:00:00.123Z', '2026-12-01', '12:30', 'waiting on broker keys', 'no', 'Yes', 'null', 'true',
  'NULL', '~', '', ' lead', 'trail ', 'two  spaces', 'a: b', 'a #b', '#x', '-x', 'x-', 'x.', 'path/to/file.ts', 'me@host', 'a+b',
  '123', '1e3', '0x1F', '.inf', 'quote"d', "it's", 'tab\there', 'new\nline', 'ünï', '[x]', '{x}', '*x', '&x', '!x', '%x', '@x', '`x`',
  'key:', 'x,y', 'x?', 'on', 'off', 'y', 'n', 'Inf', 'NaN', 'a-b c-d', 'done by amp', 'v1.2.3', '1.2.3',
];

test('plainScalar agrees with yaml.stringify wherever it answers (and answers for what verbs write)', () => {
  for (const v of SAMPLES) {
    const fast = plainScalar(v);
    if (fast !== undefined) assert.equal(fast, stringify(v, { lineWidth: 0 }).replace(/\n$/, ''), JSON.stringify(v));
  }
  for (const v of [null, 'amp', 'claude-2', '2026-12-01T03:00:00.123Z', 'waiting on broker keys', 3]) assert.notEqual(plainScalar(v), undefined, String(v));
  // Random strings over a risky alphabet: never a disagreement.
  const alphabet = 'aZ09 -_:#./@+\'"!&*?,[]{}|>%`~\\';
  let seed = 2463534242;
  const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 2 ** 32; }; // xorshift32
  for (let i = 0; i < 5000; i++) {
    const s = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    const fast = plainScalar(s);
    if (fast !== undefined) assert.equal(fast, stringify(s, { lineWidth: 0 }).replace(/\n$/, ''), JSON.stringify(s));
  }
});

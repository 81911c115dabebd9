import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkFile, controlChars, headings, lintWorkspace, missingSections, underPaths, type RawFile } from '../../src/core/lint/index.js';
import type { LintConfig } from '../../src/core/lint/types.js';
import { v2BodyFor } from '../helpers/index.js';

const enc = new TextEncoder();
const cfg: LintConfig = { agents: ['claude', 'amp', 'antigravity', 'codex'], minPromptLines: 20, requiredSections: 'v2' };
const LONG = v2BodyFor('X') + Array.from({ length: 8 }, (_, i) => `extra line ${i}`).join('\n') + '\n';

function raw(path: string, text: string | Uint8Array, over: Partial<RawFile> = {}): RawFile {
  const bytes = typeof text === 'string' ? enc.encode(text) : text;
  const state = (/^tasks\/(pending|in_progress|completed|blocked)\//.exec(path)?.[1] ?? null) as RawFile['state'];
  return { path, state, kind: 'file', size: bytes.length, bytes, ...over };
}
const task = (id: string, extra = '', body = LONG) => `---\nid: ${id}\ntitle: Task ${id}\n${extra}---\n${body}`;
const rules = (files: RawFile[], c = cfg) => lintWorkspace({ files, cfg: c }).map((p) => `${p.path}:${p.line}:${p.severity}:${p.rule}`);

test('a good v2 task has no problems', () => {
  assert.deepEqual(rules([raw('tasks/pending/T-1-good.md', task('T-1'))]), []);
});

test('sections: French or English, any heading level or === X ===, case and accents ignored; missing ones named', () => {
  const fr = ['=== CONTEXTE ===', '=== OBJECTIF ===', '=== FICHIERS A CREER/MODIFIER ===', '=== INSTRUCTIONS DÉTAILLÉES ===', '=== TESTS A ECRIRE ===', '=== Critères de validation ===', '=== APRÈS COMPLETION ==='];
  assert.deepEqual(missingSections(fr.join('\ntext\n')), []);
  const en = ['# context', '### OBJECTIVE', '## Files to create/modify', '#### Detailed Instructions', '## Tests to write', '###### Acceptance criteria', '## After completion'];
  assert.deepEqual(missingSections(en.join('\ntext\n')), []);
  const partial = missingSections('## Context\n```\n## Objective\n```\n=== TESTS A ECRIRE ===\n');
  assert.deepEqual(partial.map((s) => s.en), ['Objective', 'Files to create/modify', 'Detailed instructions', 'Acceptance criteria', 'After completion']);
  assert.deepEqual(headings('# A\n    ## indented code\n## B #\n').map((h) => h.text), ['A', 'B']);
  const p = lintWorkspace({ files: [raw('tasks/pending/T-1.md', task('T-1', '', '\n## Context\n' + 'line\n'.repeat(25)))], cfg });
  const sec = p.find((x) => x.rule === 'sections')!;
  assert.equal(sec.severity, 'error');
  for (const name of ['Objective (OBJECTIF)', 'After completion (APRES COMPLETION)']) assert.ok(sec.message.includes(name), sec.message);
  assert.ok(!sec.message.includes('Context (CONTEXTE)'));
});

test('golden rule 2: fewer non-blank lines than min_prompt_lines is an error at the body line; configurable', () => {
  const short = raw('tasks/pending/T-1.md', task('T-1', '', '\n## Context\n\n\nonly this\n'));
  const p = lintWorkspace({ files: [short], cfg }).find((x) => x.rule === 'prompt-length')!;
  assert.match(p.message, /2 non-blank lines.*at least 20/);
  assert.equal(p.line, 5);
  assert.deepEqual(rules([short], { ...cfg, minPromptLines: 2, requiredSections: 'none' }), []);
});

test('control characters are errors with their line; tab, CRLF are fine; bidi is a warning', () => {
  const ps = controlChars('f.md', 'ok\tline\r\nsecond \u001b[31m red\nthird\u0007\nfourth \u202e x\n');
  assert.deepEqual(ps.map((p) => [p.line, p.severity, p.rule]), [[2, 'error', 'control-char'], [3, 'error', 'control-char'], [4, 'warning', 'bidi']]);
  assert.match(ps[0]!.message, /U\+001B \(ESC\) at column 8/);
});

test('binary, non-UTF-8, oversized, symlink, newline in name, stray file', () => {
  const one = (r: RawFile) => checkFile(r).problems.map((p) => p.rule);
  assert.deepEqual(one(raw('tasks/pending/T-1.md', new Uint8Array([0x2d, 0, 1, 2]))), ['binary']);
  assert.deepEqual(one(raw('tasks/pending/T-1.md', new Uint8Array([0x2d, 0xff, 0xfe, 0x41]))), ['binary']);
  assert.deepEqual(one({ path: 'tasks/pending/big.md', state: 'pending', kind: 'file', size: 10 * 1024 * 1024 }), ['size']);
  const link = checkFile({ path: 'tasks/pending/T-9.md', state: 'pending', kind: 'symlink', size: 0, target: '../../../../etc/passwd', outside: true }).problems[0]!;
  assert.equal(link.rule, 'symlink');
  assert.match(link.message, /outside the workspace/);
  assert.deepEqual(one(raw('tasks/pending/T-1\nx.md', task('T-1'))), ['filename']);
  const stray = checkFile(raw('tasks/done/T-1.md', task('T-1'))).problems[0]!;
  assert.deepEqual([stray.rule, stray.severity], ['placement', 'warning']);
});

test('names with spaces and unicode are fine; a name not starting with the id is a warning', () => {
  assert.deepEqual(rules([raw('tasks/pending/T-1 risque été.md', task('T-1'))]), ['tasks/pending/T-1 risque été.md:2:warning:filename']);
  assert.deepEqual(rules([raw('tasks/pending/T-1-risque été ☕.md', task('T-1'))]), []);
  assert.deepEqual(rules([raw('tasks/pending/notes.md', task('T-1'))]), ['tasks/pending/notes.md:2:warning:filename']);
});

test('cross-file: duplicate ids, a file in two folders, dangling and cyclic depends_on, unknown agent', () => {
  const files = [
    raw('tasks/pending/T-1-a.md', task('T-1', 'depends_on: [T-2]\n')),
    raw('tasks/pending/T-2-b.md', task('T-2', 'depends_on: [T-3]\n')),
    raw('tasks/blocked/T-3-c.md', task('T-3', 'depends_on: [T-1, T-404]\nagent: bob\n')),
    raw('tasks/pending/T-5-x.md', task('T-5')),
    raw('tasks/pending/T-5-y.md', task('T-5')),
    raw('tasks/pending/T-6-z.md', task('T-6')),
    raw('tasks/completed/T-6-z.md', task('T-6')),
    raw('tasks/pending/T-7-self.md', task('T-7', 'depends_on: [T-7]\n')),
  ];
  const ps = lintWorkspace({ files, cfg });
  const by = (rule: string) => ps.filter((p) => p.rule === rule).map((p) => p.path);
  assert.deepEqual(by('cycle').sort(), ['tasks/blocked/T-3-c.md', 'tasks/pending/T-1-a.md', 'tasks/pending/T-2-b.md']);
  assert.match(ps.find((p) => p.rule === 'cycle')!.message, /T-\d -> T-\d -> T-\d -> T-\d/);
  assert.deepEqual(by('depends'), ['tasks/blocked/T-3-c.md', 'tasks/pending/T-7-self.md']);
  assert.match(ps.find((p) => p.rule === 'depends' && p.path.includes('T-3'))!.message, /T-404/);
  assert.deepEqual(by('duplicate-id'), ['tasks/pending/T-5-x.md', 'tasks/pending/T-5-y.md']);
  assert.deepEqual(by('two-folders'), ['tasks/completed/T-6-z.md', 'tasks/pending/T-6-z.md']);
  const agent = ps.find((p) => p.rule === 'agent')!;
  assert.equal(agent.line, 5);
  assert.match(agent.message, /unknown agent "bob" \(known: claude, amp, antigravity, codex\)/);
  // A broken config (agents unknown) skips the agent rule instead of reporting every task.
  assert.equal(lintWorkspace({ files, cfg: { ...cfg, agents: null } }).filter((p) => p.rule === 'agent').length, 0);
});

test('paths narrow the report, not the cross-file rules', () => {
  const files = [raw('tasks/pending/T-1-a.md', task('T-1', 'depends_on: [T-2]\n')), raw('tasks/blocked/T-2-b.md', task('T-2', 'depends_on: [T-1]\n'))];
  const all = lintWorkspace({ files, cfg, configProblems: [{ path: '.orch/config.yml', line: 3, col: 5, rule: 'config', severity: 'error', message: 'x' }] });
  assert.deepEqual(underPaths(all, ['tasks/pending/']).map((p) => `${p.path}:${p.rule}`), ['tasks/pending/T-1-a.md:cycle']);
  assert.deepEqual(underPaths(all, ['.orch/config.yml']).map((p) => p.rule), ['config']);
  assert.equal(underPaths(all, []).length, 3);
  assert.equal(underPaths(all, ['tasks/pend']).length, 0);
});

test('the shipped palm-oil example is lint-clean: 12 tasks, every worker preset at least once', () => {
  const dir = fileURLToPath(new URL('../../../templates/examples/palm-oil/', import.meta.url));
  const names = readdirSync(dir).filter((n) => n.endsWith('.md'));
  assert.equal(names.length, 12);
  const files = names.map((n) => raw(`tasks/pending/${n}`, readFileSync(dir + n)));
  assert.deepEqual(lintWorkspace({ files, cfg }), []);
  const agents = names.map((n) => /^agent: (\S+)/m.exec(readFileSync(dir + n, 'utf8'))?.[1]);
  for (const a of ['claude', 'amp', 'antigravity', 'codex']) assert.ok(agents.includes(a), a);
  assert.ok(names.every((n) => /^TASK-PO-0(0[1-9]|1[0-2])-[a-z0-9-]+\.md$/.test(n)));
});

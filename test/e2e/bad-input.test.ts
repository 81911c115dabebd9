import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitOut, orch, taskText, tempDir, tempWorkspace } from '../helpers/index.js';

interface P { path: string; line: number | null; rule: string; severity: string; message: string }

/**
 * SPEC §13: every bad input gets a clear message naming the file (and line),
 * is never committed, and the good tasks keep flowing.
 */
test('bad task files: reported by lint with file, line and rule; never committed; good tasks keep flowing', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const w = (rel: string, text: string | Buffer) => writeFileSync(join(ws.dir, rel), text);
  w('tasks/pending/GOOD-1-ok.md', taskText('GOOD-1', 'A good task'));
  w('tasks/pending/T-1-yaml.md', '---\nid: T-1\ntitle: [unclosed\n---\nbody\n');
  w('tasks/pending/T-2-missing.md', '---\nid: T-2\nagent: amp\n---\nbody\n');
  w('tasks/pending/T-3-a.md', taskText('T-3', 'dup a'));
  w('tasks/blocked/T-3-b.md', taskText('T-3', 'dup b'));
  w('tasks/pending/T-4-x.md', taskText('T-4', 'same id'));
  w('tasks/pending/T-4-y.md', taskText('T-4', 'same id again'));
  w('tasks/pending/T-5-huge.md', taskText('T-5', 'huge') + 'x'.repeat(10 * 1024 * 1024));
  w('tasks/pending/T-6-bin.md', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0xff]));
  symlinkSync('/etc/passwd', join(ws.dir, 'tasks/pending/T-7-link.md'));
  w('tasks/pending/T-8 espace été ☕.md', taskText('T-8', 'Spaces and unicode are fine'));
  w('tasks/pending/T-9-new\nline.md', taskText('T-9', 'newline in name'));
  w('tasks/pending/T-10-evil.md', taskText('../../etc/passwd', 'path id').replace('id: ../../etc/passwd', 'id: "../../etc/passwd"'));
  w('tasks/pending/T-11-c1.md', taskText('T-11', 'cycle', { depends_on: '[T-12]' }));
  w('tasks/pending/T-12-c2.md', taskText('T-12', 'cycle', { depends_on: '[T-11]' }));
  w('tasks/pending/T-13-agent.md', taskText('T-13', 'who', { agent: 'gpt5' }));
  w('tasks/pending/T-14-esc.md', taskText('T-14', 'escape', {}, `\n## Context\nhello \u001b[200~ paste end\n`));
  const head = (await gitOut(ws.dir, ['rev-parse', 'HEAD'])).trim();

  const lint = await orch(ws.dir, ['lint', '--json']);
  assert.equal(lint.exitCode, 1);
  const ps = JSON.parse(lint.stdout) as P[];
  for (const p of ps) assert.deepEqual(Object.keys(p), ['path', 'line', 'rule', 'severity', 'message']);
  const has = (file: string, rule: string, line?: number) => {
    const p = ps.find((x) => x.path === `tasks/${file}` && x.rule === rule);
    assert.ok(p, `expected ${rule} on ${file}; got ${JSON.stringify(ps.filter((x) => x.path.includes(file)))}`);
    assert.equal(p.severity, 'error');
    if (line !== undefined) assert.equal(p.line, line, `${file} ${rule} line`);
    return p;
  };
  has('pending/T-1-yaml.md', 'yaml');
  assert.match(has('pending/T-2-missing.md', 'schema', 2).message, /title/);
  has('pending/T-3-a.md', 'two-folders');
  has('blocked/T-3-b.md', 'two-folders');
  has('pending/T-4-x.md', 'duplicate-id');
  assert.match(has('pending/T-5-huge.md', 'size').message, /10\.0 MB/);
  has('pending/T-6-bin.md', 'binary');
  assert.match(has('pending/T-7-link.md', 'symlink').message, /outside the workspace/);
  has('pending/T-9-new\nline.md', 'filename');
  has('pending/T-10-evil.md', 'schema', 2);
  has('pending/T-11-c1.md', 'cycle', 4);
  assert.match(has('pending/T-13-agent.md', 'agent', 4).message, /unknown agent "gpt5"/);
  assert.match(has('pending/T-14-esc.md', 'control-char', 7).message, /ESC/);
  assert.equal(ps.filter((p) => p.path.includes('T-8 ') && p.severity === 'error').length, 0, 'spaces and unicode are fine');
  assert.equal(ps.filter((p) => p.path.includes('GOOD-1')).length, 0);

  const human = await orch(ws.dir, ['lint', 'tasks/blocked']);
  assert.equal(human.exitCode, 1);
  assert.match(human.stdout, /^tasks\/blocked\/T-3-b\.md:2: error two-folders: task T-3 is in two folders/m);
  assert.ok(!/^tasks\/pending\//m.test(human.stdout), 'only the asked folder is reported');

  // The good tasks keep flowing: claim commits GOOD-1 and the valid files, none of the bad ones.
  // (A control character is a lint error but not a quarantine: delivery strips it, SPEC §9.)
  const claim = await orch(ws.dir, ['claim', 'GOOD-1', '--agent', 'amp']);
  assert.equal(claim.exitCode, 0, claim.stderr);
  const committed = (await gitOut(ws.dir, ['diff', '--no-renames', '--name-only', '-z', head, 'HEAD'])).split('\0').filter(Boolean).sort();
  assert.deepEqual(committed, ['ORCHESTRATION_STATUS.md', 'tasks/in_progress/GOOD-1-ok.md', 'tasks/pending/T-14-esc.md', 'tasks/pending/T-8 espace été ☕.md']);
  const status = readFileSync(join(ws.dir, 'ORCHESTRATION_STATUS.md'), 'utf8');
  assert.match(status, /invalid task file tasks\/pending\/T-1-yaml\.md:\d+: invalid YAML/);
  assert.match(status, /invalid task file tasks\/pending\/T-13-agent\.md: unknown agent "gpt5"/);
  assert.match(status, /invalid task file tasks\/pending\/T-11-c1\.md: depends_on cycle/);
  const show = await orch(ws.dir, ['show', '../../etc/passwd']);
  assert.equal(show.exitCode, 2);
  assert.match(show.stderr, /^orch: invalid task id "..\/..\/etc\/passwd"/);
});

test('a config typo: lint names .orch/config.yml:line:col with the fix; commands refuse (exit 1); nothing committed', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const p = join(ws.dir, '.orch/config.yml');
  writeFileSync(p, readFileSync(p, 'utf8').replace('daemon_window: 2', 'deamon_window: 2'));
  const head = (await gitOut(ws.dir, ['rev-parse', 'HEAD'])).trim();
  const lint = await orch(ws.dir, ['lint', '--json']);
  assert.equal(lint.exitCode, 1);
  const [problem] = JSON.parse(lint.stdout) as P[];
  assert.equal(problem!.path, '.orch/config.yml');
  assert.ok(problem!.line! > 1);
  assert.match(problem!.message, /unknown key "deamon_window".*did you mean "daemon_window"/);
  const human = await orch(ws.dir, ['lint']);
  assert.match(human.stdout, /^\.orch\/config\.yml:\d+:\d+: error config: /m);
  for (const args of [['list'], ['status', '--write'], ['log']]) {
    const r = await orch(ws.dir, args);
    assert.equal(r.exitCode, 1, args.join(' '));
    assert.match(r.stderr, /^orch: \.orch\/config\.yml:\d+:\d+: /);
  }
  assert.equal((await gitOut(ws.dir, ['rev-parse', 'HEAD'])).trim(), head);
  assert.equal((await gitOut(ws.dir, ['status', '--porcelain'])).trim(), 'M .orch/config.yml');
});

test('an invalid regular expression in any pattern of an agent is named with its line; commands refuse', async (t) => {
  const ws = await tempWorkspace();
  t.after(ws.cleanup);
  const p = join(ws.dir, '.orch/config.yml');
  const cfg = readFileSync(p, 'utf8');
  const at = cfg.indexOf('\n', cfg.indexOf('    window: 1\n'));
  const bad = ['ready_pattern: "[r"', 'busy_patterns: ["(b"]', 'waiting_patterns: ["[w"]', 'idle_patterns: ["(i"]'];
  writeFileSync(p, `${cfg.slice(0, at + 1)}${bad.map((l) => `    ${l}\n`).join('')}${cfg.slice(at + 1)}`);
  const lint = await orch(ws.dir, ['lint', '--json']);
  assert.equal(lint.exitCode, 1, lint.stderr);
  const problems = (JSON.parse(lint.stdout) as P[]).filter((x) => /invalid regular expression/.test(x.message));
  for (const re of ['[r', '(b', '[w', '(i']) {
    const hit = problems.find((x) => x.message.includes(JSON.stringify(re)));
    assert.ok(hit, `${re} reported: ${JSON.stringify(problems)}`);
    assert.equal(hit.path, '.orch/config.yml');
    assert.ok(hit.line! > 1);
  }
  const r = await orch(ws.dir, ['list']);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /invalid regular expression/);
});

test('exit codes: 2 for bad flags and arguments, 3 outside a workspace', async (t) => {
  const ws = await tempWorkspace();
  const empty = tempDir();
  t.after(() => { ws.cleanup(); empty.cleanup(); });
  mkdirSync(join(empty.dir, 'sub'));
  const cases: [string, string[], number][] = [
    [ws.dir, ['list', '--bogus'], 2],
    [ws.dir, ['lint', 'no/such/file.md'], 2],
    [ws.dir, ['log', '-n', 'many'], 2],
    [ws.dir, ['nonsense-command'], 2],
    [ws.dir, ['show', 'NOPE-404'], 1],
    [ws.dir, ['import', 'missing.json'], 2],
    [join(empty.dir, 'sub'), ['list'], 3],
    [empty.dir, ['lint'], 3],
    [empty.dir, ['doctor'], 3],
    // A bad duration flag is a usage error naming the flag, not an internal error.
    [ws.dir, ['dispatch', '--timeout', 'soon'], 2],
    [ws.dir, ['monitor', '--once', '--interval', 'often'], 2],
  ];
  const results = await Promise.all(cases.map(([cwd, args]) => orch(cwd, args)));
  results.forEach((r, i) => {
    const [, args, code] = cases[i]!;
    assert.equal(r.exitCode, code, `orch ${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.trim().length > 0, `orch ${args.join(' ')} says why`);
  });
  assert.match(results[6]!.stderr, /not an orch workspace/);
  assert.match(results[9]!.stderr, /^orch: invalid --timeout "soon"\n.*e\.g\. --timeout 30s/);
});

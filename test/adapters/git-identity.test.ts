import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitOut, orch, sh, taskText, tempDir } from '../helpers/index.js';

// No identity anywhere: a private HOME and global config, no system config.
// Set before any git runs; every child process (git, the orch binary) inherits it.
const home = mkdtempSync(join(tmpdir(), 'orch-home-'));
writeFileSync(join(home, 'gitconfig'), '');
Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1' });
for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL']) delete process.env[k];

test('a repository without a user identity gets commits authored orch <orch@localhost>', async (t) => {
  const ws = tempDir();
  t.after(() => { ws.cleanup(); rmSync(home, { recursive: true, force: true }); });
  assert.equal((await sh(ws.dir, 'git', ['config', 'user.name'])).exitCode, 1, 'no identity leaks in');
  const init = await orch(ws.dir, ['init']);
  assert.equal(init.exitCode, 0, init.stderr);
  writeFileSync(join(ws.dir, 'tasks/pending/T-1-a.md'), taskText('T-1', 'A task'));
  const claim = await orch(ws.dir, ['claim', 'T-1', '--agent', 'amp']);
  assert.equal(claim.exitCode, 0, claim.stderr);
  const who = (await gitOut(ws.dir, ['log', '--format=%an <%ae>|%cn <%ce>'])).trim().split('\n');
  assert.equal(who.length, 3, 'init, create, claim');
  for (const w of who) assert.equal(w, 'orch <orch@localhost>|orch <orch@localhost>');
  assert.equal((await sh(ws.dir, 'git', ['config', 'user.name'])).exitCode, 1, 'orch does not write an identity into the repo');
});

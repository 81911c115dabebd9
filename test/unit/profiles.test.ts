import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interactiveArgv } from '../../src/adapters/profiles/index.js';

test('agents start without the CI markers of orch\'s own environment (Gemini CLI exits headless on CI=true)', () => {
  const argv = interactiveArgv(['gemini', '--approval-mode', 'yolo'], { CI: 'true', CI_JOB_ID: '7', HOME: '/h', PATH: '/bin' }, { ORCH_AGENT: 'a1' });
  assert.equal(argv[0], 'env');
  const sep = argv.indexOf('--');
  assert.deepEqual(argv.slice(sep + 1), ['gemini', '--approval-mode', 'yolo']);
  const unset = argv.slice(1, sep).filter((x, i) => i % 2 === 1);
  assert.ok(argv.slice(1, sep).every((x, i) => (i % 2 === 0 ? x === '-u' : true)), 'only -u NAME pairs before --');
  for (const k of ['CI', 'GITHUB_ACTIONS', 'CONTINUOUS_INTEGRATION', 'CI_JOB_ID']) assert.ok(unset.includes(k), `${k} unset`);
  assert.ok(!unset.includes('HOME') && !unset.includes('PATH'));
});

test('a CI marker the agent\'s own env sets on purpose is kept', () => {
  const argv = interactiveArgv(['claude'], { CI: 'true' }, { CI: '1' });
  const sep = argv.indexOf('--');
  assert.ok(!argv.slice(1, sep).includes('CI'));
  assert.ok(argv.slice(1, sep).includes('GITHUB_ACTIONS'));
});

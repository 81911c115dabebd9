/**
 * Developer tool (not a test): start one real CLI against its stand-in inside
 * the namespace and record every distinct screen and request, to find the
 * facts the profiles need. Run through the runner:
 *   node dist/test/vendors/run.js --explore claude
 */
import { mkdirSync, mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { startStandIn } from './standins/index.js';
import { PrivateTmux } from './lib/tmux.js';
import { agentEnv, prepareHome } from './lib/homes.js';
import { command, VENDORS, type VendorId } from './lib/vendors.js';
import { waitFor } from './lib/wait.js';
import { readPane } from '../../src/adapters/pane-state.js';
import { PROFILES } from '../../src/adapters/profiles/index.js';
import { Tmux } from '../../src/adapters/tmux.js';

const id = (process.argv[2] ?? 'claude') as VendorId;
const vendor = VENDORS[id];
const out = mkdtempSync(path.join(tmpdir(), `explore-${id}-`));
const root = mkdtempSync(path.join(tmpdir(), 'orch-vendor-'));
const home = path.join(root, 'home');
const ws = path.join(root, 'ws');
mkdirSync(ws, { recursive: true });
await execa('git', ['init', '-q', ws]);
const standin = await startStandIn(id);
const key = 'sk-standin-explore-' + randomUUID().replace(/-/g, '');
const input = { home, workspace: ws, baseUrl: standin.url, apiKeys: [key] };
prepareHome(id, input);
standin.script.setUsage(key, { input: 12345, output: 67, cacheRead: 1000, cacheCreation: 500 });
const tmux = new PrivateTmux();
const extra = process.argv.slice(3);
const sessionArgs = id === 'codex' ? [] : ['--session-id', randomUUID()];
const pane = await tmux.spawn(id, [...command(vendor), ...sessionArgs, ...extra], agentEnv(id, input, key), ws);
let last = '';
let n = 0;
const t0 = Date.now();
async function snap(label: string): Promise<string> {
  const s = await tmux.capture(pane);
  if (s !== last) {
    last = s;
    const name = `${String(++n).padStart(3, '0')}-${Date.now() - t0}ms-${label}.txt`;
    // What orch's pane-state adapter reads from this screen with the built-in profile.
    const r = await readPane(new Tmux(tmux.socket), pane, PROFILES[id]);
    writeFileSync(path.join(out, name), `${s}\n--- orch reads: state=${r?.state} composer=${JSON.stringify(r?.composer)}\n`);
  }
  return s;
}
async function settle(label: string, stableMs = 2500, max = 40_000): Promise<void> {
  let since = Date.now();
  let prev = '';
  await waitFor(async () => {
    const s = await snap(label);
    if (s !== prev) { prev = s; since = Date.now(); }
    return Date.now() - since > stableMs;
  }, { timeout: max, interval: 50 }).catch(() => undefined);
}
await waitFor(async () => (await snap('start')).trim().length > 0, { timeout: 60_000, interval: 50 });
await settle('start', 4000, 60_000);
await tmux.paste(pane, ['hello from orch PROMPT-ONE', ...Array.from({ length: 30 }, (_, i) => `Rule ${i + 1}: keep the task file in sync.`)].join('\n'));
await snap('pasted');
await settle('after-paste', 600, 3000);
await tmux.keys(pane, 'Enter');
await settle('after-enter', 2500);
standin.script.enqueue(key, { kind: 'shell', command: `touch ${path.join(ws, 'tool-ran')}` }, { kind: 'text', text: 'Tool finished.' });
let release: () => void = () => undefined;
const hold = new Promise<void>((r) => { release = r; });
await tmux.paste(pane, 'run the tool PROMPT-TWO');
await settle('paste2', 600, 3000);
await tmux.keys(pane, 'Enter');
await settle('after-enter2', 3000);
standin.script.enqueue(key, { kind: 'hold', release: hold, then: { kind: 'text', text: 'Held reply.' } });
await tmux.paste(pane, 'slow one PROMPT-THREE');
await settle('paste3', 600, 3000);
await tmux.keys(pane, 'Enter');
await settle('busy', 3000, 8000);
release();
await settle('after-hold', 2500);
await dump();
console.log(`screens and requests in ${out}`);
await tmux.kill();
await standin.close();
async function dump(): Promise<void> {
for (const r of standin.script.requests) {
  appendFileSync(path.join(out, 'requests.jsonl'), JSON.stringify(r) + '\n');
}
await execa('cp', ['-r', home, path.join(out, 'home')], { reject: false });
}

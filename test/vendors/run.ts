/**
 * `npm run test:vendors`: installs the pinned vendor CLIs into .vendors/ (this
 * needs the npm registry, so it happens here, outside), then re-executes
 * itself inside `unshare -n` — a network namespace whose only interface is
 * loopback — and runs the vendor tests there. The stand-ins, the private tmux
 * servers and every CLI they start live inside that namespace; nothing can
 * leave the machine. Where unshare is not permitted it says so and exits 0.
 *
 *   node dist/test/vendors/run.js [claude|codex|gemini ...]
 *   node dist/test/vendors/run.js --explore claude [cli args...]
 */
import { execa } from 'execa';
import { cpSync, mkdirSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolationProblem } from './lib/isolation.js';
import { repoRoot } from './lib/paths.js';
import { installedVersion, VENDORS, vendorDir, type Vendor, type VendorId } from './lib/vendors.js';

const INSIDE = 'ORCH_VENDORS_NETNS';
const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

function say(line: string): void {
  process.stdout.write(`[vendors] ${line}\n`);
}

function selected(): Vendor[] {
  const ids = (process.env['ORCH_VENDORS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const wanted = args.filter((a) => a in VENDORS);
  const list = wanted.length ? wanted : ids.length ? ids : Object.keys(VENDORS);
  return list.filter((id): id is VendorId => id in VENDORS).map((id) => VENDORS[id]);
}

async function canUnshare(): Promise<string | null> {
  for (const tool of ['unshare', 'ip', 'tmux']) {
    const r = await execa('sh', ['-c', `command -v ${tool}`], { reject: false });
    if (r.exitCode !== 0) return `${tool} is not installed`;
  }
  const r = await execa('unshare', ['-n', 'true'], { reject: false });
  if (r.exitCode !== 0) return `unshare -n is not permitted here (${(r.stderr || r.stdout).trim() || `exit ${r.exitCode}`})`;
  return null;
}

/**
 * A private pid namespace as well, where permitted: when the suite ends, the kernel ends every
 * process a vendor CLI left behind (Codex 0.169 starts `codex app-server` daemons that outlive it).
 */
async function unshareArgs(): Promise<string[]> {
  const r = await execa('unshare', ['-n', '-p', '-f', '--mount-proc', 'true'], { reject: false });
  return r.exitCode === 0 ? ['-n', '-p', '-f', '--mount-proc'] : ['-n'];
}

async function install(v: Vendor): Promise<void> {
  const have = installedVersion(v);
  if (have === v.version) {
    say(`${v.name} ${v.version} already in ${path.relative(repoRoot(), vendorDir(v))}`);
    return;
  }
  say(`installing ${v.pkg}@${v.version} into ${path.relative(repoRoot(), vendorDir(v))} …`);
  const t0 = Date.now();
  const r = await execa(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', vendorDir(v), `${v.pkg}@${v.version}`],
    { reject: false, timeout: 600_000, all: true },
  );
  if (r.exitCode !== 0 || installedVersion(v) !== v.version) {
    say(`could not install ${v.pkg}@${v.version}; its tests will be skipped:\n${(r.all ?? '').slice(-2000)}`);
    return;
  }
  say(`installed ${v.name} ${v.version} in ${Math.round((Date.now() - t0) / 1000)} s`);
}

async function outside(): Promise<number> {
  const why = await canUnshare();
  if (why) {
    say(`SKIP: vendor conformance needs a private network namespace with only loopback: ${why}.`);
    say('No vendor CLI was started (they never run outside such a namespace).');
    return 0;
  }
  for (const v of selected()) await install(v);
  const snap = snapshot();
  const t0 = Date.now();
  try {
    const r = await execa('unshare', [...(await unshareArgs()), '--', process.execPath, path.join(snap, 'dist', path.relative(distRoot(), self)), ...args], {
      stdio: 'inherit',
      reject: false,
      env: { [INSIDE]: '1', ORCH_VENDORS_REPO: repoRoot(), ORCH_VENDORS_HOST_NETNS: readlinkSync('/proc/self/ns/net') },
    });
    say(`vendor suite finished in ${Math.round((Date.now() - t0) / 1000)} s, exit ${r.exitCode ?? 1}`);
    return r.exitCode ?? 1;
  } finally {
    if (!process.env['ORCH_VENDORS_KEEP']) rmSync(snap, { recursive: true, force: true });
  }
}

/** dist/ of this build (this file is dist/test/vendors/run.js). */
function distRoot(): string {
  return path.resolve(path.dirname(self), '..', '..');
}

/**
 * A private copy of this build in `.vendors/run-<pid>/` (dist/ plus the
 * package.json and templates/ it reads beside it; node_modules resolves up to
 * the checkout's): another engineer's `npm run build` during the run cannot
 * leave the suite, or the orch the agents call, half-rebuilt.
 */
function snapshot(): string {
  const snap = path.join(repoRoot(), '.vendors', `run-${process.pid}`);
  rmSync(snap, { recursive: true, force: true });
  mkdirSync(snap, { recursive: true });
  cpSync(distRoot(), path.join(snap, 'dist'), { recursive: true });
  for (const f of ['package.json', 'templates', 'schema']) {
    cpSync(path.join(repoRoot(), f), path.join(snap, f), { recursive: true });
  }
  return snap;
}

async function inside(): Promise<number> {
  await execa('ip', ['link', 'set', 'lo', 'up']);
  const problem = isolationProblem();
  if (problem) {
    say(`refusing to run: ${problem}`);
    return 1;
  }
  say('inside a network namespace with only loopback (lo up); stand-ins on 127.0.0.1');
  if (args[0] === '--explore') {
    const r = await execa(process.execPath, [path.join(path.dirname(self), 'explore.js'), ...args.slice(1)], {
      stdio: 'inherit', reject: false,
    });
    return r.exitCode ?? 1;
  }
  const vendors = selected();
  for (const v of Object.values(VENDORS)) {
    const have = installedVersion(v);
    const on = vendors.includes(v);
    say(`${v.name}: ${have ? `version ${have}` : 'not installed'}${on ? '' : ' (not selected)'}`);
  }
  const dir = path.dirname(self);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => vendors.some((v) => f.startsWith(`${v.id}.`) || f.startsWith('standins.')))
    .map((f) => path.join(dir, f));
  const r = await execa(
    process.execPath,
    ['--test', '--test-concurrency=1', '--test-timeout=900000', '--test-reporter=spec', ...files],
    // Always as on a CI machine (CI=true, GITHUB_ACTIONS=true, a CI_* name): orch must start agents
    // interactive anyway (Gemini CLI goes headless and exits on those markers).
    { stdio: 'inherit', reject: false, env: { ORCH_VENDORS: vendors.map((v) => v.id).join(','), CI: 'true', GITHUB_ACTIONS: 'true', CI_PIPELINE_ID: '1' } },
  );
  return r.exitCode ?? 1;
}

process.exitCode = await (process.env[INSIDE] === '1' ? inside() : outside());

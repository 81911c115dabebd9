import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { defaultRecord, renderRecord } from '../core/agent-record.js';
import { parseConfig } from '../core/config.js';
import { RefusedError } from '../core/errors.js';
import { fillTemplate } from '../core/template.js';
import { STATES } from '../core/states.js';
import { git, isRepo } from '../adapters/git.js';
import { withCommitLock } from '../adapters/lock.js';
import { reconcile } from '../adapters/reconcile.js';
import { shippedTemplate, TEMPLATES_DIR } from '../adapters/templates.js';
import type { Ctx } from '../cli/context.js';

const PROMPTS = ['claude-orchestrator.md', 'amp-orchestrator.md', 'amp-worker.md', 'antigravity-worker.md', 'codex-worker.md', 'task.md', 'reminder.md', 'handoff.md'];
const GITIGNORE_LINES = ['.orch/run/', '.orch/logs/'];

export interface InitOptions { example?: string; force?: boolean; json?: boolean }

/** Scaffold a workspace (SPEC §1); never overwrites an existing file without --force. */
export async function run(ctx: Ctx, opts: InitOptions): Promise<number> {
  const root = ctx.cwd;
  if (opts.example && opts.example !== 'palm-oil') throw new RefusedError(`unknown example "${opts.example}"`, 'the only example is palm-oil: orch init --example palm-oil');
  await mkdir(root, { recursive: true });
  if (!(await isRepo(root))) await git(root, ['init', '-q', '-b', 'main']);
  const written: string[] = [];
  const skipped: string[] = [];
  const put = async (rel: string, content: string) => {
    const abs = join(root, rel);
    if (existsSync(abs) && !opts.force) { skipped.push(rel); return; }
    await mkdir(join(abs, '..'), { recursive: true });
    await writeFile(abs, content);
    written.push(rel);
  };
  const palm = opts.example === 'palm-oil';
  const dir = basename(root);
  const configText = fillTemplate(shippedTemplate('config.yml'), {
    session: palm ? 'palm-oil-orchestration' : `${dir.replace(/[^A-Za-z0-9_.-]/g, '-')}-orchestration`,
    id_prefix: palm ? 'TASK-PO' : 'TASK',
  });
  await put('.orch/config.yml', configText);
  for (const p of PROMPTS) await put(`prompts/${p}`, shippedTemplate(`prompts/${p}`));
  for (const s of STATES) await put(`tasks/${s}/.gitkeep`, '');
  await put('handoff/.gitkeep', '');
  const cfgText = await readFile(join(root, '.orch/config.yml'), 'utf8');
  const parsed = parseConfig(cfgText, dir);
  if (!parsed.ok) throw new RefusedError(`.orch/config.yml is invalid: ${parsed.errors[0]?.message}`, 'fix it or run `orch init --force`');
  const cfg = parsed.value;
  for (const a of Object.values(cfg.agents)) await put(`status/${a.name}.md`, renderRecord(defaultRecord(a, cfg)));
  if (palm) {
    const exDir = join(TEMPLATES_DIR, 'examples/palm-oil');
    for (const f of readdirSync(exDir).filter((n) => n.endsWith('.md')).sort()) {
      await put(`tasks/pending/${f}`, await readFile(join(exDir, f), 'utf8'));
    }
  }
  const gitignoreChanged = await ensureGitignore(root);
  const r = await withCommitLock(root, () => reconcile(root, {
    cfg, subject: palm ? 'orch: init workspace (example palm-oil)' : 'orch: init workspace',
    extraPaths: gitignoreChanged ? ['.gitignore'] : [],
  }));
  if (opts.json) {
    ctx.stdout(JSON.stringify({ root, written, skipped, commit: r.commit }, null, 2));
  } else {
    ctx.stdout(`orch workspace ready in ${root}`);
    ctx.stdout(`  ${written.length} file(s) written${skipped.length ? `, ${skipped.length} kept (use --force to overwrite)` : ''}${r.commit ? `, committed ${r.commit.slice(0, 7)}` : ''}`);
    ctx.stdout('  next: orch new "My first task"   ·   orch list   ·   orch start');
  }
  return 0;
}

async function ensureGitignore(root: string): Promise<boolean> {
  const p = join(root, '.gitignore');
  const cur = existsSync(p) ? await readFile(p, 'utf8') : '';
  const have = new Set(cur.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l));
  if (!missing.length) return false;
  const sep = cur && !cur.endsWith('\n') ? '\n' : '';
  await writeFile(p, `${cur}${sep}${cur ? '\n' : ''}# orch: volatile runtime state and logs\n${missing.join('\n')}\n`);
  return true;
}

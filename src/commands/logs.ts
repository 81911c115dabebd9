import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import { LOGS_DIR } from '../adapters/paths.js';
import { findRoot } from '../adapters/workspace.js';
import { UsageError } from '../core/errors.js';
import type { Ctx } from '../cli/context.js';

/**
 * `orch logs [-f] [--name orchestration|monitor|dispatch|all] [-n N]` — the seed's
 * `tail -f logs/*.log`. With `all`, lines of the three logs are merged by their
 * timestamp (every line starts with one) and tagged with the log's name.
 */
const NAMES = ['orchestration', 'monitor', 'dispatch'] as const;

export async function run(ctx: Ctx, o: { follow?: boolean; name?: string; lines?: string }): Promise<number> {
  const name = o.name ?? 'all';
  if (name !== 'all' && !(NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`unknown log "${name}"`, `use one of: ${NAMES.join(', ')}, all`);
  }
  const n = Number(o.lines ?? '50');
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`-n expects a whole number, got "${o.lines}"`, 'e.g. orch logs -n 100');
  const root = findRoot(ctx.cwd);
  const dir = join(root, LOGS_DIR);
  const names = name === 'all' ? [...NAMES] : [name];
  const tag = (log: string, line: string) => (names.length > 1 ? `${line.slice(0, 24)} [${log}]${line.slice(24)}` : line);

  const offsets = new Map<string, number>();
  const tails: { log: string; line: string }[] = [];
  for (const log of names) {
    const file = join(dir, `${log}.log`);
    const size = existsSync(file) ? statSync(file).size : 0;
    offsets.set(log, size);
    for (const line of lastLines(file, size, n)) tails.push({ log, line });
  }
  tails.sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0)); // ISO timestamps sort as text
  for (const t of tails.slice(-n || tails.length)) ctx.stdout(tag(t.log, t.line));
  if (n === 0 && !o.follow) return 0;
  if (!o.follow) {
    if (!tails.length) ctx.stderr(`orch: no log lines yet in ${LOGS_DIR}/ (the daemon writes them: run \`orch watch\`)`);
    return 0;
  }

  mkdirSync(dir, { recursive: true });
  const partial = new Map<string, string>();
  const pump = (): void => {
    for (const log of names) {
      const file = join(dir, `${log}.log`);
      if (!existsSync(file)) continue;
      const fd = openSync(file, 'r');
      try {
        const size = fstatSync(fd).size;
        let from = offsets.get(log) ?? 0;
        if (size < from) from = 0; // truncated or rotated
        if (size === from) continue;
        const buf = Buffer.alloc(size - from);
        readSync(fd, buf, 0, buf.length, from);
        offsets.set(log, size);
        const text = (partial.get(log) ?? '') + buf.toString('utf8');
        const lines = text.split('\n');
        partial.set(log, lines.pop() ?? '');
        for (const line of lines) if (line) ctx.stdout(tag(log, line));
      } finally { closeSync(fd); }
    }
  };
  // fs.watch wakes us at once; the poll covers filesystems where it does not fire.
  const w = watch(dir, () => pump());
  const poll = setInterval(pump, 500);
  await new Promise<void>((resolve) => {
    const end = () => { w.close(); clearInterval(poll); resolve(); };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
  });
  return 0;
}

/** The last `n` complete lines of a file, reading only its tail. */
function lastLines(file: string, size: number, n: number): string[] {
  if (!size || !n) return [];
  const fd = openSync(file, 'r');
  try {
    let chunk = Math.min(size, 64 * 1024);
    for (;;) {
      const buf = Buffer.alloc(chunk);
      readSync(fd, buf, 0, chunk, size - chunk);
      const lines = buf.toString('utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      if (lines.length > n || chunk === size) return (chunk === size ? lines : lines.slice(1)).slice(-n);
      chunk = Math.min(size, chunk * 4);
    }
  } finally { closeSync(fd); }
}

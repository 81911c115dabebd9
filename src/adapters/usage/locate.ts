/**
 * Finding the file a CLI writes for one agent. Two agents of one vendor in one
 * workspace share a folder, so "the newest file" is never trusted when a
 * session id or a pid can decide.
 */
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { codexRolloutMeta, geminiChatSessionId } from './parse.js';

async function exists(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Claude Code's project key: the absolute cwd with every non-alphanumeric character turned into `-`. */
export function claudeProjectKey(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

/** `<config>/projects/<key>/<session>.jsonl`, else that session in any project folder. */
export async function findClaudeTranscript(configDir: string, cwd: string, sessionId: string): Promise<string | undefined> {
  const projects = path.join(configDir, 'projects');
  const direct = path.join(projects, claudeProjectKey(cwd), `${sessionId}.jsonl`);
  if (await exists(direct)) return direct;
  for (const d of await list(projects)) {
    const p = path.join(projects, d, `${sessionId}.jsonl`);
    if (await exists(p)) return p;
  }
  return undefined;
}

async function walk(dir: string, depth: number, out: string[], keep: (name: string) => boolean): Promise<void> {
  for (const name of await list(dir)) {
    const p = path.join(dir, name);
    if (keep(name)) out.push(p);
    else if (depth > 0 && !name.includes('.')) await walk(p, depth - 1, out, keep);
  }
}

/** Codex rollouts under `<codexHome>/sessions/YYYY/MM/DD/rollout-*.jsonl`. */
export async function codexRollouts(codexHome: string): Promise<string[]> {
  const out: string[] = [];
  await walk(path.join(codexHome, 'sessions'), 3, out, (n) => n.startsWith('rollout-') && n.endsWith('.jsonl'));
  return out;
}

/**
 * The rollout of a session id (its file name ends with the id); without an id,
 * the rollouts whose `session_meta.cwd` is `cwd`: the only one, or — when the
 * caller knows this CODEX_HOME belongs to this agent alone (`exclusive`) — the
 * newest, since each launch of the agent starts a new rollout there.
 */
export async function findCodexRollout(codexHome: string, cwd: string, sessionId?: string, exclusive = false): Promise<string | undefined> {
  const all = await codexRollouts(codexHome);
  if (sessionId) return all.find((p) => path.basename(p).endsWith(`-${sessionId}.jsonl`));
  const mine: { p: string; t: number }[] = [];
  for (const p of all) {
    const head = await readFile(p, 'utf8').then((t) => t.slice(0, 65536), () => '');
    if (codexRolloutMeta(head).cwd !== cwd) continue;
    mine.push({ p, t: await stat(p).then((s) => s.mtimeMs, () => 0) });
  }
  if (mine.length === 1) return mine[0]!.p;
  if (!exclusive || mine.length === 0) return undefined;
  // Newest by modification time; the file name (rollout-<timestamp>-<id>) breaks ties.
  mine.sort((a, b) => b.t - a.t || path.basename(b.p).localeCompare(path.basename(a.p)));
  return mine[0]!.p;
}

/** Gemini chat files under `<home>/.gemini/tmp/<project>/chats/`. */
export async function findGeminiChat(geminiDir: string, sessionId: string): Promise<string | undefined> {
  const tmp = path.join(geminiDir, 'tmp');
  const short = sessionId.slice(0, 8);
  for (const project of await list(tmp)) {
    const chats = path.join(tmp, project, 'chats');
    for (const name of await list(chats)) {
      if (!name.startsWith('session-') || !(name.endsWith(`-${short}.jsonl`) || name.endsWith(`-${short}.json`))) continue;
      const p = path.join(chats, name);
      const head = await readFile(p, 'utf8').then((t) => t.slice(0, 65536), () => '');
      const id = geminiChatSessionId(head);
      if (id === undefined || id === sessionId) return p;
    }
  }
  return undefined;
}

/** Amp thread `<dataDir>/threads/<threadId>.json`. */
export async function findAmpThread(dataDir: string, threadId: string): Promise<string | undefined> {
  const p = path.join(dataDir, 'threads', `${threadId}.json`);
  return (await exists(p)) ? p : undefined;
}

/** Every pid in the process tree under `pid` (Linux /proc), the root included. */
async function descendants(pid: number): Promise<number[]> {
  const out = [pid];
  for (let i = 0; i < out.length && out.length < 256; i++) {
    const kids = await readFile(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').catch(() => '');
    for (const k of kids.split(/\s+/).filter(Boolean)) out.push(Number(k));
  }
  return out;
}

/**
 * A file matching `test` that a process of the tree under `pid` holds open
 * (Codex keeps its rollout open while it runs): decides between two agents
 * sharing one sessions folder without any id.
 */
export async function openFileOf(pid: number, test: (p: string) => boolean): Promise<string | undefined> {
  for (const p of await descendants(pid)) {
    for (const fd of await list(`/proc/${p}/fd`)) {
      const target = await readlink(`/proc/${p}/fd/${fd}`).catch(() => '');
      if (target && test(target)) return target;
    }
  }
  return undefined;
}

import jsyaml from 'js-yaml';
import type YAMLNS from 'yaml';
import { yaml } from './yaml-lazy.js';
import { parseDuration } from './duration.js';
import { describeAjvError, validator } from './schema.js';
import { fail, ok, type Problem, type Result } from './result.js';

export type ProfileName = 'claude' | 'amp' | 'codex' | 'gemini' | 'sim';
export type UsageProbe = 'claude-code' | 'codex' | 'amp' | 'gemini' | 'pane' | 'file' | 'manual';

export interface UsageConfig {
  probe?: UsageProbe;
  window?: number;
  usable?: number | string;
  path?: string;
  pattern?: string;
}

export interface AgentConfig {
  name: string;
  profile: ProfileName;
  window: number;
  role: 'orchestrator' | 'worker';
  prompt: string | null;
  specialties: string[];
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  ready_pattern?: string;
  busy_patterns?: string[];
  waiting_patterns?: string[];
  idle_patterns?: string[];
  submit?: string[];
  settle_ms?: number;
  usage?: UsageConfig;
}

export interface Config {
  session: string;
  orchestrator: string;
  backup_orchestrator: string | null;
  agents: Record<string, AgentConfig>;
  daemon_window: number;
  task: { id_prefix: string; min_prompt_lines: number; required_sections: 'v2' | 'none' };
  monitor: { interval: number; idle_after: number; remind_after: number; max_reminders: number; lease: number; max_restarts_per_hour: number };
  dispatch: { auto: boolean; orchestrator_takes_tasks: 'preset-only' | 'never' | 'always' };
  handoff: { prepare_at: number; execute_at: number; file: string };
  git: { commit: boolean; no_verify: boolean };
  sync: { enabled: boolean; remote: string; interval: number };
  alerts: { command: string[] | null };
}

export const CONFIG_PATH = '.orch/config.yml';

const TOP_KEYS = ['session', 'orchestrator', 'backup_orchestrator', 'agents', 'daemon_window', 'task', 'monitor', 'dispatch', 'handoff', 'git', 'sync', 'alerts'];

/** Parse and validate `.orch/config.yml` text; errors carry line and column and the fix. */
export function parseConfig(text: string, dirName: string, path = CONFIG_PATH): Result<Config> {
  // Fast path: js-yaml + the precompiled validator. The yaml Document API (with
  // positions) is loaded only to explain an error.
  try {
    const raw = (jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) ?? {}) as Record<string, unknown>;
    if (typeof raw === 'object' && !Array.isArray(raw) && validator('config')(raw)) return semanticChecks(normalize(raw, dirName), path, text);
  } catch { /* explained below with positions */ }
  return explainConfig(text, dirName, path);
}

function explainConfig(text: string, dirName: string, path: string): Result<Config> {
  const { LineCounter, isNode } = yaml();
  const lc = new LineCounter();
  const doc = yaml().parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length) {
    return fail(doc.errors.map((e) => ({
      path, line: e.linePos?.[0]?.line ?? null, col: e.linePos?.[0]?.col ?? null,
      rule: 'config', severity: 'error' as const, message: `invalid YAML: ${e.message.split('\n')[0]}`,
    })));
  }
  const raw = (doc.toJS() ?? {}) as Record<string, unknown>;
  const validate = validator('config');
  if (!validate(raw)) {
    return fail((validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => {
      const d = describeAjvError(e);
      const node = doc.getIn(d.path.filter(Boolean), true) ?? doc.getIn(d.path.slice(0, -1), true);
      let line: number | null = null;
      let col: number | null = null;
      if (isNode(node) && node.range) {
        const pos = lc.linePos(node.range[0]);
        line = pos.line;
        col = pos.col;
      }
      const key = d.path[d.path.length - 1] ?? '';
      let message = `${d.path.join('.') || '(top level)'}: ${d.message}`;
      if (e.keyword === 'additionalProperties') {
        const parent = d.path.slice(0, -1);
        const candidates = parent.length === 0 ? TOP_KEYS : parent[0] === 'agents' && parent.length === 2 ? AGENT_KEYS : [];
        const guess = closest(key, candidates);
        if (guess) message += ` — did you mean "${guess}"?`;
        if (line === null) {
          const found = findKeyPosition(doc, lc, parent, key);
          if (found) ({ line, col } = found);
        }
      }
      return { path, line, col, rule: 'config', severity: 'error' as const, message };
    }));
  }
  return semanticChecks(normalize(raw, dirName), path, text);
}

const AGENT_KEYS = ['profile', 'window', 'role', 'prompt', 'specialties', 'command', 'args', 'env', 'ready_pattern', 'busy_patterns', 'waiting_patterns', 'idle_patterns', 'submit', 'settle_ms', 'usage'];

function findKeyPosition(doc: YAMLNS.Document, lc: YAMLNS.LineCounter, parent: string[], key: string): { line: number; col: number } | null {
  const map = parent.length ? doc.getIn(parent, true) : doc.contents;
  if (!yaml().isMap(map)) return null;
  for (const pair of map.items) {
    if (yaml().isNode(pair.key) && (pair.key as YAMLNS.Scalar).value === key && pair.key.range) return lc.linePos(pair.key.range[0]);
  }
  return null;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestD) { bestD = d; best = c; }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function normalize(raw: Raw, dirName: string): Config {
  const agents: Record<string, AgentConfig> = {};
  for (const [name, a] of Object.entries((raw.agents ?? {}) as Record<string, Raw>)) {
    agents[name] = {
      ...a,
      name,
      profile: a.profile ?? 'sim',
      window: a.window,
      role: a.role ?? 'worker',
      prompt: a.prompt ?? null,
      specialties: a.specialties ?? [],
    } as AgentConfig;
  }
  const names = Object.keys(agents);
  const m = (raw.monitor ?? {}) as Raw;
  const orchestrator = raw.orchestrator ?? names.find((n) => agents[n]!.role === 'orchestrator') ?? names[0]!;
  const backup = raw.backup_orchestrator ?? null;
  return {
    session: raw.session ?? `${dirName.replace(/[^A-Za-z0-9_.-]/g, '-')}-orchestration`,
    orchestrator,
    backup_orchestrator: backup,
    agents,
    daemon_window: raw.daemon_window ?? 2,
    task: { id_prefix: 'TASK', min_prompt_lines: 20, required_sections: 'v2', ...(raw.task ?? {}) },
    monitor: {
      interval: parseDuration(m.interval ?? '60s'),
      idle_after: parseDuration(m.idle_after ?? '90s'),
      remind_after: parseDuration(m.remind_after ?? '180s'),
      max_reminders: m.max_reminders ?? 3,
      lease: parseDuration(m.lease ?? '30m'),
      max_restarts_per_hour: m.max_restarts_per_hour ?? 3,
    },
    dispatch: { auto: true, orchestrator_takes_tasks: 'preset-only', ...(raw.dispatch ?? {}) },
    handoff: {
      prepare_at: 90,
      execute_at: 98,
      file: `handoff/${orchestrator}_to_${backup ?? 'backup'}.md`,
      ...(raw.handoff ?? {}),
    },
    git: { commit: true, no_verify: false, ...(raw.git ?? {}) },
    sync: { enabled: false, remote: 'origin', ...(raw.sync ?? {}), interval: parseDuration(raw.sync?.interval ?? '15s') },
    alerts: { command: raw.alerts?.command ?? null },
  };
}

/** Cross-field rules the schema cannot express. */
function semanticChecks(cfg: Config, path: string, text: string): Result<Config> {
  const errs: Problem[] = [];
  const lineOf = (needle: string): number | null => {
    const i = text.split('\n').findIndex((l) => l.includes(needle));
    return i >= 0 ? i + 1 : null;
  };
  const names = Object.keys(cfg.agents);
  for (const key of ['orchestrator', 'backup_orchestrator'] as const) {
    const v = cfg[key];
    if (v && !cfg.agents[v]) {
      errs.push({ path, line: lineOf(`${key}:`), rule: 'config', severity: 'error', message: `${key}: "${v}" is not an agent in agents (known: ${names.join(', ')})` });
    }
  }
  const windows = new Map<number, string>();
  for (const a of Object.values(cfg.agents)) {
    const other = windows.get(a.window);
    if (other) errs.push({ path, line: lineOf(`${a.name}:`), rule: 'config', severity: 'error', message: `agents.${a.name}.window ${a.window} is already used by ${other}; give each agent its own window index` });
    windows.set(a.window, a.name);
  }
  if (windows.has(cfg.daemon_window)) {
    errs.push({ path, line: lineOf('daemon_window'), rule: 'config', severity: 'error', message: `daemon_window ${cfg.daemon_window} is also agent ${windows.get(cfg.daemon_window)}'s window; choose a free index` });
  }
  if (cfg.handoff.prepare_at > cfg.handoff.execute_at) {
    errs.push({ path, line: lineOf('prepare_at'), rule: 'config', severity: 'error', message: 'handoff.prepare_at must not be above handoff.execute_at' });
  }
  for (const a of Object.values(cfg.agents)) {
    for (const p of [a.ready_pattern, ...(a.busy_patterns ?? []), ...(a.waiting_patterns ?? []), ...(a.idle_patterns ?? []), a.usage?.pattern]) {
      if (p === undefined) continue;
      try { new RegExp(p); } catch (e) {
        errs.push({ path, line: lineOf(p.slice(0, 20)), rule: 'config', severity: 'error', message: `agents.${a.name}: invalid regular expression ${JSON.stringify(p)}: ${(e as Error).message}` });
      }
    }
  }
  return errs.length ? fail(errs) : ok(cfg);
}

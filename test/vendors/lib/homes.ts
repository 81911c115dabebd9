/**
 * First-run configuration for each CLI in a throwaway HOME, so none of them
 * shows an onboarding, login, trust or update dialog, and none of them sends
 * anything but model requests — to the stand-in on 127.0.0.1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { VendorId } from './vendors.js';

export interface AgentEnvInput {
  home: string;
  workspace: string;
  baseUrl: string;
  /** Every API key that will be used in this HOME (one per agent). */
  apiKeys: string[];
  /** Codex: one CODEX_HOME per agent (default: the single `<home>/.codex`). */
  codexHomes?: string[];
}

export const defaultCodexHome = (home: string): string => path.join(home, '.codex');

function claudeHome(i: AgentEnvInput): void {
  const cfg = {
    hasCompletedOnboarding: true,
    bypassPermissionsModeAccepted: true,
    customApiKeyResponses: { approved: i.apiKeys.map((k) => k.slice(-20)), rejected: [] },
    projects: { [i.workspace]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true, allowedTools: [] } },
  };
  writeFileSync(path.join(i.home, '.claude.json'), JSON.stringify(cfg, null, 2));
}

export const CODEX_KEY_ENV = 'ORCH_STANDIN_API_KEY';

function codexHome(i: AgentEnvInput, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const toml = [
    'model = "gpt-5-codex"',
    'model_provider = "standin"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.standin]',
    'name = "standin"',
    `base_url = "${i.baseUrl}/v1"`,
    `env_key = "${CODEX_KEY_ENV}"`,
    'wire_api = "responses"',
    '',
    `[projects."${i.workspace}"]`,
    'trust_level = "trusted"',
    '',
    '[analytics]',
    'enabled = false',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'config.toml'), toml);
}

function geminiHome(i: AgentEnvInput): void {
  const dir = path.join(i.home, '.gemini');
  mkdirSync(dir, { recursive: true });
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true },
    ui: { hideTips: true },
  };
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

export function prepareHome(vendor: VendorId, i: AgentEnvInput): void {
  mkdirSync(i.home, { recursive: true });
  if (vendor === 'claude') claudeHome(i);
  else if (vendor === 'codex') for (const dir of i.codexHomes ?? [defaultCodexHome(i.home)]) codexHome(i, dir);
  else geminiHome(i);
}

/** Environment of one agent's process (on top of a minimal PATH/TERM). */
export function agentEnv(vendor: VendorId, i: AgentEnvInput, apiKey: string, codexHome = defaultCodexHome(i.home)): Record<string, string> {
  const base = { HOME: i.home, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  if (vendor === 'claude') {
    return {
      ...base,
      ANTHROPIC_BASE_URL: i.baseUrl,
      ANTHROPIC_API_KEY: apiKey,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      IS_SANDBOX: '1',
    };
  }
  if (vendor === 'codex') return { ...base, [CODEX_KEY_ENV]: apiKey, CODEX_HOME: codexHome };
  return { ...base, GOOGLE_GEMINI_BASE_URL: i.baseUrl, GEMINI_API_KEY: apiKey };
}

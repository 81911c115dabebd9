/**
 * The vendor CLIs under test: npm package, pinned version, where they are
 * installed (git-ignored `.vendors/<id>`), and the argv that starts them.
 * Installing happens outside the network namespace (it needs the registry);
 * starting happens only inside it (see isolation.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.js';

export type VendorId = 'claude' | 'codex' | 'gemini';

export interface Vendor {
  id: VendorId;
  name: string;
  pkg: string;
  version: string;
  /** Path under .vendors/<id>/node_modules of the file that starts the CLI. */
  entry: string;
  /** The entry is a JS file run by node (else a native binary). */
  node: boolean;
}

export const VENDORS: Record<VendorId, Vendor> = {
  claude: {
    id: 'claude', name: 'Claude Code', pkg: '@anthropic-ai/claude-code', version: '2.1.328',
    // The wrapper's postinstall may not run; the native binary of the optional dep is the CLI itself.
    entry: '@anthropic-ai/claude-code-linux-x64/claude', node: false,
  },
  codex: {
    id: 'codex', name: 'Codex CLI', pkg: '@openai/codex', version: '0.169.0',
    entry: '@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex', node: false,
  },
  gemini: {
    id: 'gemini', name: 'Gemini CLI', pkg: '@google/gemini-cli', version: '0.61.0',
    entry: '@google/gemini-cli/bundle/gemini.js', node: true,
  },
};

export function vendorDir(v: Vendor): string {
  return path.join(repoRoot(), '.vendors', v.id);
}

export function entryPath(v: Vendor): string {
  return path.join(vendorDir(v), 'node_modules', v.entry);
}

/** The installed version, from the package's own package.json; undefined when absent. */
export function installedVersion(v: Vendor): string | undefined {
  const pj = path.join(vendorDir(v), 'node_modules', v.pkg, 'package.json');
  if (!existsSync(pj) || !existsSync(entryPath(v))) return undefined;
  try {
    return (JSON.parse(readFileSync(pj, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** argv that starts the CLI (before its own arguments). */
export function command(v: Vendor): string[] {
  return v.node ? [process.execPath, entryPath(v)] : [entryPath(v)];
}

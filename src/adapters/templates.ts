import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PROMPTS_DIR } from './paths.js';

/** The templates/ folder shipped with orch (dist/src/adapters → repo root). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

export function shippedTemplate(rel: string): string {
  return readFileSync(join(TEMPLATES_DIR, rel), 'utf8');
}

/** A workspace prompt (prompts/<name>), or the shipped one when the workspace has none. */
export async function readPrompt(root: string, name: string): Promise<string> {
  return readFile(join(root, PROMPTS_DIR, name), 'utf8').catch(() => shippedTemplate(`${PROMPTS_DIR}/${name}`));
}

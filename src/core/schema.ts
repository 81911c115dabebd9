import type { ErrorObject, ValidateFunction } from 'ajv';

/**
 * Validators for schema/*.schema.json, precompiled by ajv at build time
 * (scripts/build-schemas.mjs → dist/validators/), so no command pays for
 * loading and compiling ajv at start.
 */
const load = async (name: string): Promise<ValidateFunction> =>
  ((await import(new URL(`../../validators/${name}.js`, import.meta.url).href)) as { default: ValidateFunction }).default;

const validators = { task: await load('task'), config: await load('config') };

export function validator(name: 'task' | 'config'): ValidateFunction {
  return validators[name];
}

/** `/agents/amp/window` → `agents.amp.window`; a readable ajv message. */
export function describeAjvError(e: ErrorObject): { path: string[]; message: string } {
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    path.push(extra ?? '');
    message = `unknown key "${extra}"`;
  } else if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    message = `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
  } else if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    message = `missing required key "${missing}"`;
  }
  return { path, message };
}

import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

/** Compiled validator for one of the shipped schemas (schema/<name>.schema.json). */
export function validator(name: 'task' | 'config'): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    ajv ??= new Ajv({ allErrors: true, strict: false });
    const schema = require(`../../../schema/${name}.schema.json`) as object;
    v = ajv.compile(schema);
    cache.set(name, v);
  }
  return v;
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

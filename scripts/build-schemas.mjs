// Precompile schema/*.schema.json into standalone ajv validators (dist/validators/*.js),
// so commands do not load and compile ajv at every start (~75 ms saved per command).
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

mkdirSync('dist/validators', { recursive: true });
for (const name of ['task', 'config']) {
  const schema = JSON.parse(readFileSync(`schema/${name}.schema.json`, 'utf8'));
  const ajv = new Ajv.default({ allErrors: true, strict: false, code: { source: true, esm: true } });
  const validate = ajv.compile(schema);
  // Standalone ESM output still uses require() for one runtime helper: turn it into an import.
  const code = standaloneCode.default(ajv, validate)
    .replace(/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g, 'ucs2lengthMod.default');
  writeFileSync(`dist/validators/${name}.js`, `import ucs2lengthMod from "ajv/dist/runtime/ucs2length.js";\n${code}`);
}
console.log('schemas compiled to dist/validators/');

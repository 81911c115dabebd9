import { createRequire } from 'node:module';

type YamlLib = typeof import('yaml');
const require = createRequire(import.meta.url);
let lib: YamlLib | undefined;

/**
 * The `yaml` library (Document API: comments and positions), loaded on first
 * use. Hot paths parse with js-yaml; `yaml` is only needed to edit a file or
 * to point at the line of a config error, so commands that do neither skip its
 * ~45 ms load.
 */
export function yaml(): YamlLib {
  return (lib ??= require('yaml') as YamlLib);
}

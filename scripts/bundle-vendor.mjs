// Bundle the third-party modules re-exported by src/vendor/*.ts into one file each, in place of
// tsc's plain re-export (docs/performance.md, "start-up"). A missing esbuild (an install without
// dev dependencies) keeps the re-export, which works the same, only slower to load.
import { readdirSync } from 'node:fs';

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.log('esbuild not installed: vendor modules left unbundled');
  process.exit(0);
}
const dir = 'dist/src/vendor';
// esbuild's own postinstall is not needed (its platform binary is an optional dependency):
// package.json's allowScripts denies it. Any failure here keeps the working re-export.
try {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.js'))) {
    await esbuild.build({
      entryPoints: [`${dir}/${f}`], outfile: `${dir}/${f}`, allowOverwrite: true,
      bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
    });
  }
  console.log(`vendor modules bundled into ${dir}/`);
} catch (e) {
  console.log(`esbuild failed (${e instanceof Error ? e.message.split('\n')[0] : e}): vendor modules left unbundled`);
}

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
      // CommonJS inside an ESM bundle still calls require() for node's own modules and may read
      // __filename / __dirname (write-file-atomic seeds its temp names with it).
      banner: {
        js: [
          "import { createRequire as __orchRequire } from 'node:module';",
          "import { fileURLToPath as __orchPath } from 'node:url';",
          'const require = __orchRequire(import.meta.url);',
          'const __filename = __orchPath(import.meta.url);',
          "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
        ].join(' '),
      },
    });
  }
  console.log(`vendor modules bundled into ${dir}/`);
} catch (e) {
  console.log(`esbuild failed (${e instanceof Error ? e.message.split('\n')[0] : e}): vendor modules left unbundled`);
}

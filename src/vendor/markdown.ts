/**
 * The markdown serializer (remark's mdast-util-to-markdown with GFM tables),
 * re-exported from one module: `npm run build` replaces the compiled file with
 * a single-file bundle of both packages (scripts/bundle-vendor.mjs), because
 * loading their ~70 ESM files took ~40 ms of every rendering command's start.
 * Without esbuild (a production install) the plain re-export below is used.
 */
export { toMarkdown } from 'mdast-util-to-markdown';
export type { Options } from 'mdast-util-to-markdown';
export { gfmTableToMarkdown } from 'mdast-util-gfm-table';

/** commander, bundled into one file at build time (see src/vendor/markdown.ts). */
export { Command, CommanderError, Option } from 'commander';

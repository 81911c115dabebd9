/**
 * proper-lockfile and write-file-atomic (CommonJS, with graceful-fs, retry,
 * signal-exit…), bundled into one file at build time (see src/vendor/markdown.ts).
 */
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';

export { lockfile, writeFileAtomic };

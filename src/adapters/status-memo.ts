import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../vendor/files.js';
import { recallBlocks, rememberedBlocks, STATUS_FORMAT } from '../core/status-render.js';
import { RUN_DIR } from './paths.js';

/**
 * The status file's serialized blocks shared between orch processes
 * (`.orch/run/status-blocks.json`, a few tens of KB): serializing the tables is
 * most of a cold render, and between two commits most sections are the same.
 * A block is reused only for the very same mdast (its JSON is the key).
 */
const FILE = 'status-blocks.json';
const loaded = new Set<string>();

/** Once per process and workspace, before its first render. */
export function loadStatusMemo(root: string): void {
  if (loaded.has(root)) return;
  loaded.add(root);
  try {
    const doc = JSON.parse(readFileSync(join(root, RUN_DIR, FILE), 'utf8')) as { format?: number; blocks?: [string, string][] };
    if (doc.format === STATUS_FORMAT && Array.isArray(doc.blocks)) recallBlocks(doc.blocks.filter((b) => Array.isArray(b) && b.length === 2));
  } catch { /* absent or unreadable: serialize everything */ }
}

/** After a render that changed the status file: write its blocks down. */
export function saveStatusMemo(root: string): void {
  const blocks = rememberedBlocks();
  try { writeFileAtomic.sync(join(root, RUN_DIR, FILE), JSON.stringify({ format: STATUS_FORMAT, blocks }), { fsync: false }); } catch { /* a cache only */ }
}

import { RefusedError, UsageError } from '../core/errors.js';
import { isValidId } from '../core/ids.js';
import { findDuplicates } from '../core/integrity.js';
import type { Task } from '../core/task.js';
import type { TaskScan } from './store.js';

/** Validate a user-given id before it goes anywhere near a path. */
export function checkId(id: string): string {
  if (!isValidId(id)) {
    throw new UsageError(`invalid task id ${JSON.stringify(id)}`, 'ids look like TASK-PO-025: capitals and digits in dash-separated parts, ending in a number');
  }
  return id;
}

/** The one valid task with this id; refuses when absent, broken or duplicated. */
export function findTask(scan: TaskScan, id: string): Task {
  checkId(id);
  const matches = scan.tasks.filter((t) => t.id === id);
  if (matches.length === 0) {
    const broken = scan.invalid.find((p) => p.path.split('/').pop()!.startsWith(id));
    if (broken) throw new RefusedError(`task ${id} is in an invalid file: ${broken.path}${broken.line ? `:${broken.line}` : ''}: ${broken.message}`, 'fix the file (orch lint shows every problem)');
    throw new RefusedError(`task not found: ${id}`, 'see `orch list` for the ids');
  }
  if (matches.length > 1) {
    const dup = findDuplicates(matches)[0];
    throw new RefusedError(`task ${id} exists ${matches.length} times: ${matches.map((t) => t.path).join(', ')}`, dup?.rule === 'two-folders' ? 'run `orch doctor --fix`' : 'give one of them a new id');
  }
  return matches[0]!;
}

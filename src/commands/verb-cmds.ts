import { UsageError } from '../core/errors.js';
import { isState } from '../core/states.js';
import type { Ctx } from '../cli/context.js';
import { runVerb } from './verbs.js';

type O = { agent?: string; force?: boolean; note?: string; reason?: string; json?: boolean };

export const claim = (ctx: Ctx, id: string, o: O) => runVerb(ctx, 'claim', id, o);
export const done = (ctx: Ctx, id: string, o: O) => runVerb(ctx, 'done', id, o);
export const block = (ctx: Ctx, id: string, o: O) => runVerb(ctx, 'block', id, o);
export const reopen = (ctx: Ctx, id: string, o: O) => runVerb(ctx, 'reopen', id, o);
export const release = (ctx: Ctx, id: string, o: O) => runVerb(ctx, 'release', id, o);
export const move = (ctx: Ctx, id: string, state: string, o: O) => {
  if (!isState(state)) throw new UsageError(`unknown state "${state}"`, 'use pending, in_progress, completed or blocked');
  return runVerb(ctx, 'move', id, { ...o, to: state });
};

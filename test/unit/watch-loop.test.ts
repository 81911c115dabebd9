import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WatchLoop, type RoundHint } from '../../src/daemon/watch-loop.js';
import { waitFor } from '../helpers/index.js';

/** The state machine alone, with a scripted round: no files, no git. */
function harness(opts: { debounceMs?: number; maxWaitMs?: number; quickMs?: number } = {}) {
  const rounds: RoundHint[] = [];
  const states: string[] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const loop = new WatchLoop({
    debounceMs: opts.debounceMs ?? 5,
    maxWaitMs: opts.maxWaitMs ?? 1000,
    quickMs: opts.quickMs,
    onState: (s) => states.push(s),
    round: async (hint) => { rounds.push(hint); if (gate) await gate; },
  });
  return {
    loop, rounds, states,
    hold() { gate = new Promise((r) => { release = r; }); },
    release() { gate = undefined; release?.(); },
  };
}

const until = (f: () => boolean, what: string) => waitFor(f, what, 2000, 1);

describe('WatchLoop', () => {
  it('debounces a burst of pokes into one round with the union of their paths', async () => {
    const h = harness();
    for (let i = 0; i < 100; i++) h.loop.poke([`tasks/pending/T-${i}.md`]);
    assert.equal(h.loop.stateName, 'debouncing');
    await until(() => h.rounds.length === 1, 'one round');
    await h.loop.whenIdle();
    assert.equal(h.rounds[0]!.paths.size, 100);
    assert.deepEqual(h.states, ['debouncing', 'running', 'watching']);
  });

  it('collapses every event during a round into exactly one queued round', async () => {
    const h = harness();
    h.hold();
    h.loop.poke(['a']);
    await until(() => h.rounds.length === 1, 'first round running');
    for (let i = 0; i < 50; i++) h.loop.poke([`b${i}`]);
    assert.equal(h.loop.stateName, 'queued');
    h.release();
    await until(() => h.rounds.length === 2, 'the queued round');
    await h.loop.whenIdle();
    assert.equal(h.rounds.length, 2);
    assert.equal(h.rounds[1]!.paths.size, 50);
    assert.deepEqual(h.states, ['debouncing', 'running', 'queued', 'debouncing', 'running', 'watching']);
  });

  it('a lone batch of events runs after quickMs; a batch followed by more events waits for the debounce', async () => {
    const h = harness({ debounceMs: 400, quickMs: 1 });
    const t0 = Date.now();
    h.loop.poke(['tasks/pending/A.md']);
    h.loop.poke(['tasks/in_progress/A.md']); // same turn: one rename's two events
    await until(() => h.rounds.length === 1, 'the quick round');
    assert.ok(Date.now() - t0 < 300, `a lone batch waited ${Date.now() - t0} ms, the debounce is 400`);
    assert.equal(h.rounds[0]!.paths.size, 2);
    await h.loop.whenIdle();

    const t1 = Date.now();
    h.loop.poke(['b1']);
    await new Promise((r) => setImmediate(r)); // a later turn: a burst or a multi-step save
    h.loop.poke(['b2']);
    await until(() => h.rounds.length === 2, 'the debounced round');
    assert.ok(Date.now() - t1 >= 390, `a second batch must wait for the debounce (ran after ${Date.now() - t1} ms)`);
    assert.deepEqual([...h.rounds[1]!.paths], ['b1', 'b2']);
  });

  it('a lone batch that arrives while a round runs is quick too once the round ends', async () => {
    const h = harness({ debounceMs: 400, quickMs: 1 });
    h.hold();
    h.loop.poke(['first']);
    await until(() => h.rounds.length === 1, 'first round running');
    h.loop.poke(['tasks/pending/B.md']);
    h.loop.poke(['tasks/in_progress/B.md']);
    const t0 = Date.now();
    h.release();
    await until(() => h.rounds.length === 2, 'the queued round');
    assert.ok(Date.now() - t0 < 300, `the queued lone batch waited ${Date.now() - t0} ms, the debounce is 400`);
    assert.equal(h.rounds[1]!.paths.size, 2);
  });

  it('a steady stream of events cannot postpone a round past maxWaitMs', async () => {
    const h = harness({ debounceMs: 50, maxWaitMs: 60 });
    const t0 = Date.now();
    const timer = setInterval(() => h.loop.poke(['x']), 5);
    await until(() => h.rounds.length >= 1, 'a round despite the stream');
    clearInterval(timer);
    assert.ok(Date.now() - t0 < 1000);
  });

  it('stop() finishes the round in flight, runs one last round for later events, then stops', async () => {
    const h = harness({ debounceMs: 10_000 });
    h.loop.poke(['pending-at-stop']);
    await h.loop.stop();
    assert.equal(h.rounds.length, 1);
    assert.ok(h.rounds[0]!.paths.has('pending-at-stop'));
    assert.equal(h.loop.stateName, 'stopped');
    h.loop.poke(['ignored']);
    assert.equal(h.rounds.length, 1);
  });

  it('a failing round is retried with a full sweep', async () => {
    let n = 0;
    const hints: RoundHint[] = [];
    const errors: unknown[] = [];
    const loop = new WatchLoop({
      debounceMs: 1, maxWaitMs: 10, onError: (e) => errors.push(e),
      round: async (h) => { hints.push(h); if (n++ === 0) throw new Error('git busy'); },
    });
    loop.poke(['a']);
    await until(() => hints.length === 2, 'the retry');
    assert.equal(errors.length, 1);
    assert.equal(hints[1]!.full, true);
    await loop.stop();
  });
});

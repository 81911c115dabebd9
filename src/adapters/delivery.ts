/**
 * Verified prompt delivery (SPEC §9): the one implementation behind `orch
 * send`, dispatch, reminders, role prompts and the handoff.
 *
 *   lock pane → leave copy mode → wait ready → draft check (queue if a human
 *   is typing) → sanitize → load-buffer + paste-buffer -p -r -d → settle →
 *   submit keys → verify (busy / composer cleared / hook event) → resubmit ≤3×
 *
 * What must stay true: success is reported only after a verification signal;
 * two senders never interleave on one pane (proper-lockfile, across processes);
 * a human's unsent draft is never pasted over; nothing but text, \n and \t
 * ever reaches the pane through the paste.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lockfile } from '../vendor/files.js';
import type { Config } from '../core/config.js';
import { alert } from './alert.js';
import { hookFile, latestHookEvent } from './hook-events.js';
import type { Logger } from './logger.js';
import { runPath } from './paths.js';
import { readPane, screenTail, type PaneRead } from './pane-state.js';
import { resolveProfile, type Profile } from './profiles/index.js';
import { sanitize } from './sanitize.js';
import { Tmux } from './tmux.js';

export { sanitize } from './sanitize.js';

export interface DeliverOptions {
  /** Overall deadline: lock, ready, paste, verification (default 60 s). */
  timeoutMs?: number;
  log?: Logger;
  /** Deliver even when the agent looks busy (CLIs queue what is typed while they work). */
  force?: boolean;
  /**
   * `false`: when a human draft (or older queued messages) is in the way, fail
   * instead of queueing. For messages that must not arrive later out of
   * context: a dispatch whose claim is undone on failure.
   */
  queue?: boolean;
}

export type DeliverResult =
  | { ok: true; attempts: number; verifiedBy: string }
  | { ok: false; reason: string; queued?: boolean };

const POLL_MS = 40;
/** How long each submit gets to show an effect before the keys are sent again. */
const VERIFY_WINDOW_MS = 2000;
const MAX_SUBMITS = 4; // the first submit + 3 resends
/** How long a paste may take to show in the composer before the submit keys go anyway. */
const PASTE_DRAW_MS = 3000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const targetOf = (cfg: Config, agent: string): string => `=${cfg.session}:${cfg.agents[agent]!.window}`;
export const queueDir = (root: string, agent: string): string => runPath(root, 'queue', agent);

/** Deliver `text` to `agent`'s pane and verify that the agent took it. */
export async function deliver(root: string, cfg: Config, agent: string, text: string, opts: DeliverOptions = {}): Promise<DeliverResult> {
  const a = cfg.agents[agent];
  if (!a) return { ok: false, reason: `unknown agent "${agent}" (known: ${Object.keys(cfg.agents).join(', ')})` };
  const clean = sanitize(text);
  if (!clean.trim()) return { ok: false, reason: 'nothing to send: the message is empty after removing control characters' };
  const d = new Delivery(root, cfg, agent, resolveProfile(a), opts);
  const r: DeliverResult = await d.withLock(async (): Promise<DeliverResult> => {
    const ready = await d.waitReady();
    if ('reason' in ready) return ready;
    if (ready.composer) {
      if (opts.queue === false) return { ok: false as const, reason: `${agent}'s input box holds an unsent draft ("${ready.composer.slice(0, 40)}"); not delivered` };
      const q = await d.queue(clean, ready.composer);
      return q;
    }
    // Older queued messages go first, in order.
    const flushed = await d.flushInLock(ready);
    if (!flushed.ok) {
      if (opts.queue === false) return { ok: false as const, reason: `undelivered queued messages are in the way: ${flushed.reason}` };
      await d.queue(clean, null);
      return { ok: false as const, queued: true, reason: `queued behind undelivered messages: ${flushed.reason}` };
    }
    return d.pasteAndSubmit(clean);
  });
  if (!r.ok && !r.queued) d.fail(r.reason);
  else if (r.ok) d.log(`delivered ${clean.length} chars to ${agent} (${r.verifiedBy}, ${r.attempts} submit${r.attempts > 1 ? 's' : ''})`);
  return r;
}

/**
 * Deliver the messages queued for `agent` (because a human draft was in the
 * way) once its input box is clear. Returns how many were delivered.
 */
export async function flushQueue(root: string, cfg: Config, agent: string, opts: DeliverOptions = {}): Promise<{ delivered: number; remaining: number; reason?: string }> {
  const a = cfg.agents[agent];
  if (!a) return { delivered: 0, remaining: 0, reason: `unknown agent "${agent}"` };
  if ((await queuedFiles(root, agent)).length === 0) return { delivered: 0, remaining: 0 };
  const d = new Delivery(root, cfg, agent, resolveProfile(a), opts);
  const r = await d.withLock(async () => {
    const ready = await d.waitReady();
    if ('reason' in ready) return { ok: false as const, reason: ready.reason };
    if (ready.composer) return { ok: false as const, reason: `a draft is still in ${agent}'s input box` };
    return d.flushInLock(ready);
  });
  const remaining = (await queuedFiles(root, agent)).length;
  const delivered = d.flushed;
  return r.ok ? { delivered, remaining } : { delivered, remaining, reason: r.reason };
}

export async function queuedFiles(root: string, agent: string): Promise<string[]> {
  const dir = queueDir(root, agent);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.json')).sort().map((n) => join(dir, n));
}

class Delivery {
  readonly tmux = new Tmux();
  readonly target: string;
  readonly deadline: number;
  flushed = 0;
  constructor(readonly root: string, readonly cfg: Config, readonly agent: string, readonly p: Profile, readonly opts: DeliverOptions) {
    this.target = targetOf(cfg, agent);
    this.deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  }

  log(m: string): void { this.opts.log?.info(m); }
  fail(reason: string): void {
    this.opts.log?.warn(`delivery to ${this.agent} failed: ${reason}`);
    alert(this.root, this.cfg, `delivery to ${this.agent} failed: ${reason}`);
  }

  /** One sender per pane across processes; waits for the lock until the deadline. */
  async withLock<T extends { ok: boolean; reason?: string }>(fn: () => Promise<T>): Promise<T | { ok: false; reason: string }> {
    const dir = runPath(this.root);
    mkdirSync(dir, { recursive: true });
    let release: (() => Promise<void>) | undefined;
    for (;;) {
      try {
        // proper-lockfile keys its in-process lock table by the locked path (not lockfilePath): lock one path per
        // pane so parallel deliveries in one process (orch start) and the commit lock never share an entry.
        release = await lockfile.lock(runPath(this.root, `pane-${this.agent}`), {
          lockfilePath: runPath(this.root, `pane-${this.agent}.lock`), realpath: false, stale: 20_000, update: 5_000, retries: 0,
          // Someone removed or took over our lock (a stale-lock cleanup): finish this paste, but say so.
          onCompromised: (err) => this.opts.log?.warn(`pane lock for ${this.agent} compromised: ${err.message}`),
        });
        break;
      } catch (e) {
        if ((e as { code?: string }).code !== 'ELOCKED') throw e;
        if (Date.now() > this.deadline) return { ok: false, reason: `another delivery to ${this.agent} held the pane lock until the deadline` };
        await sleep(POLL_MS);
      }
    }
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  async look(): Promise<PaneRead | null> {
    return readPane(this.tmux, this.target, this.p);
  }

  /** Leave copy mode, then wait until the agent shows its input box and is not busy or asking. */
  async waitReady(): Promise<PaneRead | { ok: false; reason: string }> {
    let last: PaneRead | null = null;
    for (;;) {
      last = await this.look();
      if (!last) return { ok: false, reason: `no tmux window ${this.target} for ${this.agent} (is the session started? run \`orch start\`)` };
      if (last.state === 'dead') return { ok: false, reason: `${this.agent}'s process has exited (pane dead); \`orch start\` restarts it` };
      if (last.info.inMode) { await this.tmux.cancelCopyMode(last.info.paneId); continue; }
      if (last.state === 'idle' && last.composer !== null) return last;
      if (this.opts.force && last.state === 'busy' && last.composer !== null) return last;
      if (Date.now() > this.deadline) {
        const why = last.state === 'waiting' ? 'is waiting for a human answer (permission or question)' : last.state === 'busy' ? 'stayed busy' : 'never showed its input box';
        return { ok: false, reason: `${this.agent} ${why} before the deadline; the pane shows:\n${screenTail(last.screen)}` };
      }
      await sleep(POLL_MS * 2);
    }
  }

  /** A human is typing: keep the message for later and tell someone. */
  async queue(clean: string, draft: string | null): Promise<{ ok: false; reason: string; queued: true }> {
    const dir = queueDir(this.root, this.agent);
    mkdirSync(dir, { recursive: true });
    const name = `${Date.now().toString().padStart(15, '0')}-${randomBytes(3).toString('hex')}.json`;
    await writeFile(join(dir, `${name}.tmp`), JSON.stringify({ agent: this.agent, queuedAt: new Date().toISOString(), text: clean }));
    await rename(join(dir, `${name}.tmp`), join(dir, name));
    const reason = draft
      ? `${this.agent}'s input box holds an unsent draft ("${draft.slice(0, 40)}"); the message is queued in .orch/run/queue/${this.agent}/ and will be delivered once the box is clear`
      : `the message is queued in .orch/run/queue/${this.agent}/`;
    alert(this.root, this.cfg, reason);
    return { ok: false, reason, queued: true };
  }

  async flushInLock(ready: PaneRead): Promise<{ ok: true } | { ok: false; reason: string }> {
    void ready;
    for (const file of await queuedFiles(this.root, this.agent)) {
      const item = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as { text?: string };
      if (!item.text) { await rm(file, { force: true }); continue; }
      const again = await this.waitReady();
      if ('reason' in again) return { ok: false, reason: again.reason };
      if (again.composer) return { ok: false, reason: `a draft is still in ${this.agent}'s input box` };
      const r = await this.pasteAndSubmit(item.text);
      if (!r.ok) return r;
      await rm(file, { force: true });
      this.flushed++;
      this.log(`delivered a queued message to ${this.agent} (${r.verifiedBy})`);
    }
    return { ok: true };
  }

  async pasteAndSubmit(clean: string): Promise<DeliverResult> {
    const pane = (await this.tmux.pane(this.target))?.paneId;
    if (!pane) return { ok: false, reason: `no tmux window ${this.target}` };
    await this.tmux.paste(pane, clean, `orch-${process.pid}-${randomBytes(4).toString('hex')}`);
    await sleep(this.p.settle_ms); // part of the protocol: CLIs that treat a fast Enter after a paste as a newline
    let before = await this.look();
    if (before?.composer === '') {
      // A busy machine can draw the paste later than settle_ms: submit only once the composer shows it (then
      // "composer cleared" can verify a submit the agent answers too fast to ever look busy), and settle again.
      const drawBy = Math.min(this.deadline, Date.now() + PASTE_DRAW_MS);
      while (before?.composer === '' && Date.now() < drawBy) { await sleep(POLL_MS); before = await this.look(); }
      if (before?.composer) await sleep(this.p.settle_ms);
    }
    const pasted = before?.composer ?? '';
    // Delivering with --force to an agent already busy (or asking): its busy screen says nothing about our submit.
    const busyBefore = before?.state === 'busy' || before?.state === 'waiting';
    for (let attempt = 1; attempt <= MAX_SUBMITS; attempt++) {
      const sentAt = Date.now();
      await this.tmux.sendKeys(pane, this.p.submit);
      const by = await this.verify(sentAt, pasted, busyBefore, Math.min(this.deadline, sentAt + VERIFY_WINDOW_MS + (attempt === MAX_SUBMITS ? VERIFY_WINDOW_MS : 0)));
      if (by) return { ok: true, attempts: attempt, verifiedBy: by };
      if ((await this.tmux.pane(pane))?.dead) return { ok: false, reason: `${this.agent}'s process exited right after the submit (pane dead); \`orch start\` restarts it` };
      if (Date.now() > this.deadline) break;
    }
    const last = await this.look();
    const seen = pasted ? `the composer showed "${pasted.slice(0, 60)}" before the first submit` : 'the paste never showed in the composer';
    return { ok: false, reason: `${this.agent} did not take the message after ${MAX_SUBMITS} submits (no busy sign, composer not cleared, no hook event; ${seen}); the pane shows:\n${screenTail(last?.screen ?? '')}` };
  }

  /**
   * A sign the submit took: busy (unless it was busy before the submit), the
   * composer cleared of our paste, or a hook event since `since`.
   */
  async verify(since: number, pasted: string, busyBefore: boolean, until: number): Promise<string | null> {
    for (;;) {
      const r = await this.look();
      if (r?.state === 'dead') return null; // the process exited: nothing will take it now
      if (r) {
        if (!busyBefore && (r.state === 'busy' || r.state === 'waiting')) return r.state;
        if (pasted && r.composer === '') return 'composer-cleared';
      }
      if (await this.hookSince(since, busyBefore)) return 'hook';
      if (Date.now() >= until) return null;
      await sleep(POLL_MS);
    }
  }

  /**
   * `orch hook` appends events to .orch/run/hooks/<agent>.jsonl; any event after
   * the submit counts — but an agent that was already working sends tool events
   * anyway, so then only a prompt-submit event does.
   */
  async hookSince(since: number, promptOnly = false): Promise<boolean> {
    const s = await stat(hookFile(this.root, this.agent)).catch(() => null);
    if (!s || s.mtimeMs < since) return false;
    if (!promptOnly) return true;
    const ev = await latestHookEvent(this.root, this.agent);
    return Boolean(ev && Date.parse(ev.t) >= since && /^(userpromptsubmit|beforeagent)$/i.test(ev.event.replace(/_/g, '')));
  }
}

/**
 * The simulated agent (SPEC §10): a raw-mode terminal program that behaves
 * like an agent TUI, so the whole system can be run, shown and tested without
 * a vendor account. Input → composer → submit → work → report.
 *
 * Modes: `claude` (Enter submits), `codex` (an Enter within 120 ms of the end
 * of a paste is taken as a newline, like Codex's paste-burst handling),
 * `deaf` (never submits: an agent that never takes a prompt).
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputParser, type InputEvent } from './input.js';
import { paint, renderScreen } from './screen.js';
import { Transcript } from './transcript.js';
import { classifyPrompt, report } from './worker.js';

export interface SimOptions {
  name: string;
  root: string;
  mode: 'claude' | 'codex' | 'deaf';
  workMs: number;
  permission: boolean;
  crashAfter: number | null;
  block: boolean;
  report: boolean;
  tokensPerPrompt: number;
  transcript: string;
  rollout?: string;
  /** Codex mode: how soon after a paste an Enter is still taken as a newline. */
  enterWindowMs?: number;
  /** Leave the first task unreported until a [RAPPEL] reminder for it arrives (an agent that lost focus). */
  needsReminder?: boolean;
}

export const CODEX_ENTER_WINDOW_MS = 120;
const BIG_PASTE_CHARS = 800;
const BIG_PASTE_LINES = 10;

interface Part { text: string; label?: string }

export class SimAgent {
  private readonly parser = new InputParser();
  private parts: Part[] = [];
  private pasteCount = 0;
  private lastPasteEnd = 0;
  private lastCtrlC = 0;
  private readonly inbox: string[] = [];
  private readonly history: string[] = [];
  private busy: { label: string; since: number } | null = null;
  private dialog: { command: string; answer: (yes: boolean) => void } | null = null;
  private interrupt: (() => void) | null = null;
  private working = false;
  private received = 0;
  private current: string | null = null;
  private readonly finished = new Set<string>();
  private readonly unreported = new Set<string>();
  private forgotOnce = false;
  private readonly transcript: Transcript;
  private readonly receivedLog: string;
  private spinner: NodeJS.Timeout | null = null;

  constructor(private readonly o: SimOptions, private readonly out: NodeJS.WriteStream, private readonly inp: NodeJS.ReadStream) {
    this.transcript = new Transcript(resolve(o.root, o.transcript), o.root, o.tokensPerPrompt, o.rollout ? resolve(o.root, o.rollout) : undefined);
    this.receivedLog = join(o.root, '.orch', 'run', 'sim', `${o.name}.received.jsonl`);
    mkdirSync(dirname(this.receivedLog), { recursive: true });
  }

  start(): void {
    this.writeSession();
    if (this.inp.isTTY) this.inp.setRawMode(true);
    this.inp.setEncoding('utf8');
    this.out.write('\x1b[?2004h\x1b[?25l\x1b[2J');
    let escTimer: NodeJS.Timeout | null = null;
    this.inp.on('data', (chunk: string) => {
      if (escTimer) { clearTimeout(escTimer); escTimer = null; }
      for (const ev of this.parser.feed(chunk)) this.onEvent(ev);
      if (this.parser.hasPending) {
        escTimer = setTimeout(() => { for (const ev of this.parser.flush()) this.onEvent(ev); this.draw(); }, 50);
      }
      this.draw();
    });
    this.out.on('resize', () => this.draw());
    process.on('exit', () => this.out.write('\x1b[?2004l\x1b[?25h'));
    this.history.push(`sim-agent ${this.o.name} ready (mode ${this.o.mode}, work ${this.o.workMs} ms)`);
    this.draw();
  }

  private draw(): void {
    paint((s) => this.out.write(s), renderScreen({
      name: this.o.name, mode: this.o.mode, columns: this.out.columns || 100, rows: this.out.rows || 40,
      history: this.history, busy: this.busy, dialog: this.dialog, pastes: this.pasteCount, now: Date.now(),
      composer: this.parts.map((p) => p.label ?? p.text).join('').split('\n'),
    }));
  }

  private onEvent(ev: InputEvent): void {
    if (this.dialog) return this.onDialog(ev);
    switch (ev.type) {
      case 'paste': {
        this.pasteCount++;
        const lines = ev.text.split('\n').length;
        const big = ev.text.length > BIG_PASTE_CHARS || lines > BIG_PASTE_LINES;
        this.parts.push(big ? { text: ev.text, label: `[Pasted text #${this.pasteCount} +${lines} lines]` } : { text: ev.text });
        this.lastPasteEnd = Date.now();
        return;
      }
      case 'text': return this.type(ev.text);
      case 'key':
        switch (ev.key) {
          case 'enter': return this.enter();
          case 'newline': return this.type('\n');
          case 'tab': return this.type('\t');
          case 'backspace': return this.backspace();
          case 'ctrl-u': this.parts = []; return;
          case 'esc': this.interrupt?.(); return;
          case 'ctrl-d': if (!this.text()) this.exit(0); return;
          case 'ctrl-c':
            if (this.text()) { this.parts = []; return; }
            if (Date.now() - this.lastCtrlC < 1500) this.exit(0);
            this.lastCtrlC = Date.now();
            return;
          default: return;
        }
    }
  }

  private onDialog(ev: InputEvent): void {
    const d = this.dialog!;
    const yes = (ev.type === 'text' && ev.text.startsWith('1')) || (ev.type === 'key' && ev.key === 'enter');
    const no = (ev.type === 'text' && ev.text.startsWith('2')) || (ev.type === 'key' && ev.key === 'esc');
    if (yes || no) { this.dialog = null; d.answer(yes); }
  }

  private text(): string { return this.parts.map((p) => p.text).join(''); }

  private type(s: string): void {
    const last = this.parts[this.parts.length - 1];
    if (last && !last.label) last.text += s; else this.parts.push({ text: s });
  }

  private backspace(): void {
    const last = this.parts[this.parts.length - 1];
    if (!last) return;
    if (last.label || last.text.length <= 1) this.parts.pop(); else last.text = last.text.slice(0, -1);
  }

  private enter(): void {
    if (this.o.mode === 'deaf') return;
    if (this.o.mode === 'codex' && Date.now() - this.lastPasteEnd < (this.o.enterWindowMs ?? CODEX_ENTER_WINDOW_MS)) return this.type('\n');
    const text = this.text().replace(/\s+$/, '');
    if (!text.trim()) return;
    this.parts = [];
    this.submit(text);
  }

  private submit(text: string): void {
    appendFileSync(this.receivedLog, `${JSON.stringify({ t: new Date().toISOString(), text })}\n`);
    this.received++;
    const lines = text.split('\n');
    this.history.push(`> ${lines[0]!.slice(0, 100)}${lines.length > 1 ? ` (+${lines.length - 1} lines)` : ''}`);
    if (this.o.crashAfter !== null && this.received >= this.o.crashAfter) {
      process.stderr.write(`sim-agent ${this.o.name}: simulated crash after ${this.received} prompt(s)\n`);
      this.exit(70);
    }
    this.inbox.push(text);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let next = this.inbox.shift(); next !== undefined; next = this.inbox.shift()) await this.handle(next);
    } finally {
      this.working = false;
    }
  }

  private async handle(prompt: string): Promise<void> {
    const k = classifyPrompt(prompt);
    let reply: string;
    if (k.kind === 'reminder' && k.id && this.unreported.has(k.id)) {
      this.unreported.delete(k.id);
      reply = await this.reportTask(k.id, 'Right, I had not reported it. ');
    } else if (k.kind === 'message' || (k.kind === 'reminder' && (k.id === null || k.id === this.current || this.finished.has(k.id)))) {
      await this.work('Thinking', Math.min(400, this.o.workMs));
      reply = k.kind === 'reminder' ? `Continuing ${k.id ?? 'my task'}.` : 'Understood. Waiting for a task.';
    } else if (k.id && this.finished.has(k.id) && k.kind === 'task') {
      await this.work('Thinking', 200);
      reply = `${k.id} was already reported.`;
    } else {
      reply = await this.doTask(k.id!);
    }
    this.history.push(`⏺ ${reply}`);
    this.transcript.exchange(prompt, reply);
    this.draw();
  }

  private async doTask(id: string): Promise<string> {
    this.current = id;
    try {
      if (!(await this.work(`Working on ${id}`, this.o.workMs))) return `Interrupted while working on ${id}.`;
      if (!this.o.report) { this.finished.add(id); return `Finished ${id} (not reporting: --no-report).`; }
      if (this.o.needsReminder && !this.forgotOnce) {
        this.forgotOnce = true;
        this.finished.add(id);
        this.unreported.add(id);
        return `Finished the work on ${id}, but forgot to report it.`;
      }
      return await this.reportTask(id, '');
    } finally {
      this.current = null;
      this.busy = null;
      this.stopSpinner();
    }
  }

  private async reportTask(id: string, prefix: string): Promise<string> {
    try {
      const verb = this.o.block ? 'block' : 'done';
      if (this.o.permission) {
        const yes = await new Promise<boolean>((answer) => { this.dialog = { command: `orch ${verb} ${id}`, answer }; this.draw(); });
        if (!yes) return `Did not run orch ${verb} ${id}: permission refused.`;
      }
      this.busy = { label: `Running orch ${verb} ${id}`, since: Date.now() };
      this.startSpinner();
      const r = await report(this.o.root, this.o.name, id, this.o.block);
      this.finished.add(id);
      return `${prefix}${r.ok ? `Reported ${id} with orch ${verb}.` : `orch ${verb} ${id} failed: ${r.output.split('\n')[0] ?? ''}`}`;
    } finally {
      this.busy = null;
      this.stopSpinner();
    }
  }

  /** Busy for `ms` (spinner, `esc to interrupt`); false when interrupted. */
  private work(label: string, ms: number): Promise<boolean> {
    this.busy = { label, since: Date.now() };
    this.startSpinner();
    return new Promise<boolean>((done) => {
      const t = setTimeout(() => finish(true), ms);
      const finish = (ok: boolean): void => {
        clearTimeout(t);
        this.interrupt = null;
        this.busy = null;
        this.stopSpinner();
        this.draw();
        done(ok);
      };
      this.interrupt = () => finish(false);
    });
  }

  private startSpinner(): void {
    if (!this.spinner) this.spinner = setInterval(() => this.draw(), 200);
    this.draw();
  }

  private stopSpinner(): void {
    if (this.spinner) clearInterval(this.spinner);
    this.spinner = null;
  }

  /** `.orch/run/agents/<name>.json`: where the usage probe finds this session's transcript. */
  private writeSession(): void {
    const file = join(this.o.root, '.orch', 'run', 'agents', `${this.o.name}.json`);
    let cur: Record<string, unknown> = {};
    try { cur = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>; } catch { /* none yet */ }
    const next = { ...cur, sessionId: this.transcript.sessionId, transcriptPath: resolve(this.o.root, this.o.transcript), pid: process.pid };
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(next, null, 2));
      renameSync(`${file}.tmp`, file);
    } catch { /* not a workspace: usage is simply not found */ }
  }

  private exit(code: number): never {
    this.out.write('\x1b[?2004l\x1b[?25h\r\n');
    process.exit(code);
  }
}

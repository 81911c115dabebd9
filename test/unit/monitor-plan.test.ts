import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRecord, type AgentRecord } from '../../src/core/agent-record.js';
import { parseConfig, type Config } from '../../src/core/config.js';
import { planMonitor, type LiveState, type MonitorAgentView, type MonitorMemory } from '../../src/core/monitor-plan.js';
import type { Task } from '../../src/core/task.js';

const CFG = `
orchestrator: claude
backup_orchestrator: amp
agents:
  claude: { profile: sim, window: 0, role: orchestrator, specialties: [architecture] }
  amp: { profile: sim, window: 1, specialties: [tests] }
  codex: { profile: sim, window: 3, specialties: [types] }
monitor: { interval: 60s, idle_after: 90s, remind_after: 180s, max_reminders: 3, lease: 30m, max_restarts_per_hour: 2 }
`;
const cfg = ((): Config => { const r = parseConfig(CFG, 'ws'); if (!r.ok) throw new Error(JSON.stringify(r.errors)); return r.value; })();
const T0 = Date.parse('2026-01-20T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const MIN = 60_000;

const t = (id: string, over: Partial<Task> = {}): Task => ({
  id, title: `title ${id}`, agent: null, priority: 'medium', depends_on: [], tags: [], created: null, blocked_reason: null,
  state: 'pending', status: null, path: `tasks/pending/${id}.md`, body: '', data: {}, ...over,
});
const rec = (name: string, over: Partial<AgentRecord> = {}): AgentRecord => ({ ...defaultRecord(cfg.agents[name]!, cfg), state: 'idle', ...over });
const mem = (state: LiveState, sinceMs: number, over: Partial<MonitorMemory> = {}): MonitorMemory => ({
  state, since: at(sinceMs).toISOString(), lastActive: at(sinceMs).toISOString(), reminders: { task: null, count: 0, last: null }, restarts: [], ...over,
});
const view = (name: string, live: LiveState, over: Partial<MonitorAgentView> = {}): MonitorAgentView =>
  ({ name, record: rec(name, { state: live === 'unknown' ? 'idle' : live }), live, memory: null, lastHookAt: null, usagePct: null, ...over });

function plan(nowMs: number, tasks: Task[], agents: MonitorAgentView[], canRestart = true) {
  return planMonitor({ now: at(nowMs), tasks, agents, orchestrator: 'claude', canRestart }, cfg);
}
const kinds = (p: ReturnType<typeof plan>) => p.actions.map((a) => a.kind === 'alert' ? `alert:${a.key}` : a.kind === 'record' ? `record:${a.agent}` : `${a.kind}:${'agent' in a ? a.agent : ''}`);

test('idle with a task: a reminder after remind_after, at most max_reminders, then an alert', () => {
  const tasks = [t('T-1', { state: 'in_progress', agent: 'amp' })];
  const busyAmp = () => view('amp', 'idle', { record: rec('amp', { task: 'T-1' }) });
  // Just went idle: nothing yet.
  assert.deepEqual(kinds(plan(0, tasks, [{ ...busyAmp(), memory: mem('idle', 0, { reminders: { task: 'T-1', count: 0, last: null } }) }])), []);
  // Idle 3 minutes: reminder 1 of 3.
  const p1 = plan(3 * MIN, tasks, [{ ...busyAmp(), memory: mem('idle', 0, { reminders: { task: 'T-1', count: 0, last: null } }) }]);
  const r1 = p1.actions.find((a) => a.kind === 'remind');
  assert.deepEqual(r1 && r1.kind === 'remind' ? [r1.agent, r1.taskId, r1.count, r1.max] : null, ['amp', 'T-1', 1, 3]);
  // One minute after a reminder: not again yet.
  assert.deepEqual(kinds(plan(4 * MIN, tasks, [{ ...busyAmp(), memory: mem('idle', 0, { reminders: { task: 'T-1', count: 1, last: at(3 * MIN).toISOString() } }) }])), []);
  // Three reminders sent: an alert instead of a fourth.
  const p3 = plan(20 * MIN, tasks, [{ ...busyAmp(), memory: mem('idle', 0, { reminders: { task: 'T-1', count: 3, last: at(12 * MIN).toISOString() } }) }]);
  assert.deepEqual(kinds(p3), ['alert:agent:amp:reminders']);
  // A new task resets the count and starts its own idle spell: no reminder at once for a task just given.
  const p4 = plan(20 * MIN, [t('T-2', { state: 'in_progress', agent: 'amp' })], [{ ...view('amp', 'idle', { record: rec('amp', { task: 'T-2' }) }), memory: mem('idle', 0, { reminders: { task: 'T-1', count: 3, last: null } }) }]);
  assert.ok(!p4.actions.some((a) => a.kind === 'remind'), JSON.stringify(p4.actions));
  assert.equal(p4.memory.amp!.reminders.task, 'T-2');
  assert.equal(p4.memory.amp!.since, at(20 * MIN).toISOString());
  const p5 = plan(23 * MIN, [t('T-2', { state: 'in_progress', agent: 'amp' })], [{ ...view('amp', 'idle', { record: rec('amp', { task: 'T-2' }) }), memory: p4.memory.amp! }]);
  assert.ok(p5.actions.some((a) => a.kind === 'remind' && a.count === 1 && a.taskId === 'T-2'));
});

test('lease: a task whose agent is silent beyond the lease, or unknown, goes back to pending', () => {
  const tasks = [t('T-1', { state: 'in_progress', agent: 'amp' }), t('T-2', { state: 'in_progress', agent: 'ghost' })];
  const silent = plan(31 * MIN, tasks, [{ ...view('amp', 'idle', { record: rec('amp', { task: 'T-1' }) }), memory: mem('idle', 0, { reminders: { task: 'T-1', count: 3, last: null } }) }]);
  const rq = silent.actions.filter((a) => a.kind === 'requeue').map((a) => a.kind === 'requeue' ? `${a.taskId}:${a.reason}` : '');
  assert.equal(rq.length, 2);
  assert.match(rq[0]!, /T-1:agent amp silent for 31 min \(idle; lease 30 min\)/);
  assert.match(rq[1]!, /T-2:agent ghost is not in \.orch\/config\.yml/);
  // The requeued task is not reminded, and the record follows (task null) in the requeue's own commit:
  // the requeue names the agent whose record it clears, and no separate record action touches `task`.
  assert.ok(!silent.actions.some((a) => a.kind === 'remind'));
  assert.ok(silent.actions.some((a) => a.kind === 'requeue' && a.taskId === 'T-1' && a.agent === 'amp'));
  assert.ok(!silent.actions.some((a) => a.kind === 'record' && a.agent === 'amp' && 'task' in a.patch));
  // Busy recently (or a hook event) keeps the lease.
  const fresh = plan(31 * MIN, [tasks[0]!], [{ ...view('amp', 'idle', { record: rec('amp', { task: 'T-1' }), lastHookAt: at(20 * MIN).toISOString() }), memory: mem('idle', 0) }]);
  assert.ok(!fresh.actions.some((a) => a.kind === 'requeue'));
  // A task just given to an agent silent for an hour (idle, or dead since) starts its own lease.
  for (const live of ['idle', 'dead'] as const) {
    const given = plan(60 * MIN, [tasks[0]!], [{ ...view('amp', live, { record: rec('amp', { task: 'T-1' }) }), memory: mem(live, 0) }]);
    assert.ok(!given.actions.some((a) => a.kind === 'requeue'), live);
    assert.equal(given.memory.amp!.lastActive, at(60 * MIN).toISOString());
  }
  // A stopped session is not a silent agent.
  const stopped = plan(60 * MIN, [tasks[0]!], [{ ...view('amp', 'stopped', { record: rec('amp', { task: 'T-1', state: 'stopped' }) }), memory: mem('stopped', 0) }]);
  assert.ok(!stopped.actions.some((a) => a.kind === 'requeue'));
});

test('idle without a task → dispatch (golden rule 1); the orchestrator gets only tasks preset to it', () => {
  const tasks = [t('T-1', { tags: ['types'] }), t('T-2', { tags: ['tests'] }), t('T-3')];
  const p = plan(0, tasks, [view('claude', 'idle'), view('amp', 'idle'), view('codex', 'busy')]);
  const d = p.actions.find((a) => a.kind === 'dispatch');
  assert.deepEqual(d && d.kind === 'dispatch' ? d.assignments.map((x) => `${x.agent}:${x.taskId}`) : [], ['amp:T-2']);
  const paused = plan(0, tasks, [view('amp', 'idle', { record: rec('amp', { paused: true }) })]);
  assert.ok(!paused.actions.some((a) => a.kind === 'dispatch'));
});

test('waiting beyond idle_after alerts; dead restarts within the hourly limit, then alerts', () => {
  assert.deepEqual(kinds(plan(60_000, [], [{ ...view('amp', 'waiting'), memory: mem('waiting', 0) }])), []);
  assert.deepEqual(kinds(plan(91_000, [], [{ ...view('amp', 'waiting'), memory: mem('waiting', 0) }])), ['alert:agent:amp:waiting']);
  const tasks = [t('T-1', { state: 'in_progress', agent: 'amp' })];
  const dead = plan(MIN, tasks, [{ ...view('amp', 'dead', { record: rec('amp', { task: 'T-1', state: 'dead' }) }), memory: mem('dead', 0, { restarts: [at(-70 * MIN).toISOString(), at(-10 * MIN).toISOString()] }) }]);
  const r = dead.actions.find((a) => a.kind === 'restart');
  assert.deepEqual(r && r.kind === 'restart' ? [r.agent, r.taskId] : null, ['amp', 'T-1']);
  assert.equal(dead.memory.amp!.restarts.length, 1, 'restarts older than an hour are forgotten');
  const limit = plan(MIN, tasks, [{ ...view('amp', 'dead', { record: rec('amp', { task: 'T-1', state: 'dead' }) }), memory: mem('dead', 0, { restarts: [at(-20 * MIN).toISOString(), at(-10 * MIN).toISOString()] }) }]);
  assert.deepEqual(kinds(limit), ['alert:agent:amp:dead']);
  const noRuntime = plan(MIN, [], [{ ...view('amp', 'dead'), memory: mem('dead', 0) }], false);
  assert.match(noRuntime.actions[0]!.kind === 'alert' ? noRuntime.actions[0]!.message : '', /orch start/);
});

test('records change only on meaningful transitions: state, task, context marks 50/75/90/98', () => {
  const p = plan(0, [], [view('amp', 'idle', { record: rec('amp', { context_pct: 52 }), usagePct: 60 })]);
  assert.ok(!p.actions.some((a) => a.kind === 'record'), 'same state, same context band');
  const q = plan(0, [], [view('amp', 'busy', { record: rec('amp', { state: 'idle', context_pct: 70 }), usagePct: 76.4 })]);
  const r = q.actions.find((a) => a.kind === 'record');
  assert.deepEqual(r && r.kind === 'record' ? r.patch : null, { state: 'busy', context_pct: 76 });
  assert.ok(!plan(0, [], [view('amp', 'unknown')]).actions.some((a) => a.kind === 'record'), 'unknown live state keeps the record');
});

test('handoff thresholds on the orchestrator: prepare at 90, execute at 98, phases resume, no fresh backup → alert', () => {
  const orch = (pct: number | null, handoff: string, backupPct: number | null = 10) => plan(0, [], [
    view('claude', 'busy', { record: rec('claude', { state: 'busy', handoff, context_pct: pct === null ? null : Math.round(pct) }), usagePct: pct }),
    view('amp', 'busy', { usagePct: backupPct }),
  ]).actions.filter((a) => a.kind === 'handoff' || (a.kind === 'alert' && a.key.startsWith('handoff'))).map((a) => a.kind === 'handoff' ? `${a.step}:${a.from}->${a.to}` : 'alert');
  assert.deepEqual(orch(89, 'none'), []);
  assert.deepEqual(orch(90, 'none'), ['prepare:claude->amp']);
  assert.deepEqual(orch(93, 'prepared'), []);
  assert.deepEqual(orch(98, 'prepared'), ['execute:claude->amp']);
  assert.deepEqual(orch(99, 'none'), ['execute:claude->amp']);
  assert.deepEqual(orch(50, 'preparing'), ['prepare:claude->amp']);
  assert.deepEqual(orch(50, 'executing'), ['execute:claude->amp']);
  assert.deepEqual(orch(null, 'none'), []);
  assert.deepEqual(orch(95, 'none', 92), ['alert']);
});

#!/usr/bin/env node
/**
 * The bin entry: wires commands to their modules (lazy-imported, so
 * `orch --version` stays a cold start), and is the only place that turns
 * errors into exit codes (SPEC §7: 0 ok, 1 refused/problems, 2 usage, 3 environment).
 */
import { Command, CommanderError, Option } from '../vendor/commander.js';
import { readFileSync } from 'node:fs';
import { OrchError } from '../core/errors.js';
import type { Ctx } from './context.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

type Handler = (ctx: Ctx, ...args: any[]) => Promise<number>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Lazy-load `src/commands/<file>.js` and call its export. */
function lazy(file: string, fn = 'run') {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const globals = cmd.optsWithGlobals() as { cwd?: string };
    const [{ makeCtx }, mod] = await Promise.all([
      import('./context.js'),
      import(`../commands/${file}.js`) as Promise<Record<string, Handler>>,
    ]);
    const ctx = makeCtx(globals.cwd);
    if (process.env.ORCH_TRACE) process.stderr.write(`orch +${performance.now().toFixed(1)} modules loaded\n`);
    const handler = mod[fn];
    if (!handler) throw new Error(`command module ${file} has no ${fn}()`);
    const positional = args.slice(0, -2);
    const opts = cmd.opts();
    process.exitCode = await handler(ctx, ...positional, opts);
  };
}

const program = new Command('orch')
  .description('git-native, file-driven orchestrator for a team of AI coding agents in tmux')
  .version(pkg.version, '-V, --version')
  .option('-C, --cwd <dir>', 'run as if orch was started in <dir> (like git -C)')
  .showSuggestionAfterError()
  .configureOutput({ outputError: (str, write) => write(str) });

const example = (cmd: Command, text: string) => cmd.addHelpText('after', `\nExample:\n  ${text.split('\n').join('\n  ')}\n`);
const json = new Option('--json', 'print one JSON document on stdout and nothing else');

example(program.command('init')
  .description('turn this folder (or git repo) into an orch workspace')
  .option('--example <name>', 'also write a worked example (palm-oil)')
  .option('--force', 'overwrite existing files')
  .addOption(json)
  .action(lazy('init')), 'orch init --example palm-oil');

example(program.command('new').argument('<title>', 'one-line title')
  .description('create a task in tasks/pending from the v2 template; prints its id and path')
  .option('--id <ID>', 'explicit id (default: next <id_prefix>-NNN)')
  .option('--agent <name>', 'preset the task to an agent')
  .option('--priority <p>', 'high | medium | low (haute/moyenne/basse accepted)')
  .option('--depends <ids>', 'comma-separated ids this task waits on')
  .option('--tag <tag>', 'a tag (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--body-file <file>', 'take the prompt body from a file, or - for stdin')
  .addOption(json)
  .action(lazy('new')), 'orch new "Risk limits per position" --agent amp --priority high --tag risk --depends TASK-PO-001');

example(program.command('list')
  .description('list tasks')
  .option('--state <state>', 'pending | in_progress | completed | blocked')
  .option('--agent <name>', 'only tasks of this agent')
  .addOption(json)
  .action(lazy('list')), 'orch list --state pending --json');

example(program.command('show').argument('<id>')
  .description('one task with its body and its history')
  .addOption(json)
  .action(lazy('show')), 'orch show TASK-PO-025');

example(program.command('claim').argument('<id>')
  .description('pending -> in_progress for an agent (committed)')
  .requiredOption('--agent <name>', 'the agent taking the task')
  .option('--force', 'take a task preset to another agent, or not pending')
  .addOption(json)
  .action(lazy('verb-cmds', 'claim')), 'orch claim TASK-PO-025 --agent amp');

example(program.command('done').argument('<id>')
  .description('in_progress -> completed (committed)')
  .option('--note <text>', 'what was done (goes into the commit body)')
  .addOption(json)
  .action(lazy('verb-cmds', 'done')), 'orch done TASK-PO-025 --note "limits enforced in risk.ts, 14 tests"');

example(program.command('block').argument('<id>')
  .description('any -> blocked with a reason (committed)')
  .requiredOption('--reason <text>', 'why it is blocked')
  .addOption(json)
  .action(lazy('verb-cmds', 'block')), 'orch block TASK-PO-025 --reason "needs broker API keys"');

example(program.command('reopen').argument('<id>')
  .description('blocked or completed -> pending (committed)')
  .addOption(json)
  .action(lazy('verb-cmds', 'reopen')), 'orch reopen TASK-PO-025');

example(program.command('release').argument('<id>')
  .description('in_progress -> pending (committed)')
  .option('--note <text>', 'why it is released')
  .addOption(json)
  .action(lazy('verb-cmds', 'release')), 'orch release TASK-PO-025');

example(program.command('move').argument('<id>').argument('<state>', 'pending | in_progress | completed | blocked')
  .description('any -> any (committed)')
  .option('--reason <text>', 'reason when moving to blocked')
  .addOption(json)
  .action(lazy('verb-cmds', 'move')), 'orch move TASK-PO-025 completed');

example(program.command('lint').argument('[paths...]', 'task files or folders (default: the whole workspace)')
  .description('check task files and the config; exit 1 on any error')
  .addOption(json)
  .action(lazy('lint')), 'orch lint tasks/pending --json');

example(program.command('status')
  .description('print the orchestration status')
  .option('--write', 'render ORCHESTRATION_STATUS.md (and commit it)')
  .addOption(json)
  .action(lazy('status')), 'orch status --json');

example(program.command('log').argument('[id]')
  .description('history read back from the Orch-* commit trailers')
  .option('-n, --max <n>', 'at most n entries')
  .addOption(json)
  .action(lazy('log')), 'orch log TASK-PO-025');

example(program.command('import').argument('<task_queue.json>')
  .description("migrate the seed's config/task_queue.json into task files (committed)")
  .addOption(json)
  .action(lazy('import')), 'orch import ../orchestratoragent/config/task_queue.json');

example(program.command('export')
  .description("print the tasks in the seed's task_queue.json shape")
  .addOption(json)
  .action(lazy('export')), 'orch export --json > task_queue.json');

example(program.command('doctor')
  .description('find (and with --fix repair) duplicate ids, files in two folders, stale locks')
  .option('--fix', 'repair what can be repaired safely')
  .addOption(json)
  .action(lazy('doctor')), 'orch doctor --fix');

example(program.command('watch')
  .description('the daemon: commit every change, render the status, monitor and dispatch')
  .option('--once', 'reconcile once and exit')
  .action(lazy('watch')), 'orch watch');

example(program.command('logs')
  .description('print orch logs (orchestration, monitor, dispatch)')
  .option('-f, --follow', 'keep printing new lines')
  .option('--name <log>', 'orchestration | monitor | dispatch | all', 'all')
  .option('-n, --lines <n>', 'last n lines', '50')
  .action(lazy('logs')), 'orch logs --follow --name dispatch');

example(program.command('start')
  .description('start (or repair) the tmux session: agents, role prompts, daemon')
  .option('--no-attach-hint', 'do not print how to attach')
  .option('--timeout <duration>', "how long to wait for each agent's ready pattern (default: the profile's)")
  .option('--no-daemon', 'do not start orch watch in the daemon window')
  .option('--no-dispatch', 'do not dispatch predefined tasks')
  .addOption(json)
  .action(lazy('start')), 'orch start && tmux attach -t palm-oil-orchestration');

example(program.command('stop')
  .description('stop the daemon cleanly, then the tmux session')
  .addOption(json)
  .action(lazy('stop')), 'orch stop');

example(program.command('health')
  .description('check git, workspace, tmux, windows, agents, daemon, lint; exit 1 if unhealthy')
  .addOption(json)
  .action(lazy('health')), 'orch health --json');

example(program.command('monitor')
  .description('watch the agents: reminders, dispatch, alerts, restarts')
  .option('--once', 'one pass and exit')
  .option('--interval <duration>', 'pass interval (default monitor.interval)')
  .addOption(json)
  .action(lazy('monitor')), 'orch monitor --once');

example(program.command('dispatch')
  .description('give ready tasks to idle agents (claim commit + verified delivery)')
  .option('--predefined', 'only tasks preset to an agent')
  .option('--agent <name>', 'the agent to give a task to')
  .option('--task <ID>', 'the task to give (with --agent)')
  .option('--force', 'deliver even if the agent looks busy')
  .option('--timeout <duration>', 'how long each delivery may wait for the agent', '60s')
  .addOption(json)
  .action(lazy('dispatch')), 'orch dispatch --agent amp --task TASK-PO-025');

example(program.command('send').argument('<agent>').argument('[text...]')
  .description('verified delivery of a message to an agent (exit 1 if not submitted)')
  .option('--file <file>', 'send the content of a file')
  .option('--timeout <duration>', 'how long to wait for the agent', '60s')
  .option('--force', 'paste even while the agent is busy (CLIs queue typed prompts)')
  .option('--flush', "deliver the messages queued behind a human's draft, if the input box is clear")
  .addOption(json)
  .action(lazy('send')), 'orch send amp "run the tests again"\norch send codex --file prompt.md\norch send amp --flush');

example(program.command('remind').argument('<agent>')
  .description("send the seed's [RAPPEL] reminder to an agent")
  .addOption(json)
  .action(lazy('remind')), 'orch remind amp');

example(program.command('usage').argument('[agent]')
  .description('context usage per agent (percent of the usable budget)')
  .option('--set <pct>', 'manual probe: record a percentage')
  .addOption(json)
  .action(lazy('usage')), 'orch usage claude --json\norch usage amp --set 91');

example(program.command('handoff')
  .description('run the orchestrator handoff protocol by hand')
  .option('--prepare', 'write the handoff file and ask the orchestrator to complete it')
  .option('--execute', 'switch the orchestrator role to the backup')
  .option('--to <agent>', 'the agent taking the role')
  .addOption(json)
  .action(lazy('handoff')), 'orch handoff --prepare');

example(program.command('sync')
  .description('one sync round with the remote (fetch, rebase orch commits, push)')
  .addOption(json)
  .action(lazy('sync')), 'orch sync');

example(program.command('hook').argument('<event>').argument('[payload...]')
  .description("entry point for agents' own hooks (Claude Code, Gemini, Codex notify)")
  .option('--agent <name>', 'the agent (default $ORCH_AGENT)')
  .action(lazy('hook')), 'orch hook Stop --agent claude');

example(program.command('sim-agent')
  .description('the built-in simulated agent TUI (for demos and tests)')
  .option('--name <name>', 'agent name (default $ORCH_AGENT)')
  .option('--work-ms <ms>', 'time spent on a task', '1500')
  .option('--mode <mode>', 'claude | codex (an Enter within 120 ms of a paste is a newline) | deaf (never submits)', 'claude')
  .option('--enter-window-ms <ms>', 'codex mode: an Enter this soon after a paste is a newline (default 120)')
  .option('--permission', 'show a permission dialog before working')
  .option('--needs-reminder', 'leave the first task unreported until a [RAPPEL] reminder for it arrives')
  .option('--crash-after <n>', 'exit abruptly after n prompts')
  .option('--block', 'report tasks as blocked instead of done')
  .option('--tokens-per-prompt <n>', 'context tokens added per prompt', '6000')
  .option('--transcript <file>', 'write a Claude-Code-format JSONL transcript here')
  .option('--rollout <file>', 'also write a Codex rollout token_count stream here')
  .option('--no-report', 'never run orch done/block')
  .action(lazy('sim-agent')), 'orch sim-agent --name amp --work-ms 3000');

/** Commander reports usage errors itself; we only set the exit code (2). */
program.exitOverride();
// Commands copy settings from their parent only when created, so each needs its own (else a bad flag exits 1).
for (const c of program.commands) c.exitOverride();

// `orch log | head`: the reader went away; that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
}

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code);
      process.exitCode = ok ? 0 : 2;
      return;
    }
    if (e instanceof OrchError) {
      process.stderr.write(`orch: ${e.message.split('\n').join('\norch: ')}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      process.exitCode = e.exitCode;
      return;
    }
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_MODULE_NOT_FOUND' && /commands\//.test(err.message ?? '')) {
      process.stderr.write('orch: this command is not available in this build\n');
      process.exitCode = 3;
      return;
    }
    process.stderr.write(`orch: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n  please report it with the command you ran\n`);
    process.exitCode = 1;
  }
}

void main();

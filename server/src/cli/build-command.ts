/**
 * `dockopt build DOCKERFILE [--context DIR] [--target T] [--command CLIENT] [--builder B]
 *   [--network NAME] [--build-arg K=V]... [--json]`
 * `dockopt build DOCKERFILE --compare`
 *
 * Builds with BuildKit, streaming the client's output to stderr, then prints the step table
 * and totals (or one JSON object with --json) on stdout. --compare prints the last two
 * recorded builds side by side. The exit code is the build's; usage errors exit 2. `--` ends
 * the options (`dockopt build -- -odd.Dockerfile`).
 *
 * A terminating signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) stops the build's whole process
 * group before we exit with 128 + the signal's number; a second one kills the group at once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BuildHistory,
  comparablePair,
  compareBuilds,
  defaultHistoryDir,
  formatBuildReport,
  formatComparison,
  serviceKey,
  startServiceBuild,
  type BuildRecord,
  type RunningServiceBuild,
} from '../../../buildkit/src';
import { readArgs, UsageError, type OptionSpecs } from './args';

export interface BuildCommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const USAGE =
  'usage: dockopt build [OPTIONS] [--] DOCKERFILE, options: [--context DIR] [--target T] [--command CLIENT] [--builder B] [--network NAME] [--build-arg K=V]... [--json] | dockopt build DOCKERFILE --compare [--context DIR] [--target T] [--json]';

interface BuildCommandArgs {
  dockerfile: string;
  context: string;
  target?: string;
  command?: string;
  builder?: string;
  /** `--network NAME`: machines without a bridge network build RUN steps with `none` (or `host`). */
  network?: string;
  buildArgs: Record<string, string>;
  json: boolean;
  compare: boolean;
}

const OPTIONS: OptionSpecs = {
  context: { type: 'string' },
  target: { type: 'string' },
  command: { type: 'string' },
  builder: { type: 'string' },
  network: { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  compare: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Options are checked in order: `-h` before a wrong option shows the usage, after it the error. */
function parseArgs(args: string[], cwd: string): BuildCommandArgs | 'help' {
  const read = readArgs(args, OPTIONS);
  const values: Record<string, string> = {};
  const buildArgs: Record<string, string> = {};
  let json = false;
  let compare = false;
  for (const option of read.options) {
    if (option.problem === 'needs-value') throw new UsageError(`${option.rawName} needs a value`);
    if (option.problem) {
      // `--json=1` reads as an option this command does not have, as it always did.
      throw new UsageError(
        option.arg.startsWith('--') ? `unknown option ${option.rawName}` : `unknown option ${option.arg} (a Dockerfile named so goes after --)`,
      );
    }
    const value = option.value ?? '';
    if (option.name === 'help') return 'help';
    else if (option.name === 'json') json = true;
    else if (option.name === 'compare') compare = true;
    else if (option.name === 'build-arg') {
      // Repeatable. Docker's `--build-arg K` (value from the environment) is not taken: the
      // fingerprint must know the value to tell a changed argument.
      const eqAt = value.indexOf('=');
      if (eqAt <= 0) throw new UsageError(`--build-arg needs KEY=VALUE, got ${value}`);
      buildArgs[value.slice(0, eqAt)] = value.slice(eqAt + 1);
    } else values[option.name] = value;
  }
  const positional = read.positionals;
  if (positional.length === 0) throw new UsageError('missing DOCKERFILE');
  if (positional.length > 1) throw new UsageError(`one DOCKERFILE expected, got ${positional.length}: ${positional.join(' ')}`);
  const dockerfile = path.resolve(cwd, positional[0]);
  if (!fs.statSync(dockerfile, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`no such Dockerfile: ${positional[0]}`);
  const context = path.resolve(cwd, values.context ?? path.dirname(dockerfile));
  if (!fs.statSync(context, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`context is not a directory: ${values.context}`);
  }
  if (compare && (values.command || values.builder || values.network || Object.keys(buildArgs).length)) {
    throw new UsageError('--compare shows recorded builds; it takes no --command, --builder, --network or --build-arg');
  }
  return {
    dockerfile,
    context,
    target: values.target,
    command: values.command,
    builder: values.builder,
    network: values.network,
    buildArgs,
    json,
    compare,
  };
}

function jsonOf(record: BuildRecord) {
  return {
    status: record.status,
    durationMs: record.durationMs,
    totalSteps: record.totals.totalSteps,
    cachedSteps: record.totals.cachedSteps,
    steps: record.steps.map((s) => ({ name: s.name, line: s.line, cached: s.cached, durationMs: s.durationMs, error: s.error })),
    miss: record.miss ? { line: record.miss.line, instruction: record.miss.instruction, reason: record.miss.message } : null,
  };
}

function exitCodeOf(record: BuildRecord): number {
  if (record.status === 'canceled') return 130;
  if (record.exitCode !== null) return record.exitCode;
  if (record.status === 'succeeded') return 0;
  return record.problem?.kind === 'client-not-found' ? 127 : 1;
}

async function compare(parsed: BuildCommandArgs, history: BuildHistory, io: BuildCommandIO): Promise<number> {
  const builds = await history.list(serviceKey(parsed.dockerfile, parsed.context, parsed.target));
  const pair = comparablePair(builds);
  if (!pair) {
    io.stderr.write(
      `dockopt build --compare: ${builds.length} build(s) of ${parsed.dockerfile} recorded in ${history.dir}; build it twice first.\n`,
    );
    return 1;
  }
  const cmp = compareBuilds(...pair);
  if (parsed.json) {
    io.stdout.write(
      JSON.stringify({
        before: jsonOf(cmp.before),
        after: jsonOf(cmp.after),
        speedup: cmp.speedup,
        savedMs: cmp.savedMs,
        steps: cmp.steps.map((s) => ({ text: s.text, line: s.line, before: s.before, after: s.after })),
      }) + '\n',
    );
  } else {
    io.stdout.write(formatComparison(cmp));
  }
  return 0;
}

export async function runBuildCommand(args: string[], io: BuildCommandIO): Promise<number> {
  let parsed: BuildCommandArgs | 'help';
  try {
    parsed = parseArgs(args, io.cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`dockopt build: ${error.message} (${USAGE})\n`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const history = new BuildHistory(defaultHistoryDir(io.env));
  if (parsed.compare) return compare(parsed, history, io);

  const build = startServiceBuild(
    {
      dockerfile: parsed.dockerfile,
      context: parsed.context,
      target: parsed.target,
      buildArgs: parsed.buildArgs,
      extraArgs: parsed.network ? [`--network=${parsed.network}`] : [],
    },
    {
      command: parsed.command,
      builder: parsed.builder,
      env: io.env,
      cwd: io.cwd,
      history,
      onDisplay: (text) => io.stderr.write(text),
    },
  );
  const stopOnSignal = passSignalsTo(build);
  let record: BuildRecord;
  try {
    record = (await build.result).record;
  } finally {
    stopOnSignal.dispose();
  }
  if (parsed.json) io.stdout.write(JSON.stringify(jsonOf(record)) + '\n');
  else io.stdout.write(formatBuildReport(record));
  if (record.problem && record.status === 'error') io.stderr.write(`dockopt build: ${record.problem.message}\n  ${record.problem.hint}\n`);
  // Killed by a signal, by the shell's convention: callers (a shell loop, CI) see why we stopped.
  const received = stopOnSignal.received();
  return received ? 128 + (os.constants.signals[received] ?? 0) : exitCodeOf(record);
}

/** The signals that mean "stop": Ctrl-C, kill, the terminal closing, Ctrl-\. */
const TERMINATING: readonly NodeJS.Signals[] =
  process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
/** After SIGTERM or SIGHUP, whoever sent it may SIGKILL us soon (`docker stop` waits 10 s): kill the group first. */
const TERMINATE_KILL_AFTER_MS = 3_000;

/**
 * The client runs in its own process group (so a cancel reaches everything it started), which
 * also means a signal meant for us reaches only us: pass it on. Without these handlers SIGTERM
 * or SIGHUP would end this process at once and leave the build running.
 */
function passSignalsTo(build: RunningServiceBuild): { received(): NodeJS.Signals | undefined; dispose(): void } {
  let first: NodeJS.Signals | undefined;
  const handlers = TERMINATING.map((signal) => {
    const handler = () => {
      if (first) return build.cancel({ signal: 'SIGKILL' });
      first = signal;
      // SIGQUIT would make a Go client dump its goroutines: the group gets SIGTERM instead.
      const forwarded = signal === 'SIGQUIT' ? 'SIGTERM' : signal;
      build.cancel(signal === 'SIGINT' ? { signal: forwarded } : { signal: forwarded, killAfterMs: TERMINATE_KILL_AFTER_MS });
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    received: () => first,
    dispose: () => handlers.forEach(([signal, handler]) => process.removeListener(signal, handler)),
  };
}

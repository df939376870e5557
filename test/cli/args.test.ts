/**
 * The command-line reader under `dockopt check`, `fix` and `build`: node's util.parseArgs
 * reads the words, dockopt words the errors. `dockopt build`'s own messages are checked
 * through runBuildCommand (usage errors stop before anything runs).
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { parseCommandArgs, readArgs, UsageError } from '../../server/src/cli/args';
import { runBuildCommand } from '../../server/src/cli/build-command';

const CHECK = { format: { type: 'string', short: 'f' } } as const;
const FIX = { 'dry-run': { type: 'boolean' } } as const;

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  assert.fail('no usage error');
}

test('--name value, --name=value and -f value give the same value; the last one wins', () => {
  for (const argv of [['--format', 'json'], ['--format=json'], ['-f', 'json'], ['--format', 'text', '-f', 'json']]) {
    assert.deepEqual(parseCommandArgs(argv, CHECK).values, new Map([['format', 'json']]), argv.join(' '));
  }
  assert.deepEqual(parseCommandArgs(['--dry-run', 'svc'], FIX), { positionals: ['svc'], values: new Map([['dry-run', true]]) });
});

test('operands: a lone dash is one, and everything after -- is one, even when it starts with a dash', () => {
  assert.deepEqual(parseCommandArgs(['a', '-', '--', '--format', '-x'], CHECK).positionals, ['a', '-', '--format', '-x']);
});

test('a value that starts with a dash is the value, as the word after the option', () => {
  assert.deepEqual(parseCommandArgs(['--format', '--dry-run'], CHECK).values.get('format'), '--dry-run');
  assert.deepEqual(readArgs(['--format', '--'], CHECK).options[0].value, '--');
});

test('an unknown option is named as typed, with its value', () => {
  assert.equal(usageError(() => parseCommandArgs(['--colour'], CHECK)), "unknown option '--colour'");
  assert.equal(usageError(() => parseCommandArgs(['svc', '--colour=red'], CHECK)), "unknown option '--colour=red'");
  assert.equal(usageError(() => parseCommandArgs(['-x'], FIX)), "unknown option '-x'");
  assert.equal(usageError(() => parseCommandArgs(['--no-dry-run'], FIX)), "unknown option '--no-dry-run'");
});

test('a word with one dash is one short option exactly: glued letters or values are unknown as a whole', () => {
  assert.equal(usageError(() => parseCommandArgs(['-fjson'], CHECK)), "unknown option '-fjson'");
  assert.equal(usageError(() => parseCommandArgs(['-format', 'json'], CHECK)), "unknown option '-format'");
  assert.equal(usageError(() => parseCommandArgs(['-dry-run'], FIX)), "unknown option '-dry-run'");
});

test('an option that needs a value and has none (or an empty one), or a switch given a value', () => {
  assert.equal(usageError(() => parseCommandArgs(['--format'], CHECK)), "option '--format' needs a value");
  assert.equal(usageError(() => parseCommandArgs(['--format='], CHECK)), "option '--format' needs a value");
  assert.equal(usageError(() => parseCommandArgs(['--format', ''], CHECK)), "option '--format' needs a value");
  assert.equal(usageError(() => parseCommandArgs(['-f'], CHECK)), "option '--format' needs a value");
  assert.equal(usageError(() => parseCommandArgs(['--dry-run=yes'], FIX)), "option '--dry-run' takes no value");
});

test('errors come in command-line order', () => {
  assert.equal(usageError(() => parseCommandArgs(['--bad', '--format'], CHECK)), "unknown option '--bad'");
  assert.equal(usageError(() => parseCommandArgs(['--format=', '--bad'], CHECK)), "option '--format' needs a value");
});

async function build(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runBuildCommand(args, { stdout, stderr, cwd: process.cwd(), env: {} });
  return { code, out, err: err.replace(/ \(usage: .*\)\n$/, '') };
}

test('dockopt build: -h and --help show the usage on stdout, unless a wrong option comes first', async () => {
  for (const args of [['-h'], ['--help'], ['--json', '--help', '--bogus'], ['--target', 'x', '-h']]) {
    const run = await build(args);
    assert.equal(run.code, 0, args.join(' '));
    assert.match(run.out, /^usage: dockopt build/);
  }
  assert.deepEqual(await build(['--bogus', '-h']), { code: 2, out: '', err: 'dockopt build: unknown option --bogus' });
  assert.equal((await build(['--target', '-h'])).err, 'dockopt build: missing DOCKERFILE', '-h is the value of --target');
});

test('dockopt build: its usage errors, word for word', async () => {
  const cases: Array<[string[], string]> = [
    [['--bogus=1', 'Dockerfile'], 'unknown option --bogus'],
    [['--json=1'], 'unknown option --json'],
    [['--help=1'], 'unknown option --help'],
    [['-hx'], 'unknown option -hx (a Dockerfile named so goes after --)'],
    [['-odd.Dockerfile'], 'unknown option -odd.Dockerfile (a Dockerfile named so goes after --)'],
    [['Dockerfile', '--context'], '--context needs a value'],
    [['--target=', 'Dockerfile'], '--target needs a value'],
    [['--build-arg', ''], '--build-arg needs a value'],
    [['--build-arg', '=1'], '--build-arg needs KEY=VALUE, got =1'],
    [['--build-arg', 'X', '--bogus'], '--build-arg needs KEY=VALUE, got X'],
    [[], 'missing DOCKERFILE'],
    [['a', '--', 'b'], 'one DOCKERFILE expected, got 2: a b'],
  ];
  for (const [args, message] of cases) {
    const run = await build(args);
    assert.deepEqual(run, { code: 2, out: '', err: `dockopt build: ${message}` }, args.join(' '));
  }
});

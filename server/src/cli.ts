/**
 * `dockopt`: the command-line front end over the same engine as the language server.
 * Exit codes: 0 clean, 1 findings (or, for build, the build's own code), 2 usage or I/O error.
 */
import { UsageError } from './cli/args';
import { runBuildCommand } from './cli/build-command';
import { runCheckCommand } from './cli/check-command';
import { InputError, ioMessage } from './cli/errors';
import { runFixCommand } from './cli/fix-command';
import type { CliIo } from './cli/io';
// The one version, package.json's: esbuild inlines just this field into dist/cli.js, and tsx
// (tests, `npm start`) reads the file.
import { version } from '../../package.json';

const USAGE = `Usage: dockopt <command> [options]

Commands:
  check [PATH...] [--format text|json|sarif]   report what defeats BuildKit's cache
  fix [PATH...] [--dry-run]                    apply every safe fix (--dry-run: show a diff)
  build DOCKERFILE [--context DIR] [--target T] [--command CLIENT] [--builder B]
        [--network NAME] [--build-arg K=V]... [--json]
                                               run a BuildKit build and show what was cached
  build DOCKERFILE --compare                   compare the last two builds

PATH is a workspace folder (default: .) or a Dockerfile, compose file or .dockerignore.
Exit codes: 0 clean, 1 findings, 2 usage or I/O error.
`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await runCheckCommand(rest, io);
      case 'fix':
        return await runFixCommand(rest, io);
      case 'build':
        return await runBuildCommand([...rest], io);
      case '--version':
      case '-v':
        io.stdout.write(`${version}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        (command === undefined ? io.stderr : io.stdout).write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`dockopt: ${error.message}\nRun 'dockopt --help' for usage.\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr.write(`dockopt: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`dockopt: ${ioMessage(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // `dockopt check | head`: a reader that stops early is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, version }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}

// `npm start`: dockopt on the example workspace in a real VS Code. A desktop VS Code on PATH
// (`code`) opens with this checkout as the extension under development; otherwise code-server
// (the VS Code workbench in a browser, installed by scripts/vscode-setup.sh on first use) serves
// it on 127.0.0.1 and this prints the address to open. The example is a fresh copy, so applying
// fixes never changes examples/ in the repository. `npm run demo` is the command-line tour.
//
// Env: DOCKOPT_START_PORT (code-server's port, default 8080, the next free one if taken).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, run } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (message) => console.log(`npm start: ${message}`);

say('installing what is missing and building the extension…');
ensureDependencies();
if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);

const home = join(tmpdir(), 'dockopt-start');
const workspace = join(home, 'ha-ingestor');
rmSync(workspace, { recursive: true, force: true });
cpSync(join(root, 'examples', 'ha-ingestor'), workspace, { recursive: true });
say(`a fresh copy of examples/ha-ingestor is in ${workspace}`);

if (desktopCode()) {
  say('opening it in VS Code with this checkout as the extension under development');
  process.exit(run('code', ['--new-window', `--extensionDevelopmentPath=${root}`, workspace]));
}

say('no desktop VS Code on PATH: starting code-server (the first run installs it, which takes a few minutes)…');
const setup = spawnSync('bash', [join(root, 'scripts', 'vscode-setup.sh')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const entry = setup.stdout.trim().split('\n').pop();
if (setup.status !== 0 || !entry) {
  say('could not install code-server (see above)');
  process.exit(1);
}

const port = await freePort(Number(process.env.DOCKOPT_START_PORT ?? 8080));
const userData = join(home, 'user-data');
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }, null, 2));
const server = spawn(
  process.execPath,
  [
    entry,
    '--config', join(home, 'config.yaml'),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userData,
    '--extensions-dir', join(home, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    workspace,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
// code-server refuses --extensionDevelopmentPath on its command line; its workbench takes it
// from the address's `payload`, as a path on the machine code-server runs on.
const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`]];
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
say(`open ${url}`);
say('(Ctrl+C stops it)');
if (process.env.DISPLAY || process.platform === 'darwin') spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [url], { stdio: 'ignore', detached: true }).on('error', () => {});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill('SIGTERM'));
server.on('exit', (code) => process.exit(code ?? 0));

/** A desktop VS Code, not code-server's `code` shim: `code --version` prints its version first. */
function desktopCode() {
  const probe = spawnSync('code', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 && /^\d+\.\d+\.\d+/.test(probe.stdout) && !/code-server/i.test(probe.stdout);
}

/** `preferred` when it is free on 127.0.0.1, else the next free one. */
function freePort(preferred) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(freePort(preferred + 1)));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

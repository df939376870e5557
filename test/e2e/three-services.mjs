// The small workspace of the rebuild-changed and restricted-tree scenarios: three services, each a
// Dockerfile in its own folder under services/. api and worker have something for Optimize All
// to change (copy-before-install, a pip cache mount, the Python of the project's target); static
// has nothing. Their base images are the local stand-ins (scripts/example-images.sh,
// scripts/docker-setup.sh): nothing is pulled.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CHANGED = ['api', 'worker'];
const SERVICES = [...CHANGED, 'static'];
/** example-images.sh's stand-in: its pip takes a second per download and honours a cache mount. */
const PYTHON = 'python:3.11-alpine';
export const PYTHON_DOCKERFILE = [`FROM ${PYTHON}`, 'WORKDIR /app', 'COPY . .', 'RUN pip install -r requirements.txt', 'CMD ["python", "main.py"]', ''].join('\n');
/** Nothing for dockopt to change: Optimize All leaves this service alone. */
const STATIC_DOCKERFILE = ['FROM local/busybox:1', 'WORKDIR /srv', 'COPY index.html ./', 'CMD ["httpd", "-f", "-h", "/srv"]', ''].join('\n');
export const dockerfile = (folder, service) => join(folder, 'services', service, 'Dockerfile');

/**
 * The workspace, with requirements no earlier run had (the daemon's cache and pip's cache mount
 * cannot serve them, so every build downloads): one package per service, a second.
 */
export function writeThreeServices(folder, run, parallel) {
  for (const service of SERVICES) mkdirSync(join(folder, 'services', service), { recursive: true });
  for (const service of CHANGED) {
    writeFileSync(dockerfile(folder, service), PYTHON_DOCKERFILE);
    writeFileSync(join(folder, 'services', service, 'requirements.txt'), requirements(run, service, 1));
    writeFileSync(join(folder, 'services', service, 'main.py'), `print("${service}")\n`);
  }
  writeFileSync(dockerfile(folder, 'static'), STATIC_DOCKERFILE);
  writeFileSync(join(folder, 'services', 'static', 'index.html'), '<p>static</p>\n');
  writeSettings(folder, parallel);
}

export function requirements(run, service, count, from = 0) {
  return Array.from({ length: count }, (_, i) => `dockopt-e2e-${run}-${service}-${from + i}==1.0\n`).join('');
}

/** Workspace settings: the refactor preview off (the edit applies at once), and the parallelism. */
export function writeSettings(folder, parallel) {
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  const settings = { 'dockopt.optimizeAll.preview': false, 'dockopt.build.parallel': parallel };
  writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

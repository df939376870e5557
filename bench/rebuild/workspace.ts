/**
 * The bench's copy of the example workspace: its services (from the compose file), its
 * requirements made installable from this machine's mirror, and the edits of a rebuild
 * (a code change, one requirement added).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { normalizeName } from './package-index';

export interface BenchService {
  name: string;
  dockerfile: string;
  context: string;
  /** The file a code change edits (the service's entry point). */
  codeFile: string;
  /** The requirements file its Dockerfile installs, when it has one. */
  requirements?: string;
}

interface ComposeBuild {
  context?: string;
  dockerfile?: string;
}

/** The services of `docker-compose.yml` that are built (not pulled), in file order. */
export function servicesOf(root: string): BenchService[] {
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
    services?: Record<string, { build?: string | ComposeBuild }>;
  };
  const services: BenchService[] = [];
  for (const [name, spec] of Object.entries(compose.services ?? {})) {
    if (!spec.build) continue;
    const build: ComposeBuild = typeof spec.build === 'string' ? { context: spec.build } : spec.build;
    const context = path.resolve(root, build.context ?? '.');
    const dockerfile = path.resolve(context, build.dockerfile ?? 'Dockerfile');
    const dir = path.dirname(dockerfile);
    const codeFile = ['src/main.py', 'src/App.jsx', 'build.js'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!codeFile) throw new Error(`${name}: no source file to edit in ${dir}`);
    const requirements = path.join(dir, 'requirements-prod.txt');
    services.push({ name, dockerfile, context, codeFile, requirements: fs.existsSync(requirements) ? requirements : undefined });
  }
  return services;
}

/** Projects the mirror holds (normalized names). */
export function mirrorProjects(roots: string[]): Set<string> {
  const names = new Set<string>();
  for (const root of roots) {
    for (const entry of fs.readdirSync(path.join(root, 'simple'), { withFileTypes: true })) {
      if (entry.isDirectory()) names.add(normalizeName(entry.name));
    }
  }
  return names;
}

/**
 * The mirror holds one release of each project, rarely the one pinned: pins are dropped (pip
 * takes the mirror's release) and projects it lacks are commented out. Returns what changed.
 */
export function adaptRequirements(services: BenchService[], available: Set<string>): string[] {
  const notes: string[] = [];
  for (const file of new Set(services.flatMap((s) => (s.requirements ? [s.requirements] : [])))) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const adapted = lines.map((line) => {
      const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(==.*)?$/.exec(line.trim());
      if (!match) return line;
      if (!available.has(normalizeName(match[1]))) {
        notes.push(`${path.basename(path.dirname(file))}: ${line.trim()} dropped (not on this machine's mirror)`);
        return `# ${line.trim()}  (not on the bench's mirror)`;
      }
      return match[1];
    });
    // A first line naming the service: several services list the same projects, and BuildKit
    // would share their layers (a "cold" build of the second, a hit on the first one's install).
    const service = path.basename(path.dirname(file));
    fs.writeFileSync(file, [`# ${service}: requirements as the bench's mirror can serve them`, ...adapted].join('\n'));
  }
  return notes;
}

/** A code change: one line appended to the service's entry point. */
export function changeCode(service: BenchService, mark: string): void {
  const comment = service.codeFile.endsWith('.py') ? '#' : '//';
  fs.appendFileSync(service.codeFile, `${comment} bench edit ${mark}\n`);
}

/** A dependency change: one requirement added. False when the service has no requirements file. */
export function addRequirement(service: BenchService, project: string): boolean {
  if (!service.requirements) return false;
  const text = fs.readFileSync(service.requirements, 'utf8');
  fs.writeFileSync(service.requirements, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${project}\n`);
  return true;
}

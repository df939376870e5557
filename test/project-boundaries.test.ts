/**
 * The process boundary is kept by the compiler: shared/, buildkit/, server/ and client/ are
 * TypeScript projects with references (`tsc -b`), and a project may import only its own files
 * and those of the projects it references. Each case compiles a probe file with one import per
 * line under a project's own settings and references, and reads the compiler's answer per line:
 * an allowed import compiles, a refused one fails with TS6307 ("not listed within the file list
 * of project") naming the imported file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(__dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

interface Case {
  /** The project's folder (its tsconfig.json). */
  project: string;
  allowed: string[];
  refused: string[];
}

// Files with few imports of their own, so each probe compiles little.
const cases: Case[] = [
  {
    project: 'client',
    allowed: ['shared/src/format-bytes.ts', 'buildkit/src/line-buffer.ts'],
    refused: ['server/src/work-counters.ts', 'server/src/suppressions.ts'],
  },
  {
    project: 'server',
    allowed: ['shared/src/format-bytes.ts'],
    refused: ['buildkit/src/line-buffer.ts', 'client/src/restart-policy.ts'],
  },
  {
    project: 'buildkit',
    allowed: ['shared/src/format-bytes.ts'],
    refused: ['server/src/work-counters.ts', 'client/src/restart-policy.ts'],
  },
  {
    project: 'shared',
    allowed: [],
    refused: ['server/src/work-counters.ts', 'buildkit/src/line-buffer.ts', 'client/src/restart-policy.ts'],
  },
];

/** Compiles a probe under `project`'s settings and references; the errors per probe line. */
function probe(project: string, targets: string[]): { status: number; errorsByLine: Map<number, string[]>; output: string } {
  // Under out/ (ignored by git): the probe's rootDir is the repository, which holds every target.
  mkdirSync(join(root, 'out'), { recursive: true });
  const dir = mkdtempSync(join(root, 'out', `boundary-${project}-`));
  try {
    const config = JSON.parse(readFileSync(join(root, project, 'tsconfig.json'), 'utf8')) as { references?: Array<{ path: string }> };
    const references = (config.references ?? []).map((r) => ({ path: resolve(root, project, r.path) }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, project, 'tsconfig.json'),
        compilerOptions: { rootDir: root, outDir: join(dir, 'out'), tsBuildInfoFile: join(dir, 'probe.tsbuildinfo'), noEmitOnError: true },
        files: ['probe.ts'],
        include: [],
        exclude: [],
        references,
      }),
    );
    const specifier = (target: string) => relative(dir, join(root, target)).split('\\').join('/').replace(/\.ts$/, '');
    writeFileSync(join(dir, 'probe.ts'), targets.map((t, i) => `import * as m${i} from '${specifier(t)}';\nexport { m${i} };`).join('\n') + '\n');
    let output = '';
    let status = 0;
    try {
      output = execFileSync(process.execPath, [tsc, '-b', join(dir, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      const e = error as { status: number; stdout: string };
      status = e.status;
      output = e.stdout;
    }
    const errorsByLine = new Map<number, string[]>();
    for (const match of output.matchAll(/^(?:.*[\\/])?probe\.ts\((\d+),\d+\): error (TS\d+: .*)$/gm)) {
      const line = Number(match[1]);
      errorsByLine.set(line, [...(errorsByLine.get(line) ?? []), match[2]]);
    }
    return { status, errorsByLine, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The top folders of some paths, once each: `server, buildkit`. */
const folders = (paths: string[]) => [...new Set(paths.map((p) => p.split('/')[0]))].join(', ');

for (const { project, allowed, refused } of cases) {
  test(`${project}/ may import ${folders(allowed) || 'nothing of the other folders'}; the compiler refuses ${folders(refused)}`, () => {
    const targets = [...allowed, ...refused];
    const { status, errorsByLine, output } = probe(project, targets);
    targets.forEach((target, i) => {
      // Each import takes two lines of the probe: the import, then its export.
      const errors = errorsByLine.get(2 * i + 1) ?? [];
      if (allowed.includes(target)) {
        assert.deepEqual(errors, [], `${project} imports ${target}:\n${output}`);
      } else {
        const listed = errors.find((e) => e.startsWith('TS6307:'));
        assert.ok(listed, `${project} must not import ${target}:\n${output}`);
        assert.ok(listed.includes(join(root, target)), listed);
      }
    });
    assert.notEqual(status, 0, 'tsc -b fails on a refused import');
  });
}

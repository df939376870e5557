/**
 * A real workspace in a temp directory for the .dockerignore rules: write files, load them
 * into a WorkspaceModel with scanned contexts, run a rule the way the engine does, and apply
 * fixes to the disk (so "applying twice changes nothing" is checked on real files).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { applyFileChanges } from '../../server/src/fixes/apply';
import type { Finding, Fix, Rule } from '../../server/src/rules/types';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import type { BuildContext } from '../../server/src/workspace/build-context';
import { WorkspaceModel } from '../../server/src/workspace/workspace';

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

export interface TestWorkspace {
  root: string;
  ws: WorkspaceModel;
  at(rel: string): string;
  read(rel: string): string | undefined;
  /** Findings of the rule on a Dockerfile, one build after the other. */
  onDockerfile(rule: Rule, rel: string): Promise<Finding[]>;
  /** Findings of the rule on a .dockerignore (read from disk). */
  onIgnoreFile(rule: Rule, rel: string): Promise<Finding[]>;
  /** Applies fixes to the disk and tells the workspace, as the editor's watcher would. */
  apply(fixes: Fix[]): void;
}

export async function workspace(files: Record<string, string>): Promise<TestWorkspace> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-rule-')));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const ws = new WorkspaceModel({ roots: [root] });
  await ws.refresh();
  const at = (rel: string) => path.join(root, rel);
  const read = (rel: string) => (fs.existsSync(at(rel)) ? fs.readFileSync(at(rel), 'utf8') : undefined);
  const scanned = async (builds: () => BuildContext[]) => {
    await ws.ensureScans(builds());
    return builds();
  };
  return {
    root,
    ws,
    at,
    read,
    async onDockerfile(rule, rel) {
      const dockerfile = at(rel);
      const model = parseDockerfile(read(rel) ?? '');
      const builds = await scanned(() => ws.buildsFor(dockerfile));
      return builds.flatMap((buildContext) =>
        rule.checkDockerfile!({ path: dockerfile, model, buildContext, settings: DEFAULT_SETTINGS }),
      );
    },
    async onIgnoreFile(rule, rel) {
      const file = at(rel);
      const builds = await scanned(() => ws.buildsForIgnoreFile(file));
      return rule.checkDockerignore!({ path: file, text: read(rel) ?? '', builds, settings: DEFAULT_SETTINGS });
    },
    apply(fixes) {
      const byFile = new Map<string, Fix['changes']>();
      for (const change of fixes.flatMap((f) => f.changes)) byFile.set(change.path, [...(byFile.get(change.path) ?? []), change]);
      for (const [file, changes] of byFile) {
        const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
        const next = applyFileChanges(current, changes);
        if (next === undefined || next === current) continue;
        fs.writeFileSync(file, next);
        ws.invalidate(file);
      }
    },
  };
}

export const preferred = (findings: Finding[]): Fix[] =>
  findings.flatMap((f) => f.fixes.filter((fix) => fix.isPreferred));

/**
 * npm-cache-mount: `npm ci` / `npm install` in a RUN without a BuildKit cache mount on npm's
 * cache, so every build that re-runs it downloads every package again.
 */
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import { findNpmCall, type NpmCall } from '../dockerfile/package-managers';
import { parseRunScript, type RunScript } from '../dockerfile/shell';
import {
  cacheMountFlag,
  commandSpan,
  coveringCacheMount,
  distinctDirs,
  insertFlagsEdit,
  npmCacheLocation,
  ownerUnknown,
  type CacheLocation,
} from './cache-mount-edits';
import type { Finding, Fix, Rule, TextEdit } from './types';

interface NpmRun {
  script: RunScript;
  calls: Array<{ call: NpmCall; location: CacheLocation }>;
}

export const rule: Rule = {
  meta: {
    id: 'npm-cache-mount',
    defaultSeverity: 'warning',
    description: "npm ci / npm install runs without a BuildKit cache mount on npm's cache, so every build downloads all packages again.",
    fixable: true,
  },
  checkDockerfile({ path, model }) {
    const findings: Finding[] = [];
    for (const info of model.instructions) {
      const run = npmRun(model, info);
      if (!run) continue;
      const finding = checkRun(path, model, info, run);
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function npmRun(model: DockerfileModel, info: InstructionInfo): NpmRun | undefined {
  // Windows images: no BuildKit cache mounts, and their caches live elsewhere.
  if (info.keyword !== 'RUN' || info.stage?.windows) return undefined;
  const script = parseRunScript(model, info.ast);
  const calls = script.commands.flatMap((command) => {
    const call = findNpmCall(command);
    return call ? [{ call, location: npmCacheLocation(model, info, call) }] : [];
  });
  return calls.length > 0 ? { script, calls } : undefined;
}

function checkRun(path: string, model: DockerfileModel, info: InstructionInfo, run: NpmRun): Finding | undefined {
  const mounts = readMounts(info.ast);
  const targets = mounts.filter((m) => m.type === 'cache' && m.target).map((m) => m.target!);
  const uncovered = distinctDirs(run.calls.map((c) => c.location)).filter((l) => !coveringCacheMount(mounts, l.dir));
  const unresolved = run.calls.map((c) => c.location).find((l) => l.dir === undefined);
  if (uncovered.length === 0 && !(unresolved && targets.length === 0)) return undefined;

  const first = run.calls[0].call;
  const span = commandSpan(first.command, first.subcommand) ?? { start: info.startOffset, end: info.startOffset + 3 };
  const command = `npm ${first.subcommand}`;
  if (uncovered.length === 0) {
    const message =
      `${command} runs without a cache mount, so every build downloads all packages again. dockopt cannot tell where npm's cache is ` +
      `(${unresolved!.via} is ${unresolved!.unresolved}): add --mount=type=cache,target=<npm's cache dir> to this RUN.`;
    return { ruleId: 'npm-cache-mount', path, range: model.rangeOf(span.start, span.end), message, fixes: [] };
  }

  const where = uncovered.map((l) => (l.owner.root ? l.dir : `${l.dir} (npm runs as ${l.owner.label})`)).join(' and ');
  const elsewhere = targets.length > 0 ? `, but this RUN's cache mount is on ${targets.join(', ')}` : ' and this RUN mounts no cache there';
  let message = `npm keeps its cache in ${where}${elsewhere}, so ${command} downloads all packages again on every build. Mount it with ${uncovered.map(cacheMountFlag).join(' ')}.`;
  const unknown = uncovered.find(ownerUnknown);
  if (unknown) message += ` dockopt does not know the uid of ${unknown.owner.label}: add uid=<its uid> to the mount, or npm cannot write to it.`;
  return { ruleId: 'npm-cache-mount', path, range: model.rangeOf(span.start, span.end), message, fixes: fixes(path, model, run, uncovered) };
}

function fixes(path: string, model: DockerfileModel, run: NpmRun, uncovered: Array<CacheLocation & { dir: string }>): Fix[] {
  const mount = insertFlagsEdit(model.text, run.script, uncovered.map(cacheMountFlag));
  const dirs = uncovered.map((l) => l.dir).join(' and ');
  // A root-owned mount is not writable by a user whose uid dockopt does not know: npm would fail.
  const safe = !uncovered.some(ownerUnknown);
  const result: Fix[] = [{ title: `Add an npm cache mount on ${dirs}`, isPreferred: safe, changes: [{ kind: 'edit', path, edits: [mount] }] }];
  const offline = preferOfflineEdits(model, run);
  if (offline && offline.length > 0) {
    result.push({
      title: `Add an npm cache mount on ${dirs} and --prefer-offline`,
      isPreferred: false,
      changes: [{ kind: 'edit', path, edits: [mount, ...offline] }],
    });
  }
  return result;
}

/**
 * `--prefer-offline` right after each install subcommand that lacks it: npm then takes what the
 * cache has without asking the registry. Undefined when a subcommand's text is not plainly written.
 */
function preferOfflineEdits(model: DockerfileModel, run: NpmRun): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const { call } of run.calls) {
    if (call.hasPreferOffline) continue;
    const word = subcommandWord(call);
    if (!word) return undefined;
    const written = model.text.slice(word.start, word.end);
    if (run.script.form === 'exec' && written.startsWith('"')) {
      if (written !== JSON.stringify(word.value)) return undefined;
      edits.push({ start: word.end, end: word.end, newText: ', "--prefer-offline"' });
    } else {
      if (written !== word.value) return undefined;
      edits.push({ start: word.end, end: word.end, newText: ' --prefer-offline' });
    }
  }
  return edits;
}

function subcommandWord(call: NpmCall) {
  const span = commandSpan(call.command, call.subcommand);
  return span ? call.command.words.find((w) => w.end === span.end && w.value === call.subcommand) : undefined;
}

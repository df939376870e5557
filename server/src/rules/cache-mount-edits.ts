/**
 * What the cache-mount rules (pip-cache-mount, pip-no-cache-dir, npm-cache-mount) share:
 * where pip's and npm's caches live for one call (which depends on the user that runs it
 * and on the environment it sees), whether a RUN's mounts cover that directory, the text of
 * a new `--mount=type=cache,…` flag, and byte-exact edits that remove a word, a variable
 * assignment or an ENV property without leaving double spaces or empty continuation lines.
 */
import { posix } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readEnv, type DockerfileModel, type InstructionInfo } from '../dockerfile/model';
import { normalizeDir, type RunMount } from '../dockerfile/mounts';
import { commandStart, findPipCall, type NpmCall, type PipCall } from '../dockerfile/package-managers';
import { parseRunScript, type RunScript, type ShellWord, type SimpleCommand } from '../dockerfile/shell';
import { applyTextEdits } from '../fixes/apply';
import type { Position, Range, TextEdit } from './types';

/** The user a package manager runs as, and where its home is. */
export interface CacheOwner {
  /** `root`, or the user as written after USER / `sudo -u`. */
  label: string;
  root: boolean;
  home: string;
  uid?: number;
  gid?: number;
}

export interface CacheLocation {
  /** Absolute, normalized; undefined when it depends on something dockopt cannot resolve. */
  dir?: string;
  /** Where the directory comes from, for messages: `--cache-dir`, `ENV PIP_CACHE_DIR`, `the home of app`… */
  via: string;
  /** The text dockopt could not resolve (e.g. `$CACHE/pip`), when `dir` is undefined. */
  unresolved?: string;
  owner: CacheOwner;
}

/**
 * Users that official images create, whose uid a Dockerfile need not spell out:
 * the `node` images run `USER node` as 1000:1000.
 */
const IMAGE_USERS: Record<string, Record<string, { uid: number; gid: number; home: string }>> = {
  node: { node: { uid: 1000, gid: 1000, home: '/home/node' } },
};

// ---------------------------------------------------------------------------------------
// Where the cache is

export interface PipRun {
  script: RunScript;
  calls: Array<{ call: PipCall; location: CacheLocation }>;
}

/** The pip calls of a RUN that use pip's cache (install, download, wheel), with where that cache is. */
export function pipRun(model: DockerfileModel, info: InstructionInfo): PipRun | undefined {
  // Windows images: no BuildKit cache mounts, and their caches live elsewhere.
  if (info.keyword !== 'RUN' || info.stage?.windows) return undefined;
  const script = parseRunScript(model, info.ast);
  const calls = script.commands.flatMap((command) => {
    const call = findPipCall(command);
    return call ? [{ call, location: pipCacheLocation(model, info, call) }] : [];
  });
  return calls.length > 0 ? { script, calls } : undefined;
}

/**
 * How pip's cache is switched off for one call: `--no-cache-dir` words and non-empty
 * `PIP_NO_CACHE_DIR=` assignments of the call, or (when the call sets none) an ENV in force.
 * pip turns its cache off for any non-empty value of PIP_NO_CACHE_DIR — `0`, `false` and `no`
 * included, for backwards compatibility — and ignores an empty one (which then also hides the ENV,
 * and stays: it is what keeps the cache on).
 */
export function pipCacheSwitches(info: InstructionInfo, call: PipCall): { words: ShellWord[]; env: boolean } {
  const assignments = call.noCacheDirAssignments;
  const emptied = assignments.some((w) => w.value === 'PIP_NO_CACHE_DIR=');
  const words = [...call.noCacheDirWords, ...assignments.filter((w) => w.value !== 'PIP_NO_CACHE_DIR=')];
  const sudo = sudoTarget(call.command);
  // A non-empty assignment hides the ENV only until it is removed: the ENV counts too.
  const seesEnv = (sudo === undefined || sudo.preservesEnv) && !emptied;
  return { words, env: seesEnv && (info.env.get('PIP_NO_CACHE_DIR') ?? '') !== '' };
}

/** pip's cache for this call: --cache-dir, else PIP_CACHE_DIR, else $XDG_CACHE_HOME/pip, else ~/.cache/pip. */
export function pipCacheLocation(model: DockerfileModel, info: InstructionInfo, call: PipCall): CacheLocation {
  const scope = callScope(model, info, call.command);
  if (call.cacheDir !== undefined) return scope.locate(call.cacheDir, '--cache-dir', 'runtime');
  // pip ignores empty configuration values, and platformdirs an empty XDG_CACHE_HOME.
  const pipCacheDir = scope.lookup('PIP_CACHE_DIR');
  if (pipCacheDir) return scope.locate(pipCacheDir.value, pipCacheDir.via, pipCacheDir.when);
  const xdg = scope.lookup('XDG_CACHE_HOME');
  if (xdg) return scope.locate(`${xdg.value}/pip`, xdg.via, xdg.when);
  return scope.locate('~/.cache/pip', scope.homeVia, 'runtime');
}

/** npm's cache for this call: --cache, else npm_config_cache (any case), else ~/.npm. */
export function npmCacheLocation(model: DockerfileModel, info: InstructionInfo, call: NpmCall): CacheLocation {
  const scope = callScope(model, info, call.command);
  if (call.cacheDir !== undefined) return scope.locate(call.cacheDir, '--cache', 'runtime');
  const configured = scope.lookup('npm_config_cache', true);
  if (configured) return scope.locate(configured.value, configured.via, configured.when);
  return scope.locate('~/.npm', scope.homeVia, 'runtime');
}

interface Lookup { value: string; via: string; when: 'runtime' | 'build' }

/** The user and the variables one simple command of a RUN runs with. */
function callScope(model: DockerfileModel, info: InstructionInfo, command: SimpleCommand) {
  const sudo = sudoTarget(command);
  const owner = sudo === undefined ? ownerOf(model, info, info.user) : sudoOwner(model, info, sudo.user);
  // sudo resets the environment (env_reset) unless -E: ENV values and assignments before it do not reach the command.
  const keepsEnv = sudo === undefined || sudo.preservesEnv;
  const buildEnv: ReadonlyMap<string, string> = keepsEnv ? info.env : new Map();
  const { envAssignments } = commandStart(command);
  const runtime = new Map<string, string>();
  for (const word of [...(keepsEnv ? command.assignments : []), ...envAssignments]) {
    const eq = word.value.indexOf('=');
    runtime.set(word.value.slice(0, eq), word.value.slice(eq + 1));
  }
  const homeFromEnv = nonEmpty(runtime.get('HOME')) ?? nonEmpty(buildEnv.get('HOME'));
  const homeVia = homeFromEnv !== undefined ? '$HOME' : owner.root ? 'root' : `the home of ${owner.label}`;

  const lookup = (name: string, anyCase = false): Lookup | undefined => {
    const find = (vars: ReadonlyMap<string, string>) => {
      for (const [key, value] of vars) if ((anyCase ? key.toLowerCase() === name.toLowerCase() : key === name) && value !== '') return { key, value };
      return undefined;
    };
    const fromRun = find(runtime);
    if (fromRun) return { value: fromRun.value, via: `${fromRun.key}=`, when: 'runtime' };
    const fromEnv = find(buildEnv);
    if (fromEnv) return { value: fromEnv.value, via: `ENV ${fromEnv.key}`, when: 'build' };
    return undefined;
  };

  // Docker expands ENV values when it builds (only ENV/ARG are known then); the shell expands
  // RUN assignments and flags when it runs (HOME is known then).
  const variable = (when: 'runtime' | 'build') => (name: string, depth: number): string | undefined => {
    if (depth > 8) return undefined;
    const raw = (when === 'runtime' ? runtime.get(name) : undefined) ?? buildEnv.get(name);
    if (raw !== undefined) return expand(raw, variable('build'), depth + 1);
    return name === 'HOME' && when === 'runtime' ? owner.home : undefined;
  };

  const locate = (raw: string, via: string, when: 'runtime' | 'build'): CacheLocation => {
    const home = homeFromEnv !== undefined ? expand(homeFromEnv, variable('build'), 1) : owner.home;
    let path = expand(raw, variable(when), 0);
    // pip and npm both expand a leading ~ themselves.
    if (path !== undefined && (path === '~' || path.startsWith('~/'))) {
      if (home === undefined) return { via: '$HOME', unresolved: homeFromEnv, owner };
      path = home + path.slice(1);
    }
    if (path === undefined || !path.startsWith('/') || /[,"'\s]/.test(path)) return { via, unresolved: raw, owner };
    return { dir: normalizeDir(posix.normalize(path)), via, owner };
  };

  return { owner, homeVia, lookup, locate };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** `$NAME` and `${NAME}` replaced; undefined when a variable (or another expansion) is unknown. */
function expand(value: string, variable: (name: string, depth: number) => string | undefined, depth: number): string | undefined {
  let known = true;
  const out = value.replace(/\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g, (_match, braced: string | undefined, bare: string | undefined) => {
    const resolved = variable((braced ?? bare)!, depth);
    if (resolved === undefined) known = false;
    return resolved ?? '';
  });
  return known && !out.includes('$') && !out.includes('`') ? out : undefined;
}

/** The user `sudo`/`doas` switches to (`root` unless -u), or undefined when the command has no sudo. */
function sudoTarget(command: SimpleCommand): { user: string; preservesEnv: boolean } | undefined {
  const { index } = commandStart(command);
  let target: { user: string; preservesEnv: boolean } | undefined;
  const words = command.words;
  for (let i = 0; i < index; i++) {
    const value = words[i].value;
    if (/^(.*\/)?(sudo|doas)$/.test(value)) target = { user: 'root', preservesEnv: false };
    else if (!target) continue;
    else if (value === '-u' || value === '--user') target.user = words[i + 1]?.value ?? target.user;
    else if (/^-u./.test(value)) target.user = value.slice(2);
    else if (value.startsWith('--user=')) target.user = value.slice('--user='.length);
    else if (value === '-E' || value.startsWith('--preserve-env')) target.preservesEnv = true;
  }
  return target;
}

function sudoOwner(model: DockerfileModel, info: InstructionInfo, target: string): CacheOwner {
  const name = target.replace(/^#/, ''); // sudo -u '#1000' takes a uid
  if (name === 'root' || name === '0') return ownerOf(model, info, undefined);
  const uid = /^\d+$/.test(name) ? Number(name) : undefined;
  return ownerOf(model, info, { name, uid });
}

function ownerOf(model: DockerfileModel, info: InstructionInfo, user: InstructionInfo['user']): CacheOwner {
  if (!user) return { label: 'root', root: true, home: '/root' };
  const numeric = /^\d+$/.test(user.name);
  const known = model.knownUsers.get(user.name) ?? (numeric ? [...model.knownUsers.values()].find((u) => u.uid === Number(user.name)) : undefined);
  const fromImage = IMAGE_USERS[baseImageOf(info)]?.[user.name];
  return {
    label: user.name,
    root: false,
    // A uid without a passwd entry gets HOME=/ from Docker.
    home: known?.home ?? fromImage?.home ?? (numeric ? '/' : `/home/${user.name}`),
    uid: user.uid ?? known?.uid ?? fromImage?.uid,
    gid: user.gid ?? known?.gid ?? fromImage?.gid,
  };
}

/** The official image (`node`, `python`…) a stage ultimately starts from, or ''. */
function baseImageOf(info: InstructionInfo): string {
  let stage = info.stage;
  while (stage?.parent) stage = stage.parent;
  const from = stage?.from;
  if (!from) return '';
  const registry = from.getRegistry();
  if (registry && registry !== 'docker.io' && registry !== 'index.docker.io') return '';
  return (from.getImageName() ?? '').replace(/^library\//, '');
}

// ---------------------------------------------------------------------------------------
// Mounts

/** The cache mount of the RUN whose target is the directory or one of its parents. */
export function coveringCacheMount(mounts: readonly RunMount[], dir: string): RunMount | undefined {
  return mounts.find((m) => m.type === 'cache' && m.target !== undefined && (m.target === dir || m.target === '/' || dir.startsWith(m.target + '/')));
}

/**
 * A cache mount the tool cannot write to: BuildKit creates it owned by root (uid 0, mode 0755)
 * unless the mount says `uid=`/`mode=`, and pip running as another user then turns its cache off.
 * Only judged when dockopt knows the user's uid.
 */
export function unwritableBy(mount: RunMount, location: CacheLocation): boolean {
  const { owner } = location;
  if (owner.root || owner.uid === undefined) return false;
  const mode = mount.options.get('mode');
  if (mode !== undefined && /^0?[0-7]*7$/.test(mode)) return false; // writable by everyone
  return Number(mount.options.get('uid') ?? 0) !== owner.uid;
}

/** `,uid=N[,gid=N]` appended to a mount's value, or the wrong uid replaced; undefined when it cannot be placed. */
export function ownerOptionsEdit(model: DockerfileModel, mount: RunMount, location: CacheLocation): TextEdit | undefined {
  const { owner } = location;
  if (!mount.valueRange || owner.uid === undefined) return undefined;
  const start = model.offsetAt(mount.valueRange.start);
  const end = model.offsetAt(mount.valueRange.end);
  const value = model.text.slice(start, end);
  // Quoted or continued over lines: not a value dockopt rewrites.
  if (/["'\s]/.test(value) || value.includes(model.escapeChar)) return undefined;
  const options = value.split(',').filter((o) => !/^(uid|gid)=/.test(o));
  options.push(`uid=${owner.uid}`);
  if (owner.gid !== undefined) options.push(`gid=${owner.gid}`);
  return { start, end, newText: options.join(',') };
}

/** A non-root user whose uid dockopt does not know: a root-owned cache mount would not be writable. */
export function ownerUnknown(location: CacheLocation): boolean {
  return !location.owner.root && location.owner.uid === undefined;
}

/** `--mount=type=cache,target=/root/.cache/pip`, with the owner's uid/gid when not root. */
export function cacheMountFlag(location: CacheLocation & { dir: string }): string {
  let flag = `--mount=type=cache,target=${location.dir}`;
  if (!location.owner.root && location.owner.uid !== undefined) flag += `,uid=${location.owner.uid}`;
  if (!location.owner.root && location.owner.gid !== undefined) flag += `,gid=${location.owner.gid}`;
  return flag;
}

/**
 * Inserts the flags where a RUN's flags end (before the command, the exec-form `[` or `<<EOF`).
 * When the fix also deletes the RUN's first word (`RUN PIP_NO_CACHE_DIR=1 pip …`), the flags go
 * before the word that follows the deletion instead, so the edits never overlap.
 */
export function insertFlagsEdit(text: string, script: RunScript, flags: readonly string[], deletions: readonly TextEdit[] = []): TextEdit {
  let at = script.argumentsStart;
  for (const deletion of [...deletions].sort((a, b) => a.start - b.start)) {
    if (deletion.start <= at && at < deletion.end) {
      at = deletion.end;
      while (isBlank(text[at])) at++;
    }
  }
  return { start: at, end: at, newText: flags.map((f) => `${f} `).join('') };
}

/** Distinct resolved directories, in order, each with its first location. */
export function distinctDirs<T extends CacheLocation>(locations: readonly T[]): Array<T & { dir: string }> {
  const seen = new Set<string>();
  const out: Array<T & { dir: string }> = [];
  for (const location of locations) {
    if (location.dir === undefined || seen.has(location.dir)) continue;
    seen.add(location.dir);
    out.push(location as T & { dir: string });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Removing words

/** How the text around a span reads: its line-continuation char, and whether Docker drops comment lines there. */
interface SpanRules { escape: string; dockerfileLines: boolean }
interface Deletion { start: number; end: number; rules?: SpanRules }

/**
 * Edits that remove words of one RUN (`--no-cache-dir`, `PIP_NO_CACHE_DIR=1`) with the whitespace
 * they leave: a word alone on a continued line takes its line with it, a word alone on the last
 * line takes the continuation of the line before. Undefined when that cannot be done cleanly (an
 * escape inside a word, an escaped blank before it…), or when the edited RUN would not read as the
 * same command without those words: better no fix than a wrong one.
 */
export function removeWordsEdits(model: DockerfileModel, info: InstructionInfo, script: RunScript, words: readonly ShellWord[]): TextEdit[] | undefined {
  const deletions: Deletion[] = [];
  for (const word of words) {
    const removal = wordDeletions(model, script, word);
    if (!removal) return undefined;
    deletions.push(...removal);
  }
  const edits = joinDeletions(model.text, deletions);
  return edits && keepsMeaning(model, info, edits, { words }) ? edits : undefined;
}

function wordDeletions(model: DockerfileModel, script: RunScript, word: ShellWord): Deletion[] | undefined {
  const { text } = model;
  const written = text.slice(word.start, word.end);
  if (script.form === 'exec' && written.startsWith('"')) {
    return written === JSON.stringify(word.value) ? jsonElementDeletions(model, word) : undefined;
  }
  if (!sameWord(written, word.value)) return undefined;
  // In a heredoc's body (after the RUN's first line) the text is a shell script: `\` continues
  // a line whatever the escape directive, and a comment line ends the command.
  const inBody = script.form === 'heredoc' && text.lastIndexOf('\n', word.start - 1) >= script.argumentsStart;
  const rules = { escape: inBody ? '\\' : model.escapeChar, dockerfileLines: !inBody };
  return removeSpan(text, word.start, word.end, rules);
}

/** A word as written is the word when only quotes differ (`"--no-cache-dir"`, `PIP_NO_CACHE_DIR="1"`). */
function sameWord(written: string, value: string): boolean {
  return !/[\r\n]/.test(written) && written.replace(/["']/g, '') === value.replace(/["']/g, '');
}

/** `"--no-cache-dir", ` goes with its comma; the last element takes the comma before it. */
function jsonElementDeletions(model: DockerfileModel, word: ShellWord): Deletion[] | undefined {
  const { text, escapeChar } = model;
  let after = word.end;
  while (isBlank(text[after])) after++;
  if (text[after] === ',') return removeSpan(text, word.start, after + 1, { escape: escapeChar, dockerfileLines: true });
  let before = word.start;
  while (before > 0 && (/[ \t\r\n]/.test(text[before - 1]) || text[before - 1] === escapeChar)) before--;
  if (text[before - 1] === ',') return [{ start: before - 1, end: word.end }];
  return [{ start: word.start, end: word.end }];
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** Length of the line ending at i (`\n` or `\r\n`), 0 when there is none. */
function eolLength(text: string, i: number): number {
  if (text[i] === '\n') return 1;
  return text[i] === '\r' && text[i + 1] === '\n' ? 2 : 0;
}

/** When a continuation (escape, blanks, line end) starts at i: the offset after its line end. */
function continuationEnd(text: string, i: number, escape: string): number | undefined {
  if (text[i] !== escape) return undefined;
  let j = i + 1;
  while (isBlank(text[j])) j++;
  const eol = eolLength(text, j);
  return eol > 0 ? j + eol : undefined;
}

/** Removes [start, end) and the blanks that would be left over. */
function removeSpan(text: string, start: number, end: number, rules: SpanRules): Deletion[] | undefined {
  let before = start;
  while (before > 0 && isBlank(text[before - 1])) before--;
  let after = end;
  while (isBlank(text[after])) after++;
  // `a\ --no-cache-dir`: the blank is escaped, part of the word before; leave such text alone.
  if (before < start && (text[before - 1] === '\\' || text[before - 1] === rules.escape)) return undefined;
  const aloneFromLineStart = before === 0 || text[before - 1] === '\n';
  const continued = continuationEnd(text, after, rules.escape);
  const span = (s: number, e: number): Deletion[] => [{ start: s, end: e, rules }];

  if (continued !== undefined) {
    // `    --no-cache-dir \` alone on its line: the line goes. Else the word and its blanks.
    return aloneFromLineStart ? span(before, continued) : span(start, after);
  }
  const lineEnds = after >= text.length || eolLength(text, after) > 0;
  if (lineEnds && aloneFromLineStart) {
    // Alone on the last line of the instruction: an emptied line there would let the
    // continuation before it run into the next line.
    return before > 0 ? removeLastContinuedLine(text, before, after, rules) : undefined;
  }
  if (lineEnds) return span(before, after);
  // A line left starting with `#` would become a comment line that Docker drops, joining the
  // next line to the instruction.
  if (rules.dockerfileLines && aloneFromLineStart && text[after] === '#') return undefined;
  // Something follows on the line: take the blanks after the word, or the ones before when the
  // word touches what follows (`--no-cache-dir;`, `…--no-cache-dir"`).
  return after > end ? span(start, after) : span(before, end);
}

/**
 * The word is alone on the last line of a continued command: that line goes, with the line end
 * before it, and the line that continued into it loses its escape (comment lines between stay,
 * as comments).
 */
function removeLastContinuedLine(text: string, lineStart: number, lineEnd: number, rules: SpanRules): Deletion[] | undefined {
  const previousEol = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
  // Find the line that continues into this one, over the comment and empty lines Docker drops.
  let contentEnd = previousEol;
  for (;;) {
    const start = text.lastIndexOf('\n', contentEnd - 1) + 1;
    const line = text.slice(start, contentEnd);
    const droppable = rules.dockerfileLines && (line.trim() === '' || line.trimStart().startsWith('#'));
    if (!droppable || start === 0) break;
    contentEnd = text[start - 2] === '\r' ? start - 2 : start - 1;
  }
  let escapeAt = contentEnd;
  while (escapeAt > 0 && isBlank(text[escapeAt - 1])) escapeAt--;
  if (text[escapeAt - 1] !== rules.escape) return undefined;
  let cut = escapeAt - 1;
  while (cut > 0 && isBlank(text[cut - 1])) cut--;
  // `a\\` + `\`: the char before the escape escapes it or is one; the line would still continue.
  if (text[cut - 1] === '\\' || text[cut - 1] === rules.escape || text[cut - 1] === '\n' || cut === 0) return undefined;
  if (contentEnd === previousEol) return [{ start: cut, end: lineEnd, rules }];
  return [
    { start: cut, end: contentEnd, rules },
    { start: previousEol, end: lineEnd, rules },
  ];
}

/**
 * Joins overlapping or touching deletions (two words removed side by side); a joined deletion
 * within one line is trimmed again as a whole (`--no-cache-dir --no-cache-dir` alone on a line).
 */
function joinDeletions(text: string, deletions: readonly Deletion[]): TextEdit[] | undefined {
  let current = [...deletions];
  for (let round = 0; round < 4; round++) {
    const sorted = current.filter((d) => d.end > d.start).sort((a, b) => a.start - b.start);
    const merged: Array<Deletion & { joined: boolean }> = [];
    for (const deletion of sorted) {
      const last = merged[merged.length - 1];
      if (last && deletion.start <= last.end) {
        last.end = Math.max(last.end, deletion.end);
        last.joined = true;
      } else {
        merged.push({ ...deletion, joined: false });
      }
    }
    if (!merged.some((d) => d.joined)) return merged.map(({ start, end }) => ({ start, end, newText: '' }));
    const next: Deletion[] = [];
    for (const deletion of merged) {
      let start = deletion.start;
      let end = deletion.end;
      if (!deletion.joined || !deletion.rules) {
        next.push(deletion);
        continue;
      }
      if (/[\r\n]/.test(text.slice(start, end))) {
        // Joined over lines (a word, then the last line): when it now ends a line, the blanks
        // before it go too.
        let blanks = start;
        while (blanks > 0 && isBlank(text[blanks - 1])) blanks--;
        const endsLine = end >= text.length || eolLength(text, end) > 0;
        next.push({ ...deletion, start: endsLine && blanks > 0 && text[blanks - 1] !== '\n' ? blanks : start });
        continue;
      }
      while (start < end && isBlank(text[start])) start++;
      while (end > start && isBlank(text[end - 1])) end--;
      const again = removeSpan(text, start, end, deletion.rules);
      if (!again) return undefined;
      next.push(...again);
    }
    current = next;
  }
  return undefined;
}

/**
 * Removes ENV properties: the whole instruction (with its line) when they are all it sets, else
 * each property like a word. Undefined when a property cannot be removed cleanly.
 */
export function removeEnvPropertiesEdits(model: DockerfileModel, env: InstructionInfo, names: ReadonlySet<string>): TextEdit[] | undefined {
  const { text } = model;
  const properties = ((env.ast as any).getProperties?.() ?? []) as Array<{ getName(): string; getRange(): Range }>;
  const doomed = properties.filter((p) => names.has(p.getName()));
  if (doomed.length === 0) return undefined;
  let edits: TextEdit[] | undefined;
  if (doomed.length === properties.length) {
    edits = [removeInstructionEdit(text, env.startOffset, env.endOffset)];
  } else {
    const deletions: Deletion[] = [];
    for (const property of doomed) {
      const start = model.offsetAt(property.getRange().start);
      const end = model.offsetAt(property.getRange().end);
      const removal = /[\r\n]/.test(text.slice(start, end)) ? undefined : removeSpan(text, start, end, { escape: model.escapeChar, dockerfileLines: true });
      if (!removal) return undefined;
      deletions.push(...removal);
    }
    edits = joinDeletions(text, deletions);
  }
  return edits && keepsMeaning(model, env, edits, { envNames: names }) ? edits : undefined;
}

/** An instruction's whole lines, with one line end (the one after it, or before it at the end of the file). */
function removeInstructionEdit(text: string, start: number, end: number): TextEdit {
  let lineStart = start;
  while (lineStart > 0 && isBlank(text[lineStart - 1])) lineStart--;
  let after = end;
  while (isBlank(text[after])) after++;
  const eol = eolLength(text, after);
  if (eol > 0) return { start: lineStart, end: after + eol, newText: '' };
  const previousEol = lineStart >= 2 && text[lineStart - 2] === '\r' ? lineStart - 2 : Math.max(0, lineStart - 1);
  return { start: previousEol, end: after, newText: '' };
}

// ---------------------------------------------------------------------------------------
// Checking an edit

/**
 * Whether the instruction (and the one after it, which a broken continuation would swallow)
 * reads the same after the edits, but for the removed words / ENV properties and RUN flags.
 * It re-parses only that stretch of the file.
 */
export function keepsMeaning(
  model: DockerfileModel,
  info: InstructionInfo,
  edits: readonly TextEdit[],
  removed: { words?: readonly ShellWord[]; envNames?: ReadonlySet<string> },
): boolean {
  const { text } = model;
  const from = text.lastIndexOf('\n', info.startOffset - 1) + 1;
  const next = model.instructions[info.index + 1];
  const to = next ? Math.max(next.endOffset, info.endOffset) : text.length;
  if (edits.some((e) => e.start < from || e.end > to)) return false;
  // The directive keeps the escape char; a FROM keeps ENV and RUN in a stage.
  const prefix = `# escape=${model.escapeChar}\nFROM scratch\n`;
  const shift = prefix.length - from;
  const local = (e: TextEdit) => ({ start: e.start - from, end: e.end - from, newText: e.newText });
  const before = prefix + text.slice(from, to);
  const after = prefix + applyTextEdits(text.slice(from, to), edits.map(local)).text;
  const removedStarts = new Set((removed.words ?? []).map((w) => w.start + shift));
  const envNames = removed.envNames ?? new Set<string>();
  return shapeOf(before, removedStarts, envNames) === shapeOf(after, new Set(), envNames);
}

/** What the instructions of a piece of Dockerfile do, as comparable text. */
function shapeOf(text: string, skipWordsAt: ReadonlySet<number>, skipEnv: ReadonlySet<string>): string {
  // A bare parse: this runs for every fix that removes words, so it skips what the model adds.
  const ast = DockerfileParser.parse(text);
  const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
  const source = { text, escapeChar: ast.getEscapeCharacter(), offsetAt: (p: Position) => document.offsetAt(p) };
  const shape: unknown[] = [];
  for (const instruction of ast.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'RUN') {
      const script = parseRunScript(source, instruction);
      const words = (list: ShellWord[]) => list.filter((w) => !skipWordsAt.has(w.start)).map((w) => w.value);
      shape.push(['RUN', script.form, script.commands.map((c) => [words(c.assignments), words(c.words)])]);
    } else if (keyword === 'ENV') {
      const properties = readEnv(instruction).filter(([name]) => !skipEnv.has(name));
      if (properties.length > 0) shape.push(['ENV', properties]);
    } else {
      const range = instruction.getRange();
      shape.push([keyword, text.slice(document.offsetAt(range.start), document.offsetAt(range.end))]);
    }
  }
  return JSON.stringify(shape);
}

// ---------------------------------------------------------------------------------------
// Finding ranges

/** From the command name (after sudo/env) to the subcommand: `pip install`, `python -m pip install`. */
export function commandSpan(command: SimpleCommand, subcommand: string): { start: number; end: number } | undefined {
  const { index } = commandStart(command);
  const first = command.words[index];
  if (!first) return undefined;
  const sub = command.words.slice(index + 1).find((w) => w.value === subcommand);
  return { start: first.start, end: Math.max(first.end, sub?.end ?? first.end) };
}

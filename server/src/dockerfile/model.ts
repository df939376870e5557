/**
 * The Dockerfile as rules see it: parsed once per document version over dockerfile-ast,
 * with the facts rules keep asking for (stages, the USER and ENV in force at each
 * instruction, suppression comments, line endings) computed once.
 */
import { DockerfileParser, type Dockerfile, type Instruction, type From } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, RuleId } from '../rules/types';
import { readSuppressions } from '../suppressions';
import { collectKnownUsers, type KnownUser } from './users';

export interface UserInForce {
  /** As written after USER, without the group: a name or a numeric uid. */
  name: string;
  /** Numeric uid when known (numeric USER, or useradd/adduser -u in this Dockerfile). */
  uid?: number;
  gid?: number;
}

export interface InstructionInfo {
  index: number;
  /** Upper-case keyword: RUN, COPY, FROM… */
  keyword: string;
  ast: Instruction;
  range: Range;
  startOffset: number;
  endOffset: number;
  /** Undefined only for the ARGs before the first FROM. */
  stage: Stage | undefined;
  /** The USER in force when this instruction runs; undefined means root. */
  user?: UserInForce;
  /** ENV variables in force (inherited from a parent stage, then this stage's ENVs before it). */
  env: ReadonlyMap<string, string>;
  /** Rule ids suppressed by `# dockopt ignore=…` on the line before. */
  ignored: ReadonlySet<string>;
}

export interface Stage {
  index: number;
  from: From;
  fromInfo: InstructionInfo;
  /** The `AS name`, lower-cased as BuildKit compares them. */
  name?: string;
  /** The stage this one builds on (`FROM builder`), when it does. */
  parent?: Stage;
  /**
   * A Windows image (`windowsservercore`, `nanoserver`, or built on such a stage): its RUNs run
   * cmd or PowerShell with Windows paths, and BuildKit's cache mounts do not apply.
   */
  windows: boolean;
  instructions: InstructionInfo[];
}

export interface DockerfileModel {
  text: string;
  document: TextDocument;
  ast: Dockerfile;
  escapeChar: string;
  /** The file's dominant line ending; fixes that add lines use it. */
  eol: '\n' | '\r\n';
  instructions: InstructionInfo[];
  stages: Stage[];
  /** Rule ids turned off for the whole file by `# dockopt global ignore=…`. */
  globallyIgnored: ReadonlySet<string>;
  /** Users created by useradd/adduser in RUN lines, by name. */
  knownUsers: ReadonlyMap<string, KnownUser>;
  offsetAt(position: Position): number;
  positionAt(offset: number): Position;
  rangeOf(start: number, end: number): Range;
  /** The instruction whose lines include `line` (continuations and heredoc bodies count). */
  instructionAtLine(line: number): InstructionInfo | undefined;
  isSuppressed(ruleId: RuleId, instruction?: InstructionInfo): boolean;
}

const WINDOWS_IMAGE = /windowsservercore|nanoserver|(^|\/)windows(\/|:|$)/i;

export function parseDockerfile(text: string): DockerfileModel {
  const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
  const ast = DockerfileParser.parse(text);
  const escapeChar = ast.getEscapeCharacter();
  const eol = dominantEol(text);

  const { lineIgnores, globallyIgnored } = readSuppressions(text);
  const allInstructions = safeInstructions();
  const knownUsers = collectKnownUsers({ text, escapeChar, offsetAt: (p) => document.offsetAt(p) }, allInstructions);

  const instructions: InstructionInfo[] = [];
  const stages: Stage[] = [];
  const stagesByName = new Map<string, Stage>();
  let stage: Stage | undefined;
  let user: UserInForce | undefined;
  let env: EnvScope = { own: [] };
  const finalState = new Map<Stage, { user?: UserInForce; env: EnvScope }>();

  for (const ast of allInstructions) {
    const keyword = ast.getKeyword().toUpperCase();
    const range = ast.getRange();
    const info = {
      index: instructions.length,
      keyword,
      ast,
      range,
      startOffset: document.offsetAt(range.start),
      endOffset: document.offsetAt(range.end),
      ignored: lineIgnores.get(range.start.line) ?? new Set<string>(),
      stage: undefined,
    } as Omit<InstructionInfo, 'env'> as InstructionInfo;

    if (keyword === 'FROM') {
      const from = ast as From;
      // One read of the arguments (each From getter re-reads them all): image [AS name].
      const args = from.getArguments();
      const image = args[0]?.getValue() ?? '';
      const name = args.length >= 3 && args[1].getValue().toUpperCase() === 'AS' ? args[2].getValue().toLowerCase() : undefined;
      // `FROM builder` names an earlier stage; anything with a tag, digest or registry is an image.
      const parent = image !== '' && !/[:@/]/.test(image) ? stagesByName.get(image.toLowerCase()) : undefined;
      if (stage) finalState.set(stage, { user, env });
      const windows = parent ? parent.windows : WINDOWS_IMAGE.test(image);
      stage = { index: stages.length, from, fromInfo: info, name, parent, windows, instructions: [] };
      stages.push(stage);
      if (name) stagesByName.set(name, stage);
      // A stage starts from its parent's USER and ENV after its last instruction, or from the
      // image's (unknown to us: root, no ENV).
      const inherited = parent ? finalState.get(parent) : undefined;
      user = inherited?.user;
      env = inherited?.env ?? { own: [] };
    }
    if (!stage) {
      defineEnv(info, { own: [] });
      instructions.push(info); // an ARG before the first FROM: global, in no stage
      continue;
    }
    info.stage = stage;
    info.user = user;
    defineEnv(info, env);
    instructions.push(info);
    stage.instructions.push(info);

    // USER and ENV take effect for the instructions after them.
    if (keyword === 'USER') user = readUser(ast, knownUsers);
    if (keyword === 'ENV') {
      env = { base: env, own: readEnv(ast) };
    }
  }

  return {
    text,
    document,
    ast,
    escapeChar,
    eol,
    instructions,
    stages,
    globallyIgnored,
    knownUsers,
    offsetAt: (p) => document.offsetAt(p),
    positionAt: (o) => document.positionAt(o),
    rangeOf: (s, e) => ({ start: document.positionAt(s), end: document.positionAt(e) }),
    instructionAtLine(line) {
      return instructions.find((i) => i.range.start.line <= line && line <= i.range.end.line);
    },
    isSuppressed(ruleId, instruction) {
      return globallyIgnored.has(ruleId) || (instruction?.ignored.has(ruleId) ?? false);
    },
  };

  function safeInstructions(): Instruction[] {
    try {
      return ast.getInstructions();
    } catch {
      return [];
    }
  }
}

function dominantEol(text: string): '\n' | '\r\n' {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lf++;
    if (text.charCodeAt(i - 1) === 13) crlf++;
  }
  return crlf > 0 && crlf * 2 >= lf ? '\r\n' : '\n';
}


/**
 * ENV in force, built on first use: most instructions' environments are never read, and
 * copying a growing map at every ENV is quadratic in long Dockerfiles.
 */
interface EnvScope {
  base?: EnvScope;
  own: Array<[string, string]>;
  map?: Map<string, string>;
}

function defineEnv(info: InstructionInfo, scope: EnvScope): void {
  Object.defineProperty(info, 'env', { enumerable: true, get: () => materialize(scope) });
}

function materialize(scope: EnvScope): Map<string, string> {
  if (!scope.map) {
    const map = new Map(scope.base ? materialize(scope.base) : undefined);
    for (const [k, v] of scope.own) map.set(k, v);
    scope.map = map;
  }
  return scope.map;
}

function readUser(instruction: Instruction, known: ReadonlyMap<string, KnownUser>): UserInForce | undefined {
  const arg = instruction.getArguments()[0]?.getValue();
  if (!arg) return undefined;
  const [name, group] = arg.split(':');
  const numeric = /^\d+$/.test(name) ? Number(name) : undefined;
  if (name === 'root' || numeric === 0) return undefined;
  const knownUser = known.get(name);
  const uid = numeric ?? knownUser?.uid;
  const gid = group && /^\d+$/.test(group) ? Number(group) : knownUser?.gid;
  return { name, uid, gid };
}

/** ENV values as the build sees them, quotes removed; `ENV key value` (legacy) too. */
export function readEnv(instruction: Instruction): Array<[string, string]> {
  const props = (instruction as any).getProperties?.() as
    | Array<{ getName(): string; getValue(): string | null }>
    | undefined;
  if (!props) return [];
  return props.map((p) => [p.getName(), unquote(p.getValue() ?? '')]);
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

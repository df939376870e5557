/**
 * The Dockerfile as rules see it: parsed once per document version over dockerfile-ast,
 * with the facts rules keep asking for (stages, the USER and ENV in force at each
 * instruction, suppression comments, line endings) computed once.
 */
import type { Instruction, From } from 'dockerfile-ast';
import './argument-memo';
import './comment-placement';
import { parseInstructions, type ParseRecord } from './incremental-parse';
import { lastStartingAtOrBefore } from './line-search';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from '../positions';
import type { RuleId } from '../rule-ids';
import { readSuppressions } from '../suppressions';
import { work } from '../work-counters';
import { chargeWork } from '../work-budget';
import { chargedList } from './charged-list';
import { EnvChain, type EnvView } from './env-scope';
import { collectKnownUsers, readArgDefaults, resolveFromImage, type KnownUser } from './users';
import { baseImageUser, readUserInstruction, type UserInForce } from './user-in-force';
import { unquote } from '../../../shared/src/dockerfile/quotes';

export type { UserInForce } from './user-in-force';

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
  /** The USER in force when this instruction runs; undefined means root (see `unknown` for the base image's own user). */
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
  /**
   * The image the stage (or the first stage it builds on) starts from, global ARGs resolved from
   * their defaults; undefined when a variable has none.
   */
  image?: string;
  instructions: InstructionInfo[];
}

export interface DockerfileModel {
  text: string;
  document: TextDocument;
  /** What the next version's parse reuses (incremental-parse.ts). */
  parse: ParseRecord;
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

/**
 * The model of `text`. Given the parse of the document's last version (`model.parse`), the
 * instructions the edit cannot have changed are that version's (incremental-parse.ts);
 * everything else is computed again.
 */
export function parseDockerfile(text: string, previous?: ParseRecord): DockerfileModel {
  const document = TextDocument.create('file:///Dockerfile', 'dockerfile', 0, text);
  const parse = parseInstructions(text, document, previous);
  const { escapeChar, instructions: allInstructions } = parse;
  const eol = dominantEol(text);

  const { lineIgnores, globallyIgnored } = readSuppressions(text);
  const knownUsers = collectKnownUsers({ text, escapeChar, offsetAt: (p) => document.offsetAt(p) }, allInstructions);

  const instructions = chargedList<InstructionInfo>();
  const stages: Stage[] = [];
  const stagesByName = new Map<string, Stage>();
  let stage: Stage | undefined;
  let user: UserInForce | undefined;
  let chain = new EnvChain();
  let env: EnvView = chain.view();
  const globalArgs = new Map<string, string>();
  const finalState = new Map<Stage, { user?: UserInForce; env: EnvView }>();

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
      ignored: lineIgnores.get(range.start.line) ?? NO_IGNORES,
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
      const resolved = parent ? parent.image : resolveFromImage(image, globalArgs);
      stage = chargedParent({ index: stages.length, from, fromInfo: info, name, windows, image: resolved, instructions: chargedList<InstructionInfo>() }, parent);
      stages.push(stage);
      if (name) stagesByName.set(name, stage);
      // A stage starts from its parent's USER and ENV after its last instruction, or from the
      // image's: its user when dockopt knows it, else unknown; its ENV is not known (none).
      const inherited = parent ? finalState.get(parent) : undefined;
      user = parent ? inherited?.user : baseImageUser(resolved);
      chain = new EnvChain(inherited?.env);
      env = chain.view();
    }
    if (!stage) {
      if (keyword === 'ARG') for (const [k, v] of readArgDefaults(ast)) globalArgs.set(k, v);
      info.env = EMPTY_ENV;
      instructions.push(info); // an ARG before the first FROM: global, in no stage
      continue;
    }
    info.stage = stage;
    info.user = user;
    info.env = env;
    instructions.push(info);
    stage.instructions.push(info);

    // USER and ENV take effect for the instructions after them.
    if (keyword === 'USER') user = readUserInstruction(ast, knownUsers);
    if (keyword === 'ENV') {
      env = chain.define(readEnv(ast));
    }
  }

  return {
    text,
    document,
    parse,
    escapeChar,
    eol,
    instructions,
    stages,
    globallyIgnored,
    knownUsers,
    offsetAt: (p) => document.offsetAt(p),
    positionAt: (o) => document.positionAt(o),
    rangeOf: (s, e) => ({ start: document.positionAt(s), end: document.positionAt(e) }),
    instructionAtLine: (line) => instructionAtLine(instructions, line),
    isSuppressed(ruleId, instruction) {
      return globallyIgnored.has(ruleId) || (instruction?.ignored.has(ruleId) ?? false);
    },
  };
}

/**
 * A binary search: instructions come in file order and do not overlap, and every finding is
 * looked up (a linear scan made a lint cost findings × instructions).
 */
function instructionAtLine(instructions: readonly InstructionInfo[], line: number): InstructionInfo | undefined {
  work.instructionLookups++;
  const at = lastStartingAtOrBefore(
    instructions.length,
    (k) => {
      work.instructionLookupSteps++;
      return instructions[k].range.start.line;
    },
    line,
  );
  const found = at < 0 ? undefined : instructions[at];
  return found && line <= found.range.end.line ? found : undefined;
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
 * Gives `target` a `parent` that charges the running rule's work budget (work-budget.ts) one
 * unit a read: a rule that walks the chain of stages for each instruction is quadratic in a file
 * of thousands of stages, each built on the last. (Instruction lists are charged lists: a walk
 * costs its length.)
 */
function chargedParent<T extends object>(target: T, parent: Stage | undefined): T & { parent?: Stage } {
  return Object.defineProperty(target, 'parent', {
    enumerable: true,
    get: () => {
      chargeWork(1);
      return parent;
    },
  }) as T & { parent?: Stage };
}

/** Shared by the instructions without a suppression comment (nearly all): no set each. */
const NO_IGNORES: ReadonlySet<string> = new Set();

/** The environment of the ARGs before the first FROM: none. */
const EMPTY_ENV: ReadonlyMap<string, string> = new Map();

/** ENV values as the build sees them, quotes removed; `ENV key value` (legacy) too. */
export function readEnv(instruction: Instruction): Array<[string, string]> {
  const props = (instruction as Partial<{ getProperties(): Array<{ getName(): string; getValue(): string | null }> }>).getProperties?.();
  if (!props) return [];
  return props.map((p) => [p.getName(), unquote(p.getValue() ?? '')]);
}

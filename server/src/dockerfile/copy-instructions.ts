/**
 * The one reader of COPY and ADD instructions: their sources and destination (shell or exec
 * form, heredoc bodies left out), their flags (`--from`, `--parents`, `--chown`, `--chmod`,
 * `--link`, …), whether they take the whole build context (`COPY . .`), and the flags a narrower
 * COPY written in their place must keep. Every rule and helper reads COPY/ADD through here.
 */
import type { Flag } from 'dockerfile-ast';
import type { DockerfileModel, InstructionInfo } from './model';
import { unquote } from './container-paths';

export interface CopyFlag {
  /** Lower case: `from`, `chown`, `parents`… */
  name: string;
  /** The value after `=`; undefined for a flag without one (`--link`, `--parents`). */
  value?: string;
  /** The flag as written in the file: `--chown=app:app`. */
  text: string;
}

/** What a COPY/ADD says, before any judgement: the words and flags as Docker reads them. */
export interface CopyArguments {
  info: InstructionInfo;
  /** `COPY` or `ADD`, as written (case kept). */
  keywordText: string;
  /** Sources then the destination, unquoted; heredoc openers and bodies left out. */
  words: string[];
  /** True when the instruction starts a heredoc (`COPY <<EOF /app/x`). */
  heredoc: boolean;
  /** Starts with `[` but is not valid JSON: Docker reads it in shell form, dockopt leaves it alone. */
  badExecForm: boolean;
  flags: CopyFlag[];
  /** The stage or image of `--from=…`, lower-cased; undefined when it copies from the build context. */
  from?: string;
  /** `--parents`: sources keep their folders under the destination. */
  parents: boolean;
}

export interface CopyInstruction {
  info: InstructionInfo;
  /** `COPY` or `ADD`, as written (case kept). */
  keywordText: string;
  sources: string[];
  dest: string;
  /** From another stage or image (`--from=…`): not the build context. */
  fromOther: boolean;
  /** The flags a COPY of the manifests keeps, as written: `--chown=app:app`, `--chmod`, `--link`. */
  keptFlags: string[];
  /** True when one source is the whole context (`.`, `./`). */
  broad: boolean;
}

/** Flags whose meaning carries over to the narrower COPY of the manifests. */
const KEPT_FLAGS = new Set(['chown', 'chmod', 'link']);

/** The words and flags of a COPY/ADD; undefined for other instructions or one without arguments. */
export function readCopyArguments(model: DockerfileModel, info: InstructionInfo): CopyArguments | undefined {
  if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return undefined;
  const rawFlags: Flag[] = (info.ast as Partial<{ getFlags(): Flag[] }>).getFlags?.() ?? [];
  const args = info.ast.getArguments();
  if (args.length === 0) return undefined;
  const flags = rawFlags.map((flag): CopyFlag => {
    const range = flag.getRange();
    const value = flag.getValue();
    return { name: flag.getName().toLowerCase(), value: value ?? undefined, text: model.text.slice(model.offsetAt(range.start), model.offsetAt(range.end)) };
  });
  const argsStart = model.offsetAt(args[0].getRange().start);
  const json = model.text[argsStart] === '[' ? readJsonArray(model, argsStart, info.endOffset) : undefined;
  // A heredoc's body follows the line that opens it; the sources are before.
  const opener = json ? undefined : args.find((a) => a.getValue().startsWith('<<'));
  const lastLine = opener ? opener.getRange().start.line : Infinity;
  const words = json ?? args.filter((a) => a.getRange().start.line <= lastLine && !a.getValue().startsWith('<<')).map((a) => unquote(a.getValue()));
  return {
    info,
    keywordText: model.text.slice(info.startOffset, info.startOffset + info.keyword.length),
    words,
    heredoc: opener !== undefined,
    badExecForm: model.text[argsStart] === '[' && !json,
    flags,
    from: flags.find((flag) => flag.name === 'from')?.value?.toLowerCase(),
    parents: flags.some((flag) => flag.name === 'parents' && flag.value !== 'false'),
  };
}

/** A COPY/ADD whose sources and destination dockopt can read (not a heredoc, not half-typed). */
export function readCopy(model: DockerfileModel, info: InstructionInfo): CopyInstruction | undefined {
  const read = readCopyArguments(model, info);
  if (!read || read.heredoc || read.badExecForm || read.words.length < 2 || read.words.some((w) => w.startsWith('<<'))) return undefined;
  const sources = read.words.slice(0, -1);
  return {
    info,
    keywordText: read.keywordText,
    sources,
    dest: read.words[read.words.length - 1],
    fromOther: read.flags.some((flag) => flag.name === 'from'),
    keptFlags: read.flags.filter((flag) => KEPT_FLAGS.has(flag.name)).map((flag) => flag.text),
    broad: sources.some(isWholeContext),
  };
}

/** The exec (JSON) form `["src", "dest"]`, continuations removed; undefined when it is not valid JSON. */
function readJsonArray(model: DockerfileModel, start: number, end: number): string[] | undefined {
  const escape = model.escapeChar === '`' ? '`' : '\\\\';
  const raw = model.text.slice(start, end).replace(new RegExp(`${escape}[ \\t]*\\r?\\n`, 'g'), '');
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((w) => typeof w === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `.`, `./`, `./.`: the whole build context. */
export function isWholeContext(source: string): boolean {
  return /^\.(\/+\.?)*\/*$/.test(source);
}

/** A COPY/ADD whose sources are the whole build context and which a rule may move. */
export function readBroadCopy(model: DockerfileModel, info: InstructionInfo): CopyInstruction | undefined {
  const copy = readCopy(model, info);
  return copy && copy.broad && !copy.fromOther ? copy : undefined;
}

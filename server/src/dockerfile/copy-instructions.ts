/**
 * The one reader of COPY and ADD instructions: their sources and destination (shell or exec
 * form, heredoc bodies left out), their flags (`--from`, `--parents`, `--chown`, `--chmod`,
 * `--link`, …), whether they take the whole build context (`COPY . .`), and the flags a narrower
 * COPY written in their place must keep. Every rule and helper reads COPY/ADD through here; the
 * words and flags themselves are read by shared/src/dockerfile/copy-arguments.ts, which the
 * BuildKit runner uses too.
 */
import { readCopyWords, type CopyWords } from '../../../shared/src/dockerfile/copy-arguments';
import type { DockerfileModel, InstructionInfo } from './model';

/** What a COPY/ADD says, before any judgement: the words and flags as Docker reads them. */
export interface CopyArguments extends CopyWords {
  info: InstructionInfo;
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
  const read = readCopyWords(model, info.ast, info.startOffset, info.endOffset);
  return read && { info, ...read };
}

/** Each COPY's reading, once per parse: the rules and the project-folder search ask for every COPY of a stage. Shared: not to be changed. */
const COPIES = new WeakMap<InstructionInfo, CopyInstruction | null>();

/** A COPY/ADD whose sources and destination dockopt can read (not a heredoc, not half-typed). */
export function readCopy(model: DockerfileModel, info: InstructionInfo): CopyInstruction | undefined {
  let copy = COPIES.get(info);
  if (copy === undefined) COPIES.set(info, (copy = readCopyInstruction(model, info) ?? null));
  return copy ?? undefined;
}

function readCopyInstruction(model: DockerfileModel, info: InstructionInfo): CopyInstruction | undefined {
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

/** `.`, `./`, `./.`: the whole build context. */
export function isWholeContext(source: string): boolean {
  return /^\.(\/+\.?)*\/*$/.test(source);
}

/** A COPY/ADD whose sources are the whole build context and which a rule may move. */
export function readBroadCopy(model: DockerfileModel, info: InstructionInfo): CopyInstruction | undefined {
  const copy = readCopy(model, info);
  return copy && copy.broad && !copy.fromOther ? copy : undefined;
}

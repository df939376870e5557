/**
 * COPY and ADD instructions read into what copy-before-install needs: their sources and
 * destination, whether they take the whole build context (`COPY . .`), and the flags a
 * narrower COPY written in their place must keep.
 */
import type { Flag } from 'dockerfile-ast';
import type { DockerfileModel, InstructionInfo } from '../dockerfile/model';
import { unquote } from './container-paths';

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

export function readCopy(model: DockerfileModel, info: InstructionInfo): CopyInstruction | undefined {
  if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return undefined;
  const ast = info.ast as any;
  const flags: Flag[] = ast.getFlags?.() ?? [];
  const args = info.ast.getArguments();
  if (args.length === 0) return undefined;
  const argsStart = model.offsetAt(args[0].getRange().start);
  const words = model.text[argsStart] === '[' ? readJsonArray(model, argsStart, info.endOffset) : args.map((a) => unquote(a.getValue()));
  if (!words || words.length < 2 || words.some((w) => w.startsWith('<<'))) return undefined; // half-typed, or a heredoc
  const sources = words.slice(0, -1);
  const keywordText = model.text.slice(info.startOffset, info.startOffset + info.keyword.length);
  const keptFlags = flags
    .filter((flag) => KEPT_FLAGS.has(flag.getName().toLowerCase()))
    .map((flag) => {
      const range = flag.getRange();
      return model.text.slice(model.offsetAt(range.start), model.offsetAt(range.end));
    });
  return {
    info,
    keywordText,
    sources,
    dest: words[words.length - 1],
    fromOther: flags.some((flag) => flag.getName().toLowerCase() === 'from'),
    keptFlags,
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

function isWholeContext(source: string): boolean {
  return /^\.(\/+\.?)*\/*$/.test(source);
}

/** A COPY/ADD whose sources are the whole build context and which a rule may move. */
export function readBroadCopy(model: DockerfileModel, info: InstructionInfo): CopyInstruction | undefined {
  const copy = readCopy(model, info);
  return copy && copy.broad && !copy.fromOther ? copy : undefined;
}

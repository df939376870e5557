/**
 * The words and flags of a COPY or ADD as Docker reads them, from a dockerfile-ast instruction:
 * sources then destination (shell or exec form, quotes removed, heredoc openers and bodies left
 * out), flags as written (`--from`, `--parents`, `--chown`…). The one reader of COPY arguments:
 * the engine (server/src/dockerfile/copy-instructions.ts) adds its judgements on top, and the
 * BuildKit runner reads which context files a COPY step takes. Here, not in the engine, because
 * the runner may not import the engine; it needs only the Dockerfile's text, not the engine's model.
 */
import type { Flag, Instruction } from 'dockerfile-ast';
import { unquote } from './quotes';

/** The Dockerfile an instruction was parsed from. */
export interface DockerfileText {
  text: string;
  /** `\` or the one `# escape=` chose. */
  escapeChar: string;
  offsetAt(position: { line: number; character: number }): number;
}

export interface CopyFlag {
  /** Lower case: `from`, `chown`, `parents`… */
  name: string;
  /** The value after `=`; undefined for a flag without one (`--link`, `--parents`). */
  value?: string;
  /** The flag as written in the file: `--chown=app:app`. */
  text: string;
}

/** What a COPY/ADD says, before any judgement. */
export interface CopyWords {
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

/**
 * The words and flags of a COPY/ADD spanning `startOffset`..`endOffset` of `doc`; undefined for
 * other instructions or one without arguments.
 */
export function readCopyWords(doc: DockerfileText, ast: Instruction, startOffset: number, endOffset: number): CopyWords | undefined {
  // Several rules ask for every COPY: read once per instruction, which later versions of the
  // document keep while it is unchanged (the engine's incremental parse). What is read is the
  // instruction's own text (strings and flags, no offsets), the same in every version that keeps it.
  let read = WORDS.get(ast);
  if (read === undefined) WORDS.set(ast, (read = readWords(doc, ast, startOffset, endOffset) ?? null));
  return read ?? undefined;
}

/** Shared by every caller: not to be changed. */
const WORDS = new WeakMap<Instruction, CopyWords | null>();

function readWords(doc: DockerfileText, ast: Instruction, startOffset: number, endOffset: number): CopyWords | undefined {
  const keyword = ast.getKeyword().toUpperCase();
  if (keyword !== 'COPY' && keyword !== 'ADD') return undefined;
  const rawFlags: Flag[] = (ast as Partial<{ getFlags(): Flag[] }>).getFlags?.() ?? [];
  const args = ast.getArguments();
  if (args.length === 0) return undefined;
  const flags = rawFlags.map((flag): CopyFlag => {
    const range = flag.getRange();
    const value = flag.getValue();
    return { name: flag.getName().toLowerCase(), value: value ?? undefined, text: doc.text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end)) };
  });
  const argsStart = doc.offsetAt(args[0].getRange().start);
  const json = doc.text[argsStart] === '[' ? readJsonArray(doc, argsStart, endOffset) : undefined;
  // A heredoc's body follows the line that opens it; the sources are before.
  const opener = json ? undefined : args.find((a) => a.getValue().startsWith('<<'));
  const lastLine = opener ? opener.getRange().start.line : Infinity;
  const words = json ?? args.filter((a) => a.getRange().start.line <= lastLine && !a.getValue().startsWith('<<')).map((a) => unquote(a.getValue()));
  return {
    keywordText: doc.text.slice(startOffset, startOffset + keyword.length),
    words,
    heredoc: opener !== undefined,
    badExecForm: doc.text[argsStart] === '[' && !json,
    flags,
    from: flags.find((flag) => flag.name === 'from')?.value?.toLowerCase(),
    parents: flags.some((flag) => flag.name === 'parents' && flag.value !== 'false'),
  };
}

/** The exec (JSON) form `["src", "dest"]`, continuations removed; undefined when it is not valid JSON. */
function readJsonArray(doc: DockerfileText, start: number, end: number): string[] | undefined {
  const escape = doc.escapeChar === '`' ? '`' : '\\\\';
  const raw = doc.text.slice(start, end).replace(new RegExp(`${escape}[ \\t]*\\r?\\n`, 'g'), '');
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((w) => typeof w === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a Dockerfile reads from its build context, for the .dockerignore rules: the sources of
 * its COPY/ADD instructions (read through dockerfile/copy-instructions.ts) and RUN bind mounts,
 * including files a `COPY --from=<stage>` takes from a stage that copied the whole context, and
 * the commands that may use what a pattern would leave out.
 */
import { parseDockerfile, type DockerfileModel } from '../dockerfile/model';
import { readMounts } from '../dockerfile/mounts';
import { cleanPattern } from '../../../shared/src/dockerignore/ignore-matcher';
import { pathWithin, resolveIn, workdirsOf } from '../dockerfile/container-paths';
import { readCopyArguments } from '../dockerfile/copy-instructions';
import { remember } from '../../../shared/src/bounded-cache';

const MAX_CACHED_TEXTS = 8;

export interface BuildInputs {
  /** Context-relative sources of COPY/ADD (without --from) and RUN bind mounts; may be globs. */
  sources: string[];
  /** The text of RUN, CMD and ENTRYPOINT instructions, to see what they use. */
  commands: string;
}

const inputsCache = new WeakMap<DockerfileModel, BuildInputs>();

export function buildInputs(model: DockerfileModel): BuildInputs {
  const cached = inputsCache.get(model);
  if (cached) return cached;
  const sources: string[] = [];
  const commands: string[] = [];
  const stageContexts = new StageContextDirs(model);
  for (const info of model.instructions) {
    try {
      if (info.keyword === 'COPY' || info.keyword === 'ADD') sources.push(...copySources(model, info), ...contextFilesCopiedFromStage(model, info, stageContexts));
      else if (info.keyword === 'RUN') {
        for (const mount of readMounts(info.ast)) {
          if (mount.type !== 'bind' || mount.options.has('from')) continue;
          sources.push(mount.options.get('source') ?? mount.options.get('src') ?? '.');
        }
      }
      if (info.keyword === 'RUN' || info.keyword === 'CMD' || info.keyword === 'ENTRYPOINT') {
        commands.push(model.text.slice(info.startOffset, info.endOffset));
      }
    } catch {
      // an instruction dockerfile-ast cannot describe reads nothing we can name
    }
  }
  const result = { sources: sources.map(normalizeSource).filter((s): s is string => s !== undefined), commands: commands.join('\n') };
  inputsCache.set(model, result);
  return result;
}

type InstructionInfo = DockerfileModel['instructions'][number];

function copySources(model: DockerfileModel, info: InstructionInfo): string[] {
  const read = readCopyArguments(model, info);
  if (!read || read.flags.some((f) => f.name === 'from')) return [];
  const sources = read.words.slice(0, -1);
  return info.keyword === 'ADD' ? sources.filter((s) => !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s)) : sources;
}

type Stage = DockerfileModel['stages'][number];

/** Where each stage (or a stage it builds on) put the whole context: computed once per stage. */
class StageContextDirs {
  private readonly workdirs = new Map<Stage, Map<InstructionInfo, string>>();
  private readonly dirs = new Map<Stage, string[]>();

  constructor(private readonly model: DockerfileModel) {}

  of(stage: Stage): string[] {
    let known = this.dirs.get(stage);
    if (known) return known;
    const parent = stage.parent && stage.parent.index < stage.index ? this.of(stage.parent) : [];
    known = [...parent];
    const workdirs = workdirsOf(stage, this.workdirs);
    for (const copy of stage.instructions) {
      if (copy.keyword !== 'COPY' && copy.keyword !== 'ADD') continue;
      if (!copySources(this.model, copy).some((a) => normalizeSource(a) === '.')) continue;
      const dest = readCopyArguments(this.model, copy)?.words.at(-1);
      if (dest && !dest.includes('$')) known.push(resolveIn(workdirs.get(copy) ?? '/', dest));
    }
    this.dirs.set(stage, known);
    return known;
  }
}

/**
 * `COPY --from=web /app/NOTES.md .` where stage `web` did `WORKDIR /app` + `COPY . .`: the file
 * comes from the context through that stage, so it is as much a source as a direct COPY's.
 */
function contextFilesCopiedFromStage(model: DockerfileModel, info: InstructionInfo, stageContexts: StageContextDirs): string[] {
  const read = readCopyArguments(model, info);
  const from = read?.from;
  if (!read || !from) return [];
  const stage = model.stages.find((s) => s.name === from || String(s.index) === from);
  if (!stage || stage.index >= (info.stage?.index ?? 0)) return [];
  const contextDirs = stageContexts.of(stage);
  if (contextDirs.length === 0) return [];
  return read.words.slice(0, -1).flatMap((source) => {
    const inStage = resolveIn('/', source);
    for (const dir of contextDirs) {
      const rel = pathWithin(dir, inStage);
      if (rel !== undefined) return [rel === '' ? '.' : rel];
    }
    return [];
  });
}

/** Context-relative, cleaned; `$VAR` becomes `*` (unknown here); undefined when outside the context. */
function normalizeSource(source: string): string | undefined {
  const withVars = source.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '*');
  const cleaned = cleanPattern(withVars.replace(/^\/+/, ''));
  if (cleaned === '..' || cleaned.startsWith('../')) return undefined;
  return cleaned === '' ? '.' : cleaned;
}

const textInputs = new Map<string, { inputs: BuildInputs; eol: '\n' | '\r\n' }>();

/** What a Dockerfile's text reads from its context, and its line ending; parsed once per text. */
export function inputsOfText(text: string): { inputs: BuildInputs; eol: '\n' | '\r\n' } {
  return remember(textInputs, text, () => {
    const model = parseDockerfile(text);
    return { inputs: buildInputs(model), eol: model.eol };
  }, MAX_CACHED_TEXTS);
}

/**
 * Go, Cargo, Maven and Gradle keep their downloads in a store the build reads from, not only in
 * a cache: a RUN that fills it (`mvn dependency:go-offline`, `cargo fetch`, `go mod download`) may
 * be there for what comes after it. With a cache mount the downloads stay in the mount and never
 * reach the layer, so
 * - a later RUN that builds offline from them without that mount (`mvn -o package`,
 *   `cargo build --offline`) fails;
 * - a stage that copies the store out (`COPY --from=deps /root/.m2 /root/.m2`) copies nothing;
 * - an image whose command runs the manager (`CMD ["mvn", "spring-boot:run"]`) downloads
 *   everything on every start.
 * dockopt then keeps the finding but does not add the mount by itself (`unsafeMount`).
 */
import type { DockerfileModel, InstructionInfo, Stage } from '../model';
import { readMounts } from '../mounts';
import { overlaps } from '../container-paths';
import { coveringCacheMount } from '../cache-locations';
import type { ManagerContext } from './manager';

export interface LaterUse {
  /** As messages name the manager: `Maven`. */
  name: string;
  /** Whether a later RUN (its text, and the RUN for its ENVs) reads the store without downloading. */
  offline(text: string, run: InstructionInfo): boolean;
  /** A CMD or ENTRYPOINT (its text) that runs the manager. */
  command: RegExp;
}

/**
 * Why the store in `dirs`, filled by this RUN, is needed after it, when it is: undefined when
 * nothing after the RUN reads it from the image.
 */
export function storeNeededLater(context: ManagerContext, dirs: readonly string[], use: LaterUse): string | undefined {
  const { model, info } = context;
  const stage = info.stage;
  if (!stage || dirs.length === 0) return undefined;
  const names = new Set([String(stage.index), ...(stage.name ? [stage.name] : [])]);
  for (const { later, text } of candidatesOf(model, use)) {
    if (later.index <= info.index) continue;
    const line = later.range.start.line + 1;
    if (later.keyword === 'COPY') {
      if (copiesFrom(text, names, dirs)) return `Line ${line} copies ${use.name}'s downloads out of this stage, where a cache mount would leave none`;
      continue;
    }
    if (!builtOn(later.stage, stage)) continue;
    if (later.keyword === 'RUN') {
      const mounts = readMounts(later.ast);
      if (!dirs.every((dir) => coveringCacheMount(mounts, dir))) return `Line ${line} runs ${use.name} offline on what this RUN leaves in the image (with a cache mount here it needs the same mount, or it fails)`;
      continue;
    }
    return `The image runs ${use.name} (line ${line}) on what this RUN leaves in it, which a cache mount would keep out`;
  }
  return undefined;
}

/**
 * The instructions of the file that may read a manager's store after the RUN that fills it
 * (`COPY --from`, an offline RUN, a CMD or ENTRYPOINT running it), in file order: found once per
 * parse and manager, since every call of the manager asks.
 */
function candidatesOf(model: DockerfileModel, use: LaterUse): Array<{ later: InstructionInfo; text: string }> {
  let byManager = CANDIDATES.get(model);
  if (!byManager) CANDIDATES.set(model, (byManager = new Map()));
  let found = byManager.get(use.name);
  if (!found) {
    found = [];
    for (const later of model.instructions) {
      const text = model.text.slice(later.startOffset, later.endOffset);
      const candidate =
        (later.keyword === 'COPY' && /--from=/i.test(text)) ||
        (later.keyword === 'RUN' && use.offline(text, later)) ||
        ((later.keyword === 'CMD' || later.keyword === 'ENTRYPOINT') && use.command.test(text));
      if (candidate) found.push({ later, text });
    }
    byManager.set(use.name, found);
  }
  return found;
}

const CANDIDATES = new WeakMap<DockerfileModel, Map<string, Array<{ later: InstructionInfo; text: string }>>>();

/** The stage is `start` or built on it (`FROM start`, at any depth). */
function builtOn(stage: Stage | undefined, start: Stage): boolean {
  for (let s = stage; s; s = s.parent) if (s === start) return true;
  return false;
}

/** `COPY --from=<the stage> <a source over or under one of dirs> … <destination>`. */
function copiesFrom(text: string, names: ReadonlySet<string>, dirs: readonly string[]): boolean {
  const from = /--from=["']?([^\s"']+)/i.exec(text)?.[1]?.toLowerCase();
  if (from === undefined || !names.has(from)) return false;
  const operands = text.split(/\s+/).slice(1).filter((w) => w !== '' && w !== '\\' && !w.startsWith('--'));
  const sources = operands.slice(0, -1).filter((w) => w.startsWith('/')).map((w) => w.replace(/\/+$/, '') || '/');
  return sources.some((path) => dirs.some((dir) => overlaps(path, dir)));
}
